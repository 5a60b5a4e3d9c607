"""One use case, one transaction: repositories over a session that commits all or nothing."""

import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, lazyload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine import chain
from engine.db import (
    AccessRow,
    ApplicationRow,
    DefinitionRow,
    EventRow,
    IdempotencyRow,
    IncidentRow,
    LoanReviewRow,
    MessageRow,
    TaskRow,
    UserRow,
)
from engine.errors import (
    ApplicationNotFound,
    ConcurrentUpdate,
    DefinitionNotFound,
    NotFound,
    TaskNotFound,
)

OPEN = ("open", "claimed")


class Page:
    """A slice of a list with the total count."""

    def __init__(self, items: list[Any], total: int, page: int, per_page: int):
        self.items, self.total, self.page, self.per_page = items, total, page, per_page


def _page(session: Session, query: Any, page: int, per_page: int) -> Page:
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, _count(session, query), page, per_page)


def _two_part_page(session: Session, first: Any, then: Any, page: int, per_page: int) -> Page:
    """One page over `first` followed by `then`: each part reads its own index in order
    (undated tasks after dated ones, with no sort of every row)."""
    start, first_total = (page - 1) * per_page, _count(session, first)
    items = list(session.scalars(first.limit(per_page).offset(start)))
    rest = per_page - len(items)
    if rest:
        items += session.scalars(then.limit(rest).offset(max(0, start - first_total)))
    return Page(items, first_total + _count(session, then), page, per_page)


def _count(session: Session, query: Any) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


class Definitions:
    def __init__(self, session: Session):
        self.session = session

    def by_sha(self, sha256: str) -> DefinitionRow | None:
        return self.session.scalar(select(DefinitionRow).where(DefinitionRow.sha256 == sha256))

    def latest(self, key: str) -> DefinitionRow:
        row = self.session.scalar(select(DefinitionRow).where(DefinitionRow.key == key)
                                  .order_by(DefinitionRow.version.desc()).limit(1))
        if row is None:
            raise DefinitionNotFound(f"No version of process {key!r} is deployed.")
        return row

    def version(self, key: str, version: int) -> DefinitionRow:
        row = self.session.scalar(select(DefinitionRow).where(DefinitionRow.key == key,
                                                              DefinitionRow.version == version))
        if row is None:
            raise DefinitionNotFound(f"Process {key!r} has no version {version}.")
        return row

    def latest_each(self) -> list[DefinitionRow]:
        """The newest version of every process key."""
        newest = select(DefinitionRow.key, func.max(DefinitionRow.version).label("version")) \
            .group_by(DefinitionRow.key).subquery()
        same = (DefinitionRow.key == newest.c.key) & (DefinitionRow.version == newest.c.version)
        return list(self.session.scalars(select(DefinitionRow).join(newest, same)))

    def all(self) -> list[DefinitionRow]:
        return list(self.session.scalars(select(DefinitionRow).order_by(DefinitionRow.id)))

    def add(self, **fields: Any) -> DefinitionRow:
        latest = self.session.scalar(select(func.max(DefinitionRow.version))
                                     .where(DefinitionRow.key == fields["key"]))
        row = DefinitionRow(version=(latest or 0) + 1, **fields)
        self.session.add(row)
        self.session.flush()
        return row


