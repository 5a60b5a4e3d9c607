"""A failed call the process no longer waits on (an interrupting boundary timer cancelled its
task, a migration renamed it) is withdrawn: the step that moved on closes its incident, and a
retry of one left open (as an older Alur left them) closes it instead of failing, so the worker's
batch goes on with the other cases.

tests/fixtures/payout: one payout call; version 2 renames it pay_out.
tests/fixtures/timed_payout: the payout has a 20 s deadline (before the first retry, at 30 s);
then operations handle the timeout, reminded after an hour.
"""

from pathlib import Path

import pytest

from engine.services.deployments import deploy_upload
from engine.services.incidents import run_due
from tests.integration.test_incidents import FlakyCoreBanking, app_with, incidents
from tests.support import get

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def files(name):
    return {p.name: p.read_bytes() for p in (FIXTURES / name).iterdir()}


@pytest.fixture
def core_banking():
    return FlakyCoreBanking(failures=2)


@pytest.fixture
def app(database_url, clock, core_banking):
    with app_with(core_banking, database_url, clock) as app:
        deploy_upload(app.extensions["alur"], files("payout") | files("timed_payout"), "tester")
        yield app


def start(client, officers, process, reference):
    response = client.post(f"/api/processes/{process}/instances",
                           json={"reference": reference, "amount": 5_000_000},
                           headers=officers["ops"].headers)
    assert response.status_code == 201, response.json
    return response.json


def rename_the_payout_call(client, officers, alur):
    """Version 2 of `payout` calls it pay_out; its running cases move there."""
    renamed = files("payout")
    renamed["payout.bpmn"] = renamed["payout.bpmn"].replace(b"disburse_payout", b"pay_out")
    deploy_upload(alur, renamed, "owner")
    response = client.post("/api/definitions/payout/migrations",
                           json={"from_version": 1, "to_version": 2, "dry_run": False,
                                 "renamed_tasks": {"disburse_payout": "pay_out"}},
                           headers=officers["owner"].headers)
    assert response.status_code == 200 and response.json["moved"] == 1, response.json


def by_element(client, officers):
    return {i["element"]: i for i in incidents(client, officers, "all")}


def incident_events(client, officers, case):
    response = client.get(f"/api/applications/{case['id']}/events",
                          headers=officers["auditor"].headers)
    assert response.status_code == 200, response.json
    return [(e["type"], e["actor"], e["role"], e["payload"]) for e in response.json
            if e["type"] in ("connector_retried", "incident_resolved")]


def withdrawn(incident, actor, role):
    return ("incident_resolved", actor, role,
            {"incident_id": incident["id"], "element": incident["element"], "how": "withdrawn"})


def assert_history_holds(client, officers, case):
    headers = officers["auditor"].headers
    verdict = client.get(f"/api/applications/{case['id']}/audit/verify", headers=headers).json
    assert verdict["result"] == "intact", verdict
    replay = client.post(f"/api/applications/{case['id']}/replay", headers=headers).json
    assert replay["result"] == "reproduced", replay


def test_a_migration_that_renames_a_failed_call_withdraws_its_incident(client, officers, alur,
                                                                         clock, core_banking):
    moved = start(client, officers, "payout", "R-1")  # the call fails; retry due at 09:00:30
    (stale,) = incidents(client, officers)
    clock.advance(seconds=10)
    rename_the_payout_call(client, officers, alur)  # pay_out failed now; retry due at 09:00:40
    assert [i["element"] for i in incidents(client, officers)] == ["pay_out"]
    stale = by_element(client, officers)["disburse_payout"]
    assert (stale["status"], stale["resolved_by"], stale["attempts"]) == ("resolved", "engine", 1)
    assert [e for e in incident_events(client, officers, moved)
            if e[3]["element"] == "disburse_payout"] == [withdrawn(stale, "engine", None)]
    other = start(client, officers, "payout", "R-2")  # on version 2; retry due at 09:00:40
    clock.advance(seconds=31)
    done = run_due(alur)  # the bank is back
    assert sorted((d["application_number"], d["what"], d["status"]) for d in done) == [
        (moved["number"], "retry pay_out", "resolved"),
        (other["number"], "retry pay_out", "resolved")]
    assert incidents(client, officers) == []
    assert get(client, officers["ops"], moved["id"])["status"] == "completed"
    assert len(core_banking.bank.payouts) == 2
    assert_history_holds(client, officers, moved)


