"""Loans: what a disbursed application became, monitored month by month until paid off."""

from api.applications import READERS
from api.context import alur, requires
from api.parsing import Blueprint
from api.schemas import LoanPage, LoanQuery, LoanResponse
from engine.services import loans as service

bp = Blueprint("loans", __name__, description="Disbursed credits under monitoring")


@bp.route("", methods=["GET"])
@requires(*READERS)
@bp.arguments(LoanQuery, location="query", as_kwargs=True)
@bp.response(200, LoanPage)
def list_loans(page: int, per_page: int, **filters):
    """Loans, newest first; filter by status, branch or number."""
    return service.list_loans(alur(), filters, page, per_page)


@bp.route("/<number>", methods=["GET"])
@requires(*READERS)
@bp.response(200, LoanResponse)
def get_loan(number: str):
    """One loan: its carried state, open tasks, decisions and monthly reviews. Its event log,
    verification and replay are those of case `id` under /api/applications."""
    return service.get_loan(alur(), number)
