"""Instances kept between steps (engine/workflow/live.py) are used only for exactly the state
the store holds: another process moving the case, or a step that never committed, is seen."""

import pytest

from api import create_app
from engine.services.definitions import ensure_loaded
from engine.services.demo import DEMO_APPLICATION
from tests.support import (
    DOCUMENTS,
    VALID_SURVEY,
    application,
    done,
    get,
    lost_at_commit,
    open_task,
    recommend,
    start,
)


def reproduced(client, officers, application_id):
    response = client.post(f"/api/applications/{application_id}/replay",
                           headers=officers["auditor"].headers)
    assert response.status_code == 200, response.json
    return response.json["result"] == "reproduced"


def test_a_case_moved_by_another_process_is_restored_from_the_store(app, database_url, clock,
                                                                    officers):
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock})
    try:
        here, there = app.test_client(), other.test_client()
        case = start(here, officers["ao"])
        done(here, officers["ao"], case["id"], "collect_documents", DOCUMENTS)  # kept here
        done(there, officers["surveyor"], case["id"], "survey_applicant", VALID_SURVEY)
        analysed = done(here, officers["analyst"], case["id"], "analyse_credit",
                        recommend(80_000_000))
    finally:
        other.extensions["alur"].close()
    assert analysed["stage"] == "approval"
    assert analysed["summary"]["risk_grade"] == "B"
    assert [t["task"] for t in analysed["open_tasks"]] == ["approve_credit"]
    assert reproduced(here, officers, case["id"])


def test_a_step_that_did_not_commit_leaves_no_trace_in_the_next(client, officers, monkeypatch):
    case = start(client, officers["ao"], application())
    task_id = open_task(client, officers["ao"], case["id"], "collect_documents")
    refused = lost_at_commit(client, officers["ao"], task_id, DOCUMENTS, monkeypatch)
    assert refused.status_code == 409
    assert [t["task"] for t in get(client, officers["ao"], case["id"])["open_tasks"]] == \
        ["collect_documents"]

    again = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                        headers=officers["ao"].headers)
    assert again.status_code == 200, again.json
    assert [t["task"] for t in again.json["open_tasks"]] == ["survey_applicant"]
    events = client.get(f"/api/applications/{case['id']}/events",
                        headers=officers["ao"].headers).json
    assert [e["type"] for e in events].count("task_completed") == 1
    assert reproduced(client, officers, case["id"])


@pytest.mark.parametrize("moved", [True, False])
def test_an_instance_is_handed_out_once_and_only_unmoved_since_saved(alur, moved):
    with alur.uow() as uow:
        definition = uow.definitions.latest("credit_application")
        ensure_loaded(alur, definition)
        sha = definition.sha256
    instance = alur.workflows.start(sha, {**DEMO_APPLICATION, "application_number": "APP-1",
                                          "application_date": "2026-11-23"})
    saved = alur.workflows.save(7, instance)
    if moved:
        instance.run()
    taken = alur.workflows.load(sha, saved, case=7)
    assert (taken is instance) is not moved
    assert alur.workflows.load(sha, saved, case=7) is not instance
