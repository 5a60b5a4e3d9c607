"""SQLite's write-ahead log is checkpointed by a thread of its own, not by a request's commit.

SQLite-only by nature (PostgreSQL checkpoints in its server): each test makes its own file.
"""

import sqlite3
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import insert

from engine.checkpoints import BACKSTOP_PAGES, EVERY, Checkpointer
from engine.db import Base, create_schema, make_engine

USERS = Base.metadata.tables["users"]
DEADLINE = 30  # seconds


def _in_database_file(path, name: str) -> bool:
    """Whether the database file itself, its log ignored, holds the user `name`."""
    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return connection.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() \
            is not None
    except sqlite3.DatabaseError:  # no table yet, or a page read while a checkpoint wrote it
        return False
    finally:
        connection.close()


def _add_user(engine, name: str) -> None:
    with engine.begin() as connection:
        connection.execute(insert(USERS).values(
            name=name, token_hash=name, roles=["account_officer"], branch="main", active=True,
            demo=False, created_at=datetime.now(UTC)))


def _checkpoint_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "alur-wal-checkpoint"}


def test_commits_reach_the_database_file_without_any_commit_checkpointing(tmp_path):
    path = tmp_path / "alur.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with engine.connect() as connection:  # SQLite checkpoints anyway when the last one closes
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        for n in range(EVERY):  # the schema's transactions count too: one is due before the end
            _add_user(engine, f"officer{n}")
        deadline = time.monotonic() + DEADLINE
        while not _in_database_file(path, "officer0") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _in_database_file(path, "officer0")
    engine.dispose()


def test_the_thread_ends_when_idle_and_starts_again_when_a_checkpoint_is_due(tmp_path):
    path = tmp_path / "alur.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    _add_user(engine, "rina")
    checkpointer = Checkpointer(str(path), idle_seconds=0.1)
    for _ in range(2):
        before = _checkpoint_threads()
        for _ in range(EVERY):
            checkpointer.ended()
        [thread] = _checkpoint_threads() - before
        thread.join(DEADLINE)
        assert not thread.is_alive()
        assert checkpointer.last is not None and checkpointer.last[0] == 0  # not busy: done
        checkpointer.last = None
    engine.dispose()
