"""Read loans: one row and one event chain for the whole life of a credit, however many cycles."""

from typing import Any

from engine.bootstrap import Alur
from engine.errors import ApplicationNotFound
from engine.services.views import application_view, page_view
from engine.unit_of_work import UnitOfWork


def get_loan(alur: Alur, number: str) -> dict[str, Any]:
    """One loan by its number, with its carried state, open tasks and monthly reviews."""
    with alur.uow() as uow:
        row = uow.applications.by_number(number)
        if row is None or row.kind != "loan":
            raise ApplicationNotFound(f"There is no loan {number!r}.")
        return loan_view(uow, row)


def list_loans(alur: Alur, filters: dict[str, Any], page: int, per_page: int) -> dict[str, Any]:
    """Loans, newest first, filtered by status, branch or number."""
    with alur.uow() as uow:
        found = uow.applications.search({**filters, "kind": "loan"}, page, per_page)
        return page_view(found, [loan_view(uow, row, with_details=False) for row in found.items])


def loan_view(uow: UnitOfWork, row: Any, with_details: bool = True) -> dict[str, Any]:
    parent = uow.applications.get(row.parent_id) if row.parent_id else None
    view = application_view(uow, row, with_details) | {
        "cycle": row.cycle, "application_id": row.parent_id,
        "application_number": parent.number if parent else None,
        "loan": dict(row.summary)}
    if with_details:
        view["reviews"] = [{"cycle": r.cycle, "review_date": r.review_date,
                            "days_past_due": r.days_past_due,
                            "collectibility": r.collectibility, "outstanding": r.outstanding}
                           for r in uow.loan_reviews.for_loan(row.id)]
    return view
