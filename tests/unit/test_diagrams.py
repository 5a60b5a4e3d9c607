"""The bundled diagrams are readable, complete and open in modelers (BPMN DI for everything)."""

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from engine.bootstrap import FORMS_DIR, WORKFLOW_DIR
from engine.forms import check_schema
from engine.roles import ROLES

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DIAGRAMS = sorted(WORKFLOW_DIR.glob("*.bpmn"))
FLOW_NODES = ("startEvent", "endEvent", "userTask", "scriptTask", "serviceTask",
              "businessRuleTask", "exclusiveGateway", "parallelGateway", "intermediateCatchEvent",
              "boundaryEvent", "manualTask", "task", "sendTask", "receiveTask", "subProcess",
              "callActivity", "intermediateThrowEvent", "eventBasedGateway", "inclusiveGateway")
READABLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MODELER_SUFFIX = re.compile(r"_(?=[0-9a-z]*[0-9])[0-9a-z]{7}$")  # Activity_0gnvuqr, Flow_1x2y3z4


def parse(path: Path):
    return etree.parse(str(path))


def flow_nodes(tree):
    return [node for tag in FLOW_NODES for node in tree.iter(f"{BPMN}{tag}")]


def spiff_properties(node) -> dict[str, str]:
    return {prop.get("name"): prop.get("value") for prop in node.iter("{*}property")}


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_element_has_a_shape_or_edge_in_the_diagram(path):
    tree = parse(path)
    drawn = {el.get("bpmnElement") for el in tree.iter("{*}BPMNShape", "{*}BPMNEdge")}
    elements = [n.get("id") for n in flow_nodes(tree)]
    elements += [f.get("id") for f in tree.iter(f"{BPMN}sequenceFlow")]
    elements += [lane.get("id") for lane in tree.iter(f"{BPMN}lane")]
    assert elements and not set(elements) - drawn


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_ids_are_readable_not_modeler_ids(path):
    tree = parse(path)
    ids = [n.get("id") for n in flow_nodes(tree)]
    ids += [f.get("id") for f in tree.iter(f"{BPMN}sequenceFlow")]
    assert [i for i in ids if not READABLE_ID.match(i) or MODELER_SUFFIX.search(i)] == []


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_user_task_sits_in_a_role_lane_and_has_its_form(path):
    tree = parse(path)
    lane_of = {ref.text: lane.get("name") for lane in tree.iter(f"{BPMN}lane")
               for ref in lane.iter(f"{BPMN}flowNodeRef")}
    for task in tree.iter(f"{BPMN}userTask"):
        task_id = task.get("id")
        assert lane_of.get(task_id) in ROLES, task_id
        filename = spiff_properties(task).get("formJsonSchemaFilename")
        assert filename == f"{task_id}.schema.json"
        check_schema(json.loads((FORMS_DIR / filename).read_text()))


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_every_exclusive_gateway_with_choices_has_a_default_flow(path):
    tree = parse(path)
    for gateway in tree.iter(f"{BPMN}exclusiveGateway"):
        outgoing = [f for f in tree.iter(f"{BPMN}sequenceFlow")
                    if f.get("sourceRef") == gateway.get("id")]
        if len(outgoing) > 1:
            conditional = [f for f in outgoing if f.find(f"{BPMN}conditionExpression") is not None]
            assert gateway.get("default") in {f.get("id") for f in outgoing}, gateway.get("id")
            assert len(conditional) == len(outgoing) - 1, gateway.get("id")


def test_every_form_belongs_to_a_task_of_a_diagram():
    referenced = {spiff_properties(node).get("formJsonSchemaFilename")
                  for path in DIAGRAMS for node in flow_nodes(parse(path))}
    assert {p.name for p in FORMS_DIR.glob("*.schema.json")} <= referenced
