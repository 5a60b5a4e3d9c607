"""Running applications move to a new version only when they can, and still replay the same."""

import io

from engine.bootstrap import FORMS_DIR, WORKFLOW_DIR
from engine.services.incidents import run_due
from tests.support import DOCUMENTS, VALID_SURVEY, done, get, recommend, start


def deploy_renamed_survey(client, owner):
    """Version 2: the survey task is renamed visit_applicant (diagram and form)."""
    files = {p.name: p.read_bytes() for p in WORKFLOW_DIR.iterdir() if p.suffix == ".dmn"}
    files["credit_application.bpmn"] = (WORKFLOW_DIR / "credit_application.bpmn").read_bytes() \
        .replace(b"survey_applicant", b"visit_applicant")
    files |= {p.name: p.read_bytes() for p in FORMS_DIR.glob("*.json")}
    files["visit_applicant.schema.json"] = files.pop("survey_applicant.schema.json")
    data = {name: (io.BytesIO(content), name) for name, content in files.items()}
    response = client.post("/api/definitions", data=data, headers=owner.headers,
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return response.json["definitions"][0]["version"]


def migrate(client, owner, **body):
    response = client.post("/api/definitions/credit_application/migrations",
                           json={"from_version": 1, "to_version": 2, **body},
                           headers=owner.headers)
    assert response.status_code == 200, response.json
    return response.json


def test_a_dry_run_reports_who_can_move_and_why_not_without_moving_anyone(client, officers):
    at_survey = start(client, officers["ao"])
    done(client, officers["ao"], at_survey["id"], "collect_documents", DOCUMENTS)
    at_documents = start(client, officers["ao"])
    deploy_renamed_survey(client, officers["owner"])
    report = migrate(client, officers["owner"], dry_run=True)
    by_id = {a["application_id"]: a for a in report["applications"]}
    assert by_id[at_documents["id"]]["movable"] is True
    assert by_id[at_survey["id"]]["movable"] is False
    assert "survey_applicant" in by_id[at_survey["id"]]["reasons"][0]
    assert report["moved"] == 0
    assert get(client, officers["ao"], at_survey["id"])["definition"]["version"] == 1
    mapped = migrate(client, officers["owner"], dry_run=True,
                     renamed_tasks={"survey_applicant": "visit_applicant"})
    assert mapped["blocked"] == 0 and mapped["movable"] == 2


def test_a_migration_moves_running_applications_and_each_still_replays(client, officers):
    at_survey = start(client, officers["ao"])
    done(client, officers["ao"], at_survey["id"], "collect_documents", DOCUMENTS)
    finished = start(client, officers["ao"], None)
    done(client, officers["ao"], finished["id"], "collect_documents", {**DOCUMENTS})
    done(client, officers["surveyor"], finished["id"], "survey_applicant",
         {**VALID_SURVEY, "result": "invalid", "rejection_reason": "FRAUD_SUSPECTED"})
    done(client, officers["ao"], finished["id"], "notify_rejection", {"notified_via": "sms"})
    deploy_renamed_survey(client, officers["owner"])
    report = migrate(client, officers["owner"], dry_run=False,
                     renamed_tasks={"survey_applicant": "visit_applicant"})
    assert report["moved"] == 1
    assert [a["application_id"] for a in report["applications"]] == [at_survey["id"]]
    moved = get(client, officers["ao"], at_survey["id"])
    assert moved["definition"]["version"] == 2
    assert [t["task"] for t in moved["open_tasks"]] == ["visit_applicant"]
    events = client.get(f"/api/applications/{at_survey['id']}/events",
                        headers=officers["auditor"].headers).json
    assert [e["actor"] for e in events if e["type"] == "definition_migrated"] == ["owner"]
    done(client, officers["surveyor"], at_survey["id"], "visit_applicant", VALID_SURVEY)
    done(client, officers["analyst"], at_survey["id"], "analyse_credit", recommend(80_000_000))
    for application in (at_survey, finished):
        replay = client.post(f"/api/applications/{application['id']}/replay",
                             headers=officers["auditor"].headers).json
        assert replay["result"] == "reproduced", replay
    verdict = client.get(f"/api/applications/{at_survey['id']}/audit/verify",
                         headers=officers["auditor"].headers).json
    assert verdict["result"] == "intact"


def test_only_process_owners_migrate(client, officers):
    response = client.post("/api/definitions/credit_application/migrations",
                           json={"from_version": 1, "to_version": 1},
                           headers=officers["auditor"].headers)
    assert response.status_code == 403


def test_a_migration_keeps_the_service_level_of_a_waiting_task(client, officers, alur, clock):
    """The survey is due three working days after it opened, on either version: moving the case
    a day later does not start its timer over (Camunda keeps a migrated timer's due date)."""
    case = start(client, officers["ao"])
    done(client, officers["ao"], case["id"], "collect_documents", DOCUMENTS)
    (survey,) = get(client, officers["ao"], case["id"])["open_tasks"]
    clock.advance(days=1)
    deploy_renamed_survey(client, officers["owner"])
    migrate(client, officers["owner"], dry_run=False,
            renamed_tasks={"survey_applicant": "visit_applicant"})
    (visit,) = get(client, officers["ao"], case["id"])["open_tasks"]
    assert (visit["task"], visit["due_at"]) == ("visit_applicant", survey["due_at"])
    clock.advance(days=2, minutes=5)  # past the survey's due time, a day short of a restart's
    assert [d["what"] for d in run_due(alur)] == [f"timer due {survey['due_at']}"]
    replay = client.post(f"/api/applications/{case['id']}/replay",
                         headers=officers["auditor"].headers).json
    assert replay["result"] == "reproduced", replay
