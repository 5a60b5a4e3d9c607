"""Monthly reports (laporan bulanan): per account officer, per branch and in total."""

import csv
import io
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from engine.bootstrap import Alur
from engine.errors import InvalidInput
from engine.repositories.reports import Reports
from engine.services.report_figures import STAGES, blank, finish, merge
from engine.unit_of_work import UnitOfWork

MONTH = re.compile(r"(\d{4})-(\d{2})")
OUTCOMES = ("rejected", "lapsed", "disbursed")
SURVEY_TASK = "survey_applicant"
ESCALATION_TASK = "escalate_overdue_task"
APPROVAL_GATEWAY, APPROVED_TARGET = "gw_approval_decision", "sign_contract"
Key = tuple[str, str]
Groups = defaultdict[Key, dict[str, Any]]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The UTC calendar month `YYYY-MM` as [start, end).

    Raises:
        InvalidInput: `month` is not a month between 1900-01 and 9998-12.
    """
    found = MONTH.fullmatch(month or "")
    year, number = (int(found[1]), int(found[2])) if found else (0, 0)
    if not (1900 <= year <= 9998 and 1 <= number <= 12):
        raise InvalidInput(f"The month {month!r} is not valid: give it as YYYY-MM, e.g. 2026-10.")
    start = datetime(year, number, 1, tzinfo=UTC)
    return start, (start + timedelta(days=32)).replace(day=1)


def monthly_report(alur: Alur, month: str) -> dict[str, Any]:
    """Applications, service levels and the loan portfolio of one month, per AO and branch."""
    start, end = month_bounds(month)
    now = alur.clock.now()
    with alur.uow() as uow:
        officers = _officer_figures(uow, start, end, now)
    return _assemble(month, start, end, now, officers)


def _officer_figures(uow: UnitOfWork, start: datetime, end: datetime,
                     now: datetime) -> dict[Key, dict[str, Any]]:
    """Raw figures per (branch, account officer), straight from the aggregate queries."""
    groups: Groups = defaultdict(blank)
    for fill in (_applications, _service_levels, _portfolio):
        fill(groups, uow.reports, start, end, now)
    return groups


def _applications(groups: Groups, reports: Reports, start: datetime, end: datetime,
                  now: datetime) -> None:
    """Collected, surveyed, approved and how applications ended."""
    for branch, officer, count, amount in reports.collected(start, end):
        groups[branch, officer]["collected"] = {"count": count, "amount": int(amount or 0)}
    for branch, officer, count in reports.completed(SURVEY_TASK, start, end):
        groups[branch, officer]["surveyed"] = count
    for branch, officer, count, amount in reports.passed(APPROVAL_GATEWAY, APPROVED_TARGET,
                                                         start, end):
        groups[branch, officer]["approved"] = {"count": count, "amount": int(amount or 0)}
    for branch, officer, *sums in reports.outcomes(OUTCOMES, start, end):
        _outcomes(groups[branch, officer], [int(value or 0) for value in sums])


def _service_levels(groups: Groups, reports: Reports, start: datetime, end: datetime,
                    now: datetime) -> None:
    """Hours per staged task, missed service levels and escalations."""
    for branch, officer, stage, opened, completed in reports.durations(STAGES, start, end):
        groups[branch, officer]["hours"][stage].append((completed - opened).total_seconds() / 3600)
    for branch, officer, late, still_open in reports.breaches(start, end, now):
        groups[branch, officer]["service_levels"] |= {"completed_late": int(late),
                                                      "open_overdue": int(still_open)}
    for branch, officer, count in reports.opened(ESCALATION_TASK, start, end):
        groups[branch, officer]["service_levels"]["escalations"] = count


def _portfolio(groups: Groups, reports: Reports, start: datetime, end: datetime,
               now: datetime) -> None:
    """Loans and outstanding per class at each loan's latest review up to the month's end."""
    last_day = (end - timedelta(days=1)).date().isoformat()
    for branch, officer, kol, loans, outstanding in reports.portfolio(last_day):
        groups[branch, officer]["portfolio"][str(kol)] = {"loans": loans,
                                                          "outstanding": int(outstanding)}


def _outcomes(group: dict[str, Any], sums: list[int]) -> None:
    """Count and Rupiah of each outcome; `sums` holds them in pairs, in the order of OUTCOMES."""
    ended = dict(zip(OUTCOMES, zip(sums[::2], sums[1::2], strict=True), strict=True))
    group |= {"rejected": ended["rejected"][0], "lapsed": ended["lapsed"][0],
              "disbursed": {"count": ended["disbursed"][0], "amount": ended["disbursed"][1]}}


def _assemble(month: str, start: datetime, end: datetime, now: datetime,
              officers: dict[Key, dict[str, Any]]) -> dict[str, Any]:
    """Roll the officers' figures up to branches and the total, then finish each."""
    branches: defaultdict[str, dict[str, Any]] = defaultdict(blank)
    total = blank()
    for (branch, _), raw in officers.items():
        merge(branches[branch], raw)
        merge(total, raw)
    return {
        "month": month, "starts_at": start.isoformat(), "ends_at": end.isoformat(),
        "generated_at": now.isoformat(), "totals": finish(total),
        "branches": [{"branch": branch, **finish(branches[branch])}
                     for branch in sorted(branches)],
        "account_officers": [{"branch": branch, "account_officer": officer,
                              **finish(officers[branch, officer])}
                             for branch, officer in sorted(officers)],
    }


def monthly_report_csv(report: dict[str, Any]) -> str:
    """One row per account officer, branch and the total, one column per figure (for Excel)."""
    rows = [{"scope": "account_officer", **row} for row in report["account_officers"]]
    rows += [{"scope": "branch", "account_officer": "", **row} for row in report["branches"]]
    rows.append({"scope": "total", "branch": "", "account_officer": "", **report["totals"]})
    header = ["month", "scope", "branch", "account_officer", *_flatten(report["totals"])]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({"month": report["month"], **_flatten(row)} for row in rows)
    return out.getvalue()


def _flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"collected": {"count": 1}}` → `{"collected_count": 1}`; None becomes an empty cell."""
    flat: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}_")
        else:
            flat[prefix + key] = "" if value is None else value
    return flat
