"""Auditors' use cases: verify the chain, replay, see a past state, read the whole audit trail."""

import hashlib
import json
from typing import Any

from engine import chain
from engine.bootstrap import Alur
from engine.clock import FixedClock
from engine.replay import Rerun, recorded_trace, rerun
from engine.services.views import application_view, decision_view, event_view
from engine.unit_of_work import UnitOfWork
from engine.workflow import Definition, WorkflowEngine


def verify_application(alur: Alur, application_id: int) -> dict[str, Any]:
    """`intact`, or the first broken sequence number and why."""
    with alur.uow() as uow:
        return _verify(uow, application_id)


def verify_all(alur: Alur) -> list[dict[str, Any]]:
    """The chain verdict of every application."""
    with alur.uow() as uow:
        return [_verify(uow, application_id) for application_id in uow.applications.ids()]


def _verify(uow: UnitOfWork, application_id: int) -> dict[str, Any]:
    application = uow.applications.get(application_id)
    events = uow.events.for_application(application_id)
    verdict = chain.verify(events, application.last_seq, application.head_hash)
    return {"application_id": application_id, "number": application.number, **verdict.as_dict()}


def replay_application(alur: Alur, application_id: int) -> dict[str, Any]:
    """Re-run from the pinned version and the recorded inputs; never touches the live instance."""
    with alur.uow() as uow:
        application = uow.applications.get(application_id)
        log = event_log(uow, application_id)
        sha, number = log[0]["payload"]["definition"], application.number
        engine, intact = engine_for(alur, *_versions_in(uow, log))
        live = engine.load(application.definition.sha256, application.state_json)
    result = rerun(engine, sha, log)
    report = _compare(recorded_trace(log), result)
    if report["result"] == "reproduced" and result.instance is not None:
        report |= _compare_final(live.data, result.instance.data)
    return {"application_id": application_id, "number": number,
            "definition": sha, "definition_intact": intact, **report}


def state_at(alur: Alur, application_id: int, seq: int) -> dict[str, Any]:
    """The application as it stood after event `seq`: stage, data, open tasks, decisions."""
    with alur.uow() as uow:
        application = uow.applications.get(application_id)
        log = event_log(uow, application_id)
        sha, number, last_seq = (log[0]["payload"]["definition"], application.number,
                                 application.last_seq)
        engine, _ = engine_for(alur, *_versions_in(uow, log))
        decisions = [decision_view(e) for e in uow.events.for_application(
            application_id, ("gateway_passed", "rule_evaluated")) if e.seq <= seq]
        claims = _claims(log, seq)
    result = rerun(engine, sha, log, until_seq=seq)
    instance = result.instance
    ready = instance.ready_tasks() if instance is not None else []
    status, stage = _status(instance, ready)
    return {"application_id": application_id, "number": number, "at": seq,
            "last_seq": last_seq, "status": status, "stage": stage,
            "data": instance.data if instance is not None else {},
            "open_tasks": [{"task": t.task, "title": t.title, "role": t.role,
                            "assignee": claims.get(t.task)} for t in ready],
            "decisions": decisions}


def audit_report(alur: Alur, application_id: int) -> dict[str, Any]:
    """Everything an auditor asks of one application, with verification and replay results."""
    with alur.uow() as uow:
        application = uow.applications.get(application_id)
        view = application_view(uow, application, whole_journal=True)
        timeline = [event_view(e) for e in uow.events.for_application(application_id)]
    return {"application": view, "policy_version": view["definition"], "timeline": timeline,
            "decisions": view["decisions"],
            "verification": verify_application(alur, application_id),
            "replay": replay_application(alur, application_id)}


def event_log(uow: UnitOfWork, application_id: int) -> list[dict[str, Any]]:
    return [{"seq": e.seq, "type": e.type, "actor": e.actor, "payload": e.payload,
             "at": e.at}
            for e in uow.events.for_application(application_id)]


def engine_for(alur: Alur, *rows: Any) -> tuple[WorkflowEngine, bool]:
    """A private engine restored from the stored specs themselves (not the cache), and whether
    every stored spec and its forms still hash to the version's SHA-256."""
    engine = WorkflowEngine(alur.workflows.connectors, FixedClock(alur.clock.now()))
    intact = True
    for row in rows:
        spec_sha = hashlib.sha256(row.spec_json.encode()).hexdigest()
        version_sha = hashlib.sha256(json.dumps({"spec": spec_sha, "forms": row.forms},
                                                sort_keys=True).encode()).hexdigest()
        engine.remember(Definition(row.key, row.sha256, row.spec_json, row.meta))
        intact = intact and version_sha == row.sha256
    return engine, intact


def _versions_in(uow: UnitOfWork, log: list[dict[str, Any]]) -> list[Any]:
    """The version an application started on and every version it was migrated to."""
    shas = [log[0]["payload"]["definition"]]
    shas += [e["payload"]["to"] for e in log if e["type"] == "definition_migrated"]
    return [row for row in (uow.definitions.by_sha(sha) for sha in dict.fromkeys(shas)) if row]


def _compare(recorded: list[tuple[int, dict[str, Any]]], result: Rerun) -> dict[str, Any]:
    replayed = result.trace
    for index, (seq, decision) in enumerate(recorded):
        again = replayed[index] if index < len(replayed) else None
        if again != decision:
            return {"result": "diverged", "checked": index, "at_seq": seq,
                    "recorded": decision, "replayed": again, "error": result.error}
    if len(replayed) > len(recorded) or result.error:
        extra = replayed[len(recorded)] if len(replayed) > len(recorded) else None
        return {"result": "diverged", "checked": len(recorded), "at_seq": None,
                "recorded": None, "replayed": extra, "error": result.error}
    return {"result": "reproduced", "checked": len(recorded)}


def _compare_final(live: dict[str, Any], replayed: dict[str, Any]) -> dict[str, Any]:
    differing = sorted(k for k in set(live) | set(replayed) if live.get(k) != replayed.get(k))
    if not differing:
        return {}
    return {"result": "diverged", "at_seq": None, "recorded": {k: live.get(k) for k in differing},
            "replayed": {k: replayed.get(k) for k in differing}, "error": "final data differs"}


def _status(instance: Any, ready: list[Any]) -> tuple[str, str]:
    if instance is None:
        return "unknown", "unknown"
    if instance.finished:
        outcome = instance.outcome()
        return outcome.get("status", "completed"), outcome.get("stage", "closed")
    if ready:
        return ready[0].properties.get("status", "active"), ready[0].properties.get("stage", "")
    return "active", ""


def _claims(log: list[dict[str, Any]], seq: int) -> dict[str, str | None]:
    holders: dict[str, str | None] = {}
    for event in log:
        if event["seq"] > seq:
            break
        task = event["payload"].get("task")
        if event["type"] == "task_claimed":
            holders[task] = event["actor"]
        elif event["type"] in ("task_released", "task_completed"):
            holders[task] = None
    return holders


def record_read(alur: Alur, actor: Any, method: str, path: str,
                application_id: int | None) -> None:
    """Log a read by an auditor (who read what, when)."""
    with alur.uow() as uow:
        uow.access.record(actor=actor.name, roles=sorted(actor.roles), method=method, path=path,
                          application_id=application_id, at=alur.clock.now())
        uow.commit()


def access_log(alur: Alur, limit: int = 100) -> list[dict[str, Any]]:
    """The most recent reads by auditors, newest first."""
    with alur.uow() as uow:
        return [{"actor": r.actor, "roles": r.roles, "method": r.method, "path": r.path,
                 "application_id": r.application_id, "at": r.at.isoformat()}
                for r in uow.access.recent(limit)]
