"""Steps of the business features; every step talks to the HTTP API as a client would."""

import math
from datetime import date

import pytest
from pytest_bdd import given, parsers, then, when

from tests.support import (
    BINDING,
    CONTRACT,
    DOCUMENTS,
    SCORES,
    VALID_SURVEY,
    application,
    decided,
    done,
    get,
    open_task,
    recommend,
    start,
    work,
)


@pytest.fixture
def case():
    """What a scenario remembers: the application, the last answer."""
    return {}


def refresh(client, officers, case):
    case["app"] = get(client, officers["auditor"], case["app"]["id"])
    return case["app"]


@given("the branch officers are on duty")
def on_duty(officers):
    return officers


def _register(client, officers, case, body):
    case["body"] = body
    case["app"] = start(client, officers["ao"], body)


@given(parsers.parse('an account officer registers a "{product}" application for Rp {amount:d} '
                     'over {tenor:d} months'))
def register(client, officers, case, product, amount, tenor):
    _register(client, officers, case, application(product=product, amount=amount,
                                                  tenor_months=tenor))


@given(parsers.parse('an account officer registers a "{product}" application for Rp {amount:d} '
                     'over {tenor:d} months with a declared income of Rp {income:d}'))
def register_with_income(client, officers, case, product, amount, tenor, income):
    _register(client, officers, case, application(
        product=product, amount=amount, tenor_months=tenor, applicant__monthly_income=income))


@given(parsers.parse('an account officer registers a "{product}" application for Rp {amount:d} '
                     'over {tenor:d} months with a declared income of Rp {income:d} '
                     'for NIK "{nik}"'))
def register_with_income_and_nik(client, officers, case, product, amount, tenor, income, nik):
    _register(client, officers, case, application(
        product=product, amount=amount, tenor_months=tenor, applicant__monthly_income=income,
        applicant__nik=nik))


@given(parsers.parse('an account officer registers a "{product}" application for Rp {amount:d} '
                     'over {tenor:d} months for NIK "{nik}"'))
def register_for_nik(client, officers, case, product, amount, tenor, nik):
    _register(client, officers, case, application(
        product=product, amount=amount, tenor_months=tenor, applicant__nik=nik))


@given(parsers.parse('an account officer registers a "{product}" application for Rp {amount:d} '
                     'over {tenor:d} months for an "{employment}" aged {age:d} at the last '
                     'installment'))
