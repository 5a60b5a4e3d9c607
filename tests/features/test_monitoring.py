"""Scenarios of features/monitoring.feature."""

from datetime import datetime

from pytest_bdd import given, parsers, scenarios, then, when

from engine.services.incidents import run_due
from tests.support import done, loan_of, open_task, send, through_disbursement

scenarios("monitoring.feature")

COMMERCIAL = {"applicant__employment": "business_owner",
              "collateral": {"kind": "inventory", "appraised_value": 200_000_000}}


@given(parsers.parse('a "{product}" credit of Rp {amount:d} over {tenor:d} months was disbursed'))
def disbursed(client, officers, case, product, amount, tenor):
    extra = COMMERCIAL if product in ("kmk", "ki") else {}
    case["app"] = through_disbursement(client, officers, product=product, amount=amount,
                                       tenor_months=tenor, **extra)


@given(parsers.parse('a "{product}" credit of Rp {amount:d} over {tenor:d} months was disbursed '
                     'on {value_date}'))
def disbursed_on(client, officers, case, product, amount, tenor, value_date):
    disbursed(client, officers, case, product, amount, tenor)
    confirm(client, officers, case, value_date)


@when(parsers.parse("core banking confirms the payout on {value_date}"))
def confirm(client, officers, case, value_date):
    response = send(client, officers["core"], "disbursement_confirmed", case["app"]["number"],
                    {"value_date": value_date})
    assert response.status_code == 200, response.json


def loan(client, officers, case):
    case["loan"] = loan_of(client, officers["auditor"], case["app"])
    return case["loan"]


@when(parsers.parse("core banking reports {days:d} days past due"))
def days_past_due(client, officers, case, days):
    send(client, officers["core"], "days_past_due_updated", loan(client, officers, case)["number"],
         {"days_past_due": days})


@when("the monthly review date passes")
def review(client, alur, clock, officers, case):
    due = loan(client, officers, case)["loan"]["next_review_on"]
    clock.set(datetime.fromisoformat(due + "T02:00:00+00:00"))
    run_due(alur)


@when(parsers.parse("{months:d} monthly reviews pass with every installment paid"))
def months_pass(client, alur, clock, officers, case, months):
    for _ in range(months):
        current = loan(client, officers, case)
        send(client, officers["core"], "installment_paid", current["number"],
             {"amount": current["loan"]["installment"], "days_past_due": 0})
        review(client, alur, clock, officers, case)


@then(parsers.parse("the loan is in collectibility class {klass:d}"))
def in_class(client, officers, case, klass):
    assert loan(client, officers, case)["loan"]["collectibility"] == klass


@then(parsers.parse('the open work on the loan is "{work_item}"'))
def open_work(client, officers, case, work_item):
    tasks = [t["task"] for t in loan(client, officers, case)["open_tasks"]]
    assert tasks == ([] if work_item == "nothing" else [work_item])


@when(parsers.parse("collection proposes rescheduling with {months:d} more months"))
def propose(client, officers, case, months):
    done(client, officers["collector_approver"], loan(client, officers, case)["id"],
         "prepare_rescue_plan",
         {"plan": "rescheduling", "extension_months": months,
          "justification": "Seasonal income; harvest money arrives in three months."})


@when("the collector who proposed the plan tries to approve it")
def proposer_approves(client, officers, case):
    officer = officers["collector_approver"]
    task_id = open_task(client, officer, loan(client, officers, case)["id"],
                        "approve_rescue_plan")
    case["response"] = client.post(f"/api/tasks/{task_id}/claim", headers=officer.headers)


@then("that is refused as a separation of duties")
def refused(case):
    assert case["response"].status_code == 403
    assert case["response"].json["type"].endswith("separation-of-duties")


@when(parsers.re(r"the branch credit manager (?P<verb>approves|rejects|sends) the plan.*"))
def bcm_decides(client, officers, case, verb):
    decision = {"approves": "approve", "rejects": "reject", "sends": "revise"}[verb]
    done(client, officers["bcm"], loan(client, officers, case)["id"], "approve_rescue_plan",
         {"decision": decision})


@when("the account officer records a WhatsApp follow-up with a promise to pay")
def followed_up(client, officers, case):
    done(client, officers["ao"], loan(client, officers, case)["id"], "follow_up_late_payment",
         {"contacted_via": "whatsapp", "outcome": "promised_to_pay", "promised_on": "2027-01-05"})


@then(parsers.parse("the next review is on {day}"))
def next_review(client, officers, case, day):
    assert loan(client, officers, case)["loan"]["next_review_on"] == day


@then(parsers.parse("the loan runs over {months:d} months with {plans:d} rescue plan"))
def rescued(client, officers, case, months, plans):
    state = loan(client, officers, case)["loan"]
    assert (state["tenor_months"], state["rescue_plans"]) == (months, plans)


@when("core banking reports an installment paid before confirming the payout")
def early_payment(client, officers, case):
    case["response"] = send(client, officers["core"], "installment_paid", case["app"]["number"],
                            {"amount": 2_657_145})


@then("core banking is told the message is kept")
def kept(case):
    assert case["response"].status_code == 202 and case["response"].json["status"] == "kept"


@then(parsers.parse("the loan has {count:d} installment paid"))
def paid(client, officers, case, count):
    assert loan(client, officers, case)["loan"]["installments_paid"] == count


@when("core banking reports the loan paid off")
def paid_off(client, officers, case):
    send(client, officers["core"], "paid_off", loan(client, officers, case)["number"],
         {"paid_on": "2027-03-01"})


@then(parsers.parse('the loan is "{status}" and nothing is open'))
def closed(client, officers, case, status):
    current = loan(client, officers, case)
    assert (current["status"], current["open_tasks"]) == (status, [])