def left_open(alur, case, element, now):
    """An open incident on a call the case does not wait on, as an older Alur left them."""
    with alur.uow() as uow:
        row = uow.incidents.add(application_id=case["id"], element=element,
                                operation="core_banking/disburse", error="timeout", attempts=1,
                                status="open", next_attempt_at=now, created_at=now)
        uow.applications.get(case["id"]).next_due_at = now
        uow.commit()
        return row.id


def test_a_retry_of_an_incident_left_open_closes_it_and_the_batch_goes_on(
        client, officers, alur, clock, core_banking):
    core_banking.failures = 1
    failed = start(client, officers, "payout", "R-1")  # fails; retry due at 09:00:30
    paid = start(client, officers, "payout", "R-2")  # paid at once
    left_open(alur, paid, "disburse_payout", clock.now())
    clock.advance(seconds=31)
    done = run_due(alur)
    assert sorted((d["application_number"], d["status"]) for d in done) == [
        (failed["number"], "resolved"), (paid["number"], "resolved")]
    assert incidents(client, officers) == []
    assert [e[:3] for e in incident_events(client, officers, paid)] == [
        ("incident_resolved", "worker", None)]
    assert incident_events(client, officers, paid)[0][3]["how"] == "withdrawn"
    assert len(core_banking.bank.payouts) == 2
    assert_history_holds(client, officers, paid)

    another = left_open(alur, paid, "disburse_payout", clock.now())
    ops = officers["ops"].headers
    by_hand = client.post(f"/api/incidents/{another}/resolve", headers=ops,
                          json={"result": {"reference": "TELLER-1", "status": "paid",
                                           "amount": 5_000_000}, "note": "Paid at the branch."})
    assert by_hand.status_code == 409, by_hand.json
    assert "no longer waits on this call" in by_hand.json["detail"]
    retried = client.post(f"/api/incidents/{another}/retry", headers=ops)
    assert retried.status_code == 200, retried.json
    assert (retried.json["status"], retried.json["resolved_by"]) == ("resolved", "ops")
    assert_history_holds(client, officers, paid)


def test_a_boundary_timer_withdraws_the_call_it_cancelled(client, officers, alur, clock,
                                                          core_banking):
    case = start(client, officers, "timed_payout", "R-1")  # 09:00; the retry is due 09:00:30
    (incident,) = incidents(client, officers)
    clock.advance(seconds=21)
    assert [d["what"] for d in run_due(alur)] == ["timer due 2026-11-23T09:00:20+00:00"]
    assert incidents(client, officers) == []
    assert incident_events(client, officers, case) == [withdrawn(incident, "engine", None)]
    assert [t["task"] for t in get(client, officers["ops"], case["id"])["open_tasks"]] == [
        "handle_timeout"]
    clock.advance(hours=1, seconds=1)
    assert [(d["what"], d["status"]) for d in run_due(alur)] == [
        ("timer due 2026-11-23T10:00:21+00:00", "active")]
    assert core_banking.calls == 1 and core_banking.bank.payouts == {}
    assert_history_holds(client, officers, case)


def test_a_retry_does_not_move_the_deadline_of_the_call(client, officers, alur, clock,
                                                        core_banking):
    """The deadline on the call counts from when the process first waited on it; a retry that
    fails again does not start it over."""
    minute = files("timed_payout")
    minute["timed_payout.bpmn"] = minute["timed_payout.bpmn"].replace(b'"PT20S"', b'"PT60S"')
    deploy_upload(alur, minute, "owner")
    case = start(client, officers, "timed_payout", "R-1")  # 09:00; deadline 09:01:00
    clock.advance(seconds=31)
    assert [(d["what"], d["status"]) for d in run_due(alur)] == [
        ("retry disburse_payout", "open")]  # failed again; the next retry is due at 09:02:31
    clock.advance(seconds=30)  # 09:01:01
    assert [d["what"] for d in run_due(alur)] == ["timer due 2026-11-23T09:01:00+00:00"]
    assert [t["task"] for t in get(client, officers["ops"], case["id"])["open_tasks"]] == [
        "handle_timeout"]
    assert incidents(client, officers) == []
    assert core_banking.calls == 2 and core_banking.bank.payouts == {}
    assert_history_holds(client, officers, case)
