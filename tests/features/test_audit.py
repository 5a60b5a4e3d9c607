"""Scenarios of features/audit.feature."""

from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text

from tests.integration.test_audit import disbursed, is_postgres, stricter_dsr_version

scenarios("audit.feature")


@given(parsers.parse("a credit of Rp {amount:d} was disbursed last month"))
def credit_disbursed(client, officers, case, amount):
    case["app"] = disbursed(client, officers, amount=amount)


@given("someone changed the approved amount in the stored history")
def tampered(alur, case):
    cast = "CAST({} AS JSON)" if is_postgres(alur) else "{}"
    replaced = cast.format("REPLACE(CAST(payload AS TEXT), '\"approved_amount\": 80000000', "
                           "'\"approved_amount\": 90000000')")
    with alur.session_factory() as session:
        changed = session.execute(text(
            f"UPDATE events SET payload = {replaced} WHERE application_id = :a "
            "AND type = 'task_completed' AND CAST(payload AS TEXT) LIKE '%approve_credit%'"),
            {"a": case["app"]["id"]})
        assert changed.rowcount == 1
        session.commit()


@given(parsers.parse("the process owner deploys a version whose DSR limit is {limit:d} %"))
def stricter(alur, limit):
    stricter_dsr_version(alur, limit * 100)


@when("the auditor verifies the application's history")
def verify(client, officers, case):
    case["verdict"] = client.get(f"/api/applications/{case['app']['id']}/audit/verify",
                                 headers=officers["auditor"].headers).json


@when("the auditor replays the application")
def replay(client, officers, case):
    case["replay"] = client.post(f"/api/applications/{case['app']['id']}/replay",
                                 headers=officers["auditor"].headers).json


@when("the auditor asks what that version would have decided")
def ask_whatif(client, officers, case):
    case["events_before"] = client.get(f"/api/applications/{case['app']['id']}/events",
                                       headers=officers["auditor"].headers).json
    response = client.post("/api/whatif", json={"version": 2,
                                                 "application_ids": [case["app"]["id"]]},
                           headers=officers["auditor"].headers)
    assert response.status_code == 200, response.json
    case["whatif"] = response.json["applications"][0]


@then("the history is intact")
def intact(case):
    assert case["verdict"]["result"] == "intact"


@then(parsers.parse('the history is broken at the approval with reason "{reason}"'))
def broken_at_approval(client, officers, case, reason):
    events = client.get(f"/api/applications/{case['app']['id']}/events",
                        headers=officers["auditor"].headers).json
    approval = next(e["seq"] for e in events if e["type"] == "task_completed"
                    and e["payload"]["task"] == "approve_credit")
    assert (case["verdict"]["broken_at"], case["verdict"]["reason"]) == (approval, reason)


@then("the replay reproduces every decision")
def reproduced(case):
    assert case["replay"]["result"] == "reproduced" and case["replay"]["checked"] > 20


@then("the audit report names who completed each task, in which role")
def report_names(client, officers, case):
    report = client.get(f"/api/applications/{case['app']['id']}/audit",
                        headers=officers["auditor"].headers).json
    done = {(e["payload"]["task"], e["actor"], e["role"]) for e in report["timeline"]
            if e["type"] == "task_completed"}
    assert ("approve_credit", "bcm", "approver") in done
    assert ("analyse_credit", "analyst", "credit_analyst") in done


@then("the auditor cannot start an application or work on any task")
def cannot_touch(client, officers, case):
    headers = officers["auditor"].headers
    assert client.post("/api/applications", json={}, headers=headers).status_code == 403
    events = client.get(f"/api/applications/{case['app']['id']}/events", headers=headers).json
    for task_id in {e["payload"]["task_id"] for e in events if e["type"] == "task_opened"}:
        for action in ("claim", "release", "complete"):
            response = client.post(f"/api/tasks/{task_id}/{action}", json={"data": {}},
                                   headers=headers)
            assert response.status_code == 403, (task_id, action)


@then("the auditor's reading of the application is on record")
def reading_on_record(client, officers, case, alur):
    from engine.services.audit import access_log

    client.get(f"/api/applications/{case['app']['id']}", headers=officers["auditor"].headers)
    assert any(r["application_id"] == case["app"]["id"] and r["actor"] == "auditor"
               for r in access_log(alur))


@then(parsers.parse('the disbursed credit would have been declined with "{reason}"'))
def declined(case, reason):
    assert case["whatif"]["original"]["status"] == "disbursed"
    assert case["whatif"]["whatif"]["status"] == "rejected"
    assert case["whatif"]["whatif"]["rejection_reason"] == reason
    assert "sign_contract" in {i["task"] for i in case["whatif"]["given_but_not_asked"]}


@then("nothing in the live application changed")
def unchanged(client, officers, case):
    after = client.get(f"/api/applications/{case['app']['id']}/events",
                       headers=officers["auditor"].headers).json
    assert after == case["events_before"]
