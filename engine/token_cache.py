"""Who a bearer token belongs to, remembered for a few seconds in this process.

Every request authenticates; a short memory of token hash -> actor spares the database a query
per request. Only hashes are keys (the token itself is never kept) and only known tokens are
remembered, never refusals. Revoking or rotating a token in this process forgets every entry of
every cache at once; another process (another gunicorn worker or machine) may accept a
token revoked elsewhere for at most `seconds` more (README, "The API").
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_ENTRIES = 10_000  # far more tokens than a bank has officers; past it, start afresh


class TokenCache(Generic[T]):
    """token hash -> value for `seconds` (0 or less: nothing is remembered)."""

    _generation = 0  # of the whole process: bumped by forget_everywhere()
    _lock = threading.Lock()

    def __init__(self, seconds: float = 0.0, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._entries: dict[str, tuple[float, int, T]] = {}

    def get(self, token_hash: str, load: Callable[[], T | None]) -> T | None:
        """The remembered value, or `load()`'s, remembered if not None and still current."""
        if self.seconds <= 0:
            return load()
        generation = TokenCache._generation
        entry = self._entries.get(token_hash)
        if entry is not None and entry[1] == generation and entry[0] > self._clock():
            return entry[2]
        value = load()
        # A revocation committed while load() ran bumped the generation: its answer may be
        # stale, so it is not remembered.
        if value is not None and generation == TokenCache._generation:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[token_hash] = (self._clock() + self.seconds, generation, value)
        return value

    @classmethod
    def forget_everywhere(cls) -> None:
        """Forget every remembered token of every cache in this process (after a revocation
        or a rotation has committed)."""
        with cls._lock:
            cls._generation += 1
