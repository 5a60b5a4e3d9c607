"""`Idempotency-Key` on POSTs: a retried request gets the first answer and acts only once.

A key belongs to one actor. The first request that *acts* under it (commits anything) stores its
answer (status, body, content type); the same actor sending the same key with the same request
(method, path with query, body) gets exactly that answer back. The same key with another
request is refused (422, `idempotency-key-reused`).

The guarantee rests on one database transaction. The key's row is written in the transaction of
the action itself: the use case's `uow.commit()` adds the row and only flushes, and the
transaction stays open until the view's answer is in the row; then action, key and answer commit
together (engine.unit_of_work.IdempotentRequest). Hence:

- A crash (SIGKILL, power loss) before that commit loses the action and the key together. The
  client never saw an answer; its retry finds no key and acts, once. After the commit a retry
  finds the key and gets the first answer. There is no moment where the action is stored and
  the key is not, or the reverse, and no key is left "in progress" by a crash.
- A concurrent duplicate (same key, while the first runs) cannot commit: its own row collides
  with the first's on the unique (actor, key) (PostgreSQL makes it wait for the first to end,
  SQLite has one writer at a time), so its whole transaction rolls back. It then answers with the
  first request's stored answer, or 409 `request-in-progress` if that is not there yet.
- A request that failed before committing (a 4xx, a lost race, a 5xx) acted on nothing and
  stores nothing: a retry runs afresh. A request that commits nothing (a read such as a replay,
  a message id seen before) stores nothing either; its retry answers the same way again.

One case is weaker: a use case that opens another unit of work after it committed (a deployment
of several processes) settles the first transaction early, with the key's row but no answer yet.
Until the answer follows, the key answers 409 `request-in-progress`; if the server died in that
gap, after `LOST_AFTER` it answers 409 `idempotency-answer-lost`: it was done, and is not redone.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from engine.bootstrap import Alur
from engine.errors import (
    AnswerLost,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    RequestInProgress,
)
from engine.repositories.idempotency import IdempotentRequest, current_request

MAX_KEY_LENGTH = 200
LOST_AFTER = timedelta(minutes=2)  # longer than any request may run (gunicorn's timeout is 60 s)


@dataclass(frozen=True)
class Answer:
    """What the first request answered, to send again."""

    status: int
    body: str
    content_type: str


def request_hash(method: str, path: str, body: bytes) -> str:
    """The fingerprint a retry must match: method, path with query, and body."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def check_key(key: str) -> None:
    """Raises IdempotencyKeyInvalid unless the key is 1 to 200 printable ASCII characters."""
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise IdempotencyKeyInvalid(f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable "
                                    f"ASCII characters; this one has {len(key)}.")


def first_answer(alur: Alur, actor: str, key: str, method: str, path: str,
                 fingerprint: str) -> Answer | None:
    """The stored answer for this actor's key; None if the key has not acted yet.

    Raises:
        IdempotencyKeyReused: the key was used with another request.
        RequestInProgress: the first request acted but has not recorded its answer yet.
        AnswerLost: it acted, but the server stopped before recording its answer.
    """
    with alur.uow() as uow:
        row = uow.idempotency.find(actor, key)
        if row is None:
            return None
        if (row.method, row.path, row.request_hash) != (method, path[:500], fingerprint):
            raise IdempotencyKeyReused(
                f"This Idempotency-Key was first used for {row.method} {row.path} with another "
                "body; send a new key for a new request.")
        if row.status_code:
            return Answer(row.status_code, row.response_body, row.content_type)
        if alur.clock.now() - row.created_at < LOST_AFTER:
            raise RequestInProgress("The first request with this Idempotency-Key is still "
                                    "running; retry in a moment to get its answer.")
        raise AnswerLost("The first request with this Idempotency-Key was carried out, but the "
                         "server stopped before recording its answer; it will not be carried "
                         "out again. Read the current state instead.")


@contextmanager
def acting(alur: Alur, actor: str, key: str, method: str, path: str,
           fingerprint: str) -> Iterator[IdempotentRequest]:
    """Run a request under its key: its first commit carries the key's row (see above)."""
    request = IdempotentRequest(actor, key, method, path, fingerprint, alur.clock.now())
    token = current_request.set(request)
    try:
        yield request
    finally:
        current_request.reset(token)
        request.discard()  # a no-op once the answer is recorded


def record_answer(request: IdempotentRequest, answer: Answer) -> None:
    """Store the answer with the action (one commit); nothing if the request did not act.

    Raises:
        ConcurrentUpdate: the action could not be committed after all; nothing was done.
    """
    request.answer(answer.status, answer.body, answer.content_type)
