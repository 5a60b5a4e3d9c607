"""What a process read last of each case's journal, so the next read of it fetches only what
came after: an answer after each step lists every decision of the case, and the list grows with
every step.

A recollection is the events of some types a case had after a sequence number, up to the last of
them, and that last one's hash. It is used again only if the store still holds an event with that
sequence number and that hash: as each hash covers the one before it, the whole journal up to it is
then the one that was read. So a read made inside a transaction that never committed, or a case
moved by another process, is never mistaken for the current journal; the worst a stale
recollection costs is one full read.
"""

from typing import Any, NamedTuple

from engine.recent import Recent

KEPT = 1024  # cases per process; the least recently read are dropped first


class Recollection(NamedTuple):
    types: tuple[str, ...]
    after_seq: int
    events: tuple[Any, ...]  # in order; the last one is the anchor


class JournalRecall:
    """The events last read per case, for the most recently read cases (see the module)."""

    def __init__(self, size: int = KEPT):
        self._kept: Recent[int, Recollection] = Recent(size)

    def recall(self, case: int, types: tuple[str, ...], after_seq: int) -> tuple[Any, ...]:
        """The events kept for exactly this read of the case (the anchor last), or none."""
        kept = self._kept.get(case)
        if kept is None or kept.types != types or kept.after_seq != after_seq:
            return ()
        return kept.events

    def keep(self, case: int, types: tuple[str, ...], after_seq: int,
             events: tuple[Any, ...]) -> None:
        if events:
            self._kept.put(case, Recollection(types, after_seq, events))
