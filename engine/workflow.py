"""The only module that knows SpiffWorkflow: parses, runs and serializes credit processes.

Everything leaving this module is plain data (str, int, dict, list), so services and the API never
touch SpiffWorkflow objects. SpiffWorkflow's own exceptions are translated into Alur's errors.
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.defaults import EndEvent, ExclusiveGateway
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.defaults import BusinessRuleTask, ScriptTask
from SpiffWorkflow.util.task import TaskState

from engine import sandbox
from engine.connectors import Connectors
from engine.errors import (
    AlurError,
    ConnectorFailed,
    InvalidDefinition,
    ProcessFailed,
    ScriptFailed,
    TaskNotOpen,
)

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True)
Event = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Definition:
    """A parsed, serialized process version; `sha256` identifies it."""

    key: str
    sha256: str
    spec_json: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class ReadyTask:
    """A user task waiting for an officer."""

    spiff_id: str
    task: str
    title: str
    role: str | None
    properties: dict[str, str]
    instructions: str | None
    group_key: str | None
    data: dict[str, Any]


def parse_definition(key: str, sources: Mapping[str, bytes]) -> Definition:
    """Parse BPMN and DMN sources into a serialized spec; the XML is parsed without entities/DTDs.

    Raises:
        InvalidDefinition: with each problem found.
    """
    parser = SpiffBpmnParser(validator=VALIDATOR)
    meta: dict[str, Any] = {"flows": {}, "elements": {}, "forms": {}, "decisions": []}
    try:
        for filename, content in sorted(sources.items()):
            tree = etree.fromstring(content, SAFE_XML)
            if filename.endswith(".dmn"):
                parser.add_dmn_xml(tree, filename)
            else:
                parser.add_bpmn_xml(tree, filename)
                _collect_meta(tree, meta)
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except ValidationException as error:
        raise InvalidDefinition([{"element": getattr(error, "id", None),
                                  "line": getattr(error, "line_number", None),
                                  "file": getattr(error, "file_name", None),
                                  "message": str(error).splitlines()[0]}]) from None
    except etree.XMLSyntaxError as error:
        raise InvalidDefinition([{"line": error.lineno, "message": str(error)}]) from None
    parts = SERIALIZER.to_dict(BpmnWorkflow(spec, subprocess_specs))
    spec_json = _canonical({"spec": parts["spec"], "subprocess_specs": parts["subprocess_specs"]})
    return Definition(key, hashlib.sha256(spec_json.encode()).hexdigest(), spec_json, meta)


def _collect_meta(tree: Any, meta: dict[str, Any]) -> None:
    for flow in tree.iter("{*}sequenceFlow"):
        meta["flows"][f"{flow.get('sourceRef')}>{flow.get('targetRef')}"] = {
            "id": flow.get("id"), "name": flow.get("name")}
    for node in tree.iter():
        if isinstance(node.tag, str) and node.get("id") and node.get("name") is not None:
            meta["elements"][node.get("id")] = node.get("name")
    for prop in tree.iter("{*}property"):
        if prop.get("name") == "formJsonSchemaFilename":
            owner = prop.getparent().getparent().getparent()
            meta["forms"][owner.get("id")] = prop.get("value")
    meta["decisions"] += [ref.text.strip() for ref in tree.iter("{*}calledDecisionId") if ref.text]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Hands SpiffWorkflow's evaluations to Alur's restricted sandbox."""

    def evaluate(self, expression, context, external_context=None):
        return sandbox.evaluate(expression, {**context, **(external_context or {})})

    def execute(self, script, context, external_context=None):
        sandbox.execute(script, context)
        return True


class _ScriptEngine(PythonScriptEngine):
    """Sandboxed scripts; service tasks go to Alur's connectors and every call is journaled."""

    def __init__(self, connectors: Connectors, journal: list[Event]):
        super().__init__(environment=_SandboxEnvironment())
        self.connectors = connectors
        self.journal = journal

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except ScriptFailed as error:
            raise ScriptFailed(f"{_where(task)}: {error}") from None

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context)
        except ScriptFailed as error:
            raise ScriptFailed(f"{_where(task)}: {error}") from None

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        request = {name: param["value"] for name, param in (operation_params or {}).items()}
        entry = {"element": task.task_spec.bpmn_id, "operation": operation_name, "request": request}
        try:
            response = self.connectors.call(operation_name, request)
        except ConnectorFailed as error:
            self.journal.append(("connector_called", {**entry, "error": str(error)}))
            raise ConnectorFailed(f"{_where(task)}: {error}") from None
        self.journal.append(("connector_called", {**entry, "response": response}))
        return json.dumps(response)


