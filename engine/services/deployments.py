"""Deploy an upload from a process owner or a modeler: validate everything, then version it.

An upload may hold diagrams, decision tables and forms. Files it does not hold are taken from the
newest deployed version of each process it touches, so a policy change can be one `.dmn` file.
"""

import json
from pathlib import Path
from typing import Any

from jsonschema.exceptions import SchemaError
from lxml import etree

from engine import forms
from engine.bootstrap import Alur
from engine.errors import InvalidDefinition, TooLarge
from engine.services.definitions import deploy
from engine.services.feature_check import failing_scenarios
from engine.validation import bpmn_rules, camunda, dmn_rules, xml
from engine.validation.problems import Problem, problem

MAX_FILES = 50
MAX_TOTAL_BYTES = 10 * 1024 * 1024


class Upload:
    """The parsed files of one upload, and every problem found while reading them."""

    def __init__(self, files: dict[str, bytes]):
        self.bpmn: dict[str, Any] = {}
        self.dmn: dict[str, Any] = {}
        self.forms: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        for name, content in files.items():
            self._read(Path(name).name, content)

    def _read(self, name: str, content: bytes) -> None:
        if name.endswith(".json"):
            return self._read_form(name, content)
        if not name.endswith((".bpmn", ".dmn", ".xml")):
            self.problems.append(problem(name, None, "Upload .bpmn, .dmn or form .json files."))
            return None
        root, found = xml.parse(name, content)
        self.problems += found
        if root is None:
            return None
        kind = xml.kind(root)
        if kind == "bpmn":
            found, warnings = camunda.translate(name, root)
            self.problems += found + xml.check_bpmn_schema(name, root)
            self.warnings += warnings
            self.bpmn[name] = root
        elif kind == "dmn":
            self.problems += dmn_rules.check_dmn(name, root)
            self.dmn[name] = root
        else:
            self.problems.append(problem(name, None, f"The root element {root.tag} is neither "
                                                     "BPMN 2.0 nor DMN 1.3."))
        return None

    def _read_form(self, name: str, content: bytes) -> None:
        try:
            schema = json.loads(content)
            forms.check_schema(schema)
        except (ValueError, SchemaError) as error:
            self.problems.append(problem(name, None, f"Not a valid JSON Schema: {error}"))
            return
        self.forms[name] = schema


def deploy_upload(alur: Alur, files: dict[str, bytes], deployed_by: str,
                  verify_features: bool = False, features: tuple[str, ...] = ()
                  ) -> dict[str, Any]:
    """Validate an upload against itself and what is deployed; deploy each process it touches.
    With `verify_features`, the scenarios of `features` (all if none) must pass on it first.

    Raises:
        TooLarge: more than 50 files or 10 MB, or a file over 2 MB.
        InvalidDefinition: with every problem found; nothing is deployed then.
    """
    _check_size(files)
    upload = Upload(files)
    bases = _deployed(alur)
    decisions = _decisions(upload, bases)
    known_forms = {**{n: f for b in bases.values() for n, f in b["forms"].items()}, **upload.forms}
    context = bpmn_rules.Context(set(known_forms), set(decisions),
                                 set(alur.workflows.connectors.systems))
    plans = _plans(upload, bases, context)
    if upload.problems:
        raise InvalidDefinition(upload.problems)
    candidates = {key: (_sources(root, decisions), _forms(root, known_forms))
                  for key, root in plans.items()}
    if verify_features:
        _verify_features(candidates, bases, features)
    results = [deploy(alur, key, sources, form_set, deployed_by)
               for key, (sources, form_set) in candidates.items()]
    return {"definitions": results, "warnings": upload.warnings,
            "created": any(r["created"] for r in results)}


