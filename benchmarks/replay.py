"""Replay and verify throughput next to the time the same applications took to run.

    .venv/bin/python benchmarks/replay.py [--applications 30]

Runs N disbursed applications through the service layer on SQLite (the original run), then verifies
and replays each from its event log, in the same process and database. Prints applications per
second for each and the ratio replay / original.
"""

import argparse
import tempfile
import time

from engine.bootstrap import bootstrap
from engine.services import audit
from engine.services.definitions import deploy_directory
from engine.services.demo import demo_actors, run_demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=30)
    count = parser.parse_args().applications
    with tempfile.TemporaryDirectory() as tmp, bootstrap(f"sqlite:///{tmp}/bench.db") as alur:
        alur.create_schema()
        deploy_directory(alur)
        demo_actors(alur)
        began = time.perf_counter()
        ids = [run_demo(alur)["application"]["id"] for _ in range(count)]
        original = time.perf_counter() - began
        began = time.perf_counter()
        verdicts = [audit.verify_application(alur, i)["result"] for i in ids]
        verifying = time.perf_counter() - began
        began = time.perf_counter()
        results = [audit.replay_application(alur, i)["result"] for i in ids]
        replaying = time.perf_counter() - began
    assert set(verdicts) == {"intact"} and set(results) == {"reproduced"}
    print(f"{count} disbursed applications          apps/s   ms/app   vs original")
    for name, seconds in (("original run (service layer)", original),
                          ("verify (hash chain)", verifying),
                          ("replay (re-run + compare)", replaying)):
        print(f"{name:<34} {count / seconds:>7.1f} {seconds / count * 1000:>8.1f}"
              f" {original / seconds:>9.1f}x")


if __name__ == "__main__":
    main()
