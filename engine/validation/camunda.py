"""Camunda Modeler's vocabulary mapped to Alur's, and everything else of it refused by name.

Mapped: `camunda:candidateGroups` → the task's role, `camunda:formKey` → its form,
`camunda:decisionRef` → the called decision. Noted (harmless, answered as warnings):
`historyTimeToLive`, `versionTag`, `isStartableInTasklist`, `modelerTemplate*`.
"""

from typing import Any

from lxml import etree

from engine.validation.problems import Problem, problem

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
C = "{" + CAMUNDA + "}"
B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
S_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
S = "{" + S_NS + "}"
NOTED = {"historyTimeToLive": "Alur keeps every history; historyTimeToLive is ignored.",
         "versionTag": "Alur identifies versions by SHA-256; versionTag is kept only as text.",
         "isStartableInTasklist": "Alur starts applications through its API; ignored.",
         "modelerTemplate": "modeler templates are a modeler concern; ignored.",
         "modelerTemplateVersion": "modeler templates are a modeler concern; ignored."}
MAPPED = {"candidateGroups", "formKey", "decisionRef"}


def translate(filename: str, root: Any) -> tuple[list[Problem], list[str]]:
    """Add Alur equivalents of Camunda attributes in place; refuse the rest."""
    problems: list[Problem] = []
    warnings: list[str] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag.startswith(C):
            name = etree.QName(node).localname
            problems.append(problem(filename, node.getparent(), _refusal(name)))
            continue
        for name, value in list(node.attrib.items()):
            if not name.startswith(C):
                continue
            local = name[len(C):]
            if local in NOTED:
                warnings.append(f"{filename}: {node.get('id')}: {NOTED[local]}")
            elif local in MAPPED:
                problems += _map(filename, node, local, value)
            else:
                problems.append(problem(filename, node, _refusal(local)))
    return problems, warnings


def _refusal(name: str) -> str:
    return (f"camunda:{name} cannot be honoured by Alur (it would be silently ignored); remove it. "
            "Alur maps camunda:candidateGroups, camunda:formKey and camunda:decisionRef.")


def _map(filename: str, node: Any, local: str, value: str) -> list[Problem]:
    if local == "candidateGroups":
        groups = [g.strip() for g in value.split(",") if g.strip()]
        if len(groups) != 1:
            return [problem(filename, node, "camunda:candidateGroups must name exactly one role.")]
        _set_property(node, "role", groups[0])
    elif local == "formKey":
        if ":" in value:
            return [problem(filename, node, f"Form key {value!r}: Alur forms are JSON Schemas "
                                            "named <name>.schema.json; use the plain name.")]
        _set_property(node, "formJsonSchemaFilename",
                      value if value.endswith(".json") else f"{value}.schema.json")
    else:
        extensions = _extensions(node)
        if extensions.find(f"{S}calledDecisionId") is None:
            etree.SubElement(extensions, f"{S}calledDecisionId").text = value
    return []


def _extensions(node: Any) -> Any:
    found = node.find(f"{B}extensionElements")
    if found is None:
        found = etree.Element(f"{B}extensionElements")
        node.insert(0, found)
    return found


def _set_property(node: Any, name: str, value: str) -> None:
    extensions = _extensions(node)
    props = extensions.find(f"{S}properties")
    if props is None:
        props = etree.SubElement(extensions, f"{S}properties")
    for prop in props.findall(f"{S}property"):
        if prop.get("name") == name:
            return
    etree.SubElement(props, f"{S}property", name=name, value=value)
