"""Instances kept alive between the transactions of one process, so the next step of a case
skips restoring its workflow from JSON.

An instance is kept right after it was saved, together with the JSON it was saved as; it is
handed out again only for exactly that JSON (what the store holds now), and only once: the
caller owns it from then on. Anything that moves an instance forgets what it was saved as, so
an instance changed after its last save, or a save that never committed, is never reused.
"""

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.workflow.instance import Instance

KEPT = 256  # cases per process; the least recently saved are dropped first


class LiveInstances:
    """A small, thread-safe LRU of saved instances keyed by case."""

    def __init__(self, size: int = KEPT):
        self.size = size
        self._kept: OrderedDict[int, Instance] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, case: int, instance: "Instance") -> None:
        """Remember a just-saved instance of a case (it replaces any older one)."""
        if instance.saved_as is None or self.size == 0:
            return
        with self._lock:
            self._kept[case] = instance
            self._kept.move_to_end(case)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def take(self, case: int, sha256: str, state_json: str) -> "Instance | None":
        """The kept instance of a case if it was saved as exactly `state_json` on `sha256`."""
        with self._lock:
            instance = self._kept.pop(case, None)
        if instance is None or instance.definition.sha256 != sha256 \
                or instance.saved_as != state_json:
            return None
        return instance
