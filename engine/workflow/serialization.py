"""SpiffWorkflow's serializer for the spiff flavor, minus the spec: saving and restoring instances
on a spec that is restored once per version and never written again."""

from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def _converter() -> Any:
    registry = SERIALIZER.registry
    return registry.convert_from_dict[registry.typenames[BpmnWorkflow]].args[0].__self__


def state_of(workflow: BpmnWorkflow) -> dict[str, Any]:
    """SpiffWorkflow 3.2's BpmnWorkflowConverter.to_dict without converting the spec and the
    subprocess specs (two thirds of the work, and thrown away: the spec is stored per version)."""
    converter, registry = _converter(), SERIALIZER.registry
    state = super(type(converter), converter).to_dict(workflow)  # WorkflowConverter: tasks, data
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
