"""The transport's own cost: the three-task workload's requests to a WSGI app that answers at once.

    .venv/bin/python -m benchmarks.floor [--instances 300]

The same five requests per instance as benchmarks/workload.py (same methods, paths, bodies and
`Authorization` header, answers of the size Alur gives), on one keep-alive connection, to
gunicorn on 127.0.0.1 with the settings `alur serve` uses, serving `answer` below. Whatever Alur
does, it cannot go faster than this on the same machine: the rate is the ceiling the HTTP rows
are measured against.
"""

import argparse
import http.client
import json
import time
from contextlib import AbstractContextManager

from api.server import THREADS
from benchmarks.http_client import call, running

# An answer of the size of Alur's to a completion in the workload (about 600 bytes).
ANSWER = json.dumps({"id": 1, "number": "CASE-2026-000001", "status": "active",
                     "stage": "started", "summary": {}, "decisions": [],
                     "open_tasks": [{"id": 1, "task": "step_one", "title": "Step one",
                                     "role": "account_officer", "status": "open",
                                     "assignee": None, "due_at": None}],
                     "definition": {"key": "three_tasks", "version": 1, "sha256": "0" * 64},
                     "padding": "x" * 180}).encode()


def answer(environ, start_response):
    """Read the request's body, answer ANSWER as JSON."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(ANSWER)))])
    return [ANSWER]


def serving_answer(port: int, workers: int) -> AbstractContextManager[None]:
    """gunicorn serving `answer` as `alur serve` serves Alur (workers, threads, keep-alive)."""
    return running(["gunicorn", "--workers", str(workers), "--threads", str(THREADS),
                    "--keep-alive", "5", "--bind", f"127.0.0.1:{port}",
                    "benchmarks.floor:answer"], port)


def instances(port: int, count: int) -> float:
    """The workload's requests for `count` instances, one after the other; seconds taken."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    token = "t" * 43  # the length of an Alur token
    began = time.perf_counter()
    for n in range(count):
        call(connection, "POST", "/api/processes/three_tasks/instances", token,
             {"reference": f"R-{n}"})
        for task_id in range(3):
            call(connection, "POST", f"/api/tasks/{n * 3 + task_id}/complete", token,
                 {"data": {"count": n, "note": "ok"}})
        call(connection, "GET", f"/api/applications/{n}", token)
    return time.perf_counter() - began


def throughput(count: int, workers: int, port: int) -> float:
    """Instances per second one client gets from the answering app."""
    with serving_answer(port, workers):
        instances(port, 3)
        return count / instances(port, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rate = throughput(args.instances, args.workers, 5095)
    print(f"three-task workload's requests, app answering at once: {rate:.1f} instances/s")


if __name__ == "__main__":
    main()
