"""Deploy process versions: parse, attach forms, store once per SHA-256, pin instances to them."""

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from jsonschema.exceptions import SchemaError

from engine import forms
from engine.bootstrap import Alur
from engine.errors import InvalidDefinition
from engine.workflow import Definition, parse_definition


def deploy_directory(alur: Alur, deployed_by: str = "system") -> list[dict[str, Any]]:
    """Deploy every diagram of the workflow directory with the decisions and forms it uses."""
    results = []
    dmn_files = {path.stem: path for path in alur.workflow_dir.glob("*.dmn")}
    for bpmn in sorted(alur.workflow_dir.glob("*.bpmn")):
        sources = {bpmn.name: bpmn.read_bytes()}
        sources |= {path.name: path.read_bytes() for path in dmn_files.values()}
        definition = parse_definition(bpmn.stem, sources)
        used = set(definition.meta["decisions"])
        sources = {name: content for name, content in sources.items()
                   if name == bpmn.name or Path(name).stem in used}
        results.append(deploy(alur, bpmn.stem, sources, _read_forms(alur, definition), deployed_by))
    return results


def deploy(alur: Alur, key: str, sources: dict[str, bytes], form_files: dict[str, Any],
           deployed_by: str) -> dict[str, Any]:
    """Store a version unless identical content is deployed already; return its metadata."""
    definition = parse_definition(key, sources)
    form_set = _check_forms(definition, form_files)
    sha = hashlib.sha256(json.dumps({"spec": definition.sha256, "forms": form_set},
                                    sort_keys=True).encode()).hexdigest()
    definition = dataclasses.replace(definition, sha256=sha, forms=form_set)
    with alur.uow() as uow:
        existing = uow.definitions.by_sha(sha)
        if existing is not None:
            return {**_describe(existing), "created": False}
        row = uow.definitions.add(
            key=key, sha256=sha, spec_json=definition.spec_json, meta=definition.meta,
            forms=form_set, sources={name: content.decode() for name, content in sources.items()},
            deployed_at=alur.clock.now(), deployed_by=deployed_by)
        uow.commit()
        alur.workflows.remember(definition)
        return {**_describe(row), "created": True}


def ensure_loaded(alur: Alur, row: Any) -> Definition:
    """Make the engine know a stored version (after a restart, or deployed by another process);
    the version as the engine holds it, so its meta and forms need not be read again."""
    if not alur.workflows.known(row.sha256):
        alur.workflows.remember(Definition(row.key, row.sha256, row.spec_json, row.meta,
                                           row.forms))
    return alur.workflows.spec(row.sha256)[0]


def _read_forms(alur: Alur, definition: Definition) -> dict[str, Any]:
    found = {}
    for filename in set(definition.meta["forms"].values()):
        path = alur.forms_dir / filename
        if path.is_file():
            found[filename] = json.loads(path.read_text())
    return found


def _check_forms(definition: Definition, form_files: dict[str, Any]) -> dict[str, Any]:
    problems = []
    for element, filename in sorted(definition.meta["forms"].items()):
        if filename not in form_files:
            problems.append({"element": element,
                             "message": f"{element}: form {filename} is missing."})
            continue
        try:
            forms.check_schema(form_files[filename])
        except SchemaError as error:
            problems.append({"element": element,
                             "message": f"{element}: form {filename} is not a valid JSON Schema: "
                                        f"{error.message}"})
    if problems:
        raise InvalidDefinition(problems)
    return {name: form_files[name] for name in set(definition.meta["forms"].values())}


def _describe(row: Any) -> dict[str, Any]:
    return {"key": row.key, "version": row.version, "sha256": row.sha256,
            "deployed_at": row.deployed_at.isoformat(), "deployed_by": row.deployed_by}
