"""Every error leaves as RFC 9457 problem+json; no stack trace or engine internals reach clients."""

import logging
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError

from engine import errors as domain

log = logging.getLogger("alur.api")

STATUS_BY_ERROR: dict[type[domain.AlurError], int] = {
    domain.TooLarge: 413,
    domain.NotFound: 404,
    domain.Unauthenticated: 401,
    domain.NotAllowed: 403,
    domain.Conflict: 409,
    domain.InvalidInput: 422,
    domain.ProcessFailed: 422,
}


def _status(error: domain.AlurError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return 422


def problem(status: int, title: str, detail: str, type_: str = "about:blank",
            **extra: Any) -> tuple[dict[str, Any], int, dict[str, str]]:
    body = {"type": type_, "title": title, "status": status, "detail": detail,
            "instance": quote(request.path), **extra}  # a URI reference: percent-encoded
    headers = {"Content-Type": "application/problem+json"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="alur"'
    return body, status, headers


def handle_domain_error(error: domain.AlurError):
    extra: dict[str, Any] = {}
    if isinstance(error, domain.FormInvalid):
        extra["errors"] = error.errors
    if isinstance(error, domain.InvalidDefinition):
        extra["problems"] = error.problems
    return problem(_status(error), error.title, str(error),
                   current_app.config["PROBLEM_BASE_URI"] + error.code, **extra)


def handle_http_error(error: HTTPException):
    extra: dict[str, Any] = {}
    messages = (getattr(error, "data", None) or {}).get("messages")
    if messages:
        extra["errors"] = field_errors(messages)
    return problem(error.code or 500, error.name, error.description or error.name, **extra)


def field_errors(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs' `{location: {field: [messages]}}` as `{field: [messages]}`.

    A location whose body could not be read at all (`{"json": ["Invalid JSON body."]}`) has a
    list instead of fields; its messages go under `_schema`, marshmallow's key for the whole body.
    """
    errors: dict[str, Any] = {}
    for found in messages.values():
        if isinstance(found, dict):
            errors.update(found)
        else:
            errors.setdefault("_schema", []).extend(found)
    return errors


def handle_unexpected(error: Exception):
    log.exception("Unexpected error on %s %r", request.method, request.path)  # %r: no forged lines
    return handle_http_error(InternalServerError("The server failed; the error has been logged."))


def init_app(app: Flask) -> None:
    app.register_error_handler(domain.AlurError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
