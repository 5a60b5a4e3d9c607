"""Access to the app's Alur instance and the authenticated caller."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request

from api.idempotency import idempotent
from engine.bootstrap import Alur
from engine.services.audit import record_read
from engine.services.users import Actor, authenticate

AUDITOR = "auditor"


def alur() -> Alur:
    return current_app.extensions["alur"]


def actor() -> Actor:
    return g.actor


def requires(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Authenticate the bearer token and, if roles are given, require one of them."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            header = request.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            g.actor = authenticate(alur(), token.strip() if scheme.lower() == "bearer" else None)
            if roles:
                g.actor.require(*roles)
            if AUDITOR in g.actor.roles:  # every read by an auditor is itself logged
                record_read(alur(), g.actor, request.method, request.path,
                            kwargs.get("application_id"))
            # After the read log: a POST with an Idempotency-Key acts once (api/idempotency.py).
            return idempotent(alur(), g.actor.name, lambda: view(*args, **kwargs))

        return guarded

    return decorate
