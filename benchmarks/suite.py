"""Every measurement issue 6 reports against, side by side in one run, as one table.

    .venv/bin/python -m benchmarks.suite [--pg-url postgresql://postgres@127.0.0.1:5432/alur_bench]

1. one full credit application: bare SpiffWorkflow in memory (spec parsed once) vs Alur's
   service layer on SQLite (the same steps; and with a claim before each completion) vs the
   HTTP API (gunicorn, SQLite), one of each in turn, round after round;
2. the three-task workload over HTTP, sequential, SQLite, next to SpiffArena's 2.2-2.6/s, and
   the same requests to an app that answers at once (the transport's ceiling, benchmarks/floor.py),
   the two asked in turn, a sixth of the instances at a time;
3. the inbox with 100,000 open tasks: median and p95;
4. the three-task workload with gunicorn and PostgreSQL at 1, 4 and 16 client processes
   (skipped without a PostgreSQL URL; the database is emptied first).
"""

import argparse
import statistics
import tempfile

from benchmarks import full_application, inbox, workload
from engine.bootstrap import bootstrap

GOALS = {"service": 2.0, "workload": 100.0, "inbox_p95_ms": 20.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--pg-url")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        with bootstrap(url) as alur:
            alur.create_schema()
            measured = full_application.side_by_side(url, alur, args.runs)
        base = statistics.median(measured["bare"])
        for name, times in (("full application, bare SpiffWorkflow (ms)", measured["bare"]),
                            ("full application, Alur service layer, SQLite (ms)",
                             measured["service"]),
                            ("full application, service layer, claim + complete (ms)",
                             measured["claimed"]),
                            ("full application, Alur HTTP API, SQLite (ms)", measured["http"])):
            rows.append((name, statistics.median(times) * 1000,
                         f"{statistics.median(times) / base:.1f}x bare"))
        rows[1] = (*rows[1][:2], rows[1][2] + f" (goal <= {GOALS['service']:.0f}x)")
        rate, ceiling = workload.beside_the_ceiling(f"sqlite:///{tmp}/workload.db",
                                                    args.instances, 2, 5097, 5095)
        rows.append(("three-task workload, HTTP, SQLite, 1 client (instances/s)", rate,
                     f"{rate / workload.SPIFFARENA[1]:.0f}x SpiffArena 2.2-2.6/s "
                     f"(goal >= {GOALS['workload']:.0f}/s)"))
        rows.append(("the same requests, app answering at once (instances/s)", ceiling,
                     f"the transport's ceiling; Alur reaches {rate / ceiling:.0%} of it"))
        times = inbox.measure(f"sqlite:///{tmp}/inbox.db", 100_000)
        for sort, values in times.items():
            rows.append((f"inbox, 100,000 open tasks, sort={sort}, median (ms)",
                         statistics.median(values) * 1000, ""))
            rows.append((f"inbox, 100,000 open tasks, sort={sort}, p95 (ms)",
                         inbox.p95(values) * 1000, f"goal < {GOALS['inbox_p95_ms']:.0f} ms"))
    if args.pg_url:
        one = None
        for clients in (1, 4, 16):
            rate = workload.throughput(args.pg_url, clients, max(8, 96 // clients), 4, 5096)
            one = one or rate
            rows.append((f"three-task workload, gunicorn 4 workers + PostgreSQL, {clients} "
                         f"client(s) (instances/s)", rate, f"{rate / one:.1f}x 1 client"))
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}} {value:>9.1f}  {note}")


if __name__ == "__main__":
    main()