def register_by_age(client, officers, case, clock, product, amount, tenor, employment, age):
    today = clock.now().date()
    months = today.month - 1 + tenor
    maturity = date(today.year + months // 12, months % 12 + 1, today.day)
    born = date(maturity.year - age, maturity.month, maturity.day)
    _register(client, officers, case, application(
        product=product, amount=amount, tenor_months=tenor, applicant__employment=employment,
        applicant__birth_date=born.isoformat()))


@when("the documents are complete")
def documents_complete(client, officers, case):
    case["app"] = done(client, officers["ao"], case["app"]["id"], "collect_documents", DOCUMENTS)


@when("the account officer records that the NPWP is missing")
def npwp_missing(client, officers, case):
    case["app"] = done(client, officers["ao"], case["app"]["id"], "collect_documents",
                       {**DOCUMENTS, "npwp": False})


@when("the surveyor finds everything valid")
def survey_valid(client, officers, case):
    income = case["body"]["applicant"]["monthly_income"]
    case["app"] = done(client, officers["surveyor"], case["app"]["id"], "survey_applicant",
                       {**VALID_SURVEY, "verified_income": income})


@when("the surveyor asks for a revisit")
def survey_revisit(client, officers, case):
    case["app"] = done(client, officers["surveyor"], case["app"]["id"], "survey_applicant",
                       {**VALID_SURVEY, "result": "revisit"})


@when(parsers.parse("the surveyor verifies an income of Rp {income:d}"))
def survey_income(client, officers, case, income):
    case["app"] = done(client, officers["surveyor"], case["app"]["id"], "survey_applicant",
                       {**VALID_SURVEY, "verified_income": income})


@when(parsers.parse("the surveyor verifies an income that puts the DSR at {dsr:d} basis points"))
def survey_income_for_dsr(client, officers, case, dsr):
    # The test NIKs' second-to-last digit is 0: the simulated bureau reports no other debt.
    existing = case["body"]["applicant"]["existing_installments"]
    total = existing + case["app"]["summary"]["installment"]
    survey_income(client, officers, case, math.ceil(total * 10000 / dsr))


@when("the surveyor submits a survey without a result")
def survey_without_result(client, officers, case):
    data = {k: v for k, v in VALID_SURVEY.items() if k != "result"}
    case["response"] = work(client, officers["surveyor"], case["app"]["id"], "survey_applicant",
                            data)


@when("the analyst recommends approval of the full amount")
def recommend_full(client, officers, case):
    case["app"] = done(client, officers["analyst"], case["app"]["id"], "analyse_credit",
                       recommend(case["body"]["amount"]))


@when(parsers.parse('"{name}" analyses it and recommends approval of the full amount'))
def named_recommends(client, officers, case, name):
    case["app"] = done(client, officers[name], case["app"]["id"], "analyse_credit",
                       recommend(case["body"]["amount"]))


@when(parsers.parse("the analyst appraises the collateral at Rp {value:d} and recommends approval"))
def recommend_with_appraisal(client, officers, case, value):
    case["app"] = done(client, officers["analyst"], case["app"]["id"], "analyse_credit",
                       recommend(case["body"]["amount"], collateral_appraised_value=value))


@when("the analyst asks for a resurvey")
def resurvey(client, officers, case):
    case["app"] = done(client, officers["analyst"], case["app"]["id"], "analyse_credit",
                       {**SCORES, "recommendation": "resurvey"})


@when(parsers.parse('"{name}" approves the full amount'))
def approve_full(client, officers, case, name):
    approve_amount(client, officers, case, name, case["body"]["amount"])


@when(parsers.parse('"{name}" approves Rp {amount:d}'))
def approve_amount(client, officers, case, name, amount):
    case["app"] = done(client, officers[name], case["app"]["id"], "approve_credit",
                       {"decision": "approve", "approved_amount": amount})


@when(parsers.parse('"{name}" returns the application to the analyst'))
def return_to_analyst(client, officers, case, name):
    case["app"] = done(client, officers[name], case["app"]["id"], "approve_credit",
                       {"decision": "return", "notes": "Verify the second income source."})


@when("operations sign the contract and bind the collateral")
def contract_and_collateral(client, officers, case):
    done(client, officers["ops"], case["app"]["id"], "sign_contract", CONTRACT)
    case["app"] = done(client, officers["ops"], case["app"]["id"], "bind_collateral", BINDING)


@when("operations sign the contract but the collateral binding is still pending")
def binding_pending(client, officers, case):
    done(client, officers["ops"], case["app"]["id"], "sign_contract", CONTRACT)
    case["app"] = done(client, officers["ops"], case["app"]["id"], "bind_collateral",
                       {"collateral_bound": False, "notes": "Waiting for the land office."})


@when("operations bind the collateral")
def bind(client, officers, case):
    case["app"] = done(client, officers["ops"], case["app"]["id"], "bind_collateral", BINDING)


REJECTIONS = {
    "survey": [("surveyor", "survey_applicant",
                {**VALID_SURVEY, "result": "invalid", "rejection_reason": "INCOME_NOT_VERIFIED"})],
    "analysis": [("analyst", "analyse_credit",
                  {**SCORES, "recommendation": "reject",
                   "rejection_reason": "INSUFFICIENT_CAPACITY"})],
    "approval": [("bcm", "approve_credit",
                  {"decision": "reject", "rejection_reason": "RISK_NOT_ACCEPTABLE"})],
    "contract": [("ops", "sign_contract",
                  {"contract_signed": False, "rejection_reason": "DEBTOR_WITHDREW"})],
}
BEFORE = ["survey", "analysis", "approval", "contract"]


@when(parsers.parse("the application is rejected at the {stage} stage"))
def rejected_at(client, officers, case, stage):
    documents_complete(client, officers, case)
    happy = {"survey": lambda: survey_valid(client, officers, case),
             "analysis": lambda: recommend_full(client, officers, case),
             "approval": lambda: approve_full(client, officers, case, "bcm")}
    for earlier in BEFORE[:BEFORE.index(stage)]:
        happy[earlier]()
    for who, task, data in REJECTIONS[stage]:
        case["app"] = done(client, officers[who], case["app"]["id"], task, data)


@when(parsers.parse('the account officer notifies the applicant by "{channel}"'))
def notify(client, officers, case, channel):
    case["app"] = done(client, officers["ao"], case["app"]["id"], "notify_rejection",
                       {"notified_via": channel})


@when(parsers.parse('the committee votes "{first}", "{second}" and "{third}"'))
def committee_votes(client, officers, case, first, second, third):
    for name, vote in zip(("director1", "director2", "director3"), (first, second, third),
                          strict=True):
        cast_vote(client, officers, case, name, vote)


@when(parsers.parse('"{name}" votes "{vote}"'))
def cast_vote(client, officers, case, name, vote):
    data = {"decision": vote}
    if vote == "approve":
        data["approved_amount"] = case["body"]["amount"]
    elif vote == "reject":
        data["rejection_reason"] = "RISK_NOT_ACCEPTABLE"
    else:
        data["notes"] = "Collateral appraisal is out of date."
    case["app"] = done(client, officers[name], case["app"]["id"], "vote_committee", data)


@when(parsers.parse('an account officer submits an application with NIK "{nik}", amount {amount} '
                    'and an extra field "{extra}"'))
def submit_bad_application(client, officers, case, nik, amount, extra):
    body = application(applicant__nik=nik, amount=float(amount))
    body[extra] = 10
    case["response"] = client.post("/api/applications", json=body,
                                   headers=officers["ao"].headers)


@then(parsers.parse('the application is "{status}" at stage "{stage}"'))
def status_is(client, officers, case, status, stage):
    app = refresh(client, officers, case)
    assert (app["status"], app["stage"]) == (status, stage)
    if status != "active":
        assert app["open_tasks"] == []


@then("core banking paid out the approved amount once")
def paid_once(client, officers, case):
    paid_amount(client, officers, case, case["body"]["amount"])


@then(parsers.parse("core banking paid out Rp {amount:d}"))
def paid_amount(client, officers, case, amount):
    events = client.get(f"/api/applications/{case['app']['id']}/events",
                        headers=officers["auditor"].headers).json
    payouts = [e["payload"] for e in events if e["type"] == "connector_called"
               and e["payload"]["operation"] == "core_banking/disburse"]
    assert len(payouts) == 1
    assert payouts[0]["request"]["amount"] == amount
    assert payouts[0]["response"]["status"] == "paid"


@then("the event log shows who completed each task")
def log_shows_actors(client, officers, case):
    events = client.get(f"/api/applications/{case['app']['id']}/events",
                        headers=officers["auditor"].headers).json
    actors = [(e["payload"]["task"], e["actor"]) for e in events if e["type"] == "task_completed"]
    assert [task for task, _ in actors] == ["collect_documents", "survey_applicant",
                                            "analyse_credit", "approve_credit", "sign_contract",
                                            "bind_collateral"]
    assert dict(actors)["survey_applicant"] == "surveyor"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))


