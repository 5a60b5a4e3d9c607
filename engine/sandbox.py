"""Runs the scripts and expressions of a diagram in a restricted Python.

Diagrams are untrusted content: a process owner uploads them. Code is compiled with
RestrictedPython's `compile_restricted`, so names and attributes starting with `_` are refused at
compile time (no `().__class__.__base__.__subclasses__()` walk), and it runs with a small set of
builtins: no `__import__`, `open`, `eval`, time, randomness or network. Results stay deterministic,
which replay relies on.
"""

import ast
import builtins
import calendar
import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from RestrictedPython import compile_restricted, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)

from engine.errors import ScriptFailed


def add_months(iso_date: str, months: int) -> str:
    """The ISO date `months` calendar months after `iso_date` (clamped to the month's last day)."""
    start = date.fromisoformat(iso_date)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day).isoformat()


def add_working_days(iso_moment: str, days: int, holidays: list[str] | tuple = ()) -> str:
    """The moment `days` working days later: Saturdays, Sundays and `holidays` are skipped."""
    moment = datetime.fromisoformat(iso_moment)
    closed = set(holidays)
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5 and moment.date().isoformat() not in closed:
            days -= 1
    return moment.isoformat()


def years_between(iso_from: str, iso_to: str) -> int:
    """Completed years from `iso_from` to `iso_to` (an age)."""
    born, on = date.fromisoformat(iso_from), date.fromisoformat(iso_to)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


HELPERS: dict[str, Any] = {
    "ceil": math.ceil,
    "floor": math.floor,
    "add_months": add_months,
    "add_working_days": add_working_days,
    "years_between": years_between,
}

_BUILTINS = {
    **safe_builtins,
    **{name: getattr(builtins, name)
       for name in ("min", "max", "sum", "any", "all", "list", "dict", "set", "enumerate")},
}


def _inplace(op: str, x: Any, y: Any) -> Any:
    operators = {"+=": lambda: x + y, "-=": lambda: x - y, "*=": lambda: x * y,
                 "/=": lambda: x / y, "//=": lambda: x // y, "%=": lambda: x % y}
    if op not in operators:
        raise ScriptFailed(f"The operator {op} is not allowed in diagram scripts.")
    return operators[op]()


GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS,
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplace,
}
CLOCK_HELPERS = ("now",)  # given by the instance running the code: its logical clock
RESERVED = frozenset(GUARDS) | frozenset(HELPERS) | frozenset(CLOCK_HELPERS)


MAX_SOURCE = 100_000


@lru_cache(maxsize=2048)
def _compile(source: str, mode: str) -> Any:
    if len(source) > MAX_SOURCE:
        raise ScriptFailed(f"Refused diagram code of {len(source):,} characters; at most "
                           f"{MAX_SOURCE:,}.")
    try:
        return compile_restricted(source, filename="<diagram>", mode=mode)
    except (RecursionError, MemoryError):
        raise ScriptFailed("Refused diagram code nested too deeply to compile.") from None
    except SyntaxError as error:
        reasons = error.msg if isinstance(error.msg, tuple) else (error.msg,)
        raise ScriptFailed(f"Refused diagram code {source!r}: {'; '.join(reasons)}") from None


def check(source: str, mode: str = "exec") -> None:
    """Raise ScriptFailed if `source` does not compile in the restricted language or imports."""
    _compile(source, mode)
    if any(isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(ast.parse(source))):
        # (ast.parse cannot recurse deeper than the compile that just succeeded)
        raise ScriptFailed(f"Refused diagram code {source!r}: imports are not allowed; the "
                           "helpers ceil, floor, add_months and years_between are available.")


def evaluate(expression: str, data: Mapping[str, Any],
             extra: Mapping[str, Any] | None = None) -> Any:
    """Evaluate an expression against task data, read-only."""
    code = _compile(expression, "eval")
    try:
        return eval(code, {**data, **(extra or {}), **HELPERS, **GUARDS})  # noqa: S307
    except ScriptFailed:
        raise
    except Exception as error:
        raise ScriptFailed(f"Expression {expression!r} failed: {_describe(error)}") from None


def execute(script: str, data: dict[str, Any], extra: Mapping[str, Any] | None = None) -> None:
    """Run a script against task data; top-level names it binds or deletes update `data`."""
    clash = RESERVED.intersection(data)
    if clash:
        raise ScriptFailed(f"Task data uses reserved names {sorted(clash)}; rename those fields.")
    code = _compile(script, "exec")
    scope = {**data, **(extra or {}), **HELPERS, **GUARDS}
    try:
        exec(code, scope)  # noqa: S102 - restricted code
    except ScriptFailed:
        raise
    except Exception as error:
        raise ScriptFailed(f"Script failed: {_describe(error)}") from None
    for name in [name for name in data if name not in scope]:
        del data[name]
    data.update((k, v) for k, v in scope.items() if k not in RESERVED and not callable(v))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
