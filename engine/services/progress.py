"""After the engine moves: journal its events, refresh the task projection, status and summary."""

from datetime import datetime, timedelta
from typing import Any

from engine import forms, sandbox
from engine.bootstrap import Alur
from engine.errors import ScriptFailed
from engine.replay import task_changes
from engine.services.cycles import next_cycle, note_review, open_loan
from engine.services.delivery import deliver_kept
from engine.unit_of_work import UnitOfWork
from engine.workflow import Event, Instance, ReadyTask

ENGINE_ACTOR = "engine"
SUMMARY_KEYS = (
    "application_number", "segment", "installment", "declared_dsr_bp", "age_at_maturity",
    "prescreen_result", "analysed_dsr_bp", "ltv_bp", "risk_grade", "recommended_amount",
    "policy_result", "escalation_levels", "approval_tier", "required_authority_limit",
    "approved_amount", "rejection_reason", "contract_number",
)


def advance(alur: Alur, uow: UnitOfWork, application: Any, instance: Instance,
            events: list[Event], now: datetime) -> None:
    """Record what the engine did and bring every projection of the case up to date; then
    follow on: a loan cycle that ended continues as new, kept messages the case now waits for
    are delivered, and a disbursed application opens its loan."""
    while True:
        _record(alur, uow, application, instance, events, now)
        note_review(uow, application, instance)
        follow = next_cycle(uow, application, instance, now) \
            or _delivered(uow, application, instance, now)
        if follow is None:
            break
        instance, events = follow
    opened = open_loan(alur, uow, application, instance, now)
    if opened is not None:
        advance(alur, uow, *opened, now)


def _delivered(uow: UnitOfWork, case: Any, instance: Instance, now: datetime
               ) -> tuple[Instance, list[Event]] | None:
    events = deliver_kept(uow, case, instance, now)
    return None if events is None else (instance, events)


def _record(alur: Alur, uow: UnitOfWork, application: Any, instance: Instance,
            events: list[Event], now: datetime) -> None:
    for type_, payload in events:
        uow.events.append(application, type_, ENGINE_ACTOR, now, payload)
    ready = instance.ready_tasks()
    _sync_tasks(uow, application, instance, ready, now)
    due = _open_incidents(uow, application, instance, events, now)
    data = instance.data
    outcome = instance.outcome()
    staged = [task for task in ready if "stage" in task.properties]  # not side escalations
    status, stage = application.status, application.stage
    if outcome:
        status, stage = outcome["status"], outcome.get("stage", "closed")
    elif instance.finished:
        status, stage = "completed", "closed"
    elif staged:
        status = staged[0].properties.get("status", "active")
        stage = staged[0].properties["stage"]
    uow.applications.store(
        application, number=application.number, status=status, stage=stage,
        summary=_summary(data, events, application.summary), next_due_at=due,
        state_json=alur.workflows.save(application.id, instance), updated_at=now)


def _summary(data: dict[str, Any], events: list[Event], before: dict[str, Any]) -> dict[str, Any]:
    summary = {key: data[key] for key in SUMMARY_KEYS if key in data}
    bureau = data.get("bureau")
    if isinstance(bureau, dict):
        summary["bureau_collectibility"] = bureau.get("worst_collectibility_12m")
    disbursement = data.get("disbursement")
    if isinstance(disbursement, dict):
        summary["disbursement_reference"] = disbursement.get("reference")
    if isinstance(data.get("loan"), dict):  # a loan's summary is its carried state
        summary |= data["loan"]
    return {**before, **summary}


BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))


def _open_incidents(uow: UnitOfWork, application: Any, instance: Instance, events: list[Event],
                    now: datetime) -> datetime | None:
    """A connector call that failed becomes an incident the worker retries with backoff; one the
    process no longer waits on (an interrupting event, a migration) is withdrawn. Returns the
    next time the worker must look at the case."""
    failed = instance.failed_tasks()
    # open incidents exist only where a call failed: then the case had one, or a retry was due
    looked_at = failed or application.next_due_at is not None
    incidents = uow.incidents.open_for(application.id) if looked_at else []
    waiting = {task["element"] for task in failed}
    for row in incidents:
        if row.element not in waiting:
            close_incident(uow, row, ENGINE_ACTOR, now, "withdrawn")
    incidents = [row for row in incidents if row.status == "open"]
    known = {row.element for row in incidents}
    errors = {p["element"]: p.get("error", "") for t, p in events if t == "connector_called"}
    for task in failed:
        if task["element"] in known:
            continue
        row = uow.incidents.add(application_id=application.id, element=task["element"],
                                operation=task["operation"],
                                error=errors.get(task["element"], ""), attempts=1,
                                status="open", next_attempt_at=now + BACKOFF[0], created_at=now)
        uow.flush()
        uow.events.append(application, "incident_opened", ENGINE_ACTOR, now,
                          {"incident_id": row.id, "element": row.element, "error": row.error})
        incidents.append(row)
    return next_due(uow, application, instance.next_timer(), incidents)


