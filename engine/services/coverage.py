"""Diagram coverage: which flow nodes and sequence flows of each deployed version the recorded
applications went through, as numbers (`measure`) and as offline HTML pages (`write_report`).

A node is covered when an event names it: `task_opened`/`task_completed` (`task`),
`gateway_passed`, `rule_evaluated`, `script_ran`, `connector_called`, `end_reached` (`element`);
start events when `application_started` (or a loan's `loan_opened`) exists. A flow is covered
when a `gateway_passed` event took it, or when its source is covered, is not a gateway, and its
target is covered.
"""

import html
import json
import shutil
from pathlib import Path
from string import Template
from typing import Any

from lxml import etree

from engine.bootstrap import Alur
from engine.unit_of_work import UnitOfWork

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
          "boundaryEvent")
ACTIVITIES = ("task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
              "sendTask", "receiveTask", "callActivity", "subProcess", "adHocSubProcess",
              "transaction")
GATEWAYS = ("exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
            "complexGateway")
ELEMENT_KEY = {"task_opened": "task", "task_completed": "task", "gateway_passed": "element",
               "rule_evaluated": "element", "script_ran": "element",
               "connector_called": "element", "end_reached": "element",
               "event_caught": "element"}
STATIC_DIR = Path(__file__).resolve().parents[2] / "api" / "static" / "bpmn-js"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def measure(alur: Alur) -> list[dict[str, Any]]:
    """Coverage of every deployed definition version by the applications pinned to it."""
    with alur.uow() as uow:
        visits = _visits_by_definition(uow)
        return [_coverage(row, visits.get(row.id, _empty_visits()))
                for row in uow.definitions.all()]


def version_coverage(alur: Alur, key: str, version: int) -> dict[str, Any]:
    """Coverage of one deployed version by the applications pinned to it (DefinitionNotFound)."""
    with alur.uow() as uow:
        row = uow.definitions.version(key, version)
        return _coverage(row, _visits_by_definition(uow).get(row.id, _empty_visits()))


def bpmn_sources(alur: Alur) -> dict[str, str]:
    """The BPMN text of every deployed version, by SHA-256 (the `sources_by_sha` of a report)."""
    with alur.uow() as uow:
        return {row.sha256: _bpmn_text(row.sources) for row in uow.definitions.all()}


def write_report(results: list[dict[str, Any]], sources_by_sha: dict[str, Any],
                 directory: Path) -> Path:
    """Write coverage.json, one page per version, index.html and static/; return index.html."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(STATIC_DIR, directory / "static", dirs_exist_ok=True)
    (directory / "coverage.json").write_text(json.dumps(results, indent=2) + "\n")
    for result in results:
        page = PAGE.substitute(_page_fields(result, _bpmn_text(sources_by_sha[result["sha256"]])))
        (directory / page_name(result)).write_text(page, encoding="utf-8")
    index = directory / "index.html"
    index.write_text(INDEX.substitute(rows="\n".join(map(_index_row, results))), encoding="utf-8")
    return index


def page_name(result: dict[str, Any]) -> str:
    """File name of a version's page: coverage_<key>_v<version>.html."""
    return f"coverage_{result['key']}_v{result['version']}.html"


