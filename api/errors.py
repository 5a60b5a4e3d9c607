"""Every error leaves as RFC 9457 problem+json; no stack trace or engine internals reach clients."""

import logging
from typing import Any

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
            "instance": request.path, **extra}
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
    if messages:  # webargs/marshmallow: {location: {field: [messages]}}
        extra["errors"] = {field: msgs for fields in messages.values()
                           for field, msgs in fields.items()}
    return problem(error.code or 500, error.name, error.description or error.name, **extra)


def handle_unexpected(error: Exception):
    log.exception("Unexpected error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError("The server failed; the error has been logged."))


def add_security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Content-Security-Policy", "default-src 'none'")
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(domain.AlurError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
    app.after_request(add_security_headers)