@then(parsers.parse('the open task is "{task}" for the role "{role}"'))
def open_task_is(client, officers, case, task, role):
    app = refresh(client, officers, case)
    assert [(t["task"], t["role"]) for t in app["open_tasks"]] == [(task, role)]


@then("the application waits for the account officer to notify the applicant")
def waits_for_notification(client, officers, case):
    open_task_is(client, officers, case, "notify_rejection", "account_officer")
    assert case["app"]["status"] == "rejected"


@then(parsers.parse('the rejection reason is "{reason}"'))
def rejection_reason(client, officers, case, reason):
    assert refresh(client, officers, case)["summary"]["rejection_reason"] == reason


@then(parsers.parse('the pre-screen rejects it with "{reason}"'))
def prescreen_rejects(client, officers, case, reason):
    outputs = decided(refresh(client, officers, case), "prescreen")
    assert outputs == {"prescreen_result": "reject", "rejection_reason": reason}
    waits_for_notification(client, officers, case)


@then(parsers.parse('the pre-screen result is "{result}"'))
def prescreen_result(client, officers, case, result):
    assert decided(refresh(client, officers, case), "prescreen")["prescreen_result"] == result


@then(parsers.parse("the credit bureau reports collectibility {grade:d}"))
def bureau_grade(client, officers, case, grade):
    assert refresh(client, officers, case)["summary"]["bureau_collectibility"] == grade


