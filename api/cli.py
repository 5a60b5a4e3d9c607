"""The `alur` command: serve the API, manage users, run the demo.

The group lives here, with `worker`; the other commands live in `cli_store`, `cli_work`,
`cli_audit` and `cli_reports`, which never import this module (it may run as `__main__`).
"""

import contextlib
import fcntl
import time

import click

from api.cli_audit import audit, replay, whatif
from api.cli_reports import report
from api.cli_store import db, users
from api.cli_support import database_url, open_alur
from api.cli_work import coverage_command, demo, deploy_command, serve
from engine.errors import ConcurrentUpdate
from engine.services.incidents import run_due


@click.group(commands=[serve, db, users, demo, deploy_command, coverage_command, audit, replay,
                      whatif, report])
def main() -> None:
    """Alur: credit application approval on BPMN."""


# `worker` stays in this module: tests replace `api.cli.run_due` to drive its loop.
@main.command()
@click.option("--once", is_flag=True, help="One pass, then exit.")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between passes.")
def worker(once: bool, interval: float) -> None:
    """Retry failed outside calls when they are due (several workers may share PostgreSQL)."""
    with open_alur() as alur, _single_worker_on_sqlite(database_url()):
        while True:
            try:
                found = run_due(alur)
            except ConcurrentUpdate:  # an officer changed a due case meanwhile: next pass retries
                click.echo("A case changed during this pass; tried again next pass.", err=True)
                found = []
            for done in found:
                click.echo(f"{done['application_number']}: {done['what']} ({done['status']})")
            if once:
                return
            time.sleep(interval)


@contextlib.contextmanager
def _single_worker_on_sqlite(database: str):
    """SQLite has no SKIP LOCKED: one worker at a time, by an exclusive lock on a side file."""
    if not database.startswith("sqlite:///"):
        yield
        return
    with open(database.removeprefix("sqlite:///") + ".worker.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise click.ClickException("Another worker runs on this SQLite database.") from None
        yield


if __name__ == "__main__":
    main()
