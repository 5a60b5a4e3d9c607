"""One running process instance: complete its tasks, see what waits, migrate, serialize."""

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.util import BpmnEvent, PendingBpmnEvent
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.clock import Clock
from engine.connectors import Connectors
from engine.errors import ConnectorFailed, TaskNotOpen
from engine.workflow import timers, walk
from engine.workflow.errors import translated_errors
from engine.workflow.model import Definition, Event, ReadyTask
from engine.workflow.recording import DecisionRecorder, properties
from engine.workflow.scripting import ScriptEngine
from engine.workflow.serialization import SERIALIZER, json_of

if TYPE_CHECKING:
    from engine.workflow.engine import WorkflowEngine


class Instance:
    """One running process: complete its user tasks, read what waits, serialize it."""

    def __init__(self, workflow: BpmnWorkflow, definition: Definition, connectors: Connectors,
                 clock: Clock):
        self.definition = definition
        self.clock = clock
        self.connectors = connectors
        self.journal: list[Event] = []
        self.saved_as: str | None = None  # the JSON of the last `dumps`, until the next move
        self._kept_json: dict[Any, Any] = {}  # tasks' JSON as `dumps` made it, for the next
        self._tasks: list[Any] | None = None  # the task tree in order, read once per move
        self._ready: list[ReadyTask] | None = None  # the user tasks waiting, once per move
        # Journal the engine's decisions (Alur's audit); off only where the bare engine is
        # measured (benchmarks/full_application.py).
        self.recording = True
        self._workflow = workflow
        workflow.script_engine = ScriptEngine(connectors, self.journal, clock)  # Spiff saves none

    def _moved(self) -> None:
        """Forget what was read off the task tree and what the instance was saved as."""
        self.saved_as, self._tasks, self._ready = None, None, None

    def _in_state(self, state: int) -> list[Any]:
        """Tasks in any of the states of `state`, in tree order (one walk of the tree per move,
        however many questions are asked of it)."""
        if self._tasks is None:
            self._tasks = walk.every_task(self._workflow)
        return [task for task in self._tasks if task.state & state]

    def run(self) -> list[Event]:
        """Run engine steps until people or outside events are needed; return what happened.

        A connector that fails leaves its service task in error (see `failed_tasks`): an
        incident to retry later, not a failure of whoever's input set the engine running.
        """
        recorder = DecisionRecorder(self.definition.meta, self.journal)
        hooks = (recorder.before, recorder.after) if self.recording else (None, None)
        try:
            with self._moving(), recorder.listening():
                self._workflow.do_engine_steps(*hooks)
        except ConnectorFailed:
            pass
        events, self.journal[:] = list(self.journal), []
        return events

    def next_timer(self) -> datetime | None:
        """When the earliest waiting timer of this instance is due."""
        return timers.next_due(self._waiting())

    def fire_timers(self) -> list[Event]:
        """Let every timer whose time has come (by the clock) fire, then run on."""
        with self._moving():
            self._workflow.refresh_timers()
        return self.run()

    def waiting_messages(self) -> set[str]:
        """The names of the messages this instance waits for now."""
        return {event.name for event in self._waiting()
                if event.event_type == "MessageEventDefinition"}

    def deliver(self, name: str, payload: Mapping[str, Any]) -> list[Event]:
        """Hand a message to the event waiting for it, then run on.

        The caller has routed it to this instance already: SpiffWorkflow would let any instance
        catch the first message of a name, whatever its correlation key.
        """
        if name not in self.waiting_messages():
            raise TaskNotOpen(f"This case does not wait for the message {name!r} now.")
        event = BpmnEvent(MessageEventDefinition(name), json.loads(json.dumps(dict(payload))))
        with self._moving():
            self._workflow.send_event(event)
        return self.run()

    def _waiting(self) -> list[PendingBpmnEvent]:
        """Every event the instance waits for, those an event-based gateway groups included
        (SpiffWorkflow reports such a gateway as one event without name or due time)."""
        found = [e for e in self._workflow.waiting_events()
                 if e.event_type != "MultipleEventDefinition"]
        for task in self._in_state(TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, MultipleEventDefinition):
                found += [PendingBpmnEvent(sub.name, type(sub).__name__,
                                           task.internal_data.get("event_value"))
                          for sub in definition.event_definitions]
        return found

    def continuation(self) -> dict[str, Any] | None:
        """What a finished cycle carries into the next one (its end event's `continueAsNew`
        names the variables), or None when the case does not continue."""
        carried = self.outcome().get("continueAsNew")
        if not carried or not self.finished:
            return None
        data = self.data
        return {name: data[name] for name in carried.split() if name in data}

    def successor(self, data: Mapping[str, Any]) -> "Instance":
        """A fresh instance of the same version started with `data` (continue-as-new): the
        task tree starts empty again, so a case of many cycles costs the same each cycle."""
        workflow = new_workflow(self._workflow.spec, self._workflow.subprocess_specs, data)
        return Instance(workflow, self.definition, self.connectors, self.clock)

    def failed_tasks(self) -> list[dict[str, str]]:
        """Service tasks whose connector call failed, waiting for a retry or a resolution."""
        return [{"element": task.task_spec.bpmn_id,
                 "operation": getattr(task.task_spec, "operation_name", "")}
                for task in self._in_state(TaskState.ERROR) if _waited_on(task)]

    def retry(self, element: str) -> list[Event]:
        """Run a failed service task again, then run on (timers attached to it keep their due
        time: a deadline on a call counts from when the process first waited on it)."""
        task = self._failed(element)
        with self._moving(), self._timers_kept():
            self._workflow.reset_from_task_id(task.id)
        return self.run()

    def resolve(self, element: str, result: Mapping[str, Any]) -> list[Event]:
        """Complete a failed service task with a result obtained by hand, then run on."""
        task = self._failed(element)
        self._moved()
        task.data[task.task_spec.result_variable] = json.loads(json.dumps(dict(result)))
        with self._moving():
            task.complete()
        return self.run()

    @contextmanager
    def _moving(self) -> Iterator[None]:
        """Anything that moves the workflow may look at timers: they read this instance's clock."""
        self._moved()
        try:
            with translated_errors(), timers.reading(self.clock):
                yield
        finally:
            self._tasks, self._ready = None, None  # in case they were read while it moved

    @contextmanager
    def _timers_kept(self) -> Iterator[None]:
        """Waiting timers keep their due time through what resets them (a retry, a migration).
        SpiffWorkflow's reset starts a timer over; a service level counts from when the process
        first waited, as Camunda keeps a migrated timer's due date. A timer that the new version
        made another kind of event starts afresh."""
        due = {task.id: (_event_kind(task), task.internal_data["event_value"])
               for task in self._in_state(TaskState.WAITING) if "event_value" in task.internal_data}
        yield
        for task in self._workflow.get_tasks():
            kind, value = due.get(task.id, (None, None))
            if kind is not None and kind == _event_kind(task):
                task.internal_data["event_value"] = value

    def _failed(self, element: str) -> Any:
        for task in self._workflow.get_tasks(state=TaskState.ERROR):
            if task.task_spec.bpmn_id == element and _waited_on(task):
                return task
        raise TaskNotOpen(f"{element} has not failed; there is nothing to retry or resolve.")

    def complete(self, spiff_id: str, data: Mapping[str, Any]) -> list[Event]:
        """Submit a user task's data, then run the engine on."""
        task = self._ready_task(spiff_id)
        self._moved()
        task.data.update(data)
        output_item = _instance_output_item(task)
        if output_item is not None:  # one instance of a multi-instance task: its form is the item
            task.data[output_item] = dict(data)
        with self._moving():
            task.run()
        return self.run()

    def blocking_tasks(self, engine: "WorkflowEngine", sha256: str,
                       renamed: Mapping[str, str]) -> list[str]:
        """Why this instance cannot move to version `sha256`: its waiting tasks missing there."""
        _, spec, _ = engine.spec(sha256)
        reasons = []
        for task in self.ready_tasks():
            target = renamed.get(task.task, task.task)
            if target not in spec.task_specs or not spec.task_specs[target].manual:
                reasons.append(f"the waiting task {task.task} is not a user task of the target "
                               f"version; map it to one that is")
        passed = {t.task_spec.name for t in self._workflow.get_tasks()}
        missing = sorted(n for n in passed if _renamed(n, renamed) not in spec.task_specs)
        if missing and not reasons:
            reasons.append(f"elements this application went through have no counterpart in the "
                           f"target version: {', '.join(missing)}; map them")
        return reasons

    def migrate(self, engine: "WorkflowEngine", sha256: str,
                renamed: Mapping[str, str]) -> list[Event]:
        """Move to another version (SpiffWorkflow's own diff and migration), then run on."""
        definition, spec, subprocess_specs = engine.spec(sha256)
        with self._moving(), self._timers_kept():
            diff, _ = diff_workflow(SERIALIZER.registry, self._workflow, spec, subprocess_specs)
            for task in [*diff.alignment, *diff.removed]:
                target = _renamed(task.task_spec.name, renamed)
                if target in spec.task_specs:
                    diff.alignment[task] = spec.task_specs[target]
            diff.removed = [task for task in diff.removed if diff.alignment.get(task) is None]
            migrate_workflow(diff, self._workflow, spec)
            self._workflow.subprocess_specs = subprocess_specs
        self.definition = definition
        return self.run()

    def ready_tasks(self) -> list[ReadyTask]:
        """The user tasks waiting for people, in a stable order."""
        if self._ready is None:
            self._ready = [self._describe(task) for task in self._in_state(TaskState.READY)
                           if task.task_spec.manual]
        return list(self._ready)

    def task_data(self, spiff_id: str) -> dict[str, Any]:
        """The data a waiting task sees."""
        return dict(self._ready_task(spiff_id).data)

    @property
    def finished(self) -> bool:
        return self._workflow.completed

    def outcome(self) -> dict[str, str]:
        """The properties of the end event that decided the application (one with a `status`),
        or {} while none was reached; side branches such as escalations may still be open."""
        for task in self._in_state(TaskState.COMPLETED):
            spec = task.task_spec
            if isinstance(spec, EndEvent):
                props = properties(spec)
                if "status" in props:
                    return props | {"end_event": spec.bpmn_id}
        return {}

    @property
    def data(self) -> dict[str, Any]:
        """The process data as it stands (the latest completed task's view)."""
        if self._workflow.completed:
            return dict(self._workflow.data)
        tasks = self._in_state(TaskState.READY | TaskState.WAITING)
        return dict(tasks[0].data) if tasks else dict(self._workflow.data)

    def dumps(self) -> str:
        """The instance state as JSON, without the spec (stored once per version)."""
        self.saved_as = json_of(self._workflow, self._kept_json)
        return self.saved_as

    def _ready_task(self, spiff_id: str) -> Any:
        try:
            task = self._workflow.get_task_from_id(UUID(spiff_id))
        except (ValueError, KeyError, SpiffWorkflowException):
            task = None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotOpen("This task is not waiting for input any more; reload your inbox.")
        return task

    def _describe(self, task: Any) -> ReadyTask:
        spec = task.task_spec
        parent = task.parent
        in_group = parent is not None and getattr(parent.task_spec, "task_spec", None) == spec.name
        return ReadyTask(
            spiff_id=str(task.id), task=spec.bpmn_id, title=spec.bpmn_name or spec.bpmn_id,
            role=properties(spec).get("role") or spec.lane, properties=properties(spec),
            instructions=spec.extensions.get("instructionsForEndUser"),
            group_key=str(parent.id) if in_group else None, data=dict(task.data),
            due_at=_boundary_due(task))


