"""SQLite's write-ahead log, checkpointed by a thread of its own instead of by a request.

Left to itself, SQLite checkpoints on the commit that takes the log past 1,000 pages: that
commit copies the pages back into the database file and waits for the disk (4-5 ms on this
project's machines, against about 65 µs for any other commit), and the officer whose request it
was waits with it. Alur gives each process a thread per SQLite database that checkpoints after
every 64 transactions (PASSIVE: it never blocks a reader or a writer), and raises SQLite's own
checkpoint on commit to 10,000 pages, a backstop should the thread fall behind. Counted in
transactions, not seconds, the work per transaction is the same however fast the process runs
(under valgrind, say). The thread ends after a minute without a checkpoint to do; the next one
due starts it again. PostgreSQL has nothing of the kind to do: its server checkpoints.
"""

import os
import sqlite3
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

BACKSTOP_PAGES = 10_000  # a commit checkpoints only past this (SQLite's default is 1,000)
EVERY = 64  # transactions (connections given back to the pool) per checkpoint
IDLE_SECONDS = 60.0


class Checkpointer:
    """Checkpoints one SQLite database's log from a daemon thread of this process."""

    def __init__(self, path: str, idle_seconds: float = IDLE_SECONDS):
        self.path = path
        self.idle_seconds = idle_seconds
        self.last: tuple[int, int, int] | None = None  # SQLite's (busy, frames in log, copied)
        self._due = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._ended = 0  # transactions, counted without a lock: a lost count delays one only

    def ended(self) -> None:
        """A transaction ended: every EVERY of them, a checkpoint is due."""
        self._ended += 1
        if self._ended % EVERY:
            return
        with self._lock:
            if self._thread is None or self._pid != os.getpid():  # none, or a forked copy's
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="alur-wal-checkpoint",
                                                daemon=True)
                self._thread.start()
            self._due.set()

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, timeout=0)
        try:
            while True:
                if not self._due.wait(self.idle_seconds):
                    with self._lock:  # from now on, a checkpoint due starts a new thread
                        if not self._due.is_set():
                            self._thread = None
                            return
                self._due.clear()
                try:
                    self.last = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error:  # busy (another process checkpoints): the next one will
                    pass
        finally:
            connection.close()


def checkpoint_in_background(engine: Engine, path: str) -> Checkpointer:
    """Hand the checkpoints of `engine`'s SQLite database at `path` to a Checkpointer (pool
    events only: listening to the engine's own would slow every statement a little)."""
    checkpointer = Checkpointer(path)
    event.listen(engine, "connect", _backstop)
    event.listen(engine, "checkin", lambda *_: checkpointer.ended())
    return checkpointer


def _backstop(connection: Any, _record: Any) -> None:
    connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
