"""The clock the engine reads instead of the wall clock, so tests and replays can set time."""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; for tests and replays."""

    def __init__(self, start: datetime):
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a moment (replays follow the recorded time of each input)."""
        self._now = moment

    def advance(self, **delta: float) -> None:
        """Move time forward, e.g. `advance(days=2)`."""
        self._now += timedelta(**delta)
