"""Scenarios of features/service_levels.feature."""

from datetime import UTC, datetime

from pytest_bdd import given, parsers, scenarios, then, when

from engine.services.incidents import run_due
from tests.support import DOCUMENTS, VALID_SURVEY, done, get, recommend

scenarios("service_levels.feature")

BEFORE = {"survey_applicant": [("ao", "collect_documents", DOCUMENTS)],
          "analyse_credit": [("ao", "collect_documents", DOCUMENTS),
                             ("surveyor", "survey_applicant", VALID_SURVEY)],
          "approve_credit": [("ao", "collect_documents", DOCUMENTS),
                             ("surveyor", "survey_applicant", VALID_SURVEY),
                             ("analyst", "analyse_credit", recommend(80_000_000))]}


@given("it is Wednesday 23 December 2026, 09:00")
def before_christmas(clock):
    clock.set(datetime(2026, 12, 23, 9, 0, tzinfo=UTC))


@when(parsers.parse('the application waits for "{task}"'))
def waits_for(client, officers, case, task):
    for who, step, data in BEFORE[task]:
        case["app"] = done(client, officers[who], case["app"]["id"], step, data)


@when(parsers.parse("{days:d} working days pass and the worker runs"))
def days_pass(alur, clock, days):
    clock.advance(days=days)  # Monday 23 November 2026: no weekend in the next three days
    run_due(alur)


@when("one more working day passes and the worker runs")
def one_more_day(alur, clock):
    clock.advance(days=1, minutes=1)
    run_due(alur)


def inbox_item(client, officer, application_id, task):
    items = client.get("/api/tasks?sort=due_at", headers=officer.headers).json["items"]
    return next(i for i in items if i["application_id"] == application_id and i["task"] == task)


def escalations(client, officers, application_id):
    items = client.get("/api/tasks", headers=officers["supervisor"].headers).json["items"]
    return [i for i in items if i["application_id"] == application_id]


OFFICER = {"survey_applicant": "surveyor", "analyse_credit": "analyst", "approve_credit": "bcm"}


@then(parsers.parse('"{task}" is not overdue and the supervisor has no escalation'))
def not_overdue(client, officers, case, task):
    item = inbox_item(client, officers[OFFICER[task]], case["app"]["id"], task)
    assert item["overdue"] is False and item["due_at"]
    assert escalations(client, officers, case["app"]["id"]) == []


@then(parsers.parse('"{task}" is overdue in the "{role}" inbox'))
def overdue(client, officers, case, task, role):
    item = inbox_item(client, officers[OFFICER[task]], case["app"]["id"], task)
    assert item["overdue"] is True and item["role"] == role


@then("the supervisor has an escalation task")
def escalated(client, officers, case):
    (item,) = escalations(client, officers, case["app"]["id"])
    assert item["task"] == "escalate_overdue_task"


@when("the supervisor records that the officer was reminded")
def reminded(client, officers, case):
    case["app"] = done(client, officers["supervisor"], case["app"]["id"],
                       "escalate_overdue_task", {"action": "reminded"})


@then(parsers.parse("the survey is due on {day} at {time}, after Christmas and the weekend"))
def survey_due(client, officers, case, day, time):
    app = get(client, officers["auditor"], case["app"]["id"])
    (task,) = app["open_tasks"]
    assert task["due_at"] == f"{day}T{time}:00+00:00"


@when("2 days pass without documents and the worker runs")
def two_days(alur, clock):
    clock.advance(days=2, minutes=1)
    run_due(alur)


@then("the account officer has a follow-up task for the missing documents")
def follow_up_task(client, officers, case):
    items = client.get("/api/tasks", headers=officers["ao"].headers).json["items"]
    mine = sorted(i["task"] for i in items if i["application_id"] == case["app"]["id"])
    assert mine == ["collect_documents", "follow_up_documents"]


@when("the account officer records a WhatsApp follow-up")
def record_follow_up(client, officers, case):
    case["app"] = done(client, officers["ao"], case["app"]["id"], "follow_up_documents",
                       {"contacted_via": "whatsapp", "outcome": "documents_promised"})
