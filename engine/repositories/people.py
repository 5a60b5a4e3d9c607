"""Who works and who read what: users and the auditors' access log."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db import AccessRow, UserRow


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


class AccessLog:
    def __init__(self, session: Session):
        self.session = session

    def record(self, **fields: Any) -> None:
        self.session.add(AccessRow(**fields))

    def recent(self, limit: int) -> list[AccessRow]:
        return list(self.session.scalars(select(AccessRow).order_by(AccessRow.id.desc())
                                         .limit(limit)))