def _where(task: Any) -> str:
    return f"{task.task_spec.bpmn_name or task.task_spec.bpmn_id} ({task.task_spec.bpmn_id})"


class Instance:
    """One running process: complete its user tasks, read what waits, serialize it."""

    def __init__(self, workflow: BpmnWorkflow, definition: Definition, connectors: Connectors):
        self.definition = definition
        self.journal: list[Event] = []
        self._workflow = workflow
        workflow.script_engine = _ScriptEngine(connectors, self.journal)  # not persisted by Spiff

    def run(self) -> list[Event]:
        """Run engine steps until people or outside events are needed; return what happened."""
        recorder = _DecisionRecorder(self.definition.meta, self.journal)
        with _translated_errors():
            self._workflow.do_engine_steps(recorder.before, recorder.after)
        events, self.journal[:] = list(self.journal), []
        return events

    def complete(self, spiff_id: str, data: Mapping[str, Any]) -> list[Event]:
        """Submit a user task's data, then run the engine on."""
        task = self._ready_task(spiff_id)
        task.data.update(data)
        output_item = _instance_output_item(task)
        if output_item is not None:  # one instance of a multi-instance task: its form is the item
            task.data[output_item] = dict(data)
        with _translated_errors():
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
        return reasons

    def migrate(self, engine: "WorkflowEngine", sha256: str,
                renamed: Mapping[str, str]) -> list[Event]:
        """Move to another version (SpiffWorkflow's own diff and migration), then run on."""
        definition, spec, subprocess_specs = engine.spec(sha256)
        with _translated_errors():
            diff, _ = diff_workflow(SERIALIZER.registry, self._workflow, spec, subprocess_specs)
            for task in [*diff.alignment, *diff.removed]:
                target = renamed.get(task.task_spec.name)
                if target in spec.task_specs:
                    diff.alignment[task] = spec.task_specs[target]
            diff.removed = [task for task in diff.removed if diff.alignment.get(task) is None]
            migrate_workflow(diff, self._workflow, spec)
            self._workflow.subprocess_specs = subprocess_specs
        self.definition = definition
        return self.run()

    def ready_tasks(self) -> list[ReadyTask]:
        """The user tasks waiting for people, in a stable order."""
        tasks = self._workflow.get_tasks(state=TaskState.READY, manual=True)
        return [self._describe(task) for task in tasks]

    def task_data(self, spiff_id: str) -> dict[str, Any]:
        """The data a waiting task sees."""
        return dict(self._ready_task(spiff_id).data)

    @property
    def finished(self) -> bool:
        return self._workflow.completed

    def outcome(self) -> dict[str, str]:
        """The properties of the end event reached (`status`, `stage`), or {} while running."""
        for task in self._workflow.get_tasks(state=TaskState.COMPLETED):
            if isinstance(task.task_spec, EndEvent) and task.task_spec.bpmn_id:
                return dict(_properties(task.task_spec)) | {"end_event": task.task_spec.bpmn_id}
        return {}

    @property
    def data(self) -> dict[str, Any]:
        """The process data as it stands (the latest completed task's view)."""
        if self._workflow.completed:
            return dict(self._workflow.data)
        tasks = self._workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
        return dict(tasks[0].data) if tasks else dict(self._workflow.data)

    def dumps(self) -> str:
        """The instance state as JSON, without the spec (stored once per version)."""
        state = SERIALIZER.to_dict(self._workflow)
        del state["spec"], state["subprocess_specs"]
        state[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
        return json.dumps(state, separators=(",", ":"))

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
            role=_properties(spec).get("role") or spec.lane, properties=_properties(spec),
            instructions=spec.extensions.get("instructionsForEndUser"),
            group_key=str(parent.id) if in_group else None, data=dict(task.data))


def _instance_output_item(task: Any) -> str | None:
    """The output item name when `task` is one instance of a multi-instance activity."""
    wrapper = task.parent.task_spec if task.parent is not None else None
    if getattr(wrapper, "task_spec", None) != task.task_spec.name:
        return None
    item = getattr(wrapper, "output_item", None)
    return item.bpmn_id if item is not None else None


def _properties(spec: Any) -> dict[str, str]:
    return dict(getattr(spec, "extensions", {}).get("properties", {}))