def new_workflow(spec: Any, subprocess_specs: dict[str, Any], data: Mapping[str, Any]
                 ) -> BpmnWorkflow:
    """A workflow of a spec whose start event holds `data` (copied as plain JSON)."""
    workflow = BpmnWorkflow(spec, subprocess_specs)
    start = workflow.get_tasks(state=TaskState.READY)[0]
    start.data.update(json.loads(json.dumps(dict(data))))
    return workflow


def _renamed(name: str, renamed: Mapping[str, str]) -> str:
    """A spec's name in the target; SpiffWorkflow's helper specs (`task.BoundaryEventSplit`)
    follow the task they belong to."""
    head, dot, tail = name.partition(".")
    return renamed[head] + dot + tail if head in renamed else name


def _waited_on(task: Any) -> bool:
    """A failed task the process still waits on. An interrupting event (a boundary timer, a
    terminate end) leaves a failed task in ERROR, which SpiffWorkflow counts as finished, and
    cancels only what follows it: then nothing waits on it any more."""
    return not any(child.state == TaskState.CANCELLED for child in task.children)


def _event_kind(task: Any) -> str | None:
    definition = getattr(task.task_spec, "event_definition", None)
    return None if definition is None else type(definition).__name__


def _boundary_due(task: Any) -> str | None:
    """The earliest waiting timer attached to this task (its service level), if any."""
    siblings = task.parent.children if task.parent is not None else []
    due = [s.internal_data["event_value"] for s in siblings
           if s is not task and s.state == TaskState.WAITING
           and isinstance(s.internal_data.get("event_value"), str)]
    return min(due) if due else None


def _instance_output_item(task: Any) -> str | None:
    """The output item name when `task` is one instance of a multi-instance activity."""
    wrapper = task.parent.task_spec if task.parent is not None else None
    if getattr(wrapper, "task_spec", None) != task.task_spec.name:
        return None
    item = getattr(wrapper, "output_item", None)
    return item.bpmn_id if item is not None else None

