"""The monthly report: its query and the figures per branch and account officer."""

from marshmallow import Schema, fields, validate


class MonthlyReportQuery(Schema):
    """Query of GET /api/reports/monthly."""

    month = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="Give the month as YYYY-MM, e.g. 2026-10."),
        metadata={"description": "UTC calendar month, YYYY-MM", "example": "2026-10"})
    format = fields.String(validate=validate.OneOf(["json", "csv"]),
                           metadata={"description": "csv, or send `Accept: text/csv`"})


class CountAmount(Schema):
    count = fields.Integer()
    amount = fields.Integer(metadata={"description": "Rupiah"})


class TurnaroundResponse(Schema):
    tasks = fields.Integer(metadata={"description": "tasks of the stage completed in the month"})
    mean_hours = fields.Float(allow_none=True)
    median_hours = fields.Float(allow_none=True)


class ServiceLevelResponse(Schema):
    breaches = fields.Integer(metadata={"description": "completed_late + open_overdue"})
    completed_late = fields.Integer()
    open_overdue = fields.Integer()
    escalations = fields.Integer(metadata={"description": "escalation tasks opened"})


class ClassFigures(Schema):
    loans = fields.Integer()
    outstanding = fields.Integer(metadata={"description": "Rupiah"})


class PortfolioResponse(Schema):
    loans = fields.Integer()
    outstanding = fields.Integer(metadata={"description": "Rupiah"})
    collectibility = fields.Dict(keys=fields.String(), values=fields.Nested(ClassFigures),
                                 metadata={"description": "per OJK class 1 (Lancar) to 5 (Macet)"})
    npl_outstanding = fields.Integer(metadata={"description": "classes 3-5, Rupiah"})
    npl_ratio_bp = fields.Integer(allow_none=True, metadata={"description": "basis points"})
    npl_ratio_percent = fields.String(allow_none=True, metadata={"example": "28.57"})


class ReportFigures(Schema):
    collected = fields.Nested(CountAmount)
    surveyed = fields.Integer()
    approved = fields.Nested(CountAmount)
    rejected = fields.Integer()
    lapsed = fields.Integer()
    disbursed = fields.Nested(CountAmount)
    turnaround = fields.Dict(keys=fields.String(), values=fields.Nested(TurnaroundResponse),
                             metadata={"description": "per stage, collection to disbursement"})
    service_levels = fields.Nested(ServiceLevelResponse)
    portfolio = fields.Nested(PortfolioResponse)


class BranchFigures(ReportFigures):
    branch = fields.String()


class OfficerFigures(BranchFigures):
    account_officer = fields.String()


class MonthlyReportResponse(Schema):
    month = fields.String()
    starts_at = fields.String()
    ends_at = fields.String(metadata={"description": "exclusive"})
    generated_at = fields.String()
    totals = fields.Nested(ReportFigures)
    branches = fields.List(fields.Nested(BranchFigures))
    account_officers = fields.List(fields.Nested(OfficerFigures))
