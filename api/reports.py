"""Reports: the monthly report (laporan bulanan) per account officer and per branch."""

from flask import Response, request

from api.context import alur, requires
from api.parsing import Blueprint
from api.schemas import MonthlyReportQuery, MonthlyReportResponse
from engine.services import reports as service

bp = Blueprint("reports", __name__, description="Monthly reports per account officer and branch")
REPORT_READERS = ("supervisor", "auditor", "process_owner")
CSV_DOC = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}


@bp.route("/monthly", methods=["GET"])
@requires(*REPORT_READERS)
@bp.arguments(MonthlyReportQuery, location="query", as_kwargs=True)
@bp.response(200, MonthlyReportResponse)
@bp.doc(**CSV_DOC)
def monthly_report(month: str, format: str | None = None):
    """Collected, surveyed, approved, rejected, disbursed, turnaround, breaches and portfolio.

    JSON by default; `?format=csv` or `Accept: text/csv` gives one CSV row per account officer,
    branch and the total.
    """
    report = service.monthly_report(alur(), month)
    if not _wants_csv(format):
        return report
    filename = f"laporan-bulanan-{report['month']}.csv"
    return Response(service.monthly_report_csv(report), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _wants_csv(format: str | None) -> bool:
    if format is not None:
        return format == "csv"
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"
