"""Audit: verify the event chain, replay, the state at a past event, audit reports and what-if."""

from marshmallow import Schema, fields, validate

from api.parsing import DB_INT_MAX
from api.schemas.common import distinct


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
