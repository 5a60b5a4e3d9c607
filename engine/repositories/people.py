"""Who works and who read what: users and the auditors' access log."""

from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from engine.db import AccessRow, UserRow

_users = UserRow.__table__.c
# Built once, and Core rather than ORM: authentication runs on every request (unless remembered,
# engine/token_cache.py) and needs four columns, not a tracked UserRow.
ACTIVE_BY_TOKEN_HASH = (
    select(_users.name, _users.roles, _users.authority_limit, _users.branch)
    .where(_users.token_hash == bindparam("token_hash"), _users.active.is_(True))
)


class Users:
    def __init__(self, session: Session):
        self.session = session

    def by_token_hash(self, token_hash: str) -> Row[Any] | None:
        """Name, roles, authority limit and branch of the active user holding this token."""
        return self.session.execute(ACTIVE_BY_TOKEN_HASH, {"token_hash": token_hash}).first()

    def by_name(self, name: str) -> UserRow | None:
        return self.session.scalar(select(UserRow).where(UserRow.name == name))

    def add(self, **fields: Any) -> UserRow:
        row = UserRow(**fields)
        self.session.add(row)
        return row


class AccessLog:
    def __init__(self, session: Session):
        self.session = session

    def record(self, **fields: Any) -> None:
        self.session.add(AccessRow(**fields))

    def recent(self, limit: int) -> list[AccessRow]:
        return list(self.session.scalars(select(AccessRow).order_by(AccessRow.id.desc())
                                         .limit(limit)))
