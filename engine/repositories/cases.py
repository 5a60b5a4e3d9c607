"""Cases and their history: process versions, applications and loans, events, loan reviews."""

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from engine import chain
from engine.db import ApplicationRow, DefinitionRow, EventRow, LoanReviewRow
from engine.errors import ApplicationNotFound, DefinitionNotFound
from engine.repositories.base import JoinedObjects, Page, as_read, held, one_of, paged
from engine.repositories.prepared import Prepared, inserting
from engine.repositories.recall import JournalRecall

# Built once, run on the driver's cursor and made into the session's objects: the hot reads.
VERSION = JoinedObjects(DefinitionRow)
LATEST = Prepared(select(*VERSION.columns).where(DefinitionRow.key == bindparam("key"))
                  .order_by(DefinitionRow.version.desc()).limit(1))  # a start reads it
CASE = JoinedObjects(ApplicationRow, DefinitionRow)
_CASES = select(*CASE.columns).join(DefinitionRow)
CASE_BY_ID = Prepared(_CASES.where(ApplicationRow.id == bindparam("id")))
CHILDREN = Prepared(_CASES.where(ApplicationRow.parent_id == bindparam("parent"))
                    .order_by(ApplicationRow.id))  # each disbursement asks for the loan
BY_SHA = select(DefinitionRow).where(DefinitionRow.sha256 == bindparam("sha"))


class Definitions:
    def __init__(self, session: Session):
        self.session = session

    def by_sha(self, sha256: str) -> DefinitionRow | None:
        return self.session.scalar(BY_SHA, {"sha": sha256})

    def latest(self, key: str) -> DefinitionRow:
        found = LATEST.first(self.session.connection(), {"key": key})
        if found is None:
            raise DefinitionNotFound(f"No version of process {key!r} is deployed.")
        return VERSION.read(self.session, found)  # type: ignore[no-any-return]

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


# A case row's step fields and its journal head are written with Core, in one UPDATE that checks
# the row's version (optimistic locking, as the ORM's version column does), and handed to the
# session as committed: a flush of an unchanged-but-touched row costs more than the UPDATE.
_cases = ApplicationRow.__table__
HEAD = ("last_seq", "head_hash")
_UNREAD = object()  # a column the session has not loaded: written, whatever it holds
_NEW_CASE = insert(_cases).returning(_cases.c.id)
NUMBER_CASE = Prepared(update(_cases).where(_cases.c.id == bindparam("case_id"))
                       .values(number=bindparam("new_number")))
# What a new case row holds unless given: the columns' own defaults (engine/db.py), None where a
# column may be empty, and the first version; the session then knows every column as stored.
NEW_CASE_DEFAULTS = {column.name: column.default.arg if column.default is not None else None
                     for column in _cases.columns
                     if (column.default is not None and column.default.is_scalar)
                     or (column.nullable and not column.primary_key)} | {"version": 1}


@cache
def _store_statement(names: tuple[str, ...]) -> Prepared:
    """UPDATE of these columns and the version, if the version is still `seen` (built once)."""
    return Prepared(update(_cases).where(
        _cases.c.id == bindparam("case_id"), _cases.c.version == bindparam("seen")).values(
        {name: bindparam(f"new_{name}", type_=_cases.c[name].type)
         for name in (*names, "version")}))


def write_case(session: Session, row: ApplicationRow, fields: dict[str, Any]) -> None:
    """Write `fields` and the journal head of a case now, unless someone else wrote its row since
    this transaction read it; the session then holds the row as written (nothing to flush).

    A field whose plain value (not a JSON document, which may share parts that changed in
    place) equals the row's is not written: a column left as it was costs its indexes nothing,
    and status, stage, number and the next visit rarely change in a step.

    Raises:
        StaleDataError: the row's version moved on (a concurrent step won the race).
    """
    known = instance_state(row).dict
    changed = {name: value for name, value in fields.items()
               if isinstance(value, dict | list) or known.get(name, _UNREAD) != value}
    values = {**changed, "last_seq": row.last_seq, "head_hash": row.head_hash,
              "version": row.version + 1}
    names = tuple(sorted(changed)) + HEAD
    written = _store_statement(names).run(
        session.connection(),
        {"case_id": row.id, "seen": row.version} | {f"new_{k}": v for k, v in values.items()})
    if written != 1:
        raise StaleDataError(f"application {row.id} changed since it was read")
    for name, value in values.items():
        set_committed_value(row, name, value)


