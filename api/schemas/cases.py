"""Applications and their tasks, events and decisions: the inbox and application endpoints."""

from marshmallow import Schema, fields, validate

from api.schemas.common import STAGES, STATUSES, Answer, DefinitionRef, PageRequest, page_of
from engine.roles import ROLES


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

    data = fields.Dict(required=True)  # a JSON object: its keys are strings already


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


class ApplicationResponse(Answer):
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


class TaskResponse(Answer):
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


ApplicationPage = page_of(ApplicationResponse)
TaskPage = page_of(TaskResponse)
