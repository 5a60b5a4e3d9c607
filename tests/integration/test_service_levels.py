"""Service-level timers fire on the worker's pass and replay exactly as they happened."""

from engine.services.incidents import run_due
from tests.support import DOCUMENTS, VALID_SURVEY, application, done, get, start


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


def test_the_inbox_by_due_date_pages_dated_tasks_first_then_undated_ones(client, officers, clock):
    rejected = start(client, officers["ao"], application(applicant__monthly_income=2_000_000))
    rejected = done(client, officers["ao"], rejected["id"], "collect_documents", DOCUMENTS)
    assert [t["task"] for t in rejected["open_tasks"]] == ["notify_rejection"]
    first = start(client, officers["ao"])
    clock.advance(hours=1)
    second = start(client, officers["ao"])
    pages = [client.get(f"/api/tasks?sort=due_at&per_page=1&page={n}",
                        headers=officers["ao"].headers).json for n in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [3, 3, 3, 3]
    assert [(i["application_id"], i["task"]) for p in pages for i in p["items"]] == [
        (first["id"], "collect_documents"), (second["id"], "collect_documents"),
        (rejected["id"], "notify_rejection")]
    assert pages[2]["items"][0]["due_at"] is None and pages[3]["items"] == []
