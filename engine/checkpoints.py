"""SQLite's write-ahead log, checkpointed by a thread of its own instead of by a request.

Left to itself, SQLite checkpoints on the commit that takes the log past 1,000 pages: that
commit copies the pages back into the database file and waits for the disk (4-5 ms on this
project's machines, against about 65 µs for any other commit), and the officer whose request it
was waits with it. Alur gives each process one thread per SQLite database that checkpoints a
tenth of a second after commits (PASSIVE: it never blocks a reader or a writer) and raises
SQLite's own checkpoint on commit to 10,000 pages, as a backstop should the thread fall behind.
PostgreSQL has nothing of the kind to do: its checkpointer is part of the server.
"""

import os
import sqlite3
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

BACKSTOP_PAGES = 10_000  # a commit checkpoints only past this (SQLite's default is 1,000)
AFTER_SECONDS = 0.1  # the commits of that long share one checkpoint


class Checkpointer:
    """Checkpoints one SQLite database's log from a daemon thread, started by the first commit
    in a process and stopped when the engine is disposed."""

    def __init__(self, path: str):
        self.path = path
        self.last: tuple[int, int, int] | None = None  # SQLite's (busy, frames in log, copied)
        self._due = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def committed(self) -> None:
        """A transaction committed: checkpoint soon."""
        if self._thread is None or self._pid != os.getpid():  # none yet, or a forked copy
            self._start()
        if not self._due.is_set():  # setting it again would wake the thread for nothing
            self._due.set()

    def stop(self) -> None:
        """End the thread (a later commit starts a new one)."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopping.set()
            self._due.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None and self._pid == os.getpid():
                return
            self._stopping = threading.Event()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, args=(self._stopping,),
                                            name="alur-wal-checkpoint", daemon=True)
            self._thread.start()

    def _run(self, stopping: threading.Event) -> None:
        connection = sqlite3.connect(self.path, timeout=0)
        try:
            while True:
                self._due.wait()
                if stopping.wait(AFTER_SECONDS):
                    return
                self._due.clear()
                try:
                    self.last = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.OperationalError:  # another process checkpoints: it will do
                    pass
        finally:
            connection.close()


def checkpoint_in_background(engine: Engine, path: str) -> Checkpointer:
    """Hand the checkpoints of `engine`'s SQLite database at `path` to a Checkpointer."""
    checkpointer = Checkpointer(path)
    event.listen(engine, "connect", _backstop)
    event.listen(engine, "commit", lambda _connection: checkpointer.committed())
    event.listen(engine, "engine_disposed", lambda _engine: checkpointer.stop())
    return checkpointer


def _backstop(connection: Any, _record: Any) -> None:
    connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
