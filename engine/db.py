"""Tables: process versions, cases (applications and loans), tasks, events, messages, users."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from engine.checkpoints import checkpoint_in_background


class UTCDateTime(TypeDecorator[datetime]):
    """Datetimes go in and come out as aware UTC, whatever the store (SQLite keeps them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime}


class DefinitionRow(Base):
    """One deployed process version; the serialized spec is stored once, keyed by its SHA-256."""

    __tablename__ = "definitions"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    forms: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    sources: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("key", "version"),)


class ApplicationRow(Base):
    """A case: a credit application, or the loan it became (kind `loan`, parent the application).

    Pinned version, workflow state and the fields lists and reports filter on. A loan keeps one
    row, one event chain and one number for its whole life; each monthly cycle is a fresh short
    workflow (continue-as-new) stored in `state_json`, its count in `cycle`.
    """

    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)  # the business key
    kind: Mapped[str] = mapped_column(String(20), default="application",
                                      server_default="application", index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    branch: Mapped[str] = mapped_column(String(50), default="main", server_default="main",
                                        index=True)
    cycle: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)
    product: Mapped[str] = mapped_column(String(30))
    amount: Mapped[int] = mapped_column(BigInteger)
    tenor_months: Mapped[int]
    applicant_name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(100))
    summary: Mapped[dict[str, Any]]
    state_json: Mapped[str] = mapped_column(Text)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str | None] = mapped_column(String(64))
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)  # the worker's next visit
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    definition: Mapped[DefinitionRow] = relationship(lazy="joined")
    __mapper_args__ = {"version_id_col": version}


class TaskRow(Base):
    """Projection of one user task, so inboxes never read workflow state."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    spiff_id: Mapped[str] = mapped_column(String(36))
    task: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(50))
    stage: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    assignee: Mapped[str | None] = mapped_column(String(100))
    group_key: Mapped[str | None] = mapped_column(String(36))
    form: Mapped[dict[str, Any]]
    prefill: Mapped[dict[str, Any]]
    properties: Mapped[dict[str, Any]]
    instructions: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None]  # service level: overdue once the clock passes it
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(100))
    application: Mapped[ApplicationRow] = relationship(lazy="select")
    __table_args__ = (
        Index("ix_tasks_inbox", "role", "status", "created_at"),
        # an inbox page reads one role's tasks in order and stops after the page: no sort of
        # every open task of the role (status is checked on the way)
        Index("ix_tasks_role_age", "role", "created_at", "id"),
        Index("ix_tasks_role_due", "role", "due_at", "created_at", "id"),
        Index("ix_tasks_due", "role", "status", "due_at"),
        Index("ix_tasks_assignee", "assignee", "status"),
        Index("ix_tasks_application", "application_id", "status"),
    )


class EventRow(Base):
    """One entry of an application's append-only event log."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(50))
    at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("application_id", "seq"),)


class MessageRow(Base):
    """A message from an outside system, kept until the case it names waits for it."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(100), unique=True)  # the sender's, idempotent
    name: Mapped[str] = mapped_column(String(100))
    business_key: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))  # kept | delivered
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    received_by: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_messages_waiting", "business_key", "status", "id"),)


class LoanReviewRow(Base):
    """The outcome of one monthly review of a loan: the projection portfolio reports read."""

    __tablename__ = "loan_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    cycle: Mapped[int]
    review_date: Mapped[str] = mapped_column(String(10))  # ISO date of the review
    days_past_due: Mapped[int]
    collectibility: Mapped[int]
    outstanding: Mapped[int] = mapped_column(BigInteger)
    branch: Mapped[str] = mapped_column(String(50))
    account_officer: Mapped[str] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("loan_id", "cycle"),
                      Index("ix_loan_reviews_date", "review_date", "loan_id"))


class IncidentRow(Base):
    """An outside call that failed: retried with backoff, then left to operations."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    element: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(100))
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | resolved
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    application: Mapped[ApplicationRow] = relationship(lazy="select")


class IdempotencyRow(Base):
    """The first answer to a POST sent with an `Idempotency-Key`: a retry gets it back."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("actor", "key"),)


class AccessRow(Base):
    """Who read what: every read by an auditor is recorded here (append-only)."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    roles: Mapped[list[str]] = mapped_column(JSON)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    application_id: Mapped[int | None]
    at: Mapped[datetime]


class UserRow(Base):
    """An officer or system; only the SHA-256 of its token is stored."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    roles: Mapped[list[str]] = mapped_column(JSON)
    authority_limit: Mapped[int | None] = mapped_column(BigInteger)
    branch: Mapped[str] = mapped_column(String(50), default="main", server_default="main")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine; SQLite gets WAL, foreign keys, a generous busy timeout and its
    log checkpointed off the requests' path (engine/checkpoints.py)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        path = engine.url.database
        if path and path != ":memory:" and not path.startswith("file:"):
            checkpoint_in_background(engine, path)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet."""
    Base.metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    """Drop every table (tests only)."""
    Base.metadata.drop_all(engine)