@then(parsers.parse('the policy result is "{result}" with {levels:d} escalation levels'))
def policy_result(client, officers, case, result, levels):
    outputs = decided(refresh(client, officers, case), "credit_policy")
    assert (outputs["policy_result"], outputs["escalation_levels"]) == (result, levels)


@then(parsers.parse('the approval tier is "{tier}"'))
def approval_tier(client, officers, case, tier):
    assert decided(refresh(client, officers, case), "approval_authority")["approval_tier"] == tier


@then(parsers.parse("the approval needs {votes:d} votes"))
def votes_needed(client, officers, case, votes):
    assert decided(case["app"], "approval_authority")["votes_required"] == votes
    tasks = [t for t in case["app"]["open_tasks"] if t["role"] == "approver"]
    assert len(tasks) == votes


@then(parsers.parse('"{name}" cannot approve Rp {amount:d}'))
def cannot_approve_more(client, officers, case, name, amount):
    response = work(client, officers[name], case["app"]["id"], "approve_credit",
                    {"decision": "approve", "approved_amount": amount})
    assert response.status_code == 422
    assert "approved_amount" in response.json["errors"]


def _claim(client, officers, case, name, task="approve_credit"):
    task_id = open_task(client, officers[name], case["app"]["id"], task)
    return client.post(f"/api/tasks/{task_id}/claim", headers=officers[name].headers)


@then(parsers.parse('"{name}" is refused the approval task as above their authority limit'))
def refused_authority(client, officers, case, name):
    response = _claim(client, officers, case, name)
    assert response.status_code == 403
    assert response.json["type"].endswith("authority-exceeded")


@then(parsers.parse('"{name}" may approve it as a higher authority'))
def higher_authority(client, officers, case, name):
    approve_full(client, officers, case, name)
    assert case["app"]["stage"] == "disbursement"


@then(parsers.parse('"{name}" is refused the approval task by separation of duties'))
def refused_sod(client, officers, case, name):
    response = _claim(client, officers, case, name)
    assert response.status_code == 403
    assert response.json["type"].endswith("separation-of-duties")


@then(parsers.parse('"{name}" is refused a second vote by separation of duties'))
def refused_second_vote(client, officers, case, name):
    response = _claim(client, officers, case, name, "vote_committee")
    assert response.status_code == 403
    assert response.json["type"].endswith("separation-of-duties")


@then(parsers.parse('the answer is 422 problem+json with errors for {fields}'))
def problem_422(case, fields):
    response = case["response"]
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    expected = {name.strip().strip('"') for name in fields.replace(" and ", ",").split(",")}
    assert expected <= set(response.json["errors"])


@then("no application was stored")
def nothing_stored(client, officers):
    listing = client.get("/api/applications", headers=officers["auditor"].headers).json
    assert listing["total"] == 0
