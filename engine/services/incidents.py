"""Failed outside calls: the worker retries them with backoff; operations see, retry or resolve."""

from datetime import datetime
from typing import Any

from engine.bootstrap import Alur
from engine.errors import TaskNotOpen
from engine.services.definitions import ensure_loaded
from engine.services.progress import BACKOFF, advance, close_incident, next_due
from engine.services.users import Actor
from engine.unit_of_work import UnitOfWork

WORKER = "worker"


def list_incidents(alur: Alur, status: str) -> list[dict[str, Any]]:
    """Incidents, newest first: `open`, `resolved` or `all`."""
    with alur.uow() as uow:
        return [_view(row) for row in uow.incidents.listing(status)]


def retry_incident(alur: Alur, actor: Actor, incident_id: int) -> dict[str, Any]:
    """Operations retry a failed call now."""
    actor.require("operations")
    with alur.uow() as uow:
        row = _open(uow, incident_id)
        _retry(alur, uow, row, actor.name, alur.clock.now())
        uow.commit()
        return _view(row)


def resolve_incident(alur: Alur, actor: Actor, incident_id: int, result: dict[str, Any],
                     note: str) -> dict[str, Any]:
    """Operations finish a failed call by hand (a payout made at the branch) with its result."""
    actor.require("operations")
    with alur.uow() as uow:
        row = _open(uow, incident_id)
        application, now = row.application, alur.clock.now()
        instance = _load(alur, application)
        if not _failed(instance, row.element):
            raise TaskNotOpen("The process no longer waits on this call; retry the incident to "
                              "close it.")
        uow.events.append(application, "incident_resolved", actor.name, now,
                          {"incident_id": row.id, "element": row.element, "how": "by_hand",
                           "result": result, "note": note}, role="operations")
        events = instance.resolve(row.element, result)
        row.status, row.resolved_at, row.resolved_by, row.next_attempt_at = (
            "resolved", now, actor.name, None)
        advance(alur, uow, application, instance, events, now)
        uow.commit()
        return _view(row)


def run_due(alur: Alur, limit: int = 50) -> list[dict[str, Any]]:
    """One worker pass over the applications whose time has come: retry due incidents, fire due
    timers. The batch is one transaction; on PostgreSQL other workers skip these rows."""
    now = alur.clock.now()
    with alur.uow() as uow:
        done = []
        for application in uow.applications.due(now, limit):
            for row in uow.incidents.open_for(application.id):
                if row.next_attempt_at is not None and row.next_attempt_at <= now:
                    _retry(alur, uow, row, WORKER, now)
                    done.append({"application_number": application.number,
                                 "what": f"retry {row.element}", "status": row.status})
            instance = _load(alur, application)
            timer = instance.next_timer()
            if timer is not None and timer < now:  # SpiffWorkflow fires once the time has passed
                uow.events.append(application, "timer_fired", WORKER, now,
                                  {"due": timer.isoformat()})
                advance(alur, uow, application, instance, instance.fire_timers(), now)
                done.append({"application_number": application.number, "status": application.status,
                             "what": f"timer due {timer.isoformat()}"})
            else:
                application.next_due_at = next_due(uow, application, timer)
        uow.commit()
        return done


def _retry(alur: Alur, uow: UnitOfWork, row: Any, actor: str, now: datetime) -> None:
    """Call the failed task's connector again; close the incident if the process moved on
    without it (a boundary timer cancelled the task, a migration): nothing is left to retry."""
    application = row.application
    instance = _load(alur, application)
    if not _failed(instance, row.element):
        close_incident(uow, row, actor, now, "withdrawn", _role(actor))
        return
    uow.events.append(application, "connector_retried", actor, now,
                      {"incident_id": row.id, "element": row.element, "attempt": row.attempts + 1},
                      role=_role(actor))
    events = instance.retry(row.element)
    row.attempts += 1
    if _failed(instance, row.element):
        row.error = next((p.get("error", "") for t, p in reversed(events)
                          if t == "connector_called"), row.error)
        retries_left = row.attempts - 1 < len(BACKOFF)
        row.next_attempt_at = now + BACKOFF[row.attempts - 1] if retries_left else None
    else:
        close_incident(uow, row, actor, now, "retried", _role(actor))
    advance(alur, uow, application, instance, events, now)


def _failed(instance: Any, element: str) -> bool:
    return any(task["element"] == element for task in instance.failed_tasks())


def _role(actor: str) -> str | None:
    return "operations" if actor != WORKER else None


def _load(alur: Alur, application: Any) -> Any:
    ensure_loaded(alur, application.definition)
    return alur.workflows.load(application.definition.sha256, application.state_json,
                               application.id)


def _open(uow: UnitOfWork, incident_id: int) -> Any:
    row = uow.incidents.get(incident_id)
    if row.status != "open":
        raise TaskNotOpen(f"Incident {incident_id} is {row.status}.")
    return row


def _view(row: Any) -> dict[str, Any]:
    return {"id": row.id, "application_id": row.application_id,
            "application_number": row.application.number, "element": row.element,
            "operation": row.operation, "error": row.error, "attempts": row.attempts,
            "status": row.status,
            "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
            "created_at": row.created_at.isoformat(),
            "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
            "resolved_by": row.resolved_by}
