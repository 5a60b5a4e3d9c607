"""Re-run an application from its recorded outside inputs; compare what the engine decides again.

The inputs are exactly what the event log holds: the start payload, each task completion (task id,
which instance of it, data) and each connector response. Nothing else reaches the engine (its
scripts read no time or randomness), so an unchanged version must decide the same way again.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.clock import FixedClock
from engine.connectors import Connectors
from engine.errors import AlurError, ConnectorFailed
from engine.workflow import Event, Instance, ReadyTask, WorkflowEngine

DECISION_TYPES = ("gateway_passed", "rule_evaluated", "script_ran", "connector_called",
                  "end_reached", "task_opened", "task_cancelled", "event_caught", "cycle_continued")


def task_changes(open_tasks: Mapping[str, str], ready: list[ReadyTask]
                 ) -> tuple[list[str], list[ReadyTask]]:
    """Which open tasks (spiff id → task) stopped waiting, and which ready tasks are new."""
    waiting = {task.spiff_id for task in ready}
    cancelled = [spiff_id for spiff_id in open_tasks if spiff_id not in waiting]
    return cancelled, [task for task in ready if task.spiff_id not in open_tasks]


def entry(type_: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """A decision as compared: what the engine chose, without row ids or outside answers."""
    keep = {"gateway_passed": ("element", "flow", "target"),
            "rule_evaluated": ("element", "decision", "inputs", "rule", "outputs"),
            "script_ran": ("element", "outputs", "removed"),
            "connector_called": ("element", "operation", "request"),
            "end_reached": ("element", "status", "stage"),
            "event_caught": ("element",),
            "task_opened": ("task", "role"),
            "task_cancelled": ("task",),
            "cycle_continued": ("carried",)}[type_]
    return {"type": type_, **{key: payload.get(key) for key in keep}}


def recorded_trace(log: list[Mapping[str, Any]], until_seq: int | None = None
                   ) -> list[tuple[int, dict[str, Any]]]:
    """(seq, decision) for every engine decision in a stored log."""
    return [(event["seq"], entry(event["type"], event["payload"])) for event in log
            if event["type"] in DECISION_TYPES and (until_seq is None or event["seq"] <= until_seq)]


class RecordedConnectors(Connectors):
    """Answers connector calls with the responses the log recorded, in order, per operation."""

    def __init__(self, log: list[Mapping[str, Any]], skip_errors: bool = False):
        super().__init__({})
        self.pending = [event["payload"] for event in log if event["type"] == "connector_called"
                        and not (skip_errors and "error" in event["payload"])]
        self.missing: list[str] = []

    def call(self, operation_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        for index, call in enumerate(self.pending):
            if call["operation"] == operation_name:
                del self.pending[index]
                if "error" in call:
                    raise ConnectorFailed(call["error"])
                return call["response"]
        self.missing.append(operation_name)
        raise ConnectorFailed(f"No response of {operation_name} was recorded; replay stops here.")


@dataclass
class Rerun:
    """What a re-run produced: the decisions, where it stopped and which inputs it did not use."""

    instance: Instance | None
    trace: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    asked_but_never_given: list[str] = field(default_factory=list)
    given_but_not_asked: list[dict[str, Any]] = field(default_factory=list)
    inputs_used: int = 0


Picker = Callable[[list[ReadyTask], list[Mapping[str, Any]]], tuple[ReadyTask, int] | None]


def rerun(engine: WorkflowEngine, sha256: str, log: list[Mapping[str, Any]],
          strict: bool = True, until_seq: int | None = None) -> Rerun:
    """Start the version from the recorded start payload and feed the recorded completions.

    strict: feed completions in log order to the same task instance (replay); otherwise feed
    each waiting task the first recorded input for it (what-if on another version).
    """
    kinds = ("task_completed", "definition_migrated", "connector_retried", "incident_resolved",
             "timer_fired", "message_delivered") if strict else ("task_completed",)
    inputs = [event for event in log[1:] if event["type"] in kinds
              and (until_seq is None or event["seq"] <= until_seq)]
    connectors = RecordedConnectors(log, skip_errors=not strict)
    result = Rerun(None)
    open_tasks: dict[str, str] = {}
    try:
        _at(engine, log[0])
        result.instance = engine.start(sha256, log[0]["payload"]["data"], connectors=connectors)
        _step(result, open_tasks, result.instance.run())
        _feed(engine, result, open_tasks, inputs, _strict_pick if strict else _first_match)
    except AlurError as error:
        result.error = str(error)
    return result


def _feed(engine: WorkflowEngine, result: Rerun, open_tasks: dict[str, str],
          inputs: list[Mapping[str, Any]], pick: Picker) -> None:
    pending = list(inputs)
    while pending:
        _at(engine, pending[0])
        if pending[0]["type"] != "task_completed":
            _outside(engine, result, open_tasks, pending.pop(0))
            continue
        instance = result.instance  # a new one after each continue-as-new
        assert instance is not None
        ready = instance.ready_tasks()
        choice = pick(ready, pending)
        if choice is None:
            result.asked_but_never_given = [task.task for task in ready]
            break
        task, index = choice
        payload = pending.pop(index)["payload"]
        open_tasks.pop(task.spiff_id, None)
        result.inputs_used += 1
        _step(result, open_tasks, instance.complete(task.spiff_id, payload["data"]))
    result.given_but_not_asked = [{"task": e["payload"]["task"], "seq": e["seq"]}
                                  for e in pending if e["type"] == "task_completed"]
    instance = result.instance
    if not pending and not instance.finished and not result.asked_but_never_given:
        result.asked_but_never_given = [task.task for task in instance.ready_tasks()]


def _outside(engine: WorkflowEngine, result: Rerun, open_tasks: dict[str, str],
             event: Mapping[str, Any]) -> None:
    """Apply a recorded input other than a task completion, as the live service did."""
    instance, payload = result.instance, event["payload"]
    assert instance is not None
    if event["type"] == "definition_migrated":
        for spiff_id in list(open_tasks):
            result.trace.append(entry("task_cancelled", {"task": open_tasks.pop(spiff_id)}))
        _step(result, open_tasks, instance.migrate(engine, payload["to"], payload["renamed"]))
    elif event["type"] == "timer_fired":
        _step(result, open_tasks, instance.fire_timers())
    elif event["type"] == "message_delivered":
        _step(result, open_tasks, instance.deliver(payload["name"], payload["payload"]))
    elif event["type"] == "connector_retried":
        _step(result, open_tasks, instance.retry(payload["element"]))
    elif payload.get("how") == "by_hand":
        _step(result, open_tasks, instance.resolve(payload["element"], payload["result"]))


def _at(engine: WorkflowEngine, event: Mapping[str, Any]) -> None:
    """Replays run on the logical clock: each input at the time it was recorded."""
    if isinstance(engine.clock, FixedClock) and "at" in event:
        engine.clock.set(event["at"])


def _strict_pick(ready: list[ReadyTask], pending: list[Mapping[str, Any]]):
    payload = pending[0]["payload"]
    same = [task for task in ready if task.task == payload["task"]]
    ordinal = payload.get("ordinal", 0)
    return (same[ordinal], 0) if ordinal < len(same) else None


def _first_match(ready: list[ReadyTask], pending: list[Mapping[str, Any]]):
    for index, event in enumerate(pending):
        for task in ready:
            if task.task == event["payload"]["task"]:
                return task, index
    return None


def _step(result: Rerun, open_tasks: dict[str, str], events: list[Event]) -> None:
    assert result.instance is not None
    result.trace.extend(entry(type_, payload) for type_, payload in events)
    cancelled, opened = task_changes(open_tasks, result.instance.ready_tasks())
    for spiff_id in cancelled:
        result.trace.append(entry("task_cancelled", {"task": open_tasks.pop(spiff_id)}))
    for task in opened:
        open_tasks[task.spiff_id] = task.task
        result.trace.append(entry("task_opened", {"task": task.task, "role": task.role}))
    carried = result.instance.continuation()
    if carried is not None:  # a loan cycle ended: the next starts from what it carried
        result.trace.append(entry("cycle_continued", {"carried": carried}))
        result.instance = result.instance.successor(carried)
        _step(result, open_tasks, result.instance.run())
