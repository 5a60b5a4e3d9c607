"""Plain-dict views of applications, tasks and events, as use cases return them."""

from datetime import datetime
from typing import Any

from engine.unit_of_work import UnitOfWork

DECISION_EVENTS = ("gateway_passed", "rule_evaluated")


def application_view(uow: UnitOfWork, row: Any, with_details: bool = True,
                     whole_journal: bool = False) -> dict[str, Any]:
    """The case as officers see it; its decisions as this process last read them and what came
    after (`Events.recalled`), or, with `whole_journal`, read from the store in full (audit)."""
    view = {
        "id": row.id, "number": row.number, "kind": row.kind, "branch": row.branch,
        "status": row.status, "stage": row.stage,
        "product": row.product, "amount": row.amount, "tenor_months": row.tenor_months,
        "applicant_name": row.applicant_name, "created_by": row.created_by,
        "created_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
        "summary": row.summary,
        "definition": {"key": row.definition.key, "version": row.definition.version,
                       "sha256": row.definition.sha256},
    }
    if with_details:  # a loan shows its current month's decisions; past months are reviews
        since = uow.events.last_seq_of(row.id, "cycle_continued") if row.kind == "loan" else 0
        read = uow.events.for_application if whole_journal else uow.events.recalled
        view["decisions"] = [decision_view(e) for e in read(row.id, DECISION_EVENTS, since)]
        view["open_tasks"] = [task_brief(t) for t in uow.tasks.open_briefs(row.id)]
    return view


def decision_view(event: Any) -> dict[str, Any]:
    payload = event.payload
    view = {"seq": event.seq, "kind": "gateway" if event.type == "gateway_passed" else "rule",
            "element": payload["element"], "name": payload.get("name"), "at": event.at.isoformat()}
    if event.type == "gateway_passed":
        return view | {"flow": payload["flow"], "outcome": payload.get("flow_name"),
                       "target": payload["target"]}
    return view | {"decision": payload.get("decision"), "inputs": payload.get("inputs"),
                   "rule": payload.get("rule"), "outputs": payload.get("outputs")}


def task_brief(row: Any) -> dict[str, Any]:
    return {"id": row.id, "task": row.task, "title": row.title, "role": row.role,
            "status": row.status, "assignee": row.assignee,
            "due_at": _iso(row.due_at)}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def is_overdue(row: Any, now: datetime) -> bool:
    """Open and past its service level."""
    return row.due_at is not None and row.status in ("open", "claimed") and row.due_at <= now


def task_view(row: Any, now: datetime, full: bool = True) -> dict[str, Any]:
    view = {
        "id": row.id, "application_id": row.application_id,
        "application_number": row.application.number, "task": row.task, "title": row.title,
        "role": row.role, "stage": row.stage, "status": row.status, "assignee": row.assignee,
        "created_at": row.created_at.isoformat(),
        "claimed_at": row.claimed_at.isoformat() if row.claimed_at else None,
        "completed_at": row.completed_at.isoformat() if row.completed_at else None,
        "completed_by": row.completed_by,
        "required_authority_limit": row.properties.get("required_authority_limit"),
        "due_at": _iso(row.due_at), "overdue": is_overdue(row, now),
    }
    if full:
        view |= {"form": row.form, "data": row.prefill, "instructions": row.instructions}
    return view


def event_view(row: Any) -> dict[str, Any]:
    return {"seq": row.seq, "type": row.type, "actor": row.actor, "role": row.role,
            "at": row.at.isoformat(), "payload": row.payload}


def page_view(page: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"items": items, "total": page.total, "page": page.page, "per_page": page.per_page}
