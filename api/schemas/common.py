"""Pieces every area shares: paging, stage and status names, small validators, health and me."""

from marshmallow import Schema, ValidationError, fields, validate

from engine.roles import ROLES

STAGES = ["started", "collection", "survey", "analysis", "approval", "disbursement", "monitoring",
          "rescue", "closed"]
STATUSES = ["active", "rejected", "lapsed", "disbursed", "completed", "paid_off"]


class PageRequest(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def page_of(item: type[Schema]) -> type[Schema]:
    """A page of `item`s with the total count, for paginated lists."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item)), "total": fields.Integer(),
                             "page": fields.Integer(), "per_page": fields.Integer()},
                            name=item.__name__.replace("Response", "Page"))


class DefinitionRef(Schema):
    key = fields.String()
    version = fields.Integer()
    sha256 = fields.String()


def distinct(items: list) -> None:
    """Each item once: a repeated id would be replayed again for nothing."""
    if len(set(items)) != len(items):
        raise ValidationError("Give each id once.")


class HealthResponse(Schema):
    status = fields.String()
    database = fields.String()


class MeResponse(Schema):
    """GET /api/me: the user the bearer token belongs to."""

    name = fields.String()
    roles = fields.List(fields.String(metadata={"enum": list(ROLES)}))
    authority_limit = fields.Integer(allow_none=True, metadata={"description": "BWMK, Rupiah"})
    branch = fields.String()
