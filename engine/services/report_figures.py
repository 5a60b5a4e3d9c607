"""The figures of one report group (an officer, a branch, the total): raw, rolled up, finished."""

from statistics import mean, median
from typing import Any

STAGES = ("collection", "survey", "analysis", "approval", "disbursement")
CLASSES = (1, 2, 3, 4, 5)  # OJK collectibility: Lancar, DPK, Kurang Lancar, Diragukan, Macet
NPL_CLASSES = (3, 4, 5)
COUNTED = ("collected", "surveyed", "approved", "rejected", "lapsed", "disbursed")


def blank() -> dict[str, Any]:
    """Zeroed raw figures: counters and Rupiah, hours per stage, loans per class."""
    return {
        "collected": {"count": 0, "amount": 0}, "surveyed": 0,
        "approved": {"count": 0, "amount": 0}, "rejected": 0, "lapsed": 0,
        "disbursed": {"count": 0, "amount": 0},
        "hours": {stage: [] for stage in STAGES},
        "service_levels": {"completed_late": 0, "open_overdue": 0, "escalations": 0},
        "portfolio": {str(kol): {"loans": 0, "outstanding": 0} for kol in CLASSES},
    }


def merge(into: dict[str, Any], raw: dict[str, Any]) -> None:
    """Add one group's raw figures to another's (counts add up, hour lists join)."""
    for key, value in raw.items():
        if isinstance(value, dict):
            merge(into[key], value)
        else:
            into[key] += value


def finish(raw: dict[str, Any]) -> dict[str, Any]:
    """The reported figures: turnaround statistics, breaches and the NPL ratio computed."""
    levels = raw["service_levels"]
    return {key: raw[key] for key in COUNTED} | {
        "turnaround": {stage: _turnaround(hours) for stage, hours in raw["hours"].items()},
        "service_levels": {"breaches": levels["completed_late"] + levels["open_overdue"],
                           **levels},
        "portfolio": _portfolio(raw["portfolio"]),
    }


def _turnaround(hours: list[float]) -> dict[str, Any]:
    """Tasks completed, and their mean and median hours from opened to completed."""
    return {"tasks": len(hours),
            "mean_hours": round(mean(hours), 2) if hours else None,
            "median_hours": round(median(hours), 2) if hours else None}


def _portfolio(classes: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Loans and outstanding per class, and the NPL ratio (classes 3-5 over all outstanding)."""
    outstanding = sum(kol["outstanding"] for kol in classes.values())
    npl = sum(classes[str(kol)]["outstanding"] for kol in NPL_CLASSES)
    ratio_bp = npl_ratio_bp(npl, outstanding)
    return {"loans": sum(kol["loans"] for kol in classes.values()), "outstanding": outstanding,
            "collectibility": classes, "npl_outstanding": npl, "npl_ratio_bp": ratio_bp,
            "npl_ratio_percent": None if ratio_bp is None
            else f"{ratio_bp // 100}.{ratio_bp % 100:02d}"}


def npl_ratio_bp(npl: int, outstanding: int) -> int | None:
    """NPL over outstanding in basis points, rounded half up; None without outstanding."""
    if outstanding <= 0:
        return None
    return (npl * 20_000 + outstanding) // (2 * outstanding)
