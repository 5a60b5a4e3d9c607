"""Policy backtest: what would another process version have decided on past applications?"""

from collections import Counter
from datetime import date, datetime, time
from typing import Any

from engine.bootstrap import Alur
from engine.replay import recorded_trace, rerun
from engine.services.applications import PROCESS_KEY
from engine.services.audit import engine_for, event_log

OUTCOME_FIELDS = ("approval_tier", "approved_amount", "rejection_reason")


def whatif(alur: Alur, version: int, application_ids: list[int] | None = None,
           created_from: date | None = None, created_to: date | None = None) -> dict[str, Any]:
    """Replay applications on `version` of the credit process and report what would differ.

    Human inputs are never guessed: a task the new path asks for but nobody answered stops that
    application's replay, and recorded answers the new path never asks for are listed.
    """
    with alur.uow() as uow:
        target = uow.definitions.version(PROCESS_KEY, version)
        ids = application_ids or uow.applications.ids(_day(created_from), _day(created_to),
                                                             kind="application")
        cases = [_case(uow, application_id) for application_id in ids]
        engine, _ = engine_for(alur, target)
        target_view = {"key": target.key, "version": target.version, "sha256": target.sha256}
    results = [_one(engine, target_view["sha256"], case) for case in cases]
    transitions = Counter(f"{r['original']['status']} -> {r['whatif']['status']}" for r in results)
    return {"target": target_view, "total": len(results),
            "changed": sum(1 for r in results if r["changed"]),
            "transitions": dict(sorted(transitions.items())), "applications": results}


def _day(value: date | None) -> datetime | None:
    return None if value is None else datetime.combine(value, time.min)


def _case(uow: Any, application_id: int) -> dict[str, Any]:
    application = uow.applications.get(application_id)
    waiting = sorted({t.task for t in uow.tasks.open_for(application.id)})
    return {"id": application.id, "number": application.number, "status": application.status,
            "waiting_for": waiting,
            "version": application.definition.version, "summary": dict(application.summary),
            "log": event_log(uow, application_id)}


def _one(engine: Any, sha256: str, case: dict[str, Any]) -> dict[str, Any]:
    result = rerun(engine, sha256, case["log"], strict=False)
    original = _last_outputs([d for _, d in recorded_trace(case["log"])])
    replayed = _last_outputs(result.trace)
    differences = [{"decision": name, "field": field, "original": value,
                    "whatif": replayed.get(name, {}).get(field)}
                   for name, outputs in original.items() for field, value in outputs.items()
                   if replayed.get(name, {}).get(field) != value]
    differences += [{"decision": name, "field": field, "original": None, "whatif": value}
                    for name, outputs in replayed.items() if name not in original
                    for field, value in outputs.items()]
    whatif_outcome = _outcome(result)
    original_outcome = {"status": case["status"], "waiting_for": case["waiting_for"],
                        **{k: case["summary"].get(k) for k in OUTCOME_FIELDS}}
    return {"application_id": case["id"], "number": case["number"],
            "original_version": case["version"], "original": original_outcome,
            "whatif": whatif_outcome, "differences": differences,
            "changed": bool(differences) or original_outcome != whatif_outcome,
            "asked_but_never_given": result.asked_but_never_given,
            "given_but_not_asked": result.given_but_not_asked, "error": result.error}


def _last_outputs(trace: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    outputs: dict[str, dict[str, Any]] = {}
    for decision in trace:
        if decision["type"] == "rule_evaluated":
            outputs[decision["decision"]] = decision["outputs"]
    return outputs


def _outcome(result: Any) -> dict[str, Any]:
    instance = result.instance
    data = instance.data if instance is not None else {}
    ready = instance.ready_tasks() if instance is not None and not instance.finished else []
    if instance is not None and instance.finished:
        status = instance.outcome().get("status", "completed")
    elif result.error:
        status = "stopped"
    else:
        status = ready[0].properties.get("status", "active") if ready else "active"
    return {"status": status, "waiting_for": sorted({t.task for t in ready}),
            **{k: data.get(k) for k in OUTCOME_FIELDS}}
