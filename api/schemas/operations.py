"""Operations: incidents of failed service calls, and messages from outside systems."""

from marshmallow import Schema, fields, validate


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
