"""A loan's life as a chain of short monthly cycles: opened at disbursement, continued as new.

SpiffWorkflow's task tree grows with every loop and never shrinks, so a 20-year loan is not one
looping instance: each monthly cycle is a fresh instance of `loan_monitoring` started with the
state the previous cycle carried out (its end event's `continueAsNew`). The loan keeps one row,
one number and one event chain; replays follow the same chain of cycles.
"""

from datetime import datetime
from typing import Any

from engine import forms
from engine.bootstrap import Alur
from engine.errors import DefinitionNotFound, FormInvalid, ProcessFailed
from engine.services.definitions import ensure_loaded
from engine.unit_of_work import UnitOfWork
from engine.workflow import Event, Instance

LOAN_PROCESS = "loan_monitoring"
START_EVENT = "start_cycle"
ENGINE_ACTOR = "engine"


def open_loan(alur: Alur, uow: UnitOfWork, application: Any, instance: Instance,
              now: datetime) -> tuple[Any, Instance, list[Event]] | None:
    """The loan of an application that has just been disbursed: its row and first cycle."""
    if application.kind != "application" or application.status != "disbursed" \
            or uow.applications.children(application.id):
        return None
    try:
        definition = uow.definitions.latest(LOAN_PROCESS)
    except DefinitionNotFound:
        return None  # monitoring is not deployed here: the application simply ends
    version = ensure_loaded(alur, definition)
    data = {"loan": opening_state(application, instance.data)}
    _check(version, data)
    loan = uow.applications.add(
        number=loan_number(application.number), kind="loan",
        parent_id=application.id, branch=application.branch, definition_id=definition.id,
        status="active", stage="monitoring", product=application.product,
        amount=data["loan"]["principal"], tenor_months=application.tenor_months,
        applicant_name=application.applicant_name, created_by=application.created_by,
        summary={}, state_json="{}", created_at=now, updated_at=now, cycle=0)
    uow.events.append(application, "loan_opened", ENGINE_ACTOR, now, {"loan_number": loan.number})
    uow.events.append(loan, "loan_opened", ENGINE_ACTOR, now,
                      {"data": data, "definition": definition.sha256,
                       "application_number": application.number})
    first = alur.workflows.start(definition.sha256, data)
    return loan, first, first.run()


def next_cycle(uow: UnitOfWork, loan: Any, instance: Instance, now: datetime
               ) -> tuple[Instance, list[Event]] | None:
    """When a cycle has ended with `continueAsNew`: record its review and start the next one."""
    carried = instance.continuation()
    if carried is None:
        return None
    _check(instance.definition, carried)  # the version as the engine holds it
    uow.events.append(loan, "cycle_continued", ENGINE_ACTOR, now,
                      {"cycle": carried["loan"]["cycle"], "carried": carried})
    successor = instance.successor(carried)
    return successor, successor.run()


def loan_number(application_number: str) -> str:
    """The loan's business key: `APP-2026-000007` becomes `LN-2026-000007`."""
    return "LN-" + application_number.removeprefix("APP-")


def note_review(uow: UnitOfWork, loan: Any, instance: Instance) -> None:
    """A month's review, as soon as the loan is classified (reports read it; a rescue plan may
    still be open in that cycle)."""
    if loan.kind != "loan":
        return
    state = instance.data.get("loan")
    if not isinstance(state, dict) or state.get("cycle", 0) <= loan.cycle:
        return
    loan.cycle = state["cycle"]
    uow.loan_reviews.add(loan_id=loan.id, cycle=state["cycle"], review_date=state["reviewed_on"],
                         days_past_due=state["days_past_due"],
                         collectibility=state["collectibility"],
                         outstanding=state["outstanding"], branch=loan.branch,
                         account_officer=loan.created_by)


def opening_state(application: Any, data: dict[str, Any]) -> dict[str, Any]:
    """What a loan's first cycle starts with: from the disbursed application (its number,
    product, amounts, tenor, officer, branch and summary) and its workflow data."""
    principal = application.summary.get("approved_amount") or application.amount
    return {
        "loan_number": loan_number(application.number),
        "application_number": application.number, "segment": data.get("segment", "consumer"),
        "product": application.product, "principal": principal,
        "annual_rate_bp": data.get("annual_rate_bp", 0),
        "tenor_months": application.tenor_months, "installment": None,
        "account_officer": application.created_by, "branch": application.branch,
        "disbursed_on": None, "next_review_on": None, "reviewed_on": None, "cycle": 0,
        "installments_paid": 0, "outstanding": principal, "days_past_due": 0,
        "collectibility": 1, "worst_collectibility": 1, "rescue_plans": 0,
        "last_rescue": None, "paid_off_on": None}


def _check(definition: Any, data: dict[str, Any]) -> None:
    """The loan state must satisfy the cycle's start form, or the diagram has a defect."""
    form = definition.forms[definition.meta["forms"][START_EVENT]]
    try:
        forms.validate(form, data)
    except FormInvalid as error:
        raise ProcessFailed(f"The loan state does not satisfy {LOAN_PROCESS}'s start form: "
                            f"{error}") from None
