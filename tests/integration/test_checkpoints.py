"""SQLite's write-ahead log is checkpointed by a thread of its own, not by a request's commit.

SQLite-only by nature (PostgreSQL checkpoints in its server): each test makes its own file.
"""

import sqlite3
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import insert

from engine.checkpoints import BACKSTOP_PAGES
from engine.db import Base, create_schema, make_engine

USERS = Base.metadata.tables["users"]
DEADLINE = 30  # seconds; the thread checkpoints a tenth of a second after a commit


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


def _checkpoint_threads() -> int:
    return sum(t.name == "alur-wal-checkpoint" for t in threading.enumerate())


def test_a_commit_reaches_the_database_file_without_any_commit_checkpointing(tmp_path):
    path = tmp_path / "alur.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with engine.connect() as connection:  # SQLite checkpoints anyway when the last one closes
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        _add_user(engine, "rina")
        deadline = time.monotonic() + DEADLINE
        while not _in_database_file(path, "rina") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _in_database_file(path, "rina")
    engine.dispose()


def test_the_thread_ends_with_its_engine_and_a_new_one_starts_with_the_next_commit(tmp_path):
    before = _checkpoint_threads()
    engine = make_engine(f"sqlite:///{tmp_path / 'alur.db'}")
    create_schema(engine)
    assert _checkpoint_threads() == before + 1
    engine.dispose()
    assert _checkpoint_threads() == before
    _add_user(engine, "budi")  # a disposed engine still serves; its log still gets checkpointed
    assert _checkpoint_threads() == before + 1
    engine.dispose()
    assert _checkpoint_threads() == before
