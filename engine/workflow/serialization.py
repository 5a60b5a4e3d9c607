"""SpiffWorkflow's serializer for the spiff flavor, minus the spec: saving and restoring instances
on a spec that is restored once per version and never written again."""

from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def _converter() -> Any:
    registry = SERIALIZER.registry
    return registry.convert_from_dict[registry.typenames[BpmnWorkflow]].args[0].__self__


SETTLED = TaskState.COMPLETED | TaskState.CANCELLED


def state_of(workflow: BpmnWorkflow, settled: dict[UUID, tuple[Any, dict[str, Any]]] | None = None
             ) -> dict[str, Any]:
    """SpiffWorkflow 3.2's BpmnWorkflowConverter.to_dict without converting the spec and the
    subprocess specs (two thirds of the work, and thrown away: the spec is stored per version).

    `settled` keeps the converted form of tasks that are done, as are their parents, from one
    save of an instance to the next: such a task (its data kept as a delta to its parent's) does
    not change until its state, its children or its data object does, which its key holds.
    """
    converter, registry = _converter(), SERIALIZER.registry
    if settled is None:
        state = super(type(converter), converter).to_dict(workflow)  # WorkflowConverter's
    else:  # the same keys, each task converted once while it stays settled
        state = {"data": registry.convert(registry.clean(workflow.data)),
                 "correlations": workflow.correlations,
                 "last_task": None if workflow.last_task is None else str(workflow.last_task.id),
                 "success": workflow.success, "completed": workflow.completed,
                 "tasks": {str(task.id): _task_dict(task, settled, registry)
                           for task in workflow.tasks.values()},
                 "root": str(workflow.task_tree.id)}
    state["subprocesses"] = converter.mapping_to_dict(workflow.subprocesses)
    state["bpmn_events"] = registry.convert(workflow.bpmn_events)
    state["typename"] = registry.typenames[BpmnWorkflow]
    state[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
    return state


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


def _task_dict(task: Any, settled: dict[UUID, tuple[Any, dict[str, Any]]], registry: Any
               ) -> dict[str, Any]:
    parent = task.parent
    if not task.state & SETTLED or (parent is not None and not parent.state & SETTLED):
        return registry.convert(task)
    key = (task.state, task.last_state_change, tuple(task._children), id(task.data),
           len(task.data), None if parent is None else (id(parent.data), len(parent.data)))
    kept = settled.get(task.id)
    if kept is None or kept[0] != key:
        kept = settled[task.id] = (key, registry.convert(task))
    return kept[1]
