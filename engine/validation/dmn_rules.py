"""DMN rules: one decision per file, Python cells, hit policies Spiff honours, UNIQUE proofs."""

from collections.abc import Iterable
from typing import Any

from engine.validation import exclusivity
from engine.validation.expressions import compiles, dmn_cell
from engine.validation.problems import Problem, problem

HONOURED = {"UNIQUE", "FIRST", "COLLECT"}


def decision_ids(root: Any) -> list[str]:
    return [d.get("id") for d in root.iter("{*}decision")]


def check_dmn(filename: str, root: Any) -> list[Problem]:
    decisions = list(root.iter("{*}decision"))
    if len(decisions) != 1:
        return [problem(filename, None, f"A DMN file must hold exactly one decision; this one "
                                        f"holds {len(decisions)}. SpiffWorkflow would use only "
                                        "one of them.")]
    table = decisions[0].find("{*}decisionTable")
    if table is None:
        return [problem(filename, decisions[0], "Only decision tables are supported.")]
    return list(_table(filename, table))


def _table(filename: str, table: Any) -> Iterable[Problem]:
    policy = table.get("hitPolicy", "UNIQUE")
    if policy not in HONOURED:
        yield problem(filename, table, f"Hit policy {policy} is not honoured by SpiffWorkflow "
                                       "(it behaves as FIRST); use FIRST, UNIQUE or COLLECT.")
    if table.get("aggregation"):
        yield problem(filename, table, "COLLECT aggregations are ignored by SpiffWorkflow; "
                                       "remove the aggregation and sum in a script.")
    for column in table.findall("{*}input"):
        label = column.get("label") or column.get("id")
        yield from compiles(filename, column, column.findtext("{*}inputExpression/{*}text"),
                            "eval", f"The input expression of {label}")
    rules = table.findall("{*}rule")
    for rule in rules:
        for entry in rule.findall("{*}inputEntry"):
            yield from dmn_cell(filename, rule, entry.findtext("{*}text"))
        for entry in rule.findall("{*}outputEntry"):
            text = entry.findtext("{*}text")
            if text and text.strip():
                yield from compiles(filename, rule, text, "eval", "The output")
    if policy == "UNIQUE":
        yield from _overlaps(filename, rules)


def _overlaps(filename: str, rules: list[Any]) -> Iterable[Problem]:
    cells = [[exclusivity.cell(e.findtext("{*}text")) for e in r.findall("{*}inputEntry")]
             for r in rules]
    for i, first in enumerate(cells):
        for j in range(i + 1, len(cells)):
            if all(exclusivity.overlap(a, b) for a, b in zip(first, cells[j], strict=False)):
                yield problem(filename, rules[j],
                              f"UNIQUE table: rules {rules[i].get('id')} and {rules[j].get('id')} "
                              "can match the same input (or cannot be proven apart); make them "
                              "exclusive or use hit policy FIRST.")
