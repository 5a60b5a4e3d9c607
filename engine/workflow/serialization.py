"""SpiffWorkflow's serializer for the spiff flavor, minus the spec: saving and restoring instances
on a spec that is restored once per version and never written again."""

import json
from json.encoder import encode_basestring_ascii
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import TaskConverter
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def _converter() -> Any:
    registry = SERIALIZER.registry
    return registry.convert_from_dict[registry.typenames[BpmnWorkflow]].args[0].__self__


SETTLED = TaskState.COMPLETED | TaskState.CANCELLED


def state_of(workflow: BpmnWorkflow) -> dict[str, Any]:
    """SpiffWorkflow 3.2's BpmnWorkflowConverter.to_dict without converting the spec and the
    subprocess specs (two thirds of the work, and thrown away: the spec is stored per version)."""
    converter, registry = _converter(), SERIALIZER.registry
    state = super(type(converter), converter).to_dict(workflow)  # WorkflowConverter's
    return state | _rest_of(workflow, converter, registry)


def json_of(workflow: BpmnWorkflow, kept: dict[UUID, tuple[Any, str]]) -> str:
    """`state_of` as compact JSON, the same text as `json.dumps` of it, made faster by `kept`:
    the JSON of tasks whose text follows from a few of their attributes, kept from one save of an
    instance to the next (`_task_member`)."""
    converter, registry = _converter(), SERIALIZER.registry
    tasks = ",".join(_task_member(task, kept, registry) for task in workflow.tasks.values())
    if len(kept) > 2 * len(workflow.tasks):  # tasks a branch not taken dropped
        for gone in kept.keys() - workflow.tasks.keys():
            del kept[gone]
    before = {"correlations": workflow.correlations,
              "last_task": None if workflow.last_task is None else str(workflow.last_task.id),
              "success": workflow.success, "completed": workflow.completed}
    after = {"root": str(workflow.task_tree.id), **_rest_of(workflow, converter, registry)}
    members = ['"data":' + _data_text(workflow.data, registry), *_members(before),
               '"tasks":{' + tasks + "}", *_members(after)]
    return "{" + ",".join(members) + "}"


def _rest_of(workflow: BpmnWorkflow, converter: Any, registry: Any) -> dict[str, Any]:
    return {"subprocesses": converter.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": registry.convert(workflow.bpmn_events),
            "typename": registry.typenames[BpmnWorkflow],
            SERIALIZER.VERSION_KEY: SERIALIZER.VERSION}


_ENCODER = json.JSONEncoder(separators=(",", ":"))


def _text(value: Any) -> str:
    return _ENCODER.encode(value)


class _NotPlain(TypeError):
    """A value in task data that only the registry's full conversion knows what to do with."""


def _registered(value: Any) -> Any:
    registry = SERIALIZER.registry
    if registry.typenames.get(value.__class__) in registry.convert_to_dict:
        return registry.convert(value)
    raise _NotPlain


_DATA_ENCODER = json.JSONEncoder(separators=(",", ":"), default=_registered)


def _data_text(data: dict[str, Any], registry: Any) -> str:
    """`_text(registry.convert(registry.clean(data)))` in a fifth of the time: the encoder walks
    the data in C and asks the registry only about values it cannot write (dates, say); anything
    else odd (a callable deep in the data) takes the registry's own walk."""
    cleaned = registry.clean(data)
    try:
        return _DATA_ENCODER.encode(cleaned)
    except _NotPlain:
        return _text(registry.convert(cleaned))


def _members(part: dict[str, Any]) -> list[str]:
    return [f"{_text(name)}:{_text(value)}" for name, value in part.items()]


