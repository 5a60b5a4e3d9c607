"""The OpenAPI document tells the truth about errors: every one is RFC 9457 problem+json."""

import http

import flask_smorest
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields

PROBLEM_JSON = "application/problem+json"


class ProblemResponse(Schema):
    """An error (RFC 9457); `errors` per field on 422, `problems` for a refused deployment.

    Other members may appear (RFC 9457 extensions; Camunda's `message` and `details`).
    """

    class Meta:
        unknown = INCLUDE

    type = fields.String(metadata={"description": "a URI reference naming the kind of error"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String(metadata={"description": "the request path"})
    errors = fields.Dict(keys=fields.String(), metadata={"description": "field → messages"})
    problems = fields.List(fields.Dict(), metadata={"description": "file, element, line, "
                                                                   "message"})


class Api(flask_smorest.Api):
    """flask-smorest's Api documenting its error responses as problem+json."""

    ERROR_SCHEMA = ProblemResponse

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error (RFC 9457 problem+json)",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def json_answer(description: str, schema: dict | None = None, **more: dict) -> dict:
    """`@bp.doc(**json_answer(...))`: a 200 whose JSON body has no marshmallow schema here."""
    content = {"application/json": {"schema": schema or {"type": "object"}}, **more}
    return {"responses": {200: {"description": description, "content": content}}}