class WorkflowEngine:
    """Starts and loads instances of deployed definitions; specs are restored once per version."""

    def __init__(self, connectors: Connectors):
        self.connectors = connectors
        self._specs: dict[str, tuple[Definition, Any, dict[str, Any]]] = {}

    def remember(self, definition: Definition) -> None:
        """Restore a version's spec once, so its instances start and load without reparsing."""
        if definition.sha256 in self._specs:
            return
        parts = json.loads(definition.spec_json)
        spec = SERIALIZER.from_dict(parts["spec"])
        subprocess_specs = {name: SERIALIZER.from_dict(spec_dict)
                            for name, spec_dict in parts["subprocess_specs"].items()}
        self._specs[definition.sha256] = (definition, spec, subprocess_specs)

    def known(self, sha256: str) -> bool:
        return sha256 in self._specs

    def spec(self, sha256: str) -> tuple[Definition, Any, dict[str, Any]]:
        """The definition and restored specs of a remembered version."""
        return self._specs[sha256]

    def start(self, sha256: str, data: Mapping[str, Any],
              connectors: Connectors | None = None) -> Instance:
        """Create an instance of a version with the start data; call `run()` to move it."""
        definition, spec, subprocess_specs = self.spec(sha256)
        workflow = BpmnWorkflow(spec, subprocess_specs)
        start = workflow.get_tasks(state=TaskState.READY)[0]
        start.data.update(json.loads(json.dumps(data)))
        return Instance(workflow, definition, connectors or self.connectors)

    def load(self, sha256: str, state_json: str) -> Instance:
        """Restore an instance saved by `Instance.dumps` on its pinned version."""
        definition, spec, subprocess_specs = self.spec(sha256)
        state = json.loads(state_json)
        if state.pop(SERIALIZER.VERSION_KEY, None) != SERIALIZER.VERSION:
            raise ProcessFailed("This instance was saved by another SpiffWorkflow serializer "
                                "version; migrate it before loading.")
        with _translated_errors():
            workflow = _restore(state, spec, subprocess_specs)
        return Instance(workflow, definition, self.connectors)


def _restore(state: dict[str, Any], spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
    """SpiffWorkflow 3.2's BpmnWorkflowConverter.from_dict, minus restoring the spec each time."""
    registry = SERIALIZER.registry
    converter = registry.convert_from_dict[registry.typenames[BpmnWorkflow]].args[0].__self__
    workflow = BpmnWorkflow(spec, subprocess_specs, deserializing=True)
    workflow.tasks = converter.mapping_from_dict(state["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(state["root"]))
    converter.set_default_attributes(workflow, state)
    converter.subprocesses_from_dict(state["subprocesses"], workflow)
    workflow.bpmn_events = SERIALIZER.registry.restore(state.pop("bpmn_events", []))
    return workflow


class _DecisionRecorder:
    """Records each decision the engine takes: gateway flows, DMN rules, script outputs, ends."""

    def __init__(self, meta: Mapping[str, Any], journal: list[Event]):
        self.meta = meta
        self.journal = journal
        self._before: dict[str, Any] = {}

    def before(self, task: Any) -> None:
        spec = task.task_spec
        if isinstance(spec, BusinessRuleTask):
            self._before = {"rules": spec.dmnEngine.decide(task),
                            "inputs": _dmn_inputs(spec.dmnEngine.decision_table, task)}
        elif isinstance(spec, ScriptTask):
            self._before = {"data": json.loads(json.dumps(task.data))}

    def after(self, task: Any) -> None:
        spec = task.task_spec
        handler: Callable[[Any], None] | None = {
            ExclusiveGateway: self._gateway, BusinessRuleTask: self._rule,
            ScriptTask: self._script, EndEvent: self._end,
        }.get(type(spec))
        if handler is not None:
            handler(task)

    def _gateway(self, task: Any) -> None:
        spec = task.task_spec
        for child in task.children:
            target = child.task_spec.bpmn_id
            flow = self.meta["flows"].get(f"{spec.bpmn_id}>{target}", {})
            self.journal.append(("gateway_passed", {
                "element": spec.bpmn_id, "name": spec.bpmn_name, "flow": flow.get("id"),
                "flow_name": flow.get("name"), "target": target}))

    def _rule(self, task: Any) -> None:
        spec = task.task_spec
        table = spec.dmnEngine.decision_table
        rules = self._before.get("rules", [])
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

    def _end(self, task: Any) -> None:
        self.journal.append(("end_reached", {"element": task.task_spec.bpmn_id,
                                             **_properties(task.task_spec)}))


def _dmn_inputs(table: Any, task: Any) -> dict[str, Any]:
    inputs = {}
    for column in table.inputs:
        try:
            value = sandbox.evaluate(column.expression, task.data)
        except ScriptFailed:
            value = None
        inputs[column.label or column.expression] = value
    return inputs


class _translated_errors:
    """Context manager turning SpiffWorkflow's exceptions into Alur's."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or isinstance(error, AlurError):
            return False
        cause = getattr(error, "exception", None) or error.__cause__
        if isinstance(cause, AlurError):
            raise cause from None
        if isinstance(error, SpiffWorkflowException):
            raise ProcessFailed(str(error).splitlines()[0]) from None
        return False
