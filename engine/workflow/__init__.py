"""The only package that knows SpiffWorkflow: parses, runs and serializes credit processes.

Everything leaving it is plain data (str, int, dict, list, the dataclasses of `model`), so services
and the API never touch SpiffWorkflow objects; its exceptions are translated into Alur's errors.
"""

from engine.workflow.engine import WorkflowEngine
from engine.workflow.instance import Instance
from engine.workflow.model import Definition, Event, ReadyTask
from engine.workflow.parsing import bpmn_schema_errors, parse_definition

__all__ = ["Definition", "Event", "Instance", "ReadyTask", "WorkflowEngine",
           "bpmn_schema_errors", "parse_definition"]
