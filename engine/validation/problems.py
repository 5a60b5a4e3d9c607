"""The shape of one validation finding."""

from typing import Any, TypedDict


class Problem(TypedDict):
    file: str | None
    element: str | None
    line: int | None
    message: str


def problem(file: str | None, node: Any, message: str, element: str | None = None) -> Problem:
    """A finding about `node` (an lxml element, or None) in `file`."""
    line = getattr(node, "sourceline", None)
    return {"file": file, "element": element or (node.get("id") if node is not None else None),
            "line": line, "message": message}
