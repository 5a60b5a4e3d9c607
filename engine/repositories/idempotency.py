"""Idempotency keys: the first answer to a POST, held in the action's own transaction."""

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.db import IdempotencyRow
from engine.errors import ConcurrentUpdate
from engine.repositories.base import lost_a_race


class IdempotencyKeys:
    def __init__(self, session: Session):
        self.session = session

    def find(self, actor: str, key: str) -> IdempotencyRow | None:
        return self.session.scalar(select(IdempotencyRow).where(IdempotencyRow.actor == actor,
                                                                IdempotencyRow.key == key))


@dataclass
class IdempotentRequest:
    """A request sent with an `Idempotency-Key`, while it runs (see engine/services/idempotency).

    Its key row rides on the request's first `UnitOfWork.commit()`, which only flushes: the
    action and the row stay one open transaction (`held`) until `answer()` writes the answer into
    the row and commits both. `settle()` commits early, the answer to follow on its own.
    """

    actor: str
    key: str
    method: str
    path: str
    request_hash: str
    at: datetime
    row: IdempotencyRow | None = None
    held: Session | None = None
    session_factory: sessionmaker[Session] | None = None

    @property
    def acted(self) -> bool:
        """Something was committed (or is about to be, with the answer) under this key."""
        return self.row is not None

    def hold(self, session: Session, session_factory: sessionmaker[Session]) -> None:
        """Add the key row (no answer yet) to the action's transaction and keep it open."""
        row = IdempotencyRow(actor=self.actor, key=self.key, method=self.method,
                             path=self.path[:500], request_hash=self.request_hash, status_code=0,
                             response_body="", content_type="", created_at=self.at)
        session.add(row)
        session.flush()  # a concurrent twin's row collides here, before anything is committed
        self.row, self.held, self.session_factory = row, session, session_factory

    def settle(self) -> None:
        """Commit the held action now (another unit of work needs the store); answer later."""
        session, self.held = self.held, None
        if session is not None:
            try:
                _commit(session, self, carries_action=True)
            finally:
                session.close()  # its connection goes back to the pool now, not at GC time

    def answer(self, status: int, body: str, content_type: str) -> None:
        """Write the answer: in the held transaction with the action, or on its own if settled."""
        if self.row is None or self.session_factory is None:
            return
        held, self.held = self.held, None
        session = held or self.session_factory()
        try:
            row = self.row if held is not None else session.get(IdempotencyRow, self.row.id)
            if row is not None:
                row.status_code, row.response_body = status, body
                row.content_type = content_type[:100]
            _commit(session, self, carries_action=held is not None)
        finally:
            session.close()

    def discard(self) -> None:
        """Roll back a held action that got no answer (the request failed after all)."""
        session, self.held = self.held, None
        if session is not None:
            self.row = None
            session.rollback()
            session.close()


def _commit(session: Session, request: IdempotentRequest, carries_action: bool) -> None:
    try:
        session.commit()
    except Exception as error:
        session.rollback()
        if carries_action:
            request.row = None
        if lost_a_race(error):
            raise ConcurrentUpdate("Someone else changed this application at the same moment; "
                                   "nothing was done; reload and retry.") from None
        raise


# The idempotent request the current thread or task is serving, if any (set by the service).
current_request: ContextVar[IdempotentRequest | None] = ContextVar("alur_idempotent_request",
                                                                    default=None)
