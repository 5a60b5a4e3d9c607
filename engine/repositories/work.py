"""Work in flight: the task projection, failed outside calls, messages from outside."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from engine.db import ApplicationRow, DefinitionRow, IncidentRow, MessageRow, TaskRow, UTCDateTime
from engine.errors import NotFound, TaskNotFound
from engine.repositories.base import JoinedObjects, Page, one_of, paged, paged_in_two_parts
from engine.repositories.prepared import Prepared, inserting

OPEN = ("open", "claimed")

# Built once: building a statement costs SQLAlchemy more than running it on the hot path.
# A task with its case and the case's version, in one row: what every action on a task reads.
TASK_CASE = JoinedObjects(TaskRow, ApplicationRow, DefinitionRow)
TASK = Prepared(select(*TASK_CASE.columns).join_from(TaskRow, ApplicationRow).join(DefinitionRow)
                .where(TaskRow.id == bindparam("id")))
# What a case's list of open tasks shows; the form and its data load when a task is opened.
BRIEF = (TaskRow.id, TaskRow.task, TaskRow.title, TaskRow.role, TaskRow.status, TaskRow.assignee,
         TaskRow.due_at)
_OPEN_OF_CASE = (TaskRow.application_id == bindparam("case"), one_of(TaskRow.status, OPEN))
OPEN_TASKS = Prepared(select(*BRIEF, TaskRow.spiff_id).where(*_OPEN_OF_CASE)
                      .order_by(TaskRow.id))
OPEN_BRIEFS = Prepared(select(*BRIEF).where(*_OPEN_OF_CASE).order_by(TaskRow.id))
_tasks = TaskRow.__table__
_NEW_TASK = insert(_tasks).returning(_tasks.c.id)
FINISH = Prepared(update(_tasks).where(_tasks.c.id == bindparam("task_id"),
                                       one_of(_tasks.c.status, OPEN))
                  .values(status="completed", assignee=bindparam("actor"),
                          completed_at=bindparam("at"), completed_by=bindparam("actor")))
TAKE = Prepared(update(_tasks).where(_tasks.c.id == bindparam("task_id"), _tasks.c.status == "open",
                                     _tasks.c.assignee.is_(None))
                .values(status="claimed", assignee=bindparam("actor"), claimed_at=bindparam("at")))
GIVE_BACK = Prepared(update(_tasks).where(_tasks.c.id == bindparam("task_id"),
                                          _tasks.c.status == "claimed",
                                          _tasks.c.assignee == bindparam("actor"))
                     .values(status="open", assignee=None, claimed_at=None))
CANCEL = update(_tasks).where(_tasks.c.id.in_(bindparam("ids", expanding=True)),
                              one_of(_tasks.c.status, OPEN)).values(status="cancelled")
_UTC = UTCDateTime()


def _as_stored(moment: datetime | None) -> datetime | None:
    """A moment as the store hands it back (aware, in UTC)."""
    return _UTC.process_result_value(_UTC.process_bind_param(moment, None), None)


class OpenTask(NamedTuple):
    """A task this transaction opened, in the shape of an OPEN_TASKS row."""

    id: int
    task: str
    title: str
    role: str
    status: str
    assignee: str | None
    due_at: datetime | None
    spiff_id: str


OPEN_INCIDENTS = select(IncidentRow).where(IncidentRow.application_id == bindparam("case"),
                                           IncidentRow.status == "open")
# Most steps find no message kept for their case (each step asks when the case waits for one).
ANY_KEPT = Prepared(select(MessageRow.id).where(MessageRow.business_key == bindparam("key"),
                                                MessageRow.status == "kept").limit(1))
# Most cases the worker visits (a timer due) have none: one plain row, or none, says so.
ANY_OPEN_INCIDENT = Prepared(select(IncidentRow.id).where(
    IncidentRow.application_id == bindparam("case"), IncidentRow.status == "open").limit(1))


class Tasks:
    """The task projection. The engine's steps write it at once, statement by statement (open,
    complete, cancel), so it can be read in the same transaction without flushing the session.

    A case's open tasks, once read, are kept up to date by those writes until the transaction
    ends: the answer to a step lists them without reading them again.
    """

    def __init__(self, session: Session):
        self.session = session
        self._open: dict[int, dict[int, Any]] = {}  # case -> its open tasks, by id

    def get(self, task_id: int) -> TaskRow:
        """A task with its case and the case's process version (one plain row, made into the
        session's objects without an ORM load)."""
        found = TASK.first(self.session.connection(), {"id": task_id})
        if found is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        return TASK_CASE.read(self.session, found)  # type: ignore[no-any-return]

    def add(self, **fields: Any) -> int:
        """Insert a task at once, without flushing the rest of the transaction; its id."""
        task_id = inserting(_NEW_TASK, tuple(sorted(fields))).scalar(self.session.connection(),
                                                                     fields)
        known = self._open.get(fields["application_id"])
        if known is not None and fields["status"] in OPEN:
            known[task_id] = OpenTask(
                task_id, fields["task"], fields["title"], fields["role"], fields["status"],
                fields["assignee"], _as_stored(fields["due_at"]), fields["spiff_id"])
        return task_id

    def open_for(self, application_id: int) -> list[Any]:
        """A case's open tasks (a brief and the workflow task id), as plain read-only rows."""
        rows = OPEN_TASKS.rows(self.session.connection(), {"case": application_id})
        self._open[application_id] = {row.id: row for row in rows}
        return rows

    def open_briefs(self, application_id: int) -> list[Any]:
        """What a case's list of open tasks shows, as plain read-only rows (as this transaction
        left them, if it read them before)."""
        known = self._open.get(application_id)
        if known is not None:
            return [known[task_id] for task_id in sorted(known)]
        return OPEN_BRIEFS.rows(self.session.connection(), {"case": application_id})

    def finish(self, row: TaskRow, actor: str, at: datetime) -> bool:
        """Mark an open task completed by `actor`, now; False if it was not open any more."""
        written = FINISH.run(self.session.connection(),
                             {"task_id": row.id, "actor": actor, "at": at})
        if written != 1:
            return False
        self._open.get(row.application_id, {}).pop(row.id, None)
        for name, value in (("status", "completed"), ("assignee", actor),
                            ("completed_at", at), ("completed_by", actor)):
            set_committed_value(row, name, value)  # as written, without writing it again
        return True

    def cancel(self, task_ids: list[int]) -> None:
        """Close open tasks the workflow no longer waits for."""
        if task_ids:
            self.session.connection().execute(CANCEL, {"ids": task_ids})
            for known in self._open.values():
                for task_id in task_ids:
                    known.pop(task_id, None)

    def of_group(self, group_key: str) -> list[TaskRow]:
        return list(self.session.scalars(select(TaskRow).where(TaskRow.group_key == group_key)))

    def inbox(self, roles: Iterable[str], actor: str, assigned: str, status: str,
              page: int, per_page: int, sort: str = "created_at") -> Page:
        query = select(TaskRow).where(TaskRow.role.in_(list(roles)))
        query = query.where(TaskRow.status.in_(OPEN) if status == "open"
                            else TaskRow.status == "completed")
        if assigned == "me":
            query = query.where(TaskRow.assignee == actor)
        elif assigned == "none":
            query = query.where(TaskRow.assignee.is_(None))
        numbers = joinedload(TaskRow.application).load_only(ApplicationRow.number) \
            .options(lazyload(ApplicationRow.definition))  # one query, not one per task
        query = query.options(numbers)
        if sort != "due_at":
            return paged(self.session, query.order_by(TaskRow.created_at, TaskRow.id),
                         page, per_page)
        dated = query.where(TaskRow.due_at.is_not(None)) \
            .order_by(TaskRow.due_at, TaskRow.created_at, TaskRow.id)
        undated = query.where(TaskRow.due_at.is_(None)).order_by(TaskRow.created_at, TaskRow.id)
        return paged_in_two_parts(self.session, dated, undated, page, per_page)

    def take(self, row: TaskRow, actor: str, at: datetime) -> bool:
        """Claim an open, unassigned task; False if someone else got it first."""
        return self._written(row, TAKE.run(self.session.connection(),
                                           {"task_id": row.id, "actor": actor, "at": at}),
                             status="claimed", assignee=actor, claimed_at=at)

    def give_back(self, row: TaskRow, actor: str) -> bool:
        """Release a task `actor` holds; False if it was not theirs to release any more."""
        return self._written(row, GIVE_BACK.run(self.session.connection(),
                                                {"task_id": row.id, "actor": actor}),
                             status="open", assignee=None, claimed_at=None)

    @staticmethod
    def _written(row: TaskRow, count: int, **values: Any) -> bool:
        if count != 1:
            return False
        for name, value in values.items():
            set_committed_value(row, name, value)  # as written, without writing it again
        return True


