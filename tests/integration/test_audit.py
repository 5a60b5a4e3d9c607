"""Auditors: tamper evidence, deterministic replay, point in time, what-if, report, access."""

from pathlib import Path

import pytest
from sqlalchemy import text

from engine.bootstrap import FORMS_DIR, WORKFLOW_DIR
from engine.services import audit
from engine.services.definitions import deploy
from tests.support import (
    DOCUMENTS,
    SCORES,
    VALID_SURVEY,
    application,
    done,
    recommend,
    start,
    through_disbursement,
)

disbursed = through_disbursement


def sql(alur, statement, **params):
    with alur.session_factory() as session:
        session.execute(text(statement), params)
        session.commit()


def is_postgres(alur):
    return alur.session_factory.kw["bind"].dialect.name == "postgresql"


def verdict(client, officers, application_id):
    response = client.get(f"/api/applications/{application_id}/audit/verify",
                          headers=officers["auditor"].headers)
    assert response.status_code == 200, response.json
    return response.json


def test_an_untouched_history_is_intact(client, officers):
    app = disbursed(client, officers)
    result = verdict(client, officers, app["id"])
    assert result["result"] == "intact" and result["events"] > 20


def test_changing_one_byte_of_one_event_is_detected(client, officers, alur):
    app = disbursed(client, officers)
    cast = "CAST({} AS JSON)" if is_postgres(alur) else "{}"
    replaced = cast.format("REPLACE(CAST(payload AS TEXT), '80000000', '80000001')")
    sql(alur, f"UPDATE events SET payload = {replaced}"
        " WHERE application_id = :a AND type = 'task_completed' AND seq = "
        "(SELECT MIN(seq) FROM events WHERE application_id = :a AND type = 'task_completed' "
        "AND CAST(payload AS TEXT) LIKE '%approve_credit%')", a=app["id"])
    result = verdict(client, officers, app["id"])
    assert (result["result"], result["reason"]) == ("broken", "changed")


def test_deleting_an_event_in_the_middle_is_detected(client, officers, alur):
    app = disbursed(client, officers)
    sql(alur, "DELETE FROM events WHERE application_id = :a AND seq = 5", a=app["id"])
    assert verdict(client, officers, app["id"])["broken_at"] == 5
    assert verdict(client, officers, app["id"])["reason"] == "missing"


def test_deleting_the_last_events_is_detected(client, officers, alur):
    app = disbursed(client, officers)
    sql(alur, "DELETE FROM events WHERE application_id = :a AND seq > "
        "(SELECT MAX(seq) - 2 FROM events WHERE application_id = :a)", a=app["id"])
    result = verdict(client, officers, app["id"])
    assert (result["result"], result["reason"]) == ("broken", "missing")


def test_swapping_two_events_is_detected_as_reordered(client, officers, alur):
    app = disbursed(client, officers)
    for old, new in ((7, -7), (8, 7), (-7, 8)):
        sql(alur, "UPDATE events SET seq = :new WHERE application_id = :a AND seq = :old",
            a=app["id"], old=old, new=new)
    result = verdict(client, officers, app["id"])
    assert (result["broken_at"], result["reason"]) == (7, "reordered")


def replay(client, officers, application_id):
    response = client.post(f"/api/applications/{application_id}/replay",
                           headers=officers["auditor"].headers)
    assert response.status_code == 200, response.json
    return response.json


PATHS = {
    "disbursed": [],
    "rejected at pre-screen": [("ao", "collect_documents", DOCUMENTS)],
    "rejected at survey": [("surveyor", "survey_applicant",
                            {**VALID_SURVEY, "result": "invalid",
                             "rejection_reason": "FRAUD_SUSPECTED"})],
    "resurvey then rejected by analyst": [
        ("surveyor", "survey_applicant", VALID_SURVEY),
        ("analyst", "analyse_credit", {**SCORES, "recommendation": "resurvey"}),
        ("surveyor", "survey_applicant", {**VALID_SURVEY, "result": "revisit"}),
        ("surveyor", "survey_applicant", VALID_SURVEY),
        ("analyst", "analyse_credit", {**SCORES, "recommendation": "reject",
                                       "rejection_reason": "WEAK_CHARACTER"})],
    "returned then rejected by approver": [
        ("surveyor", "survey_applicant", VALID_SURVEY),
        ("analyst", "analyse_credit", recommend(80_000_000)),
        ("bcm", "approve_credit", {"decision": "return", "notes": "Check the payslips."}),
        ("analyst", "analyse_credit", recommend(75_000_000)),
        ("bcm", "approve_credit",
         {"decision": "reject", "rejection_reason": "RISK_NOT_ACCEPTABLE"}),
        ("ao", "notify_rejection", {"notified_via": "letter"})],
    "declined by policy": [
        ("surveyor", "survey_applicant", {**VALID_SURVEY, "verified_income": 6_000_000}),
        ("analyst", "analyse_credit", recommend(80_000_000)),
        ("ao", "notify_rejection", {"notified_via": "phone"})],
    "contract refused": [
        ("surveyor", "survey_applicant", VALID_SURVEY),
        ("analyst", "analyse_credit", recommend(80_000_000)),
        ("bcm", "approve_credit", {"decision": "approve", "approved_amount": 60_000_000}),
        ("ops", "sign_contract", {"contract_signed": False,
                                  "rejection_reason": "CONTRACT_TERMS_REFUSED"})],
}


