"""The `Idempotency-Key` header on authenticated POSTs (engine/services/idempotency.py)."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request

from engine.bootstrap import Alur
from engine.errors import AlurError
from engine.services import idempotency as service

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"


def idempotent(alur: Alur, actor: str, view: Callable[[], Any]) -> Any:
    """Run a POST view at most once per actor and key; a retry gets the first answer."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return view()
    service.check_key(key)
    target = request.full_path.rstrip("?")
    fingerprint = service.request_hash(request.method, target, _body())
    identity = (alur, actor, key, request.method, target, fingerprint)
    stored = service.first_answer(*identity)
    if stored is not None:
        return _replay(stored)
    with service.acting(*identity) as pending:
        response = _run(view, pending, identity)
        service.record_answer(pending, service.Answer(
            response.status_code, response.get_data(as_text=True), response.content_type or ""))
    return response


def _run(view: Callable[[], Any], pending: service.IdempotentRequest,
         identity: tuple[Any, ...]) -> Response:
    try:
        return current_app.make_response(view())
    except Exception as error:
        if pending.acted:  # it failed after committing: that error is the answer to keep
            return current_app.make_response(current_app.handle_user_exception(error))
        # Not done: a lost race, perhaps to a twin with this key, whose answer is ours too.
        stored = service.first_answer(*identity) if isinstance(error, AlurError) else None
        if stored is None:
            raise
        return _replay(stored)


def _replay(answer: service.Answer) -> Response:
    response = Response(answer.body, status=answer.status, content_type=answer.content_type)
    response.headers[REPLAYED] = "true"
    return response


def _body() -> bytes:
    """The body as a retry would repeat it: JSON canonically, multipart part by part (a client
    draws a new boundary per attempt), anything else byte for byte."""
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        request.max_content_length = current_app.config["MAX_UPLOAD_LENGTH"]  # as deploys accept
        parts = [["field", name, value] for name, value in request.form.items(multi=True)]
        for name, upload in request.files.items(multi=True):
            parts.append(["file", name, upload.filename or "",
                          hashlib.sha256(upload.stream.read()).hexdigest()])
            upload.stream.seek(0)
        return json.dumps(sorted(parts)).encode()
    body = request.get_data(cache=True)
    parsed = request.get_json(silent=True) if request.is_json else None
    return body if parsed is None else json.dumps(parsed, sort_keys=True).encode()
