"""Plain data the workflow package hands out: versions, waiting tasks, journaled events."""

from dataclasses import dataclass, field
from typing import Any

Event = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Definition:
    """A parsed, serialized process version; `sha256` identifies it."""

    key: str
    sha256: str
    spec_json: str
    meta: dict[str, Any]
    forms: dict[str, Any] = field(default_factory=dict)  # the JSON Schemas its tasks use


@dataclass(frozen=True)
class ReadyTask:
    """A user task waiting for an officer."""

    spiff_id: str
    task: str
    title: str
    role: str | None
    properties: dict[str, str]
    instructions: str | None
    group_key: str | None
    data: dict[str, Any]
    due_at: str | None = None  # when its service-level timer fires (ISO 8601), if it has one
