"""SpiffWorkflow's timers read Alur's clock, so tests, workers and replays decide when time came.

SpiffWorkflow 3.2 calls `datetime.now(timezone.utc)` inside its timer module, with no hook; the
module's `datetime` is replaced by one whose `now()` reads the clock of the instance being run.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo
from typing import Any

import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer

from engine.clock import Clock

TIMER_EVENTS = ("TimeDateEventDefinition", "DurationTimerEventDefinition",
                "CycleTimerEventDefinition")
_clock: ContextVar[Clock | None] = ContextVar("alur_clock", default=None)


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> "datetime":
        clock = _clock.get()
        moment = clock.now() if clock is not None else datetime.now(UTC)
        return moment.astimezone(tz) if tz else moment.astimezone(UTC).replace(tzinfo=None)


spiff_timer.datetime = _ClockedDatetime  # type: ignore[misc]


@contextmanager
def reading(clock: Clock) -> Iterator[None]:
    """Within this block SpiffWorkflow's timers read `clock`."""
    token = _clock.set(clock)
    try:
        yield
    finally:
        _clock.reset(token)


def next_due(waiting_events: list[Any]) -> datetime | None:
    """The earliest due time among a workflow's waiting timer events."""
    due = []
    for event in waiting_events:
        if event.event_type in TIMER_EVENTS and isinstance(event.value, str):
            moment = datetime.fromisoformat(event.value)
            due.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return min(due) if due else None
