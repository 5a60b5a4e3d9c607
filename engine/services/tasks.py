"""Officers' work: inbox, claim, release and complete user tasks under the case's controls."""

from typing import Any

from engine import forms
from engine.bootstrap import Alur
from engine.errors import (
    AuthorityExceeded,
    ConcurrentUpdate,
    NotClaimant,
    RoleRequired,
    SeparationOfDuties,
    TaskClaimedByAnother,
    TaskNotOpen,
)
from engine.repositories.work import OPEN
from engine.roles import ROLES
from engine.services.applications import START_EVENT
from engine.services.definitions import ensure_loaded
from engine.services.progress import advance
from engine.services.users import Actor
from engine.services.views import application_view, page_view, task_view
from engine.unit_of_work import UnitOfWork

READ_ALL = "auditor"  # auditors read every task, and act on none


def list_tasks(alur: Alur, actor: Actor, role: str | None, assigned: str, status: str,
               page: int, per_page: int, sort: str = "created_at") -> dict[str, Any]:
    """The inbox: tasks of the actor's roles (or one of them), oldest or soonest due first."""
    roles = frozenset(ROLES) if READ_ALL in actor.roles else actor.roles
    if role is not None:
        if READ_ALL not in actor.roles:
            actor.require(role)
        roles = frozenset({role})
    with alur.uow() as uow:
        found = uow.tasks.inbox(roles, actor.name, assigned, status, page, per_page, sort)
        now = alur.clock.now()
        return page_view(found, [task_view(row, now, full=False) for row in found.items])


def get_task(alur: Alur, actor: Actor, task_id: int) -> dict[str, Any]:
    """One task with its form and prefilled data."""
    with alur.uow() as uow:
        row = uow.tasks.get(task_id)
        if READ_ALL not in actor.roles:
            actor.require(row.role)
        return task_view(row, alur.clock.now())


def claim_task(alur: Alur, actor: Actor, task_id: int) -> dict[str, Any]:
    """Take a task so nobody else works on it.

    Raises:
        TaskClaimedByAnother: another officer holds it.
        SeparationOfDuties, AuthorityExceeded: the actor may not decide this case.
    """
    with alur.uow() as uow:
        row = uow.tasks.get(task_id)
        _check_may_act(uow, row, actor)
        if row.assignee == actor.name and row.status == "claimed":
            return task_view(row, alur.clock.now())
        now = alur.clock.now()
        if not uow.tasks.take(row, actor.name, now):
            uow.session.refresh(row)
            if row.status not in OPEN:
                raise TaskNotOpen("This task is already completed.")
            raise TaskClaimedByAnother(f"{row.assignee} holds this task.")
        uow.events.append(row.application, "task_claimed", actor.name, now,
                          {"task_id": row.id, "task": row.task}, role=row.role)
        uow.commit()
        return task_view(row, now)


def release_task(alur: Alur, actor: Actor, task_id: int) -> dict[str, Any]:
    """Give a claimed task back to the role's inbox."""
    with alur.uow() as uow:
        row = uow.tasks.get(task_id)
        actor.require(row.role)
        if row.status != "claimed":
            raise TaskNotOpen("Only a claimed task can be released.")
        if row.assignee != actor.name:
            raise NotClaimant(f"{row.assignee} holds this task; only they can release it.")
        if not uow.tasks.give_back(row, actor.name):
            raise ConcurrentUpdate("This task changed at the same moment; reload it.")
        uow.events.append(row.application, "task_released", actor.name, alur.clock.now(),
                          {"task_id": row.id, "task": row.task}, role=row.role)
        uow.commit()
        return task_view(row, alur.clock.now())


def complete_task(alur: Alur, actor: Actor, task_id: int, data: Any) -> dict[str, Any]:
    """Submit a task's form; the process moves on by the diagram. Returns the application.

    Raises:
        FormInvalid: the data does not satisfy the task's form.
        TaskNotOpen, ConcurrentUpdate: someone completed it first.
    """
    with alur.uow() as uow:
        row = uow.tasks.get(task_id)
        _check_may_act(uow, row, actor)
        if row.assignee not in (None, actor.name):
            raise NotClaimant(f"{row.assignee} holds this task; claim it after they release it.")
        submission = forms.validate(row.form, data)
        application = row.application
        ensure_loaded(alur, application.definition)
        instance = alur.workflows.load(application.definition.sha256, application.state_json,
                                         application.id)
        now = alur.clock.now()
        same = [t.spiff_id for t in instance.ready_tasks() if t.task == row.task]
        ordinal = same.index(row.spiff_id) if row.spiff_id in same else 0
        events = instance.complete(row.spiff_id, submission)
        if not uow.tasks.finish(row, actor.name, now):
            raise TaskNotOpen("Someone completed this task at the same moment; reload it.")
        uow.events.append(application, "task_completed", actor.name, now,
                          {"task_id": row.id, "task": row.task, "ordinal": ordinal,
                           "data": submission},
                          role=row.role)
        advance(alur, uow, application, instance, events, now)
        view = application_view(uow, application)  # in the same transaction: one round less
        uow.commit()
        return view


def _check_may_act(uow: UnitOfWork, row: Any, actor: Actor) -> None:
    if row.role not in actor.roles:
        raise RoleRequired(f"This task is for the role {row.role}.")
    if row.status not in OPEN:
        raise TaskNotOpen(f"This task is {row.status}.")
    properties = row.properties
    excluded = properties.get("excludeActorsOf", "").split()
    if excluded and actor.name in _actors_of(uow, row.application, excluded):
        raise SeparationOfDuties(f"You worked on this case ({', '.join(excluded)}), so you may "
                                 "not decide it; another approver must take this task.")
    if properties.get("distinctActors") == "true" and row.group_key and any(
            other.id != row.id and actor.name in (other.assignee, other.completed_by)
            for other in uow.tasks.of_group(row.group_key)):
        raise SeparationOfDuties("You already hold or cast a vote in this committee round.")
    if "authorityLimitFrom" in properties:
        needed = properties.get("required_authority_limit")
        if needed is None or (actor.authority_limit or 0) < needed:
            raise AuthorityExceeded(f"This decision needs an authority limit of Rp {needed:,}; "
                                    f"yours is Rp {actor.authority_limit or 0:,}."
                                    if needed is not None else
                                    "The authority this decision needs is unknown.")


def _actors_of(uow: UnitOfWork, application: Any, task_ids: list[str]) -> set[str]:
    actors = {application.created_by} if START_EVENT in task_ids else set()
    completed = uow.events.for_application(application.id, ["task_completed"])
    return actors | {event.actor for event in completed if event.payload["task"] in task_ids}