class Applications:
    def __init__(self, session: Session):
        self.session = session

    def get(self, application_id: int) -> ApplicationRow:
        row = self.session.get(ApplicationRow, application_id)
        if row is None:
            raise ApplicationNotFound(f"There is no application {application_id}.")
        return row

    def add(self, **fields: Any) -> ApplicationRow:
        row = ApplicationRow(last_seq=0, **fields)
        self.session.add(row)
        self.session.flush()
        return row

    def ids(self, created_from: Any = None, created_to: Any = None,
            kind: str | None = None) -> list[int]:
        query = select(ApplicationRow.id).order_by(ApplicationRow.id)
        if kind is not None:
            query = query.where(ApplicationRow.kind == kind)
        if created_from is not None:
            query = query.where(ApplicationRow.created_at >= created_from)
        if created_to is not None:
            query = query.where(ApplicationRow.created_at < created_to)
        return list(self.session.scalars(query))

    def due(self, now: datetime, limit: int) -> list[ApplicationRow]:
        """Applications the worker must visit, locked; other workers skip them (PostgreSQL)."""
        query = select(ApplicationRow).where(ApplicationRow.next_due_at <= now) \
            .order_by(ApplicationRow.next_due_at).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":  # only the case rows: the
            # definition is joined in, and PostgreSQL locks no nullable side of an outer join
            query = query.with_for_update(skip_locked=True, of=ApplicationRow)
        return list(self.session.scalars(query))

    def by_number(self, number: str) -> ApplicationRow | None:
        return self.session.scalar(select(ApplicationRow).where(ApplicationRow.number == number))

    def children(self, parent_id: int) -> list[ApplicationRow]:
        """The cases started from this one (the loan a disbursed application became)."""
        return list(self.session.scalars(select(ApplicationRow).where(
            ApplicationRow.parent_id == parent_id).order_by(ApplicationRow.id)))

    def running_on(self, definition_id: int) -> list[ApplicationRow]:
        """Applications of one version that have not finished."""
        return list(self.session.scalars(select(ApplicationRow).where(
            ApplicationRow.definition_id == definition_id,
            ApplicationRow.status.not_in(("disbursed", "rejected", "lapsed", "completed")))
            .order_by(ApplicationRow.id)))

    def search(self, filters: dict[str, Any], page: int, per_page: int) -> Page:
        query = select(ApplicationRow).order_by(ApplicationRow.id.desc()) \
            .where(ApplicationRow.kind == filters.get("kind", "application"))
        for name in ("stage", "status", "number", "product", "branch"):
            if filters.get(name):
                query = query.where(getattr(ApplicationRow, name) == filters[name])
        return _page(self.session, query, page, per_page)


class Tasks:
    def __init__(self, session: Session):
        self.session = session

    def get(self, task_id: int) -> TaskRow:
        row = self.session.get(TaskRow, task_id)
        if row is None:
            raise TaskNotFound(f"There is no task {task_id}.")
        return row

    def add(self, **fields: Any) -> TaskRow:
        row = TaskRow(**fields)
        self.session.add(row)
        return row

    def open_for(self, application_id: int) -> list[TaskRow]:
        return list(self.session.scalars(
            select(TaskRow).where(TaskRow.application_id == application_id,
                                  TaskRow.status.in_(OPEN)).order_by(TaskRow.id)))

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
            return _page(self.session, query.order_by(TaskRow.created_at, TaskRow.id),
                         page, per_page)
        dated = query.where(TaskRow.due_at.is_not(None)) \
            .order_by(TaskRow.due_at, TaskRow.created_at, TaskRow.id)
        undated = query.where(TaskRow.due_at.is_(None)).order_by(TaskRow.created_at, TaskRow.id)
        return _two_part_page(self.session, dated, undated, page, per_page)

    def take(self, task_id: int, actor: str, at: datetime) -> bool:
        """Claim an open, unassigned task; False if someone else got it first."""
        result = self.session.execute(
            update(TaskRow).where(TaskRow.id == task_id, TaskRow.status == "open",
                                  TaskRow.assignee.is_(None))
            .values(status="claimed", assignee=actor, claimed_at=at)
            .execution_options(synchronize_session="fetch"))
        return result.rowcount == 1


