"""The monthly report as plain-text tables for the terminal (`alur report monthly`)."""

from collections.abc import Callable, Iterator
from typing import Any

Column = tuple[str, Callable[[dict[str, Any]], Any]]
STAGES = {"collection": "Collect", "survey": "Survey", "analysis": "Analysis",
          "approval": "Approval", "disbursement": "Disburse"}


def rupiah(amount: int | None) -> str:
    """`Rp 150.000.000` (Indonesian thousands separator)."""
    return "-" if amount is None else "Rp " + f"{amount:,}".replace(",", ".")


def _hours(stage: str) -> Column:
    def median(figures: dict[str, Any]) -> str:
        value = figures["turnaround"][stage]["median_hours"]
        return "-" if value is None else f"{value:.1f}"
    return STAGES[stage], median


def _kol(kol: int) -> Column:
    return f"Kol {kol}", lambda f: rupiah(f["portfolio"]["collectibility"][str(kol)]["outstanding"])


SECTIONS: list[tuple[str, list[Column]]] = [
    ("Applications", [
        ("Collected", lambda f: f["collected"]["count"]),
        ("Amount", lambda f: rupiah(f["collected"]["amount"])),
        ("Surveyed", lambda f: f["surveyed"]),
        ("Approved", lambda f: f["approved"]["count"]),
        ("Amount", lambda f: rupiah(f["approved"]["amount"])),
        ("Rejected", lambda f: f["rejected"]),
        ("Lapsed", lambda f: f["lapsed"]),
        ("Disbursed", lambda f: f["disbursed"]["count"]),
        ("Amount", lambda f: rupiah(f["disbursed"]["amount"])),
    ]),
    ("Service levels; median hours per stage", [
        ("Breaches", lambda f: f["service_levels"]["breaches"]),
        ("Late", lambda f: f["service_levels"]["completed_late"]),
        ("Overdue", lambda f: f["service_levels"]["open_overdue"]),
        ("Escalated", lambda f: f["service_levels"]["escalations"]),
        *[_hours(stage) for stage in STAGES],
    ]),
    ("Portfolio (outstanding per collectibility class)", [
        ("Loans", lambda f: f["portfolio"]["loans"]),
        ("Outstanding", lambda f: rupiah(f["portfolio"]["outstanding"])),
        *[_kol(kol) for kol in range(1, 6)],
        ("NPL", lambda f: rupiah(f["portfolio"]["npl_outstanding"])),
        ("NPL %", lambda f: f["portfolio"]["npl_ratio_percent"] or "-"),
    ]),
]


def render(report: dict[str, Any]) -> str:
    """Three tables (applications, service levels, portfolio): each branch, its AOs, the total."""
    lines = [f"Laporan bulanan {report['month']} (UTC, {report['starts_at'][:10]} to "
             f"{report['ends_at'][:10]} exclusive)"]
    for title, columns in SECTIONS:
        lines += ["", title, *_table(columns, list(_rows(report)))]
    return "\n".join(lines)


def _rows(report: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for branch in report["branches"]:
        yield branch["branch"], branch
        for officer in report["account_officers"]:
            if officer["branch"] == branch["branch"]:
                yield "  " + officer["account_officer"], officer
    yield "TOTAL", report["totals"]


def _table(columns: list[Column], rows: list[tuple[str, dict[str, Any]]]) -> list[str]:
    cells = [[label, *(str(value(figures)) for _, value in columns)] for label, figures in rows]
    header = ["Branch / AO", *(name for name, _ in columns)]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    return [" ".join([row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width
                                                    in zip(row[1:], widths[1:], strict=True))])
            .rstrip() for row in [header, *cells]]
