"""Records each decision the engine takes, for the event log and replays."""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    EndEvent,
    EventBasedGateway,
    ExclusiveGateway,
    IntermediateCatchEvent,
)
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.spiff.specs.defaults import BusinessRuleTask, ScriptTask

from engine import sandbox
from engine.errors import ScriptFailed
from engine.workflow.model import Event


def properties(spec: Any) -> dict[str, str]:
    """The spiffworkflow properties of a task spec."""
    return dict(getattr(spec, "extensions", {}).get("properties", {}))


# The rules each decision table matched while a recorder listens (per thread: specs are shared).
_matched: ContextVar[dict[Any, list[Any]] | None] = ContextVar("alur_matched", default=None)


class ToldDMNEngine(DMNEngine):
    """SpiffWorkflow's DMN engine telling a listening recorder which rules matched, so the
    journal takes them from the engine's own evaluation instead of evaluating the table again."""

    def decide(self, task: Any) -> list[Any]:
        rules = super().decide(task)
        matched = _matched.get()
        if matched is not None:
            matched[task.id] = rules
        return rules


def tell_decisions(specs: Iterable[Any]) -> None:
    """Give every business rule task of these process specs a ToldDMNEngine (once, on restore)."""
    for process in specs:
        for spec in process.task_specs.values():
            if isinstance(spec, BusinessRuleTask) and type(spec.dmnEngine) is DMNEngine:
                spec.dmnEngine = ToldDMNEngine(spec.dmnEngine.decision_table)


class DecisionRecorder:
    """Records each decision the engine takes: gateway flows, DMN rules, script outputs, ends."""

    def __init__(self, meta: Mapping[str, Any], journal: list[Event]):
        self.meta = meta
        self.journal = journal
        self._before: dict[str, Any] = {}
        self._matched: dict[Any, list[Any]] = {}

    @contextmanager
    def listening(self) -> Iterator[None]:
        """Hear which rules the decision tables matched while the engine runs."""
        token = _matched.set(self._matched)
        try:
            yield
        finally:
            _matched.reset(token)

    def before(self, task: Any) -> None:
        spec = task.task_spec
        if isinstance(spec, BusinessRuleTask):
            self._before = {"inputs": _dmn_inputs(spec.dmnEngine.decision_table, task)}
            if not isinstance(spec.dmnEngine, ToldDMNEngine):  # a spec tell_decisions never saw
                self._matched[task.id] = spec.dmnEngine.decide(task)
        elif isinstance(spec, ScriptTask):
            self._before = {"data": json.loads(json.dumps(task.data))}

    def after(self, task: Any) -> None:
        spec = task.task_spec
        handler: Callable[[Any], None] | None = {
            ExclusiveGateway: self._gateway, EventBasedGateway: self._gateway,
            BusinessRuleTask: self._rule,
            ScriptTask: self._script, EndEvent: self._end, BoundaryEvent: self._caught,
            IntermediateCatchEvent: self._caught,
        }.get(type(spec))
        if handler is not None:
            handler(task)

    def _gateway(self, task: Any) -> None:
        spec = task.task_spec
        for child in task.children:
            # a task with boundary events sits behind SpiffWorkflow's `<task>.BoundaryEventSplit`
            target = child.task_spec.bpmn_id or child.task_spec.name.partition(".")[0]
            flow = self.meta["flows"].get(f"{spec.bpmn_id}>{target}", {})
            self.journal.append(("gateway_passed", {
                "element": spec.bpmn_id, "name": spec.bpmn_name, "flow": flow.get("id"),
                "flow_name": flow.get("name"), "target": target}))

    def _rule(self, task: Any) -> None:
        spec = task.task_spec
        table = spec.dmnEngine.decision_table
        rules = self._matched.pop(task.id, [])
        rule = rules[0] if rules else None
        outputs = {o.name: task.data.get(o.name) for o in table.outputs}
        self.journal.append(("rule_evaluated", {
            "element": spec.bpmn_id, "name": spec.bpmn_name,
            "decision": spec.extensions.get("calledDecisionId"),
            "inputs": self._before.get("inputs", {}),
            "rule": None if rule is None else {
                "id": rule.id, "row": rule.row_number, "description": rule.description},
            "outputs": outputs}))

    def _script(self, task: Any) -> None:
        before = self._before.get("data", {})
        after = task.data
        changed = {k: v for k, v in after.items() if k not in before or before[k] != v}
        removed = sorted(k for k in before if k not in after)
        self.journal.append(("script_ran", {"element": task.task_spec.bpmn_id,
                                            "outputs": changed, "removed": removed}))

    def _caught(self, task: Any) -> None:
        self.journal.append(("event_caught", {"element": task.task_spec.bpmn_id}))

    def _end(self, task: Any) -> None:
        self.journal.append(("end_reached", {"element": task.task_spec.bpmn_id,
                                             **properties(task.task_spec)}))


def _dmn_inputs(table: Any, task: Any) -> dict[str, Any]:
    inputs = {}
    for column in table.inputs:
        try:
            value = sandbox.evaluate(column.expression, task.data)
        except ScriptFailed:
            value = None
        inputs[column.label or column.expression] = value
    return inputs
