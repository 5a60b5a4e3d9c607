"""The inbox with 100,000 open tasks in the store: median and p95 of one page.

    .venv/bin/python -m benchmarks.inbox [--tasks 100000] [--database-url URL]

Fills the task projection in bulk (20 % each for five roles, a fifth of them claimed, due dates
spread over a month), then asks the inbox as a surveyor would: the first page of open tasks, oldest
first and soonest due first, through the service layer.
"""

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from engine.bootstrap import bootstrap
from engine.db import ApplicationRow, TaskRow, drop_schema
from engine.services.definitions import deploy_directory
from engine.services.tasks import list_tasks
from engine.services.users import Actor

ROLES = ("account_officer", "surveyor", "credit_analyst", "approver", "operations")
PER_APPLICATION = 5


def fill(alur, tasks: int) -> None:
    """`tasks` open task rows over tasks/5 applications, inserted in bulk."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with alur.uow() as uow:
        definition_id = uow.definitions.latest("credit_application").id
        session = uow.session
        applications = [{"id": n + 1, "number": f"APP-2026-{n + 1:06d}", "kind": "application",
                         "definition_id": definition_id, "status": "active", "stage": "survey",
                         "product": "kpr", "amount": 100_000_000, "tenor_months": 120,
                         "applicant_name": f"Debtor {n}", "created_by": "ao", "branch": "main",
                         "cycle": 0, "summary": {}, "state_json": "{}", "last_seq": 0,
                         "version": 1, "created_at": start, "updated_at": start}
                        for n in range(tasks // PER_APPLICATION)]
        session.execute(insert(ApplicationRow), applications)
        rows = [{"application_id": n // PER_APPLICATION + 1, "spiff_id": f"{n:036d}",
                 "task": "survey_applicant", "title": "Survey applicant",
                 "role": ROLES[n % len(ROLES)], "stage": "survey",
                 "status": "claimed" if n % 5 == 4 else "open",
                 "assignee": "someone" if n % 5 == 4 else None, "form": {}, "prefill": {},
                 "properties": {}, "created_at": start + timedelta(seconds=n),
                 "due_at": start + timedelta(minutes=(n * 7919) % 43_200)}
                for n in range(tasks)]
        for chunk in range(0, len(rows), 10_000):
            session.execute(insert(TaskRow), rows[chunk:chunk + 10_000])
        uow.commit()


def inbox_times(alur, runs: int, sort: str) -> list[float]:
    surveyor = Actor("bench_surveyor", frozenset({"surveyor"}))
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        page = list_tasks(alur, surveyor, None, "any", "open", 1, 20, sort)
        times.append(time.perf_counter() - began)
        assert len(page["items"]) == 20 and page["total"] == 20_000
    return times


def measure(database_url: str, tasks: int, runs: int = 200) -> dict[str, list[float]]:
    with bootstrap(database_url) as alur:
        drop_schema(alur.session_factory.kw["bind"])
        alur.create_schema()
        deploy_directory(alur)
        fill(alur, tasks)
        inbox_times(alur, 20, "created_at")  # warm up
        return {sort: inbox_times(alur, runs, sort) for sort in ("created_at", "due_at")}


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(args.database_url or f"sqlite:///{tmp}/inbox.db", args.tasks)
    for sort, times in results.items():
        print(f"inbox, {args.tasks:,} open tasks, sort={sort}: median "
              f"{statistics.median(times) * 1000:.2f} ms, p95 {p95(times) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
