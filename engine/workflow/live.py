"""Instances kept alive between the transactions of one process, so the next step of a case
skips restoring its workflow from JSON.

An instance is kept right after it was saved, together with the JSON it was saved as; it is
handed out again only for exactly that JSON (what the store holds now), and only once: the
caller owns it from then on. Anything that moves an instance forgets what it was saved as, so
an instance changed after its last save, or a save that never committed, is never reused.
"""

from typing import TYPE_CHECKING

from engine.recent import Recent

if TYPE_CHECKING:
    from engine.workflow.instance import Instance

KEPT = 256  # cases per process; the least recently saved are dropped first


class LiveInstances:
    """The saved instances of the most recently saved cases, keyed by case."""

    def __init__(self, size: int = KEPT):
        self._kept: Recent[int, Instance] = Recent(size)

    def keep(self, case: int, instance: "Instance") -> None:
        """Remember a just-saved instance of a case (it replaces any older one)."""
        if instance.saved_as is not None:
            self._kept.put(case, instance)

    def take(self, case: int, sha256: str, state_json: str) -> "Instance | None":
        """The kept instance of a case if it was saved as exactly `state_json` on `sha256`."""
        instance = self._kept.pop(case)
        if instance is None or instance.definition.sha256 != sha256 \
                or instance.saved_as != state_json:
            return None
        return instance
