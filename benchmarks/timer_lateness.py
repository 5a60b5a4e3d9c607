"""How late timers fire with the real worker process, next to SpiffArena's default polling.

    .venv/bin/python benchmarks/timer_lateness.py [--applications 50] [--interval 1]
    ALUR_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/alur_bench \\
        .venv/bin/python benchmarks/timer_lateness.py

Starts K credit applications on a fixed clock 8 days in the past, so that each one's documents
lapse timer (`P8D` after collection starts) falls due on a wall-clock moment spread over ~10 s
a little ahead. The lapse is used, not the survey service level, because a plain duration can be
placed on any second of any day, while working days never fall due on a weekend. The follow-up
timers of those 8 days are fired first, in this process. Then `alur worker --interval 1` runs as
a subprocess until every lapse has fired. Lateness is the time the `timer_fired` event records
(the worker's pass) minus the due time it records. Runs on a temporary SQLite file, and also on
PostgreSQL when ALUR_BENCH_DATABASE_URL names a database it may fill (nothing is dropped; other
due cases there would share the worker). About 30 s per database.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from engine.bootstrap import bootstrap
from engine.clock import FixedClock
from engine.services.applications import start_application
from engine.services.definitions import deploy_directory
from engine.services.demo import DEMO_APPLICATION, demo_actors
from engine.services.incidents import run_due

ROOT = Path(__file__).resolve().parent.parent
LAPSE = timedelta(days=8)  # documents_lapse in workflows/credit_application.bpmn
# SpiffArena's background scheduler without Celery (config/default.py): instances waiting at a
# user task, where a boundary timer like ours sits, are polled every 120 s; `waiting` ones every
# 10 s. Those are the worst-case lateness figures for a timer.
SPIFFARENA = (("SpiffArena, timer on a user task (poll 120 s)", 120.0),
              ("SpiffArena, waiting instance (poll 10 s)", 10.0))


def prepare(url: str, count: int, first_due: datetime, spread: float) -> list[int]:
    """K applications whose lapse falls due from `first_due` on; earlier timers already fired."""
    clock = FixedClock(first_due - LAPSE)
    with bootstrap(url, clock=clock) as alur:
        alur.create_schema()
        deploy_directory(alur)
        officer = demo_actors(alur)["account_officer"]
        ids = []
        for i in range(count):
            clock.set(first_due + timedelta(seconds=spread * i / count) - LAPSE)
            ids.append(start_application(alur, DEMO_APPLICATION, officer)["id"])
        clock.set(first_due - timedelta(seconds=1))
        while run_due(alur):  # the three document follow-ups of the past 8 days
            pass
    return ids


def run_worker(url: str, interval: float, ids: list[int], first_due: datetime,
               deadline: float) -> None:
    """`alur worker --interval N` in its own process, until every lapse has fired."""
    env = {**os.environ, "ALUR_DATABASE_URL": url}
    with subprocess.Popen([sys.executable, "-m", "api.cli", "worker", "--interval", str(interval)],
                          env=env, cwd=ROOT, stdout=subprocess.DEVNULL) as worker:
        try:
            while len(lateness(url, ids, first_due)) < len(ids):
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the worker stopped or timed out (exit {worker.poll()})")
                time.sleep(0.5)
        finally:
            worker.terminate()


def lateness(url: str, ids: list[int], first_due: datetime) -> list[float]:
    """Seconds between each lapse timer's due time and the worker pass that fired it."""
    found = []
    with bootstrap(url) as alur, alur.uow() as uow:
        for application_id in ids:
            for event in uow.events.for_application(application_id, ("timer_fired",)):
                due = datetime.fromisoformat(event.payload["due"])
                if due >= first_due - timedelta(seconds=1):  # not a follow-up
                    found.append((event.at - due).total_seconds())
    return found


def measure(url: str, args: argparse.Namespace) -> tuple[list[float], float]:
    """Lateness of every lapse timer on one database, and the seconds setup took."""
    began = time.monotonic()
    first_due = datetime.now(UTC) + timedelta(seconds=args.lead)
    ids = prepare(url, args.applications, first_due, args.spread)
    setup = time.monotonic() - began
    run_worker(url, args.interval, ids, first_due, began + args.lead + args.spread + 60)
    return lateness(url, ids, first_due), setup


def report(name: str, seconds: list[float]) -> None:
    p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]
    print(f"{name:<48} {statistics.median(seconds):>8.2f} {p95:>8.2f} {max(seconds):>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50)
    parser.add_argument("--interval", type=float, default=1.0, help="worker --interval, seconds")
    parser.add_argument("--spread", type=float, default=10.0, help="seconds the dues span")
    parser.add_argument("--lead", type=float, default=12.0,
                        help="seconds from now to the first due: setup and worker start-up")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("Alur worker, SQLite", *measure(f"sqlite:///{tmp}/bench.db", args)))
    if os.environ.get("ALUR_BENCH_DATABASE_URL"):
        results.append(("Alur worker, PostgreSQL",
                        *measure(os.environ["ALUR_BENCH_DATABASE_URL"], args)))
    print(f"{args.applications} timers due over {args.spread:.0f} s, "
          f"worker --interval {args.interval:g}")
    print(f"{'lateness, seconds':<48} {'median':>8} {'p95':>8} {'max':>8}")
    for name, seconds, setup in results:
        report(name, seconds)
        if setup > args.lead - 3:  # the worker may have started after the first timers fell due
            print(f"  (setup took {setup:.1f} s of the {args.lead:g} s lead: raise --lead)")
    for name, poll in SPIFFARENA:
        print(f"{name:<48} {poll / 2:>8.2f} {poll * 0.95:>8.2f} {poll:>8.2f}  (uniform, expected)")


if __name__ == "__main__":
    main()
