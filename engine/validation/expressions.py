"""Checks of the Python that diagrams and tables carry: it must compile in the sandbox."""

import ast
import re
from typing import Any

from engine import sandbox
from engine.errors import ScriptFailed
from engine.validation.problems import Problem, problem

ISO_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
ISO_CYCLE = re.compile(r"^R\d*/.+$")
FEEL_IDIOMS = (re.compile(r"[\[(]\s*[^\]\[()]*\.\.[^\]\[()]*[\])]"), re.compile(r"^\s*not\s*\("),
               re.compile(r"\bdate and time\(|\bdate\(\"|\bduration\(\""))


def compiles(filename: str, node: Any, source: str | None, mode: str, what: str) -> list[Problem]:
    """A problem if `source` does not compile as restricted Python."""
    if source is None or not source.strip():
        return [problem(filename, node, f"{what} is empty.")]
    if "${" in source or "#{" in source:
        return [problem(filename, node, f"{what} uses JUEL ({source.strip()!r}); write Python, "
                                        "e.g. amount > 5.")]
    try:
        sandbox.check(source.strip(), mode)
    except ScriptFailed as error:
        return [problem(filename, node, f"{what} does not compile: {error}")]
    return []


def timer(filename: str, node: Any, source: str | None, kind: str) -> list[Problem]:
    """Timer expressions compile and, when literal, are valid ISO 8601 of their kind."""
    found = compiles(filename, node, source, "eval", f"The {kind} expression")
    if found or source is None:
        return found
    text = source.strip()
    if ISO_DURATION.match(text) or ISO_CYCLE.match(text):
        return [problem(filename, node, f"The {kind} {text} must be a Python string: \"{text}\".")]
    try:  # only literals are checked here: evaluating uploaded code at deploy time is refused
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return []  # computed from process data; checked when it runs
    if not isinstance(value, str) or not _iso(value, kind):
        return [problem(filename, node, f"The {kind} {value!r} is not valid ISO 8601.")]
    return []


def _iso(value: str, kind: str) -> bool:
    from datetime import datetime

    if kind == "timeDuration":
        return bool(ISO_DURATION.match(value))
    if kind == "timeCycle":
        return bool(ISO_CYCLE.match(value))
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def dmn_cell(filename: str, node: Any, text: str | None) -> list[Problem]:
    """A DMN input cell is `-`/empty, an expression, or a comparison tail like `> 5`."""
    if text is None or text.strip() in ("", "-"):
        return []
    for idiom in FEEL_IDIOMS:
        if idiom.search(text):
            return [problem(filename, node, f"The cell {text!r} is FEEL; SpiffWorkflow evaluates "
                                            "Python (write `>= 1` and `<= 5` in two columns, "
                                            "`!= \"x\"`, or `in (\"a\", \"b\")`).")]
    candidate = text.replace("?", "dmninputexpr")
    for source in (candidate, f"dmninputexpr {candidate}"):
        try:
            sandbox.check(source, "eval")
            return []
        except ScriptFailed:
            continue
    return [problem(filename, node, f"The cell {text!r} is not a Python expression or comparison.")]