def close_incident(uow: UnitOfWork, row: Any, actor: str, now: datetime, how: str,
                   role: str | None = None) -> None:
    """Resolve an incident and journal how: `retried` (the call went through) or `withdrawn`
    (the process no longer waits on the call; the workflow does not move, replays skip it)."""
    row.status, row.resolved_at, row.resolved_by, row.next_attempt_at = (
        "resolved", now, actor, None)
    uow.events.append(row.application, "incident_resolved", actor, now,
                      {"incident_id": row.id, "element": row.element, "how": how}, role=role)


def next_due(uow: UnitOfWork, application: Any, timer: datetime | None,
             incidents: list[Any] | None = None) -> datetime | None:
    """The next time the worker must look at this application: a due retry or timer."""
    if incidents is None:
        incidents = uow.incidents.open_for(application.id)
    due = [row.next_attempt_at for row in incidents
           if row.next_attempt_at is not None] + ([timer] if timer is not None else [])
    return min(due) if due else None


def cancel_open_tasks(uow: UnitOfWork, application: Any, now: datetime) -> None:
    """Close every open task row (before a migration re-opens what waits in the new version)."""
    rows = uow.tasks.open_for(application.id)
    uow.tasks.cancel([row.id for row in rows])
    for row in rows:
        uow.events.append(application, "task_cancelled", ENGINE_ACTOR, now,
                          {"task_id": row.id, "task": row.task})


def _sync_tasks(uow: UnitOfWork, application: Any, instance: Instance,
                ready: list[ReadyTask], now: datetime) -> None:
    open_rows = {row.spiff_id: row for row in uow.tasks.open_for(application.id)}
    cancelled, opened = task_changes({k: row.task for k, row in open_rows.items()}, ready)
    uow.tasks.cancel([open_rows[spiff_id].id for spiff_id in cancelled])
    for spiff_id in cancelled:
        row = open_rows[spiff_id]
        uow.events.append(application, "task_cancelled", ENGINE_ACTOR, now,
                          {"task_id": row.id, "task": row.task})
    for task in opened:
        task_id = _open_task(uow, application, instance.definition.forms, task, now)
        uow.events.append(application, "task_opened", ENGINE_ACTOR, now,
                          {"task_id": task_id, "task": task.task, "role": task.role})


def _open_task(uow: UnitOfWork, application: Any, schemas: dict[str, Any], task: ReadyTask,
               now: datetime) -> int:
    filename = task.properties.get("formJsonSchemaFilename")
    schema = schemas.get(filename, {}) if filename else {}
    form = forms.resolve(schema, task.data)
    prefill = {name: task.data[name] for name in forms.fields(form)
               if task.data.get(name) is not None}
    return uow.tasks.add(
        application_id=application.id, spiff_id=task.spiff_id, task=task.task, title=task.title,
        role=task.role or "", stage=task.properties.get("stage"), status="open", assignee=None,
        group_key=task.group_key, form=form, prefill=prefill,
        properties=_resolved_properties(task), instructions=task.instructions, created_at=now,
        due_at=datetime.fromisoformat(task.due_at) if task.due_at else None)


def _resolved_properties(task: ReadyTask) -> dict[str, Any]:
    """Task properties, with `authorityLimitFrom` resolved to the limit the task needs."""
    properties: dict[str, Any] = dict(task.properties)
    source = properties.get("authorityLimitFrom")
    if source:
        try:
            properties["required_authority_limit"] = sandbox.evaluate(source, task.data)
        except ScriptFailed:
            properties["required_authority_limit"] = None
    return properties
