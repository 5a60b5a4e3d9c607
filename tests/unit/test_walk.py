"""Walking an instance's tree gives SpiffWorkflow's own `get_tasks()`, subprocesses and very deep
trees included (every walk in the suite is checked against it too: tests/conftest.py)."""

from datetime import UTC, datetime

from engine.clock import FixedClock
from engine.connectors import Connectors
from engine.workflow import WorkflowEngine, parse_definition
from engine.workflow.walk import PLAIN_WALK_TASKS, every_task
from tests.diagrams import diagram

SUBPROCESS = diagram(
    '<bpmn:startEvent id="s" /><bpmn:subProcess id="sub"><bpmn:startEvent id="ss" />'
    '<bpmn:userTask id="inner" /><bpmn:endEvent id="se" />'
    '<bpmn:sequenceFlow id="g1" sourceRef="ss" targetRef="inner" />'
    '<bpmn:sequenceFlow id="g2" sourceRef="inner" targetRef="se" /></bpmn:subProcess>'
    '<bpmn:userTask id="after" /><bpmn:endEvent id="e" />',
    [("f1", "s", "sub"), ("f2", "sub", "after"), ("f3", "after", "e")])
LOOP = diagram(  # each round adds two levels to the tree
    '<bpmn:startEvent id="s" /><bpmn:scriptTask id="t"><bpmn:script>n = n + 1</bpmn:script>'
    '</bpmn:scriptTask><bpmn:exclusiveGateway id="g" default="done" /><bpmn:endEvent id="e" />'
    '<bpmn:sequenceFlow id="again" sourceRef="g" targetRef="t">'
    '<bpmn:conditionExpression>n &lt; 520</bpmn:conditionExpression></bpmn:sequenceFlow>',
    [("f1", "s", "t"), ("f2", "t", "g"), ("done", "g", "e")])


def run(source: bytes, data: dict):
    definition = parse_definition("small_process", {"small.bpmn": source})
    engine = WorkflowEngine(Connectors.simulated(), FixedClock(datetime(2026, 11, 23, tzinfo=UTC)))
    engine.remember(definition)
    instance = engine.start(definition.sha256, data)
    instance.run()
    return instance._workflow


def test_a_subprocess_is_walked_before_the_tasks_after_it():
    workflow = run(SUBPROCESS, {})
    walked = every_task(workflow)
    assert walked == workflow.get_tasks()
    names = [task.task_spec.name for task in walked]
    assert workflow.subprocesses and names.index("inner") < names.index("after")


def test_past_a_thousand_levels_the_walk_stops_where_spiffworkflows_does():
    workflow = run(LOOP, {"n": 0})
    walked = every_task(workflow)
    assert len(workflow.tasks) >= PLAIN_WALK_TASKS
    assert walked == workflow.get_tasks()
    assert len(walked) < len(workflow.tasks)  # SpiffWorkflow does not look below 1,000 levels