class Events:
    def __init__(self, session: Session):
        self.session = session

    def append(self, application: ApplicationRow, type: str, actor: str, at: datetime,
               payload: dict[str, Any], role: str | None = None) -> EventRow:
        """Chain a new event to the application's head; the head moves in the same transaction."""
        seq, previous = application.last_seq + 1, application.head_hash or chain.GENESIS
        payload = json.loads(json.dumps(payload))  # hash exactly what the JSON column stores
        digest = chain.link(previous, chain.canonical(application.id, seq, type, actor, role,
                                                      at, payload))
        row = EventRow(application_id=application.id, seq=seq, type=type, actor=actor, role=role,
                       at=at, payload=payload, prev_hash=previous, hash=digest)
        application.last_seq, application.head_hash = seq, digest
        self.session.add(row)
        return row

    def for_application(self, application_id: int, types: Iterable[str] = (),
                        after_seq: int = 0) -> list[EventRow]:
        query = select(EventRow).where(EventRow.application_id == application_id,
                                       EventRow.seq > after_seq)
        if types:
            query = query.where(EventRow.type.in_(list(types)))
        return list(self.session.scalars(query.order_by(EventRow.seq)))


    def last_seq_of(self, application_id: int, type_: str) -> int:
        """The sequence number of the case's latest event of a type; 0 if none."""
        return self.session.scalar(select(func.max(EventRow.seq)).where(
            EventRow.application_id == application_id, EventRow.type == type_)) or 0


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
        return list(self.session.scalars(select(IncidentRow).where(
            IncidentRow.application_id == application_id, IncidentRow.status == "open")))

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
        return list(self.session.scalars(select(MessageRow).where(
            MessageRow.business_key.in_(list(business_keys)), MessageRow.status == "kept",
            MessageRow.name.in_(list(names))).order_by(MessageRow.id)))

    def listing(self, status: str, business_key: str | None) -> list[MessageRow]:
        query = select(MessageRow).order_by(MessageRow.id.desc())
        if status != "all":
            query = query.where(MessageRow.status == status)
        if business_key:
            query = query.where(MessageRow.business_key == business_key)
        return list(self.session.scalars(query.limit(500)))


class LoanReviews:
    def __init__(self, session: Session):
        self.session = session

    def add(self, **fields: Any) -> LoanReviewRow:
        row = LoanReviewRow(**fields)
        self.session.add(row)
        return row

    def for_loan(self, loan_id: int) -> list[LoanReviewRow]:
        return list(self.session.scalars(select(LoanReviewRow).where(
            LoanReviewRow.loan_id == loan_id).order_by(LoanReviewRow.cycle)))


