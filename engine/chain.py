"""Tamper evidence: each application's events form a SHA-256 hash chain with a kept head.

hash(n) = SHA-256(hash(n-1) + canonical JSON of event n), hash(0) = 64 zeros. The application row
keeps the head (last hash and sequence number), so deleting the last events is caught as well.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


# json.dumps with these options builds an encoder on every call; one serves every event
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(application_id: int, seq: int, type_: str, actor: str, role: str | None,
              at: datetime, payload: Any) -> str:
    """The bytes that are hashed: sorted keys, no whitespace, UTF-8, UTC time in ISO 8601."""
    return _CANONICAL.encode({"application_id": application_id, "seq": seq, "type": type_,
                              "actor": actor, "role": role, "at": _utc(at), "payload": payload})


def _utc(at: datetime) -> str:
    """One text form of a moment for hashing: UTC, microseconds."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def link(previous: str, content: str) -> str:
    """The hash of one event given the previous hash."""
    return hashlib.sha256((previous + content).encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """`intact`, or the first broken sequence number and why (changed, missing, reordered)."""

    result: str
    events: int
    broken_at: int | None = None
    reason: str | None = None
    detail: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


def verify(events: Sequence[Any], head_seq: int, head_hash: str | None) -> Verdict:
    """Check stored events (in seq order) against their chain and the kept head."""
    stored_hashes = {event.hash for event in events}
    previous = GENESIS
    for expected, event in enumerate(events, 1):
        if event.seq != expected:
            return _broken(len(events), expected, "missing",
                           f"event {expected} is gone; the next stored one is {event.seq}")
        if event.prev_hash != previous:
            reason = "reordered" if event.prev_hash in stored_hashes else "changed"
            return _broken(len(events), expected, reason,
                           "its link to the previous event does not match")
        content = canonical(event.application_id, event.seq, event.type, event.actor,
                            event.role, event.at, event.payload)
        if link(previous, content) != event.hash:
            return _broken(len(events), expected, "changed",
                           "its content no longer matches its hash")
        previous = event.hash
    if len(events) != head_seq or previous != (head_hash or GENESIS):
        return _broken(len(events), len(events) + 1, "missing",
                       f"the head says {head_seq} events; {len(events)} are stored")
    return Verdict("intact", len(events))


def _broken(count: int, seq: int, reason: str, detail: str) -> Verdict:
    return Verdict("broken", count, seq, reason, detail)
