"""Parse BPMN and DMN sources safely into a serialized, hashable spec."""

import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.errors import InvalidDefinition
from engine.workflow.model import Definition
from engine.workflow.serialization import SERIALIZER

SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True)


def bpmn_schema_errors(tree: Any) -> list[Any]:
    """Every violation of the BPMN 2.0 + SpiffWorkflow XSDs (lxml error log entries)."""
    VALIDATOR.preprocess(tree)
    schema = VALIDATOR.validator
    return [] if schema.validate(tree) else list(schema.error_log)


def parse_definition(key: str, sources: Mapping[str, bytes]) -> Definition:
    """Parse BPMN and DMN sources into a serialized spec; the XML is parsed without entities/DTDs.

    The same sources parse once per process (a small cache keyed by their content): deploying
    unchanged files again reuses the spec. The definition's `meta` is shared: read it only.

    Raises:
        InvalidDefinition: with each problem found.
    """
    return _parsed(key, tuple(sorted(sources.items())))


@lru_cache(maxsize=16)
def _parsed(key: str, sources: tuple[tuple[str, bytes], ...]) -> Definition:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    meta: dict[str, Any] = {"flows": {}, "elements": {}, "forms": {}, "decisions": [],
                            "starts": {}}
    try:
        for filename, content in sources:
            tree = etree.fromstring(content, SAFE_XML)
            if filename.endswith(".dmn"):
                parser.add_dmn_xml(tree, filename)
            else:
                parser.add_bpmn_xml(tree, filename)
                _collect_meta(tree, meta)
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except ValidationException as error:
        if "RecursionError" in str(error):
            raise InvalidDefinition([{"element": None, "line": None, "file": None, "message":
                                      "The diagram chains too many elements in a row for "
                                      "SpiffWorkflow's recursive parser; split the path into "
                                      "subprocesses."}]) from None
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
    meta["starts"] |= _starts(tree)


def _starts(tree: Any) -> dict[str, str | None]:
    """Plain start events people may start (not `startedBy="engine"`), with their lane's name."""
    lanes = {ref.text: lane.get("name") for lane in tree.iter("{*}lane")
             for ref in lane.iter("{*}flowNodeRef")}
    starts = {}
    for process in tree.iter("{*}process"):
        for start in process.findall("{*}startEvent"):
            triggered = [c for c in start if isinstance(c.tag, str)
                         and c.tag.endswith("EventDefinition")]
            engine_started = any(p.get("name") == "startedBy" and p.get("value") == "engine"
                                 for p in start.iter("{*}property"))
            if not triggered and not engine_started:
                starts[start.get("id")] = lanes.get(start.get("id"))
    return starts


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
