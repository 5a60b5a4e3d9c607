"""Can two conditions both be true? A small prover for comparisons of one name with literals.

Understands `x == 3`, `x == "a"`, `x > 5`, `x <= 7`, `3 < x <= 9`, `x in ("a", "b")`, `x`, `not x`,
and DMN cells (`> 5`, `"a"`, `-`). Anything else is "unknown", which callers treat as "may overlap".
"""

import ast
import math
from dataclasses import dataclass
from typing import Any

UNKNOWN = None


@dataclass(frozen=True)
class Interval:
    low: float = -math.inf
    low_open: bool = True
    high: float = math.inf
    high_open: bool = True

    def __and__(self, other: "Interval") -> "Interval":
        if self.low != other.low:
            low, low_open = max((self.low, self.low_open), (other.low, other.low_open))
        else:
            low, low_open = self.low, self.low_open or other.low_open
        if self.high != other.high:
            high, high_open = min((self.high, self.high_open), (other.high, other.high_open))
        else:
            high, high_open = self.high, self.high_open or other.high_open
        return Interval(low, low_open, high, high_open)

    @property
    def empty(self) -> bool:
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def meets(self, other: "Interval") -> bool:
        return not (self & other).empty


@dataclass(frozen=True)
class Values:
    """A finite set of literal values (strings, booleans, numbers)."""

    items: frozenset[Any]


Condition = tuple[str | None, Interval | Values] | None  # (name, set) or UNKNOWN


def overlap(a: Any, b: Any) -> bool:
    """True unless the two value sets provably share nothing."""
    if a is UNKNOWN or b is UNKNOWN:
        return True
    if isinstance(a, Values) and isinstance(b, Values):
        return bool(a.items & b.items)
    if isinstance(a, Interval) and isinstance(b, Interval):
        return a.meets(b)
    values, interval = (a, b) if isinstance(a, Values) else (b, a)
    if interval == Interval():  # "any value"
        return bool(values.items)
    return any(isinstance(v, int | float) and not isinstance(v, bool) and
               interval.meets(Interval(v, False, v, False)) for v in values.items)


def condition(source: str) -> Condition:
    """(name, value set) for a gateway condition, or UNKNOWN."""
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return UNKNOWN
    if isinstance(node, ast.Name):
        return node.id, Values(frozenset({True}))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and \
            isinstance(node.operand, ast.Name):
        return node.operand.id, Values(frozenset({False, None}))
    if isinstance(node, ast.Compare):
        return _compare(node)
    return UNKNOWN


def cell(text: str | None) -> Interval | Values | None:
    """The value set of a DMN input cell (Python flavour), `Interval()` for any, or UNKNOWN."""
    if text is None or text.strip() in ("", "-"):
        return Interval()
    if "?" in text:
        parsed = condition(text.replace("?", "x"))
        return parsed[1] if parsed and parsed[0] == "x" else UNKNOWN
    parsed = condition(f"x {text}") or condition(f"x == ({text})")
    return parsed[1] if parsed and parsed[0] == "x" else UNKNOWN


def _compare(node: ast.Compare) -> Condition:
    names = [n for n in [node.left, *node.comparators] if isinstance(n, ast.Name)]
    if len(names) != 1:
        return UNKNOWN
    name = names[0].id
    result: Interval | Values = Interval()
    operands = [node.left, *node.comparators]
    for left, op, right in zip(operands[:-1], node.ops, operands[1:], strict=True):
        flipped = isinstance(right, ast.Name)
        literal = _literal(left if flipped else right)
        if literal is UNKNOWN:
            return UNKNOWN
        part = _one(op, literal, flipped)
        if part is UNKNOWN:
            return UNKNOWN
        result = _intersect(result, part)
    return name, result


def _one(op: ast.cmpop, value: Any, flipped: bool) -> Interval | Values | None:
    if isinstance(op, ast.Eq):
        return Values(frozenset({value}))
    if isinstance(op, ast.In) and not flipped and isinstance(value, tuple | list | frozenset):
        return Values(frozenset(value))
    if not isinstance(value, int | float) or isinstance(value, bool):
        return UNKNOWN
    if flipped:
        op = {ast.Lt: ast.Gt(), ast.LtE: ast.GtE(), ast.Gt: ast.Lt(), ast.GtE: ast.LtE()}.get(
            type(op), op)
    return {ast.Gt: Interval(low=value), ast.GtE: Interval(low=value, low_open=False),
            ast.Lt: Interval(high=value), ast.LtE: Interval(high=value, high_open=False)
            }.get(type(op), UNKNOWN)


def _intersect(a: Interval | Values, b: Interval | Values) -> Interval | Values:
    if isinstance(a, Interval) and isinstance(b, Interval):
        return a & b
    if isinstance(a, Values) and isinstance(b, Values):
        return Values(a.items & b.items)
    values, interval = (a, b) if isinstance(a, Values) else (b, a)
    return Values(frozenset(v for v in values.items if overlap(Values(frozenset({v})), interval)))


def _literal(node: ast.AST) -> Any:
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return UNKNOWN
    return frozenset(value) if isinstance(value, tuple | list | set) else value


def exclusive(sources: list[str]) -> bool:
    """Whether conditions on one name can never be true together."""
    parsed = [condition(s) for s in sources]
    if any(p is UNKNOWN for p in parsed) or len({p[0] for p in parsed if p}) != 1:
        return False
    sets = [p[1] for p in parsed if p]
    return not any(overlap(a, b) for i, a in enumerate(sets) for b in sets[i + 1:])
