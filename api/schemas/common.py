"""Pieces every area shares: paging, stage and status names, small validators, health and me."""

from typing import Any

from flask import current_app, has_app_context
from marshmallow import Schema, ValidationError, fields, validate

from engine.roles import ROLES

STAGES = ["started", "collection", "survey", "analysis", "approval", "disbursement", "monitoring",
          "rescue", "closed"]
STATUSES = ["active", "rejected", "lapsed", "disbursed", "completed", "paid_off"]


class Answer(Schema):
    """The schema of an answer the service layer builds in exactly this shape (plain JSON values,
    the declared fields only): it documents the answer, and the answer goes out as built. Dumping
    a full application's answer field by field cost 50-300 µs and gave back the same dict. While
    the app is under test (`TESTING`), every answer is dumped as well and must come out equal, so
    a view that strays from its documented shape fails the suite."""

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        if has_app_context() and current_app.testing:
            dumped = super().dump(obj, many=many)
            if dumped != obj:
                raise TypeError(f"{type(self).__name__}: the answer differs from its documented "
                                f"shape: {obj!r} dumps as {dumped!r}")
        return obj


class PageRequest(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def page_of(item: type[Schema]) -> type[Schema]:
    """A page of `item`s with the total count, for paginated lists (an Answer if they are)."""
    base = Answer if issubclass(item, Answer) else Schema
    return base.from_dict({"items": fields.List(fields.Nested(item)), "total": fields.Integer(),
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