@pytest.mark.parametrize("path", PATHS)
def test_every_path_of_the_diagram_replays_reproduced(client, officers, path):
    if path == "disbursed":
        app = disbursed(client, officers)
    else:
        income = 3_000_000 if path == "rejected at pre-screen" else 15_000_000
        app = start(client, officers["ao"], application(applicant__monthly_income=income))
        steps = PATHS[path] if path == "rejected at pre-screen" else \
            [("ao", "collect_documents", DOCUMENTS), *PATHS[path]]
        for who, task, data in steps:
            done(client, officers[who], app["id"], task, data)
    result = replay(client, officers, app["id"])
    assert result["result"] == "reproduced", result
    assert result["checked"] > 5 and result["definition_intact"] is True


def test_a_committee_decision_with_a_return_replays_reproduced(client, officers):
    body = application(product="kpr", amount=1_500_000_000, tenor_months=240,
                       applicant__monthly_income=900_000_000)
    app = start(client, officers["ao"], body)
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    done(client, officers["surveyor"], app["id"], "survey_applicant",
         {**VALID_SURVEY, "verified_income": 900_000_000})
    analysis = recommend(1_500_000_000, collateral_appraised_value=5_000_000_000)
    done(client, officers["analyst"], app["id"], "analyse_credit", analysis)
    votes = [("director2", {"decision": "return", "notes": "Update the appraisal."}),
             ("director1", {"decision": "approve", "approved_amount": 1_400_000_000}),
             ("director3", {"decision": "return", "notes": "Agree with director2."})]
    for name, vote in votes:
        done(client, officers[name], app["id"], "vote_committee", vote)
    done(client, officers["analyst"], app["id"], "analyse_credit", analysis)
    for name in ("director3", "director1", "director2"):
        done(client, officers[name], app["id"], "vote_committee",
             {"decision": "approve", "approved_amount": 1_300_000_000})
    assert replay(client, officers, app["id"])["result"] == "reproduced"


def test_replay_diverges_when_the_stored_policy_version_is_swapped(client, officers, alur):
    app = disbursed(client, officers)
    sql(alur, "UPDATE definitions SET spec_json = REPLACE(spec_json, '> 3500', '> 2000')")
    result = replay(client, officers, app["id"])
    assert result["result"] == "diverged"
    assert result["definition_intact"] is False
    assert result["recorded"]["decision"] == "credit_policy"
    assert result["recorded"]["outputs"]["policy_result"] == "within"
    assert result["replayed"]["outputs"]["policy_result"] == "escalate"


def test_replay_never_writes_to_the_live_application(client, officers, alur):
    app = disbursed(client, officers)
    before = client.get(f"/api/applications/{app['id']}/events",
                        headers=officers["auditor"].headers).json
    replay(client, officers, app["id"])
    after = client.get(f"/api/applications/{app['id']}/events",
                       headers=officers["auditor"].headers).json
    assert after == before


def test_the_state_at_a_past_event_shows_stage_data_and_open_tasks(client, officers):
    app = start(client, officers["ao"])
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    events = client.get(f"/api/applications/{app['id']}/events",
                        headers=officers["auditor"].headers).json
    opened = [e["seq"] for e in events if e["type"] == "task_opened"]
    first = client.get(f"/api/applications/{app['id']}/state?at={opened[0]}",
                       headers=officers["auditor"].headers).json
    assert first["stage"] == "collection"
    assert [t["task"] for t in first["open_tasks"]] == ["collect_documents"]
    assert "bureau" not in first["data"] and first["data"]["installment"] > 0
    later = client.get(f"/api/applications/{app['id']}/state?at={opened[1]}",
                       headers=officers["auditor"].headers).json
    assert later["stage"] == "survey" and later["data"]["bureau"]["worst_collectibility_12m"] == 1
    assert [d["element"] for d in later["decisions"]][:3] == [
        "load_holiday_calendar", "lookup_product_terms", "gw_documents_complete"]


