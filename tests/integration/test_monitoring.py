"""Loans after disbursement: core-banking messages routed by business key, monthly reviews by
the worker, collectibility, follow-ups, rescue plans and payoff, for as long as a KPR runs."""

from datetime import datetime

import pytest

from engine.services.incidents import run_due
from tests.support import done, loan_of, send, start, through_disbursement

KPR = {"product": "kpr", "tenor_months": 240, "collateral": {"kind": "land_and_building",
                                                             "appraised_value": 400_000_000}}


def confirmed(client, officers, **overrides):
    """A disbursed application whose payout core banking has confirmed; its loan."""
    application = through_disbursement(client, officers, **overrides)
    response = send(client, officers["core"], "disbursement_confirmed", application["number"],
                    {"value_date": "2026-11-25"})
    assert response.status_code == 200, response.json
    return application, loan_of(client, officers["auditor"], application)


def review_month(client, alur, clock, officers, application):
    """Let the clock pass the loan's next review date and the worker run; the loan after it."""
    loan = loan_of(client, officers["auditor"], application)
    clock.set(datetime.fromisoformat(loan["loan"]["next_review_on"] + "T02:00:00+00:00"))
    run_due(alur)
    return loan_of(client, officers["auditor"], application)


def pay(client, officers, application, loan, days_past_due=0):
    response = send(client, officers["core"], "installment_paid", loan["number"],
                    {"amount": loan["loan"]["installment"], "days_past_due": days_past_due})
    assert response.status_code == 200, response.json


def test_a_disbursed_application_becomes_a_loan_that_waits_for_core_banking(client, officers):
    application = through_disbursement(client, officers)
    loan = loan_of(client, officers["auditor"], application)
    assert (loan["status"], loan["stage"], loan["application_id"]) == (
        "active", "monitoring", application["id"])
    assert loan["loan"]["disbursed_on"] is None and loan["loan"]["outstanding"] == 80_000_000
    response = send(client, officers["core"], "disbursement_confirmed", application["number"],
                    {"value_date": "2026-11-25"})
    assert response.status_code == 200 and response.json["delivered_to"] == loan["id"]
    loan = loan_of(client, officers["auditor"], application)
    assert loan["loan"]["next_review_on"] == "2026-12-25"
    assert loan["loan"]["installment"] == 2_657_145  # 80 M, 36 months, 12 % a year


def test_a_message_nobody_waits_for_is_kept_then_delivered_when_the_loan_waits(client, officers):
    application = through_disbursement(client, officers)
    early = send(client, officers["core"], "installment_paid", application["number"],
                 {"amount": 2_657_145})
    assert early.status_code == 202 and early.json["status"] == "kept"
    send(client, officers["core"], "disbursement_confirmed", application["number"],
         {"value_date": "2026-11-25"})
    loan = loan_of(client, officers["auditor"], application)
    assert loan["loan"]["installments_paid"] == 1
    listed = client.get(f"/api/messages?business_key={application['number']}",
                        headers=officers["core"].headers).json
    assert {m["status"] for m in listed} == {"delivered"}


def test_a_repeated_message_id_is_answered_again_but_not_acted_on(client, officers):
    application, loan = confirmed(client, officers)
    first = send(client, officers["core"], "installment_paid", loan["number"],
                 {"amount": 2_657_145}, message_id="CBS-0001")
    again = send(client, officers["core"], "installment_paid", loan["number"],
                 {"amount": 2_657_145}, message_id="CBS-0001")
    assert (first.json["duplicate"], again.json["duplicate"]) == (False, True)
    assert again.status_code == 200 and again.json["received_at"] == first.json["received_at"]
    assert loan_of(client, officers["auditor"], application)["loan"]["installments_paid"] == 1


def test_a_message_for_loan_a_never_reaches_loan_b(client, officers):
    application_a, loan_a = confirmed(client, officers)
    application_b, loan_b = confirmed(client, officers)
    pay(client, officers, application_a, loan_a, days_past_due=0)
    send(client, officers["core"], "days_past_due_updated", loan_a["number"],
         {"days_past_due": 12})
    after_a = loan_of(client, officers["auditor"], application_a)["loan"]
    after_b = loan_of(client, officers["auditor"], application_b)["loan"]
    assert (after_a["installments_paid"], after_a["days_past_due"]) == (1, 12)
    assert (after_b["installments_paid"], after_b["days_past_due"]) == (0, 0)
    pending = start(client, officers["ao"])  # an application still at collection
    kept = send(client, officers["core"], "installment_paid", pending["number"], {"amount": 1})
    assert kept.status_code == 202
    pay(client, officers, application_b, loan_b)  # B waits for payments: not for C's message
    assert loan_of(client, officers["auditor"], application_b)["loan"]["installments_paid"] == 1
    events_b = client.get(f"/api/applications/{loan_b['id']}/events",
                          headers=officers["auditor"].headers).json
    keys = {e["payload"]["message_id"] for e in events_b if e["type"] == "message_delivered"}
    assert not any(loan_a["number"] in key or pending["number"] in key for key in keys)


