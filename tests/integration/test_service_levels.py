"""Service-level timers fire on the worker's pass and replay exactly as they happened."""

from engine.services.incidents import run_due
from tests.support import DOCUMENTS, VALID_SURVEY, done, get, start


def test_an_escalated_application_replays_reproduced(client, officers, alur, clock):
    app = start(client, officers["ao"])
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    clock.advance(days=3, minutes=5)
    assert [d["what"].split()[0] for d in run_due(alur)] == ["timer"]
    assert run_due(alur) == []  # fired once; nothing is due any more
    done(client, officers["supervisor"], app["id"], "escalate_overdue_task", {"action": "noted"})
    clock.advance(hours=2)
    after = done(client, officers["surveyor"], app["id"], "survey_applicant", VALID_SURVEY)
    assert [t["task"] for t in after["open_tasks"]] == ["analyse_credit"]
    replay = client.post(f"/api/applications/{app['id']}/replay",
                         headers=officers["auditor"].headers).json
    assert replay["result"] == "reproduced", replay
    assert get(client, officers["auditor"], app["id"])["stage"] == "analysis"