def _verify_features(candidates: dict[str, tuple[dict[str, bytes], dict[str, Any]]],
                     bases: dict[str, dict[str, Any]], features: tuple[str, ...]) -> None:
    """Every scenario on the candidates, beside the deployed versions of the other processes."""
    others = [({n: t.encode() for n, t in base["sources"].items()}, base["forms"])
              for key, base in bases.items() if key not in candidates]
    versions = [*others, *candidates.values()]
    sources = {n: c for srcs, _ in versions for n, c in srcs.items()}
    form_files = {n: json.dumps(f).encode() for _, fs in versions for n, f in fs.items()}
    failed = failing_scenarios(sources, form_files, features)
    if failed:
        raise InvalidDefinition([problem(None, None, f"Feature scenario fails on this version: "
                                                     f"{name}") for name in failed])


def _check_size(files: dict[str, bytes]) -> None:
    if not files:
        raise InvalidDefinition([problem(None, None, "The upload holds no files.")])
    if len(files) > MAX_FILES or sum(len(c) for c in files.values()) > MAX_TOTAL_BYTES:
        raise TooLarge(f"Upload at most {MAX_FILES} files and {MAX_TOTAL_BYTES:,} bytes.")
    for name, content in files.items():
        if len(content) > xml.MAX_FILE_BYTES:
            raise TooLarge(f"{name} is larger than {xml.MAX_FILE_BYTES:,} bytes.")


def _deployed(alur: Alur) -> dict[str, dict[str, Any]]:
    """The newest deployed version of each process: its sources and forms."""
    with alur.uow() as uow:
        return {row.key: {"sources": dict(row.sources), "forms": dict(row.forms),
                          "meta": dict(row.meta)} for row in uow.definitions.latest_each()}


def _decisions(upload: Upload, bases: dict[str, dict[str, Any]]) -> dict[str, tuple[str, bytes]]:
    found: dict[str, tuple[str, bytes]] = {}
    for base in bases.values():
        for name, text in base["sources"].items():
            if name.endswith(".dmn"):
                root, _ = xml.parse(name, text.encode())
                found |= {d: (name, text.encode()) for d in dmn_rules.decision_ids(root)}
    for name, root in upload.dmn.items():
        found |= {d: (name, etree.tostring(root)) for d in dmn_rules.decision_ids(root)}
    return found


def _plans(upload: Upload, bases: dict[str, dict[str, Any]],
           context: bpmn_rules.Context) -> dict[str, Any]:
    """Process key → BPMN root to deploy, with every rule checked."""
    plans: dict[str, Any] = {}
    for name, root in upload.bpmn.items():
        processes, found = bpmn_rules.executable_processes(name, root)
        upload.problems += found
        for process in processes:
            upload.problems += bpmn_rules.check_process(name, process, context)
            plans[process.get("id")] = root
    if not upload.bpmn:
        plans = _touched(upload, bases)
    return plans


def _touched(upload: Upload, bases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    decisions = {d for root in upload.dmn.values() for d in dmn_rules.decision_ids(root)}
    touched = {key: base for key, base in bases.items()
               if decisions & set(base["meta"]["decisions"])
               or set(upload.forms) & set(base["meta"]["forms"].values())}
    if not touched and not upload.problems:
        upload.problems.append(problem(None, None, "No deployed process uses these decisions or "
                                                   "forms; upload the diagram with them."))
    plans = {}
    for key, base in touched.items():
        name = next(n for n in base["sources"] if n.endswith(".bpmn"))
        plans[key], _ = xml.parse(name, base["sources"][name].encode())
    return plans


def _sources(root: Any, decisions: dict[str, tuple[str, bytes]]) -> dict[str, bytes]:
    key = root.find(f"{bpmn_rules.B}process[@isExecutable='true']").get("id")
    used = {ref.text.strip() for ref in root.iter(f"{bpmn_rules.S}calledDecisionId") if ref.text}
    sources = {f"{key}.bpmn": etree.tostring(root, xml_declaration=True, encoding="UTF-8")}
    return sources | {decisions[d][0]: decisions[d][1] for d in used if d in decisions}


def _forms(root: Any, known: dict[str, Any]) -> dict[str, Any]:
    names = {bpmn_rules.properties(node).get("formJsonSchemaFilename") for node in root.iter()
             if isinstance(node.tag, str)}
    return {name: known[name] for name in names if name in known}