def diagram_elements(bpmn_text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The flow nodes ({id: kind}) and sequence flows ([(id, source, target)]) of a BPMN file."""
    root = etree.fromstring(bpmn_text.encode(), PARSER)
    nodes = {element.get("id"): etree.QName(element).localname
             for kind in (*EVENTS, *ACTIVITIES, *GATEWAYS)
             for element in root.iter(f"{{{BPMN_NS}}}{kind}")}
    flows = [(flow.get("id"), flow.get("sourceRef"), flow.get("targetRef"))
             for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow")]
    return nodes, flows


def _empty_visits() -> dict[str, Any]:
    return {"started": False, "nodes": set(), "flows": set()}


def _visits_by_definition(uow: UnitOfWork) -> dict[int, dict[str, Any]]:
    visits: dict[int, dict[str, Any]] = {}
    for application_id in uow.applications.ids():
        seen = visits.setdefault(uow.applications.get(application_id).definition_id,
                                 _empty_visits())
        for event in uow.events.for_application(application_id):
            _note(seen, event.type, event.payload or {})
    return visits


def _note(seen: dict[str, Any], type_: str, payload: dict[str, Any]) -> None:
    if type_ in ("application_started", "case_started", "loan_opened") and "data" in payload:
        seen["started"] = True
    if type_ in ELEMENT_KEY and payload.get(ELEMENT_KEY[type_]):
        seen["nodes"].add(payload[ELEMENT_KEY[type_]])
    if type_ == "gateway_passed" and payload.get("flow"):
        seen["flows"].add(payload["flow"])


def _coverage(row: Any, seen: dict[str, Any]) -> dict[str, Any]:
    nodes, flows = diagram_elements(_bpmn_text(row.sources))
    started = {node for node, kind in nodes.items() if kind == "startEvent" and seen["started"]}
    covered_nodes = (seen["nodes"] & nodes.keys()) | started
    covered_flows = {flow for flow, source, target in flows if flow in seen["flows"] or (
        source in covered_nodes and target in covered_nodes and nodes[source] not in GATEWAYS)}
    return {"key": row.key, "version": row.version, "sha256": row.sha256,
            "nodes": _ratio(covered_nodes, nodes), "flows": _ratio(covered_flows, flows),
            "covered_nodes": sorted(covered_nodes),
            "uncovered_nodes": sorted(nodes.keys() - covered_nodes),
            "covered_flows": sorted(covered_flows),
            "uncovered_flows": sorted({flow for flow, _, _ in flows} - covered_flows)}


def _ratio(covered: set[str], everything: Any) -> dict[str, Any]:
    total = len(everything)
    return {"total": total, "covered": len(covered),
            "ratio": round(len(covered) / total, 4) if total else 1.0}


def _bpmn_text(sources: Any) -> str:
    """Accept the BPMN text itself or a definition's {filename: text} sources."""
    if isinstance(sources, str):
        return sources
    return next(text for name, text in sorted(sources.items()) if name.endswith(".bpmn"))


def _percent(part: dict[str, Any]) -> str:
    return f"{part['ratio']:.1%} ({part['covered']}/{part['total']})"


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e")


def _page_fields(result: dict[str, Any], bpmn_text: str) -> dict[str, str]:
    return {"title": html.escape(f"{result['key']} v{result['version']}"),
            "nodes": _percent(result["nodes"]), "flows": _percent(result["flows"]),
            "sha": result["sha256"][:12], "xml": _script_json(bpmn_text),
            "covered": _script_json(result["covered_nodes"] + result["covered_flows"]),
            "uncovered": _script_json(result["uncovered_nodes"] + result["uncovered_flows"])}


def _index_row(result: dict[str, Any]) -> str:
    name = html.escape(f"{result['key']} v{result['version']}")
    return (f'<tr><td><a href="{html.escape(page_name(result))}">{name}</a></td>'
            f"<td>{_percent(result['nodes'])}</td><td>{_percent(result['flows'])}</td></tr>")


INDEX = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Alur diagram coverage</title>
<style>body{font-family:Arial,sans-serif;margin:2em}td,th{padding:.3em 1em;text-align:left}</style>
</head><body><h1>Diagram coverage</h1>
<table><tr><th>Definition</th><th>Flow nodes</th><th>Sequence flows</th></tr>
$rows
</table></body></html>
""")

PAGE = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>coverage: $title</title>
<link rel="stylesheet" href="static/diagram-js.css">
<link rel="stylesheet" href="static/bpmn-js.css">
<style>
html, body { height: 100%; margin: 0; font-family: Arial, sans-serif; }
header { padding: 8px 16px; border-bottom: 1px solid #ccc; font-size: 18px; }
header .legend span { padding: 0 8px; margin-left: 12px; border-left: 6px solid; }
#canvas { position: absolute; top: 46px; bottom: 0; left: 0; right: 0; }
.covered .djs-visual > :nth-child(1), .covered .djs-visual > path, .covered marker path {
  stroke: #1a7f37 !important; stroke-width: 3px !important; }
.covered marker path { fill: #1a7f37 !important; stroke-width: 1px !important; }
.djs-shape.covered .djs-visual > :nth-child(1) { fill: #dafbe1 !important; }
.uncovered .djs-visual > :nth-child(1), .uncovered .djs-visual > path, .uncovered marker path {
  stroke: #cf222e !important; }
.uncovered .djs-visual > :nth-child(1), .uncovered .djs-visual > path { stroke-dasharray: 6 4; }
.uncovered marker path { fill: #cf222e !important; }
.djs-shape.uncovered .djs-visual > :nth-child(1) { fill: #f6f8fa !important; }
#error { color: #cf222e; }
</style></head>
<body><header><b>$title</b> (sha256 $sha&hellip;) &middot; flow nodes $nodes &middot;
sequence flows $flows
<span class="legend"><span style="border-color:#1a7f37">covered</span>
<span style="border-color:#cf222e">not covered</span></span> <span id="error"></span></header>
<div id="canvas"></div>
<script src="static/bpmn-navigated-viewer.production.min.js"></script>
<script>
const xml = $xml, covered = $covered, uncovered = $uncovered;
const viewer = new BpmnJS({ container: "#canvas" });
viewer.importXML(xml).then(() => {
  const canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry");
  const mark = (ids, css) => ids.filter((id) => registry.get(id))
    .forEach((id) => canvas.addMarker(id, css));
  mark(covered, "covered");
  mark(uncovered, "uncovered");
  canvas.zoom("fit-viewport");
  document.title = "coverage ok";
}).catch((error) => {
  document.getElementById("error").textContent = "Cannot show the diagram: " + error.message;
  document.title = "coverage failed";
});
</script></body></html>
""")


def merge(results: list[dict[str, Any]], sources_by_sha: dict[str, Any]) -> list[dict[str, Any]]:
    """One result per version from many runs (each test has its own store): union of coverage."""
    union: dict[str, dict[str, Any]] = {}
    for result in results:
        seen = union.setdefault(result["sha256"], {**result, "covered_nodes": set(),
                                                   "covered_flows": set()})
        seen["covered_nodes"] |= set(result["covered_nodes"])
        seen["covered_flows"] |= set(result["covered_flows"])
    merged = []
    for sha, seen in union.items():
        nodes, flows = diagram_elements(_bpmn_text(sources_by_sha[sha]))
        flow_ids = {flow for flow, _, _ in flows}
        merged.append({**seen, "nodes": _ratio(seen["covered_nodes"], nodes),
                       "flows": _ratio(seen["covered_flows"], flows),
                       "covered_nodes": sorted(seen["covered_nodes"]),
                       "uncovered_nodes": sorted(nodes.keys() - seen["covered_nodes"]),
                       "covered_flows": sorted(seen["covered_flows"]),
                       "uncovered_flows": sorted(flow_ids - seen["covered_flows"])})
    return sorted(merged, key=lambda r: (r["key"], r["version"]))
