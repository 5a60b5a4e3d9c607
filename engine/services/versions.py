"""Read deployed versions: list them, their metadata and XML, and what changed between two."""

import re
from typing import Any

from lxml import etree

from engine.bootstrap import Alur
from engine.validation import xml

FLOW_ELEMENTS = ("startEvent", "endEvent", "userTask", "scriptTask", "serviceTask",
                 "businessRuleTask", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
                 "eventBasedGateway", "intermediateCatchEvent", "intermediateThrowEvent",
                 "boundaryEvent", "manualTask", "task", "sendTask", "receiveTask", "subProcess",
                 "callActivity", "sequenceFlow", "lane")


def list_definitions(alur: Alur) -> list[dict[str, Any]]:
    """Every deployed version, newest first per process."""
    with alur.uow() as uow:
        rows = sorted(uow.definitions.all(), key=lambda r: (r.key, -r.version))
        latest = {row.key: row.version for row in uow.definitions.latest_each()}
        return [_summary(row) | {"latest": latest[row.key] == row.version} for row in rows]


def get_version(alur: Alur, key: str, version: int) -> dict[str, Any]:
    """Metadata of one version: files, forms, decisions, user tasks."""
    with alur.uow() as uow:
        row = uow.definitions.version(key, version)
        return _summary(row) | {"files": sorted(row.sources), "forms": sorted(row.forms),
                                "decisions": row.meta["decisions"],
                                "user_tasks": sorted(row.meta["forms"])}


def version_bpmn(alur: Alur, key: str, version: int) -> str:
    """The diagram's XML, to open in a modeler."""
    with alur.uow() as uow:
        row = uow.definitions.version(key, version)
        return next(text for name, text in row.sources.items() if name.endswith(".bpmn"))


def diff_versions(alur: Alur, key: str, old: int, new: int) -> dict[str, Any]:
    """Added, removed and changed elements, and DMN rules, between two versions."""
    with alur.uow() as uow:
        before = dict(uow.definitions.version(key, old).sources)
        after = dict(uow.definitions.version(key, new).sources)
    return {"key": key, "from": old, "to": new,
            "elements": _compare(_elements(before), _elements(after)),
            "rules": _compare(_rules(before), _rules(after))}


def _summary(row: Any) -> dict[str, Any]:
    return {"key": row.key, "version": row.version, "sha256": row.sha256,
            "deployed_at": row.deployed_at.isoformat(), "deployed_by": row.deployed_by}


def _compare(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    return {"added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new)),
            "changed": sorted(k for k in set(old) & set(new) if old[k] != new[k])}


def _elements(sources: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, text in sources.items():
        if name.endswith(".bpmn"):
            root, _ = xml.parse(name, text.encode())
            for tag in FLOW_ELEMENTS:
                for node in root.iter(f"{{*}}{tag}"):
                    found[node.get("id")] = _signature(node)
    return found


def _rules(sources: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, text in sources.items():
        if name.endswith(".dmn"):
            root, _ = xml.parse(name, text.encode())
            decision = root.find("{*}decision").get("id")
            for rule in root.iter("{*}rule"):
                found[f"{decision}:{rule.get('id')}"] = _signature(rule)
    return found


def _signature(node: Any) -> str:
    """The element without layout or incoming/outgoing bookkeeping, whitespace-normalised."""
    copy = etree.fromstring(etree.tostring(node))
    for child in list(copy):
        if isinstance(child.tag, str) and etree.QName(child).localname in ("incoming", "outgoing",
                                                                           "flowNodeRef"):
            copy.remove(child)
    return re.sub(r"\s+", " ", etree.tostring(copy, encoding="unicode"))
