"""Loans: the monthly cycles a disbursed application becomes."""

from marshmallow import Schema, fields, validate

from api.schemas.cases import ApplicationResponse
from api.schemas.common import PageRequest, page_of


class LoanQuery(PageRequest):
    """Filters of GET /api/loans."""

    status = fields.String(validate=validate.OneOf(["active", "paid_off"]))
    branch = fields.String(validate=validate.Length(max=50))
    number = fields.String(validate=validate.Length(max=32))


class LoanReviewResponse(Schema):
    cycle = fields.Integer()
    review_date = fields.String()
    days_past_due = fields.Integer()
    collectibility = fields.Integer()
    outstanding = fields.Integer()


class LoanResponse(ApplicationResponse):
    cycle = fields.Integer(metadata={"description": "monthly cycles completed"})
    application_id = fields.Integer()
    application_number = fields.String()
    loan = fields.Dict(metadata={"description": "the state the loan carries from month to month"})
    reviews = fields.List(fields.Nested(LoanReviewResponse))


LoanPage = page_of(LoanResponse)