def stricter_dsr_version(alur, limit_bp=4000):
    sources = {path.name: path.read_bytes() for path in WORKFLOW_DIR.iterdir()
               if path.suffix in (".bpmn", ".dmn")}
    sources["credit_policy.dmn"] = sources["credit_policy.dmn"].replace(
        b"&gt; 5000", f"&gt; {limit_bp}".encode())
    forms = {path.name: __import__("json").loads(path.read_text())
             for path in Path(FORMS_DIR).glob("*.json")}
    return deploy(alur, "credit_application", sources, forms, "owner")


def test_whatif_with_a_stricter_dsr_limit_reports_exactly_the_applications_between_limits(
        client, officers, alur, app):
    incomes = {3000: None, 4200: None, 4900: None, 3900: None}
    for dsr in incomes:
        body = application()
        created = start(client, officers["ao"], body)
        done(client, officers["ao"], created["id"], "collect_documents", DOCUMENTS)
        total = body["applicant"]["existing_installments"] + created["summary"]["installment"]
        income = -(-total * 10000 // dsr)
        done(client, officers["surveyor"], created["id"], "survey_applicant",
             {**VALID_SURVEY, "verified_income": income})
        done(client, officers["analyst"], created["id"], "analyse_credit", recommend(80_000_000))
        incomes[dsr] = created["id"]
    version = stricter_dsr_version(alur)
    assert version["created"] and version["version"] == 2
    response = client.post("/api/whatif", json={"version": 2},
                           headers=officers["auditor"].headers)
    assert response.status_code == 200, response.json
    report = response.json
    changed = {r["application_id"] for r in report["applications"] if r["changed"]}
    assert changed == {incomes[4200], incomes[4900]}
    case = next(r for r in report["applications"] if r["application_id"] == incomes[4200])
    assert {"decision": "credit_policy", "field": "policy_result", "original": "escalate",
            "whatif": "decline"} in case["differences"]
    assert case["whatif"]["status"] == "rejected"
    assert case["given_but_not_asked"] == []
    assert report["total"] == 4 and report["changed"] == 2


def test_the_audit_report_has_timeline_decisions_verification_and_replay(client, officers):
    app = disbursed(client, officers)
    report = client.get(f"/api/applications/{app['id']}/audit",
                        headers=officers["auditor"].headers).json
    assert report["verification"]["result"] == "intact"
    assert report["replay"]["result"] == "reproduced"
    assert report["policy_version"]["sha256"] == app["definition"]["sha256"]
    completed = [e for e in report["timeline"] if e["type"] == "task_completed"]
    assert [(e["actor"], e["role"]) for e in completed][:2] == [("ao", "account_officer"),
                                                               ("surveyor", "surveyor")]
    html = client.get(f"/api/applications/{app['id']}/audit?format=html",
                      headers=officers["auditor"].headers)
    assert html.status_code == 200 and html.mimetype == "text/html"
    page = html.get_data(as_text=True)
    assert app["number"] in page and "credit_policy" in page and "reproduced" in page


def test_auditors_read_every_task_but_act_on_none(client, officers):
    app = start(client, officers["ao"])
    task_id = app["open_tasks"][0]["id"]
    inbox = client.get("/api/tasks?role=account_officer", headers=officers["auditor"].headers)
    assert [t["id"] for t in inbox.json["items"]] == [task_id]
    task = client.get(f"/api/tasks/{task_id}", headers=officers["auditor"].headers)
    assert task.status_code == 200 and task.json["task"] == "collect_documents"


def test_auditors_can_change_nothing(client, officers):
    app = start(client, officers["ao"])
    headers = officers["auditor"].headers
    task_id = app["open_tasks"][0]["id"]
    writes = [client.post("/api/applications", json=application(), headers=headers),
              client.post(f"/api/tasks/{task_id}/claim", headers=headers),
              client.post(f"/api/tasks/{task_id}/release", headers=headers),
              client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                          headers=headers)]
    assert [w.status_code for w in writes] == [403, 403, 403, 403]


def test_every_read_by_an_auditor_is_logged(client, officers, alur):
    app = start(client, officers["ao"])
    client.get(f"/api/applications/{app['id']}", headers=officers["auditor"].headers)
    client.get(f"/api/applications/{app['id']}", headers=officers["ao"].headers)
    reads = audit.access_log(alur, limit=10)
    assert [(r["actor"], r["path"]) for r in reads] == [
        ("auditor", f"/api/applications/{app['id']}")]
