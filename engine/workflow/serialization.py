"""SpiffWorkflow's serializer for the spiff flavor, and restoring instances on a cached spec."""

from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def restore(state: dict[str, Any], spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
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