class Applications:
    def __init__(self, session: Session, journal: "Events"):
        self.session = session
        self.journal = journal

    def get(self, application_id: int) -> ApplicationRow:
        """A case with its process version: the one this transaction holds, or one plain row."""
        kept = held(self.session, ApplicationRow, application_id)
        if kept is not None:
            return kept
        found = CASE_BY_ID.first(self.session.connection(), {"id": application_id})
        if found is None:
            raise ApplicationNotFound(f"There is no application {application_id}.")
        return CASE.read(self.session, found)  # type: ignore[no-any-return]

    def add(self, number_of: Callable[[int], str] | None = None, **fields: Any) -> ApplicationRow:
        """Insert a case at once (one INSERT, its id returned); the session holds it as stored.
        `number_of(id)` gives it a number made of its id, in the same transaction."""
        values = NEW_CASE_DEFAULTS | fields
        connection = self.session.connection()
        case_id = inserting(_NEW_CASE, tuple(sorted(values))).scalar(connection, values)
        if number_of is not None:
            values["number"] = number_of(case_id)
            NUMBER_CASE.run(connection, {"case_id": case_id, "new_number": values["number"]})
        return as_read(self.session, ApplicationRow, {"id": case_id, **values})

    def store(self, row: ApplicationRow, **fields: Any) -> None:
        """Write a step's fields of a case (status, stage, summary, state_json, ...) and its
        journal head, now, checking its version; the head needs no other write.

        Raises:
            StaleDataError: someone else wrote the row since this transaction read it.
        """
        write_case(self.session, row, fields)
        self.journal.heads.pop(row.id, None)

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
        rows = CHILDREN.rows(self.session.connection(), {"parent": parent_id})
        return [CASE.read(self.session, found) for found in rows]

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
        return paged(self.session, query, page, per_page)


# Built once: building a statement costs SQLAlchemy more than running it on the hot path. Events
# are read as plain rows: they never change, so the session need not track them.
_events = EventRow.__table__
_EVENTS = select(_events).where(_events.c.application_id == bindparam("case"),
                                _events.c.seq > bindparam("after")).order_by(_events.c.seq)
EVENTS = Prepared(_EVENTS)
NEW_EVENTS = Prepared(insert(_events), [column.name for column in _events.columns
                                        if column.name != "id"], many=True)
LAST_OF_TYPE = Prepared(select(func.max(_events.c.seq)).where(
    _events.c.application_id == bindparam("case"), _events.c.type == bindparam("type")))


@cache  # the few sets of types callers ask for
def _events_of(types: tuple[str, ...]) -> Prepared:
    return Prepared(_EVENTS.where(one_of(_events.c.type, types)))


class Events:
    """The append-only journal. Appends are chained at once and written together, in one
    statement, when the unit of work flushes or commits, or before the journal is read; a head
    that moved is written then too, unless `Applications.store` wrote it with the step."""

    def __init__(self, session: Session, recall: JournalRecall | None = None):
        self.session = session
        self.recall = recall if recall is not None else JournalRecall(size=0)
        self._pending: list[dict[str, Any]] = []
        self.heads: dict[int, ApplicationRow] = {}  # cases whose head moved, not written yet

    def append(self, application: ApplicationRow, type: str, actor: str, at: datetime,
               payload: dict[str, Any], role: str | None = None) -> None:
        """Chain a new event to the application's head; the head moves in the same transaction."""
        seq, previous = application.last_seq + 1, application.head_hash or chain.GENESIS
        payload = json.loads(json.dumps(payload))  # hash exactly what the JSON column stores
        digest = chain.link(previous, chain.canonical(application.id, seq, type, actor, role,
                                                      at, payload))
        self._pending.append({"application_id": application.id, "seq": seq, "type": type,
                              "actor": actor, "role": role, "at": at, "payload": payload,
                              "prev_hash": previous, "hash": digest})
        set_committed_value(application, "last_seq", seq)
        set_committed_value(application, "head_hash", digest)
        self.heads[application.id] = application

    def write(self) -> None:
        """Insert the appended events not written yet, and move their cases' heads."""
        if self._pending:
            pending, self._pending = self._pending, []
            NEW_EVENTS.run_many(self.session.connection(), pending)
        while self.heads:
            write_case(self.session, self.heads.popitem()[1], {})

    def for_application(self, application_id: int, types: Iterable[str] = (),
                        after_seq: int = 0) -> list[Any]:
        """The case's events in order (of some types, after a sequence number), read-only."""
        self.write()  # the journal is only ever written here: nothing else to flush first
        statement = _events_of(tuple(types)) if types else EVENTS
        return statement.rows(self.session.connection(), {"case": application_id,
                                                          "after": after_seq})

    def recalled(self, application_id: int, types: tuple[str, ...],
                 after_seq: int = 0) -> list[Any]:
        """`for_application` with types, reading only the events from the last one this process
        read for the same question on, if the store still holds that one unchanged (`recall`).
        The events are shared between reads: read-only, as the journal is."""
        kept = self.recall.recall(application_id, types, after_seq)
        fresh = self.for_application(application_id, types,
                                     kept[-1].seq - 1 if kept else after_seq)
        if kept and fresh and (fresh[0].seq, fresh[0].hash) == (kept[-1].seq, kept[-1].hash):
            fresh = [*kept, *fresh[1:]]
        elif kept:  # the store moved on without this process: read it all again
            fresh = self.for_application(application_id, types, after_seq)
        self.recall.keep(application_id, types, after_seq, tuple(fresh))
        return fresh

    def last_seq_of(self, application_id: int, type_: str) -> int:
        """The sequence number of the case's latest event of a type; 0 if none."""
        self.write()
        return LAST_OF_TYPE.scalar(self.session.connection(),
                                   {"case": application_id, "type": type_}) or 0


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
