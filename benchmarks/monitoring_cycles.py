"""The cost of a loan's monthly cycle as the loan ages: cycle 1, 60, 120 and 240, in one run.

    .venv/bin/python benchmarks/monitoring_cycles.py [--cycles 240] [--database-url URL]

One KPR loan on SQLite (or the given database) through Alur's service layer: each cycle is an
installment message from core banking and the worker's monthly review at the review date (the
collectibility DMN, the cycle's end and the continue-as-new into the next cycle). A warm-up loan
runs first so cycle 1 is not charged for cold caches. Each figure is the median of the cycle and
its ten neighbours; the ratio to cycle 1 shows whether the cost grows with the loan's history.
"""

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from engine.bootstrap import bootstrap
from engine.clock import FixedClock
from engine.db import drop_schema
from engine.services.cycles import loan_number
from engine.services.definitions import deploy_directory
from engine.services.demo import run_demo
from engine.services.incidents import run_due
from engine.services.loans import get_loan
from engine.services.messages import receive_message
from engine.services.users import Actor

CORE = Actor("bench_core_banking", frozenset({"integration"}))
MARKS = (1, 60, 120, 240)
WARM_UP = 10
SPREAD = 5  # neighbours on each side in a figure's median


def one_loan(alur, clock: FixedClock, cycles: int) -> tuple[list[float], list[int]]:
    """Seconds per monthly cycle and the stored instance size after each."""
    application = run_demo(alur)["application"]
    number = loan_number(application["number"])
    _send(alur, "disbursement_confirmed", application["number"], {"value_date": "2026-11-25"})
    times, sizes = [], []
    for _ in range(cycles):
        loan = get_loan(alur, number)
        due = datetime.fromisoformat(loan["loan"]["next_review_on"] + "T02:00:00+00:00")
        began = time.perf_counter()
        _send(alur, "installment_paid", number, {"amount": loan["loan"]["installment"]})
        clock.set(due)
        run_due(alur)
        times.append(time.perf_counter() - began)
        with alur.uow() as uow:
            sizes.append(len(uow.applications.by_number(number).state_json))
    assert get_loan(alur, number)["cycle"] == cycles
    _send(alur, "paid_off", number, {"paid_on": "2046-11-20"})  # its timers stop here
    return times, sizes


def _send(alur, name: str, key: str, payload: dict) -> None:
    _send.count = getattr(_send, "count", 0) + 1
    receive_message(alur, CORE, name, {"message_id": f"bench-{_send.count}",
                                       "business_key": key, "payload": payload})


def around(times: list[float], cycle: int) -> float:
    """The median of a cycle and its neighbours (cycle numbers start at 1)."""
    index = cycle - 1
    return statistics.median(times[max(0, index - SPREAD):index + SPREAD + 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=240)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
        clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        with bootstrap(url, clock=clock) as alur:
            drop_schema(alur.session_factory.kw["bind"])  # a benchmark database starts empty
            alur.create_schema()
            deploy_directory(alur)
            one_loan(alur, clock, WARM_UP)  # caches and the database reach their steady state
            clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
            times, sizes = one_loan(alur, clock, args.cycles)
    marks = [c for c in MARKS if c <= args.cycles]
    base = around(times, 1)
    print(f"One loan, {args.cycles} monthly cycles (message + review + continue-as-new), "
          f"{'SQLite' if not args.database_url else args.database_url.split(':')[0]}")
    print(f"{'cycle':>6} {'ms':>8} {'x cycle 1':>10} {'state bytes':>12}")
    for cycle in marks:
        print(f"{cycle:>6} {around(times, cycle) * 1000:>8.1f} "
              f"{around(times, cycle) / base:>10.2f} {sizes[cycle - 1]:>12,}")
    print(f"total {sum(times):.1f} s; mean {statistics.mean(times) * 1000:.1f} ms per cycle")


if __name__ == "__main__":
    main()