class Reports:
    """Monthly aggregates; each row starts with the application's branch and account officer."""

    KEY = (ApplicationRow.branch, ApplicationRow.created_by)

    def __init__(self, session: Session):
        self.session = session

    def _rows(self, query: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.execute(query.group_by(*self.KEY))]

    def _tasks(self, *columns: Any) -> Any:
        return select(*self.KEY, *columns).select_from(TaskRow).join(
            ApplicationRow, TaskRow.application_id == ApplicationRow.id).where(
            ApplicationRow.kind == "application")

    def _events(self, type_: str, start: datetime, end: datetime, *columns: Any) -> Any:
        return select(*self.KEY, *columns).select_from(EventRow).join(
            ApplicationRow, EventRow.application_id == ApplicationRow.id).where(
            ApplicationRow.kind == "application", EventRow.type == type_,
            EventRow.at >= start, EventRow.at < end)

    def collected(self, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
        """Applications registered in [start, end): count and Rupiah asked."""
        row = ApplicationRow
        return self._rows(select(*self.KEY, func.count(), func.sum(row.amount)).where(
            row.kind == "application", row.created_at >= start, row.created_at < end))

    def completed(self, task: str, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
        """How many tasks of one kind were completed in [start, end)."""
        return self._rows(self._tasks(func.count()).where(
            TaskRow.task == task, TaskRow.status == "completed",
            TaskRow.completed_at >= start, TaskRow.completed_at < end))

    def opened(self, task: str, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
        """How many tasks of one kind were opened in [start, end)."""
        return self._rows(self._tasks(func.count()).where(
            TaskRow.task == task, TaskRow.created_at >= start, TaskRow.created_at < end))

    def passed(self, gateway: str, target: str, start: datetime,
               end: datetime) -> list[tuple[Any, ...]]:
        """Gateway passes towards `target` in [start, end): count and Rupiah approved."""
        payload = EventRow.payload
        return self._rows(self._events("gateway_passed", start, end, func.count(),
                                       func.sum(_approved_amount())).where(
            payload["element"].as_string() == gateway, payload["target"].as_string() == target))

    def outcomes(self, statuses: Iterable[str], start: datetime,
                 end: datetime) -> list[tuple[Any, ...]]:
        """Per status, the applications that ended with it in [start, end): count and Rupiah."""
        status = EventRow.payload["status"].as_string()
        columns = [func.sum(case((status == name, value), else_=0))
                   for name in statuses for value in (1, _approved_amount())]
        return self._rows(self._events("end_reached", start, end, *columns))

    def durations(self, stages: Iterable[str], start: datetime,
                  end: datetime) -> list[tuple[Any, ...]]:
        """Stage, opened and completed time of every staged task completed in [start, end)."""
        return [tuple(row) for row in self.session.execute(self._tasks(
            TaskRow.stage, TaskRow.created_at, TaskRow.completed_at).where(
            TaskRow.stage.in_(list(stages)), TaskRow.status == "completed",
            TaskRow.completed_at >= start, TaskRow.completed_at < end))]

    def breaches(self, start: datetime, end: datetime, now: datetime) -> list[tuple[Any, ...]]:
        """Tasks due in [start, end) that missed it: completed late, and still open past it."""
        late = (TaskRow.status == "completed") & (TaskRow.completed_at > TaskRow.due_at)
        still_open = TaskRow.status.in_(OPEN) & (TaskRow.due_at <= now)
        return self._rows(self._tasks(func.sum(case((late, 1), else_=0)),
                                      func.sum(case((still_open, 1), else_=0))).where(
            TaskRow.due_at >= start, TaskRow.due_at < end, or_(late, still_open)))

    def portfolio(self, last_day: str) -> list[tuple[Any, ...]]:
        """Per branch, officer and class: loans and outstanding at their latest review."""
        review = LoanReviewRow
        latest = select(review.loan_id, func.max(review.cycle).label("cycle")).where(
            review.review_date <= last_day).group_by(review.loan_id).subquery()
        key = (review.branch, review.account_officer, review.collectibility)
        query = select(*key, func.count(), func.sum(review.outstanding)).join(
            latest, (review.loan_id == latest.c.loan_id) & (review.cycle == latest.c.cycle)
        ).where(review.outstanding > 0).group_by(*key)
        return [tuple(row) for row in self.session.execute(query)]


def _approved_amount() -> Any:
    """The amount approved (the summary's `approved_amount`), else the amount asked."""
    approved = ApplicationRow.summary["approved_amount"].as_numeric(20, 0)
    return func.coalesce(approved, ApplicationRow.amount)


class AccessLog:
    def __init__(self, session: Session):
        self.session = session

    def record(self, **fields: Any) -> None:
        self.session.add(AccessRow(**fields))

    def recent(self, limit: int) -> list[AccessRow]:
        return list(self.session.scalars(select(AccessRow).order_by(AccessRow.id.desc())
                                         .limit(limit)))


class Users:
    def __init__(self, session: Session):
        self.session = session

    def by_token_hash(self, token_hash: str) -> UserRow | None:
        return self.session.scalar(select(UserRow).where(UserRow.token_hash == token_hash,
                                                         UserRow.active.is_(True)))

    def by_name(self, name: str) -> UserRow | None:
        return self.session.scalar(select(UserRow).where(UserRow.name == name))

    def add(self, **fields: Any) -> UserRow:
        row = UserRow(**fields)
        self.session.add(row)
        return row


class IdempotencyKeys:
    def __init__(self, session: Session):
        self.session = session

    def find(self, actor: str, key: str) -> IdempotencyRow | None:
        return self.session.scalar(select(IdempotencyRow).where(IdempotencyRow.actor == actor,
                                                                IdempotencyRow.key == key))


@dataclass
class IdempotentRequest:
    """A request sent with an `Idempotency-Key`, while it runs (see engine/services/idempotency).

    Its key row rides on the request's first `UnitOfWork.commit()`, which only flushes: the
    action and the row stay one open transaction (`held`) until `answer()` writes the answer into
    the row and commits both. `settle()` commits early, the answer to follow on its own.
    """

    actor: str
    key: str
    method: str
    path: str
    request_hash: str
    at: datetime
    row: IdempotencyRow | None = None
    held: Session | None = None
    session_factory: sessionmaker[Session] | None = None

    @property
    def acted(self) -> bool:
        """Something was committed (or is about to be, with the answer) under this key."""
        return self.row is not None

    def hold(self, session: Session, session_factory: sessionmaker[Session]) -> None:
        """Add the key row (no answer yet) to the action's transaction and keep it open."""
        row = IdempotencyRow(actor=self.actor, key=self.key, method=self.method,
                             path=self.path[:500], request_hash=self.request_hash, status_code=0,
                             response_body="", content_type="", created_at=self.at)
        session.add(row)
        session.flush()  # a concurrent twin's row collides here, before anything is committed
        self.row, self.held, self.session_factory = row, session, session_factory

    def settle(self) -> None:
        """Commit the held action now (another unit of work needs the store); answer later."""
        session, self.held = self.held, None
        if session is not None:
            _commit(session, self, carries_action=True)

    def answer(self, status: int, body: str, content_type: str) -> None:
        """Write the answer: in the held transaction with the action, or on its own if settled."""
        if self.row is None or self.session_factory is None:
            return
        held, self.held = self.held, None
        session = held or self.session_factory()
        try:
            row = self.row if held is not None else session.get(IdempotencyRow, self.row.id)
            if row is not None:
                row.status_code, row.response_body = status, body
                row.content_type = content_type[:100]
            _commit(session, self, carries_action=held is not None)
        finally:
            session.close()

    def discard(self) -> None:
        """Roll back a held action that got no answer (the request failed after all)."""
        session, self.held = self.held, None
        if session is not None:
            self.row = None
            session.rollback()
            session.close()


def _commit(session: Session, request: IdempotentRequest, carries_action: bool) -> None:
    try:
        session.commit()
    except Exception as error:
        session.rollback()
        if carries_action:
            request.row = None
        if _lost_a_race(error):
            raise ConcurrentUpdate("Someone else changed this application at the same moment; "
                                   "nothing was done; reload and retry.") from None
        raise


# The idempotent request the current thread or task is serving, if any (set by the service).
current_request: ContextVar[IdempotentRequest | None] = ContextVar("alur_idempotent_request",
                                                                    default=None)


class UnitOfWork:
    """`with uow:` opens a session; `commit()` writes everything or, on a race, nothing.

    Inside a request with an `Idempotency-Key`, the first commit carries the key's row and stays
    open until the request's answer is written (IdempotentRequest); a later unit of work in the
    same request first settles it, so it never waits on its own request's write lock.
    """

    def __init__(self, session_factory: sessionmaker[Session]):
        self.session_factory = session_factory

    def __enter__(self) -> "UnitOfWork":
        request = current_request.get()
        if request is not None:
            request.settle()
        self.session = self.session_factory()
        self.definitions = Definitions(self.session)
        self.applications = Applications(self.session)
        self.tasks = Tasks(self.session)
        self.events = Events(self.session)
        self.users = Users(self.session)
        self.access = AccessLog(self.session)
        self.incidents = Incidents(self.session)
        self.messages = Messages(self.session)
        self.loan_reviews = LoanReviews(self.session)
        self.reports = Reports(self.session)
        self.idempotency = IdempotencyKeys(self.session)
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        request = current_request.get()
        if request is not None and request.held is self.session:
            if error is None:
                return  # the request's answer commits this transaction with the key's row
            request.settle()  # the use case committed before it failed: keep that, as ever
        self.session.rollback()
        self.session.close()
        if _lost_a_race(error):
            raise ConcurrentUpdate(
                "Someone else changed this application at the same moment; reload and retry."
            ) from None

    def commit(self) -> None:
        request = current_request.get()
        if request is not None and not request.acted:
            request.hold(self.session, self.session_factory)
        else:
            self.session.commit()

    def ping(self) -> None:
        """Raise if the database does not answer."""
        self.session.execute(text("SELECT 1"))

    def flush(self) -> None:
        self.session.flush()


def _lost_a_race(error: BaseException | None) -> bool:
    """A version check, a unique sequence number or a lock said another writer came first."""
    if isinstance(error, StaleDataError | IntegrityError):
        return True
    return isinstance(error, OperationalError) and "locked" in str(error).lower()