class Incidents:
    def __init__(self, session: Session):
        self.session = session

    def get(self, incident_id: int) -> IncidentRow:
        row = self.session.get(IncidentRow, incident_id)
        if row is None:
            raise NotFound(f"There is no incident {incident_id}.")
        return row

    def add(self, **fields: Any) -> IncidentRow:
        row = IncidentRow(**fields)
        self.session.add(row)
        return row

    def open_for(self, application_id: int) -> list[IncidentRow]:
        """Open incidents as this transaction sees them, without flushing it first."""
        if ANY_OPEN_INCIDENT.first(self.session.connection(), {"case": application_id}) is None:
            return []  # none stored open (one added and not flushed yet is not read either)
        with self.session.no_autoflush:
            rows = self.session.scalars(OPEN_INCIDENTS, {"case": application_id})
            return [row for row in rows if row.status == "open"]

    def listing(self, status: str) -> list[IncidentRow]:
        query = select(IncidentRow).order_by(IncidentRow.id.desc())
        if status != "all":
            query = query.where(IncidentRow.status == status)
        return list(self.session.scalars(query.limit(500)))


class Messages:
    def __init__(self, session: Session):
        self.session = session

    def by_message_id(self, message_id: str) -> MessageRow | None:
        return self.session.scalar(select(MessageRow).where(MessageRow.message_id == message_id))

    def add(self, **fields: Any) -> MessageRow:
        row = MessageRow(**fields)
        self.session.add(row)
        self.session.flush()
        return row

    def kept_for(self, business_keys: Iterable[str], names: Iterable[str]) -> list[MessageRow]:
        """Messages not delivered yet for these keys and names, oldest first."""
        keys, connection = list(business_keys), self.session.connection()
        if not any(ANY_KEPT.first(connection, {"key": key}) for key in keys):
            return []  # what most steps find, in one plain row or none per key
        return list(self.session.scalars(select(MessageRow).where(
            MessageRow.business_key.in_(keys), MessageRow.status == "kept",
            MessageRow.name.in_(list(names))).order_by(MessageRow.id)))

    def listing(self, status: str, business_key: str | None) -> list[MessageRow]:
        query = select(MessageRow).order_by(MessageRow.id.desc())
        if status != "all":
            query = query.where(MessageRow.status == status)
        if business_key:
            query = query.where(MessageRow.business_key == business_key)
        return list(self.session.scalars(query.limit(500)))
