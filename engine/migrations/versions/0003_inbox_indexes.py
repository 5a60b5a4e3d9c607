"""Inbox indexes: one role's tasks by age, and by due date.

Revision ID: 0003
Revises: 0002

A database adopted from `create_all` may have them already; they are created only where missing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {"ix_tasks_role_age": ["role", "created_at", "id"],
           "ix_tasks_role_due": ["role", "due_at", "created_at", "id"]}


def upgrade() -> None:
    """Create the two inbox indexes."""
    existing = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("tasks")}
    for name, columns in INDEXES.items():
        if name not in existing:
            op.create_index(name, "tasks", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "tasks")
