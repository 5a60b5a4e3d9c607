"""Two officers acting on one application at the same moment never break it."""

import threading

import pytest

from engine.errors import ConcurrentUpdate
from engine.repositories.work import Tasks
from engine.services import tasks as tasks_service
from engine.services.users import authenticate
from tests.support import DOCUMENTS, done, get, open_task, start


def test_two_threads_completing_the_same_task_one_wins_and_the_other_gets_409(app, officers):
    application = start(app.test_client(), officers["ao"])
    task_id = open_task(app.test_client(), officers["ao"], application["id"], "collect_documents")
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                               headers=officers["ao"].headers)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 409]
    client = app.test_client()
    current = get(client, officers["ao"], application["id"])
    assert [t["task"] for t in current["open_tasks"]] == ["survey_applicant"]
    completed = [e for e in client.get(f"/api/applications/{application['id']}/events",
                                       headers=officers["ao"].headers).json
                 if e["type"] == "task_completed"]
    assert len(completed) == 1
    done(client, officers["surveyor"], application["id"], "survey_applicant",
         {"verified_income": 15_000_000, "residence_verified": True, "employment_verified": True,
          "dependents": 1, "result": "valid"})
    assert get(client, officers["ao"], application["id"])["stage"] == "analysis"


def test_two_officers_claiming_the_same_task_one_gets_it_the_other_409(client, officers):
    application = start(client, officers["ao"])
    task_id = open_task(client, officers["ao"], application["id"], "collect_documents")
    first = client.post(f"/api/tasks/{task_id}/claim", headers=officers["ao"].headers)
    second = client.post(f"/api/tasks/{task_id}/claim", headers=officers["ao2"].headers)
    assert first.status_code == 200 and first.json["assignee"] == "ao"
    assert second.status_code == 409
    assert second.headers["Content-Type"] == "application/problem+json"
    refused = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                          headers=officers["ao2"].headers)
    assert refused.status_code == 403


def test_a_step_written_on_a_case_someone_else_moved_is_refused_and_writes_nothing(
        alur, client, officers):
    """The case row carries a version: a step stores it only if nobody wrote it since."""
    case_id = start(client, officers["ao"])["id"]
    with pytest.raises(ConcurrentUpdate), alur.uow() as late:
        stale = late.applications.get(case_id)
        late.session.commit()  # the read is done (the row stays in memory as read)
        with alur.uow() as uow:  # meanwhile, another step moves the case
            row = uow.applications.get(case_id)
            uow.events.append(row, "note_added", "ao", row.updated_at, {"note": "first"})
            uow.commit()
        late.events.append(stale, "note_added", "ao", stale.updated_at, {"note": "late"})
        late.applications.store(stale, stage="analysis")
    with alur.uow() as uow:
        notes = [e.payload["note"] for e in uow.events.for_application(case_id, ["note_added"])]
        assert notes == ["first"]
        assert uow.applications.get(case_id).stage == "collection"


def test_a_release_racing_the_claimants_own_completion_never_reopens_the_task(
        alur, client, officers, monkeypatch):
    """Two tabs of one officer: one completes the claimed task while the other releases it."""
    ao = officers["ao"]
    application = start(client, ao)
    task_id = open_task(client, ao, application["id"], "collect_documents")
    assert client.post(f"/api/tasks/{task_id}/claim", headers=ao.headers).status_code == 200
    read = Tasks.get

    def completed_meanwhile(tasks, wanted):
        row = read(tasks, wanted)  # the release has read the task, claimed by its officer
        monkeypatch.setattr(Tasks, "get", read)
        tasks_service.complete_task(alur, authenticate(alur, ao.token), task_id, DOCUMENTS)
        return row

    monkeypatch.setattr(Tasks, "get", completed_meanwhile)
    released = client.post(f"/api/tasks/{task_id}/release", headers=ao.headers)
    assert released.status_code == 409, released.json
    assert client.get(f"/api/tasks/{task_id}", headers=ao.headers).json["status"] == "completed"
    current = get(client, ao, application["id"])
    assert [t["task"] for t in current["open_tasks"]] == ["survey_applicant"]