@pytest.mark.parametrize(("who", "name", "body", "status"), [
    ("ao", "installment_paid", {"message_id": "x", "business_key": "LN-1"}, 403),
    ("core", "installment_paid", {"message_id": "x", "business_key": "LN-2099-999999"}, 404),
    ("core", "installment_paid", {"business_key": "LN-1"}, 422),
    ("core", "Installment-Paid", {"message_id": "x", "business_key": "LN-1"}, 422),
    ("core", "installment_paid", {"message_id": "x", "business_key": "LN-1",
                                  "payload": [1, 2]}, 422),
])
def test_bad_messages_are_refused_with_a_problem(client, officers, who, name, body, status):
    response = client.post(f"/api/messages/{name}", json=body, headers=officers[who].headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


@pytest.mark.slow
def test_a_loan_runs_240_monthly_cycles_with_a_late_period_a_rescue_and_payoff(
        client, alur, clock, officers):
    application, loan = confirmed(client, officers, **KPR)
    sizes = {}
    for month in range(1, 241):
        if month == 100:  # a missed installment: special mention, the AO follows up
            send(client, officers["core"], "days_past_due_updated", loan["number"],
                 {"days_past_due": 35})
        elif month == 101:  # still unpaid after 3 months: substandard, collection steps in
            send(client, officers["core"], "days_past_due_updated", loan["number"],
                 {"days_past_due": 95})
        else:
            pay(client, officers, application, loan)
        loan = review_month(client, alur, clock, officers, application)
        if month == 100:
            assert [t["task"] for t in loan["open_tasks"]] == ["follow_up_late_payment"]
            done(client, officers["ao"], loan["id"], "follow_up_late_payment",
                 {"contacted_via": "whatsapp", "outcome": "promised_to_pay"})
        if month == 101:
            assert [t["task"] for t in loan["open_tasks"]] == ["prepare_rescue_plan"]
            done(client, officers["collector"], loan["id"], "prepare_rescue_plan",
                 {"plan": "rescheduling", "extension_months": 6,
                  "justification": "Income dropped for a quarter; it is back now."})
            done(client, officers["bcm"], loan["id"], "approve_rescue_plan",
                 {"decision": "approve"})
            loan = loan_of(client, officers["auditor"], application)
        if month in (1, 240):
            with alur.uow() as uow:
                sizes[month] = len(uow.applications.get(loan["id"]).state_json)
    classes = {r["cycle"]: r["collectibility"] for r in loan["reviews"]}
    assert loan["cycle"] == 240 and len(classes) == 240
    assert (classes[99], classes[100], classes[101], classes[102]) == (1, 2, 3, 1)
    assert loan["loan"]["worst_collectibility"] == 3 and loan["loan"]["rescue_plans"] == 1
    assert loan["loan"]["tenor_months"] == 246
    assert sizes[240] <= 1.2 * sizes[1]  # continue-as-new: the state does not grow with history
    send(client, officers["core"], "paid_off", loan["number"], {"paid_on": "2046-11-20"})
    closed = loan_of(client, officers["auditor"], application)
    assert (closed["status"], closed["stage"], closed["open_tasks"]) == ("paid_off", "closed", [])
    audit = officers["auditor"].headers
    verdict = client.get(f"/api/applications/{loan['id']}/audit/verify", headers=audit).json
    assert verdict["result"] == "intact"
    replay = client.post(f"/api/applications/{loan['id']}/replay", headers=audit).json
    assert replay["result"] == "reproduced", replay


def test_commercial_debtors_get_a_monitoring_visit_every_six_months(client, alur, clock, officers):
    application, loan = confirmed(
        client, officers, product="kmk", tenor_months=24, applicant__employment="business_owner",
        collateral={"kind": "inventory", "appraised_value": 200_000_000})
    visits = []
    for month in range(1, 13):
        pay(client, officers, application, loan)
        loan = review_month(client, alur, clock, officers, application)
        if loan["open_tasks"]:
            visits.append(month)
            done(client, officers["ao"], loan["id"], "visit_debtor",
                 {"business_condition": "stable", "collateral_condition": "good"})
    assert visits == [6, 12]


def test_the_monthly_report_shows_the_portfolio_by_collectibility_as_reviewed(
        client, alur, clock, officers):
    application, loan = confirmed(client, officers)
    send(client, officers["core"], "days_past_due_updated", loan["number"], {"days_past_due": 30})
    review_month(client, alur, clock, officers, application)  # 2026-12-25: class 2
    done(client, officers["ao"], loan["id"], "follow_up_late_payment",
         {"contacted_via": "phone", "outcome": "promised_to_pay"})
    send(client, officers["core"], "days_past_due_updated", loan["number"], {"days_past_due": 95})
    review_month(client, alur, clock, officers, application)  # 2027-01-25: class 3, NPL

    def portfolio(month):
        report = client.get(f"/api/reports/monthly?month={month}",
                            headers=officers["supervisor"].headers)
        assert report.status_code == 200, report.json
        return report.json["totals"]["portfolio"]

    december, january = portfolio("2026-12"), portfolio("2027-01")
    assert december["collectibility"]["2"]["loans"] == 1 and december["npl_ratio_bp"] == 0
    assert january["collectibility"]["3"]["loans"] == 1 and january["npl_ratio_bp"] == 10_000
    assert january["outstanding"] == loan_of(client, officers["auditor"],
                                             application)["loan"]["outstanding"]
