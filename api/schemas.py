"""Request and response schemas of the API (forms describe task input; these describe the API)."""

from marshmallow import Schema, ValidationError, fields, validate

from api.parsing import DB_INT_MAX
from engine.roles import ROLES

STAGES = ["started", "collection", "survey", "analysis", "approval", "disbursement", "monitoring",
          "rescue", "closed"]
STATUSES = ["active", "rejected", "lapsed", "disbursed", "completed", "paid_off"]


class PageRequest(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ApplicationQuery(PageRequest):
    """Filters of GET /api/applications."""

    stage = fields.String(validate=validate.OneOf(STAGES))
    status = fields.String(validate=validate.OneOf(STATUSES))
    number = fields.String(validate=validate.Length(max=32))
    product = fields.String(validate=validate.Length(max=30))


class TaskQuery(PageRequest):
    """Filters of GET /api/tasks."""

    role = fields.String(validate=validate.OneOf(ROLES))
    assigned = fields.String(load_default="any", validate=validate.OneOf(["me", "none", "any"]))
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "completed"]))
    sort = fields.String(load_default="created_at", validate=validate.OneOf(["created_at",
                                                                             "due_at"]))


class TaskCompleteRequest(Schema):
    """Body of POST /api/tasks/{id}/complete; `data` is checked against the task's form."""

    data = fields.Dict(required=True, keys=fields.String())


class DefinitionRef(Schema):
    key = fields.String()
    version = fields.Integer()
    sha256 = fields.String()


class TaskBrief(Schema):
    due_at = fields.String(allow_none=True)
    id = fields.Integer()
    task = fields.String(metadata={"description": "BPMN id of the user task"})
    title = fields.String()
    role = fields.String()
    status = fields.String()
    assignee = fields.String(allow_none=True)


class DecisionResponse(Schema):
    seq = fields.Integer()
    kind = fields.String(metadata={"description": "gateway or rule"})
    element = fields.String()
    name = fields.String(allow_none=True)
    at = fields.String()
    flow = fields.String()
    outcome = fields.String(allow_none=True)
    target = fields.String()
    decision = fields.String(allow_none=True)
    inputs = fields.Dict()
    rule = fields.Dict(allow_none=True)
    outputs = fields.Dict()


class ApplicationResponse(Schema):
    id = fields.Integer()
    number = fields.String()
    kind = fields.String(metadata={"enum": ["application", "loan", "case"]})
    branch = fields.String()
    status = fields.String(metadata={"enum": STATUSES})
    stage = fields.String(metadata={"enum": STAGES})
    product = fields.String()
    amount = fields.Integer()
    tenor_months = fields.Integer()
    applicant_name = fields.String()
    created_by = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    summary = fields.Dict()
    decisions = fields.List(fields.Nested(DecisionResponse))
    open_tasks = fields.List(fields.Nested(TaskBrief))
    definition = fields.Nested(DefinitionRef)


class TaskResponse(Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    application_number = fields.String()
    task = fields.String()
    title = fields.String()
    role = fields.String()
    stage = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["open", "claimed", "completed", "cancelled"]})
    assignee = fields.String(allow_none=True)
    created_at = fields.String()
    claimed_at = fields.String(allow_none=True)
    completed_at = fields.String(allow_none=True)
    completed_by = fields.String(allow_none=True)
    required_authority_limit = fields.Integer(allow_none=True)
    due_at = fields.String(allow_none=True, metadata={"description": "service level deadline"})
    overdue = fields.Boolean()
    form = fields.Dict(metadata={"description": "JSON Schema of the task's form"})
    data = fields.Dict(metadata={"description": "prefilled form data"})
    instructions = fields.String(allow_none=True)


class EventResponse(Schema):
    seq = fields.Integer()
    type = fields.String()
    actor = fields.String()
    role = fields.String(allow_none=True)
    at = fields.String()
    payload = fields.Dict()


