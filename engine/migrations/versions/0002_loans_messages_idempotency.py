"""Cases become applications or loans; messages, loan reviews, idempotency keys; user branches.

Revision ID: 0002
Revises: 0001

A database from before migrations may already hold some of this: Alur used to create missing
tables (never columns) at every start. So each step is skipped where its result exists, and
rows already there get the defaults: kind `application`, branch `main`, cycle 0.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)  # engine.db.UTCDateTime stores this
# Added to an existing table, a foreign key needs a name: the one PostgreSQL gives it in
# a fresh database (`create_all`), so both roads lead to the same schema.
PARENT_FOREIGN_KEY = "applications_parent_id_fkey"


def upgrade() -> None:
    """Add the case columns, the user branch and the three new tables."""
    inspector = sa.inspect(op.get_bind())
    _cases(inspector)
    _user_branch(inspector)
    tables = set(inspector.get_table_names())
    for name, create in (("messages", _messages), ("loan_reviews", _loan_reviews),
                         ("idempotency_keys", _idempotency_keys)):
        if name not in tables:
            create()


def downgrade() -> None:
    """Back to the baseline; loans and messages are lost."""
    for table in ("idempotency_keys", "loan_reviews", "messages"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("branch")
    with op.batch_alter_table("applications") as batch:
        for column in ("kind", "parent_id", "branch"):
            batch.drop_index(f"ix_applications_{column}")
        for column in ("cycle", "branch", "parent_id", "kind"):
            batch.drop_column(column)


def _cases(inspector: sa.Inspector) -> None:
    """applications: kind, parent (the application a loan came from), branch, cycle count."""
    have = {column["name"]: column for column in inspector.get_columns("applications")}
    indexes = {index["name"] for index in inspector.get_indexes("applications")}
    columns = [
        sa.Column("kind", sa.String(20), nullable=False, server_default="application"),
        sa.Column("parent_id", sa.Integer(),
                  sa.ForeignKey("applications.id", name=PARENT_FOREIGN_KEY), nullable=True),
        sa.Column("branch", sa.String(50), nullable=False, server_default="main"),
        sa.Column("cycle", sa.Integer(), nullable=False, server_default="0"),
    ]
    # SQLite cannot add a foreign key to a table: it is rebuilt, rows copied, defaults filled.
    rebuild = "parent_id" not in have and op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("applications", recreate="always" if rebuild else "auto") as batch:
        for column in columns:
            _ensure_column(batch, column, have.get(column.name))
        for name in ("kind", "parent_id", "branch"):
            if f"ix_applications_{name}" not in indexes:
                batch.create_index(f"ix_applications_{name}", [name])


def _user_branch(inspector: sa.Inspector) -> None:
    """users: the branch an officer works in (monthly reports group by it)."""
    have = {column["name"]: column for column in inspector.get_columns("users")}
    with op.batch_alter_table("users") as batch:
        _ensure_column(batch, sa.Column("branch", sa.String(50), nullable=False,
                                        server_default="main"), have.get("branch"))


def _ensure_column(batch: Any, column: sa.Column[Any], existing: dict[str, Any] | None) -> None:
    """Add the column; if an earlier Alur's create_all made it, give it its server default."""
    if existing is None:
        batch.add_column(column)
    elif column.server_default is not None and existing["default"] is None:
        batch.alter_column(column.name, existing_type=column.type,
                           existing_nullable=column.nullable,
                           server_default=column.server_default.arg)  # type: ignore[attr-defined]


def _messages() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("business_key", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"),
                  nullable=True),
        sa.Column("received_by", sa.String(100), nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("delivered_at", UTC_DATETIME, nullable=True),
    )
    op.create_index("ix_messages_waiting", "messages", ["business_key", "status", "id"])


def _loan_reviews() -> None:
    op.create_table(
        "loan_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("loan_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("review_date", sa.String(10), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("collectibility", sa.Integer(), nullable=False),
        sa.Column("outstanding", sa.BigInteger(), nullable=False),
        sa.Column("branch", sa.String(50), nullable=False),
        sa.Column("account_officer", sa.String(100), nullable=False),
        sa.UniqueConstraint("loan_id", "cycle"),
    )
    op.create_index("ix_loan_reviews_date", "loan_reviews", ["review_date", "loan_id"])


def _idempotency_keys() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint("actor", "key"),
    )