def restore(state: dict[str, Any], spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
    """SpiffWorkflow 3.2's BpmnWorkflowConverter.from_dict, minus restoring the spec each time."""
    converter = _converter()
    workflow = BpmnWorkflow(spec, subprocess_specs, deserializing=True)
    workflow.tasks = converter.mapping_from_dict(state["tasks"], UUID, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(UUID(state["root"]))
    converter.set_default_attributes(workflow, state)
    converter.subprocesses_from_dict(state["subprocesses"], workflow)
    workflow.bpmn_events = SERIALIZER.registry.restore(state.pop("bpmn_events", []))
    return workflow


def _task_member(task: Any, kept: dict[UUID, tuple[Any, str]], registry: Any) -> str:
    """`"<id>":<the task's JSON>`, kept whole for a task whose JSON follows from its key:
    - a task done, as its parent is: its data (a delta to its parent's) does not change until
      its state, its children or its data object does;
    - a task still to come, with no data of its own: its delta lists its parent's keys. (On a
      credit application SpiffWorkflow makes such tasks anew, with new ids, on most steps; on a
      short sequential process they stay from one step to the next.)"""
    parent = task.parent
    if task.state & SETTLED and (parent is None or parent.state & SETTLED):
        key: tuple[Any, ...] = (
            task.state, task.last_state_change, tuple(task._children), id(task.data),
            len(task.data), None if parent is None else (id(parent.data), len(parent.data)))
    elif not task.data and not task.internal_data:
        key = (task.state, task.last_state_change, tuple(task._children), task.triggered,
               None if parent is None else tuple(parent.data))
    else:
        return _member(task, registry)
    found = kept.get(task.id)
    if found is None or found[0] != key:
        found = kept[task.id] = (key, _member(task, registry))
    return found[1]


def _member(task: Any, registry: Any) -> str:
    """`"<id>":` and the task's JSON as SpiffWorkflow 3.2's `TaskConverter.to_dict` and
    `json.dumps` write it, written straight from the task's attributes, without the registry's
    generic walk and an encoder set up per task (a root task, or tasks some other converter
    handles, take the registry's own conversion)."""
    parent = task.parent
    if parent is None or not _WRITTEN_HERE:
        return f'"{task.id}":{_text(registry.convert(task))}'
    data, above, internal = task.data, parent.data, task.internal_data
    updates = DeepMerge.get_updated_keys(above, data) if data else {}
    deletions = DeepMerge.get_deleted_keys(above, data)
    changed, triggered, name = task.last_state_change, task.triggered, str(task.id)
    children = ",".join(f'"{child}"' for child in task._children)
    return (f'"{name}":{{"id":"{name}","parent":"{task._parent}","children":[{children}],'
            f'"last_state_change":{_JSON_OF.get(type(changed), _text)(changed)},'
            f'"state":{task.state},"task_spec":{encode_basestring_ascii(task.task_spec.name)},'
            f'"triggered":{_JSON_OF.get(type(triggered), _text)(triggered)},'
            f'"internal_data":{_data_text(internal, registry) if internal else "{}"},'
            f'"data":{{}},"delta":{{"updates":{_text(updates) if updates else "{}"},'
            f'"deletions":{_keys_text(deletions)}}},"typename":"Task"}}')


def _converts_tasks_itself() -> bool:
    """Whether the registry converts tasks with SpiffWorkflow 3.2's own `TaskConverter` (its
    entry is `partial(_obj_to_dict, "Task", converter.to_dict)`), as `_member` writes them."""
    registry = SERIALIZER.registry
    args = getattr(registry.convert_to_dict.get(registry.typenames.get(Task)), "args", ())
    return len(args) == 2 and args[0] == "Task" \
        and type(getattr(args[1], "__self__", None)) is TaskConverter


_WRITTEN_HERE = _converts_tasks_itself()

# How `json.dumps` writes a finite float (a task's time) and a bool, without an encoder's set-up.
_JSON_OF = {float: lambda value: float.__repr__(value) if value - value == 0 else _text(value),
            bool: lambda value: "true" if value else "false"}


def _keys_text(keys: list[Any]) -> str:
    """A list of data keys as `json.dumps` writes it (they are strings, but for odd data)."""
    if all(type(key) is str for key in keys):
        return f"[{','.join(map(encode_basestring_ascii, keys))}]"
    return _text(keys)
