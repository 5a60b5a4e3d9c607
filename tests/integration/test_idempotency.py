"""`Idempotency-Key` on POSTs: a retry gets the first answer, and nothing acts twice."""

import io
import threading
from datetime import timedelta

import pytest

from engine.errors import AnswerLost, RequestInProgress
from engine.services import applications, idempotency
from engine.services.users import actor_named
from tests.diagrams import FORM, simple
from tests.support import DOCUMENTS, application, open_task, start, through_disbursement


def keyed(officer, key: str) -> dict[str, str]:
    return {**officer.headers, "Idempotency-Key": key}


def events(client, officer, application_id: int, kind: str) -> list[dict]:
    response = client.get(f"/api/applications/{application_id}/events", headers=officer.headers)
    assert response.status_code == 200, response.json
    return [event for event in response.json if event["type"] == kind]


def same_answer(first, second) -> None:
    assert (second.status_code, second.data, second.content_type) == (
        first.status_code, first.data, first.content_type)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


def test_a_retried_start_returns_the_first_answer_and_starts_one_application(client, officers):
    headers = keyed(officers["ao"], "start-1")
    first = client.post("/api/applications", json=application(), headers=headers)
    retry = client.post("/api/applications", json=application(), headers=headers)

    assert first.status_code == 201
    same_answer(first, retry)
    listed = client.get("/api/applications", headers=officers["ao"].headers).json
    assert listed["total"] == 1


def test_a_retried_claim_and_complete_return_their_first_answers_and_act_once(client, officers):
    ao = officers["ao"]
    app = start(client, ao)
    task_id = open_task(client, ao, app["id"], "collect_documents")
    claims = [client.post(f"/api/tasks/{task_id}/claim", headers=keyed(ao, "claim-1"))
              for _ in range(2)]
    completes = [client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                             headers=keyed(ao, "complete-1")) for _ in range(2)]

    assert claims[0].status_code == 200 and completes[0].status_code == 200
    same_answer(*claims)
    same_answer(*completes)
    assert len(events(client, ao, app["id"], "task_claimed")) == 1
    assert len(events(client, ao, app["id"], "task_completed")) == 1


def test_a_retried_message_returns_the_first_answer_and_is_delivered_once(client, officers):
    app = through_disbursement(client, officers)
    core = officers["core"]
    body = {"message_id": "cb-1", "business_key": app["number"],
            "payload": {"value_date": "2026-11-25"}}
    answers = [client.post("/api/messages/disbursement_confirmed", json=body,
                           headers=keyed(core, "msg-1")) for _ in range(2)]

    assert answers[0].status_code == 200 and answers[0].json["duplicate"] is False
    same_answer(*answers)
    loan_id = answers[0].json["delivered_to"]
    assert len(events(client, officers["auditor"], loan_id, "message_delivered")) == 1


def test_a_retried_upload_with_a_new_multipart_boundary_returns_the_first_answer(
        client, officers):
    def deploy(diagram: bytes):
        data = {"a": (io.BytesIO(diagram), "small.bpmn"),
                "b": (io.BytesIO(FORM), "review_application.schema.json")}
        return client.post("/api/definitions", data=data, content_type="multipart/form-data",
                           headers=keyed(officers["owner"], "deploy-1"))

    first, retry = deploy(simple()), deploy(simple())
    assert first.status_code == 201, first.json
    same_answer(first, retry)  # 201 again, not "200 unchanged": the first answer
    other = deploy(simple(process="another_process"))
    assert other.status_code == 422 and other.json["type"].endswith("/idempotency-key-reused")


def test_the_same_key_with_another_body_is_refused_with_422(client, officers):
    headers = keyed(officers["ao"], "start-2")
    assert client.post("/api/applications", json=application(), headers=headers).status_code == 201
    other = client.post("/api/applications", json=application(amount=90_000_000), headers=headers)

    assert other.status_code == 422
    assert other.content_type == "application/problem+json"
    assert other.json["type"].endswith("/idempotency-key-reused")
    assert "another body" in other.json["detail"]


def test_the_same_key_on_another_path_is_refused_with_422(client, officers):
    ao = officers["ao"]
    app = start(client, ao)
    task_id = open_task(client, ao, app["id"], "collect_documents")
    assert client.post(f"/api/tasks/{task_id}/claim", headers=keyed(ao, "k")).status_code == 200
    other = client.post(f"/api/tasks/{task_id}/release", headers=keyed(ao, "k"))
    assert other.status_code == 422 and other.json["type"].endswith("/idempotency-key-reused")


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there", "kunci-ü"])
def test_a_key_that_is_empty_too_long_or_not_printable_ascii_is_refused_with_422(
        client, officers, key):
    response = client.post("/api/applications", json=application(),
                           headers=keyed(officers["ao"], key))
    assert response.status_code == 422, response.json
    assert response.json["type"].endswith("/idempotency-key-invalid")
    assert client.get("/api/applications", headers=officers["ao"].headers).json["total"] == 0


def test_a_key_of_200_characters_is_accepted(client, officers):
    response = client.post("/api/applications", json=application(),
                           headers=keyed(officers["ao"], "k" * 200))
    assert response.status_code == 201


def test_keys_belong_to_their_actor(client, officers):
    for officer in (officers["ao"], officers["ao2"]):
        response = client.post("/api/applications", json=application(),
                               headers=keyed(officer, "shared"))
        assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert client.get("/api/applications", headers=officers["ao"].headers).json["total"] == 2


