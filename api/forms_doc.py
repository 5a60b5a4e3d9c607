"""Publishes the bundled start form in the OpenAPI document, so clients see the real contract."""

import json
from typing import Any

from flask_smorest import Api

from engine.bootstrap import Alur


def start_form(alur: Alur) -> dict[str, Any]:
    """The start form's JSON Schema as a component (`{"type": "object"}` without one)."""
    path = alur.forms_dir / "start_application.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {"type": "object"}
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}


def document_forms(api: Api, component: dict[str, Any]) -> None:
    """Register `StartApplicationForm` (the start form's JSON Schema) as an OpenAPI component."""
    api.spec.components.schema("StartApplicationForm", component=component)
