"""The OpenAPI document tells the truth about errors: every one is RFC 9457 problem+json."""

import http
import json
from typing import Any

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


# The OpenAPI document each build of the app made, by what it depends on (the start form and
# the API_/OPENAPI_ settings): building it walks every view's marshmallow schemas, about 0.1 s,
# and every app of a process (a test run's hundreds, a server's one) builds the same one.
_DOCUMENTS: dict[str, Any] = {}


class Api(flask_smorest.Api):
    """flask-smorest's Api documenting its error responses as problem+json; the document is
    built once per process for what it depends on (`reuse_document`)."""

    ERROR_SCHEMA = ProblemResponse
    _reused = False
    _key: str | None = None

    def reuse_document(self, start_form: dict[str, Any]) -> bool:
        """Take the document an earlier app of this process built on the same start form and
        settings, and document nothing more; False if there is none (`keep_document` after)."""
        settings = {k: v for k, v in self._app.config.items() if k.startswith(("API_", "OPENAPI_"))}
        self._key = json.dumps([start_form, settings], sort_keys=True, default=repr)
        kept = _DOCUMENTS.get(self._key)
        if kept is None:
            return False
        self.spec, self._reused = kept, True
        return True

    def keep_document(self) -> None:
        """Keep this app's finished document for the apps built after it (read-only from now)."""
        _DOCUMENTS.setdefault(self._key, self.spec)

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        if not self._reused:
            super().register_blueprint(blp, parameters=parameters, **options)
            return
        self._app.extensions["flask-smorest"]["blp_name_to_api"][options.get("name", blp.name)] \
            = self
        self._app.register_blueprint(blp, **options)

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