def page_of(item: type[Schema]) -> type[Schema]:
    """A page of `item`s with the total count, for paginated lists."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item)), "total": fields.Integer(),
                             "page": fields.Integer(), "per_page": fields.Integer()},
                            name=item.__name__.replace("Response", "Page"))


ApplicationPage = page_of(ApplicationResponse)
TaskPage = page_of(TaskResponse)


class HealthResponse(Schema):
    status = fields.String()
    database = fields.String()


class VerifyResponse(Schema):
    application_id = fields.Integer()
    number = fields.String()
    result = fields.String(metadata={"enum": ["intact", "broken"]})
    events = fields.Integer()
    broken_at = fields.Integer()
    reason = fields.String(metadata={"enum": ["changed", "missing", "reordered"]})
    detail = fields.String()


class ReplayResponse(Schema):
    application_id = fields.Integer()
    number = fields.String()
    definition = fields.String()
    definition_intact = fields.Boolean()
    result = fields.String(metadata={"enum": ["reproduced", "diverged"]})
    checked = fields.Integer()
    at_seq = fields.Integer(allow_none=True)
    recorded = fields.Raw(allow_none=True)
    replayed = fields.Raw(allow_none=True)
    error = fields.String(allow_none=True)


class StateQuery(Schema):
    at = fields.Integer(required=True, validate=validate.Range(min=1, max=DB_INT_MAX))


class AuditQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "html"]))


def distinct(items: list) -> None:
    """Each item once: a repeated id would be replayed again for nothing."""
    if len(set(items)) != len(items):
        raise ValidationError("Give each id once.")


class WhatIfRequest(Schema):
    """Body of POST /api/whatif: the version to test, and which applications (default: all)."""

    version = fields.Integer(required=True, strict=True,
                             validate=validate.Range(min=1, max=DB_INT_MAX))
    application_ids = fields.List(fields.Integer(strict=True,
                                                 validate=validate.Range(min=1, max=DB_INT_MAX)),
                                  validate=[validate.Length(min=1, max=10_000), distinct],
                                  metadata={"uniqueItems": True})
    created_from = fields.Date()
    created_to = fields.Date()


class VersionResponse(Schema):
    key = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    deployed_at = fields.String()
    deployed_by = fields.String()
    latest = fields.Boolean()
    created = fields.Boolean()
    files = fields.List(fields.String())
    forms = fields.List(fields.String())
    decisions = fields.List(fields.String())
    user_tasks = fields.List(fields.String())


class DeploymentResponse(Schema):
    created = fields.Boolean(metadata={"description": "false when every process was unchanged"})
    definitions = fields.List(fields.Nested(VersionResponse))
    warnings = fields.List(fields.String())


class DiffQuery(Schema):
    old = fields.Integer(required=True, data_key="from",
                         validate=validate.Range(min=1, max=DB_INT_MAX))
    new = fields.Integer(required=True, data_key="to",
                         validate=validate.Range(min=1, max=DB_INT_MAX))


class MigrationRequest(Schema):
    """Body of POST /api/definitions/{key}/migrations."""

    from_version = fields.Integer(required=True, strict=True,
                                  validate=validate.Range(min=1, max=DB_INT_MAX))
    to_version = fields.Integer(required=True, strict=True,
                                validate=validate.Range(min=1, max=DB_INT_MAX))
    renamed_tasks = fields.Dict(keys=fields.String(validate=validate.Length(max=100)),
                                values=fields.String(validate=validate.Length(max=100)),
                                load_default=dict,
                                metadata={"description": "old task id → new task id"})
    dry_run = fields.Boolean(load_default=True)


class DeploymentQuery(Schema):
    verify = fields.String(validate=validate.OneOf(["features"]),
                           metadata={"description": "run the feature scenarios first"})


class IncidentQuery(Schema):
    status = fields.String(load_default="open",
                           validate=validate.OneOf(["open", "resolved", "all"]))


class IncidentResolveRequest(Schema):
    """Body of POST /api/incidents/{id}/resolve: what the outside system would have answered."""

    result = fields.Dict(required=True, keys=fields.String())
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class IncidentResponse(Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    application_number = fields.String()
    element = fields.String()
    operation = fields.String()
    error = fields.String()
    attempts = fields.Integer()
    status = fields.String(metadata={"enum": ["open", "resolved"]})
    next_attempt_at = fields.String(allow_none=True)
    created_at = fields.String()
    resolved_at = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)


class MessageRequest(Schema):
    """Body of POST /api/messages/{name}: which case, the sender's id, and the payload."""

    message_id = fields.String(required=True, validate=validate.Length(min=1, max=100),
                               metadata={"description": "The sender's id; a repeat is ignored"})
    business_key = fields.String(required=True, validate=validate.Length(min=1, max=32),
                                 metadata={"description": "Application or loan number"})
    payload = fields.Dict(keys=fields.String(), load_default=dict)


class MessageResponse(Schema):
    message_id = fields.String()
    name = fields.String()
    business_key = fields.String()
    payload = fields.Dict()
    status = fields.String(metadata={"enum": ["kept", "delivered"]})
    received_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)
    delivered_to = fields.Integer(allow_none=True, metadata={"description": "case id"})
    duplicate = fields.Boolean()


class MessageQuery(Schema):
    status = fields.String(load_default="all", validate=validate.OneOf(["kept", "delivered",
                                                                        "all"]))
    business_key = fields.String(validate=validate.Length(max=32))


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


class MeResponse(Schema):
    """GET /api/me: the user the bearer token belongs to."""

    name = fields.String()
    roles = fields.List(fields.String(metadata={"enum": list(ROLES)}))
    authority_limit = fields.Integer(allow_none=True, metadata={"description": "BWMK, Rupiah"})
    branch = fields.String()


class CoverageRatio(Schema):
    total = fields.Integer()
    covered = fields.Integer()
    ratio = fields.Float()


class CoverageResponse(Schema):
    """GET /api/definitions/{key}/versions/{n}/coverage: what the recorded cases went through."""

    key = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    nodes = fields.Nested(CoverageRatio)
    flows = fields.Nested(CoverageRatio)
    covered_nodes = fields.List(fields.String())
    uncovered_nodes = fields.List(fields.String())
    covered_flows = fields.List(fields.String())
    uncovered_flows = fields.List(fields.String())
