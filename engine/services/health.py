"""Is the store reachable?"""

from typing import Any

from engine.bootstrap import Alur


def check(alur: Alur) -> dict[str, Any]:
    """`{"status": "ok"}` when the database answers a query."""
    with alur.uow() as uow:
        uow.ping()
    return {"status": "ok", "database": "ok"}