def test_a_request_that_failed_stored_nothing_so_its_retry_runs_afresh(client, officers):
    headers = keyed(officers["ao"], "start-3")
    refused = client.post("/api/applications", json=application(amount=1), headers=headers)
    assert refused.status_code == 422 and refused.json["type"].endswith("/form-invalid")
    again = client.post("/api/applications", json=application(amount=1), headers=headers)
    assert again.status_code == 422 and "Idempotent-Replayed" not in again.headers


def test_without_a_key_or_on_a_get_nothing_changes(client, officers):
    ao = officers["ao"]
    start(client, ao)
    start(client, ao)
    listed = client.get("/api/applications", headers=keyed(ao, "start-4"))
    assert listed.status_code == 200 and listed.json["total"] == 2


def test_an_unauthenticated_post_with_a_key_is_401_and_stores_nothing(client, officers):
    response = client.post("/api/applications", json=application(),
                           headers={"Idempotency-Key": "anonymous"})
    assert response.status_code == 401
    retry = client.post("/api/applications", json=application(),
                        headers=keyed(officers["ao"], "anonymous"))
    assert retry.status_code == 201


def race(app, count: int, send_one) -> list:
    """`count` threads send at the same moment; their responses."""
    barrier, answers = threading.Barrier(count), []

    def run():
        client = app.test_client()
        barrier.wait()
        answers.append(send_one(client))

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_threads_starting_with_the_same_key_start_one_application(app, officers):
    answers = race(app, 2, lambda client: client.post(
        "/api/applications", json=application(), headers=keyed(officers["ao"], "twin")))

    assert sorted(a.status_code for a in answers) in ([201, 201], [201, 409]), \
        [a.json for a in answers]
    if answers[0].status_code == answers[1].status_code:
        assert answers[0].json == answers[1].json
    else:
        assert [a for a in answers if a.status_code == 409][0].json["type"].endswith(
            "/request-in-progress")
    client = app.test_client()
    assert client.get("/api/applications", headers=officers["ao"].headers).json["total"] == 1


def test_two_threads_completing_with_the_same_key_complete_once(app, officers):
    client, ao = app.test_client(), officers["ao"]
    started = start(client, ao)
    task_id = open_task(client, ao, started["id"], "collect_documents")
    answers = race(app, 2, lambda c: c.post(f"/api/tasks/{task_id}/complete",
                                            json={"data": DOCUMENTS},
                                            headers=keyed(ao, "twin-complete")))

    assert [a.status_code for a in answers] == [200, 200], [a.json for a in answers]
    assert answers[0].json == answers[1].json
    assert len(events(client, ao, started["id"], "task_completed")) == 1


def test_a_crash_before_the_answer_is_recorded_leaves_neither_action_nor_key(alur, officers):
    ao = actor_named(alur, "ao")
    arguments = (alur, "ao", "crash-1", "POST", "/api/applications",
                 idempotency.request_hash("POST", "/api/applications", b"{}"))
    with idempotency.acting(*arguments) as request:
        applications.start_application(alur, application(), ao)
        assert request.acted  # committed as far as the use case knows, but held open
    # The process "died" here: the held transaction never committed.
    assert idempotency.first_answer(*arguments) is None
    with alur.uow() as uow:
        assert uow.applications.ids() == []

    with idempotency.acting(*arguments) as request:  # the client's retry acts, once
        started = applications.start_application(alur, application(), ao)
        idempotency.record_answer(request, idempotency.Answer(201, '{"id": 1}',
                                                              "application/json"))
    assert idempotency.first_answer(*arguments).body == '{"id": 1}'
    with alur.uow() as uow:
        assert uow.applications.ids() == [started["id"]]


def test_an_action_settled_early_answers_in_progress_then_lost_never_twice(
        alur, clock, officers):
    ao = actor_named(alur, "ao")
    arguments = (alur, "ao", "settled-1", "POST", "/api/applications",
                 idempotency.request_hash("POST", "/api/applications", b"{}"))
    with idempotency.acting(*arguments) as request:
        applications.start_application(alur, application(), ao)
        with alur.uow():  # a second unit of work commits the first one early
            pass
        assert request.acted and request.held is None
    # The process "died" before the answer: the action and the key stand, without an answer.
    with pytest.raises(RequestInProgress):
        idempotency.first_answer(*arguments)
    clock.advance(minutes=3)
    with pytest.raises(AnswerLost):
        idempotency.first_answer(*arguments)
    with alur.uow() as uow:
        assert len(uow.applications.ids()) == 1


def test_lost_after_is_longer_than_any_request_may_run():
    assert idempotency.LOST_AFTER > timedelta(seconds=60)


def test_a_keyed_request_parses_its_body_once(client, officers, monkeypatch):
    """The fingerprint, the arguments and the view read one parse of the body."""
    from api import parsing

    ao, parsed, strict = officers["ao"], [], parsing.loads
    task_id = open_task(client, ao, start(client, ao)["id"], "collect_documents")
    monkeypatch.setattr(parsing, "loads", lambda data: parsed.append(data) or strict(data))
    response = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                           headers=keyed(ao, "complete-once"))
    assert response.status_code == 200, response.json
    assert len(parsed) == 1
