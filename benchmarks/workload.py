"""The three-task workload, over HTTP, as SpiffArena's backend was measured on it.

    .venv/bin/python benchmarks/workload.py [--instances 300] [--database-url URL] [--clients 1]

One process with three sequential user tasks, each with a form of one required integer and one
optional string (benchmarks/workload/): create an instance, submit the three tasks, read it once;
five requests per instance, on keep-alive connections, to `alur serve` (gunicorn) on 127.0.0.1.
SpiffArena's backend did 2.2-2.6 instances per second on this workload (2 vCPU, SQLite).
"""

import argparse
import http.client
import multiprocessing
import tempfile
import time
from pathlib import Path

from benchmarks import floor
from benchmarks.http_client import call, serving
from engine.bootstrap import bootstrap
from engine.db import drop_schema
from engine.services.definitions import deploy_directory
from engine.services.deployments import deploy_upload
from engine.services.users import create_user

WORKLOAD = Path(__file__).resolve().parent / "workload"
SPIFFARENA = (2.2, 2.6)


def prepare(database_url: str) -> str:
    """An empty store with the bundled workflows and the workload deployed; an officer's token."""
    with bootstrap(database_url) as alur:
        drop_schema(alur.session_factory.kw["bind"])
        alur.create_schema()
        deploy_directory(alur)
        deploy_upload(alur, {p.name: p.read_bytes() for p in WORKLOAD.iterdir()}, "bench")
        return create_user(alur, "bench_officer", ["account_officer"])


def instances(port: int, token: str, count: int) -> float:
    """Run `count` instances one after the other; seconds taken."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    began = time.perf_counter()
    for n in range(count):
        case = call(connection, "POST", "/api/processes/three_tasks/instances", token,
                    {"reference": f"R-{n}"})
        while case["open_tasks"]:
            task = case["open_tasks"][0]
            case = call(connection, "POST", f"/api/tasks/{task['id']}/complete", token,
                        {"data": {"count": n, "note": "ok"}})
        call(connection, "GET", f"/api/applications/{case['id']}", token)
        assert case["status"] == "completed", case
    return time.perf_counter() - began


def throughput(database_url: str, clients: int, per_client: int, workers: int,
               port: int) -> float:
    """Instances per second with `clients` client processes against `workers` server workers."""
    token = prepare(database_url)
    with serving(database_url, port, workers):
        instances(port, token, 3)  # warm every worker's caches a little
        began = time.perf_counter()
        with multiprocessing.Pool(clients) as pool:
            pool.starmap(instances, [(port, token, per_client)] * clients)
        return clients * per_client / (time.perf_counter() - began)


def beside_the_ceiling(database_url: str, count: int, workers: int, port: int,
                       ceiling_port: int, rounds: int = 6) -> tuple[float, float]:
    """Instances per second, one client, from Alur and from an app that answers at once
    (benchmarks/floor.py), both served at the same time and asked in turn, `count / rounds`
    instances each per round, so that the machine's changing speed falls on both alike."""
    token = prepare(database_url)
    with serving(database_url, port, workers), floor.serving_answer(ceiling_port, workers):
        instances(port, token, 3)  # warm every worker's caches a little
        floor.instances(ceiling_port, 3)
        alur_seconds = ceiling_seconds = 0.0
        for _ in range(rounds):
            alur_seconds += instances(port, token, count // rounds)
            ceiling_seconds += floor.instances(ceiling_port, count // rounds)
    done = rounds * (count // rounds)
    return done / alur_seconds, done / ceiling_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/workload.db"
        rate = throughput(url, args.clients, args.instances // args.clients, args.workers, 5098)
    print(f"three-task workload over HTTP: {rate:.1f} instances/s "
          f"({args.clients} client(s), {args.workers} gunicorn workers); "
          f"SpiffArena {SPIFFARENA[0]}-{SPIFFARENA[1]}/s -> {rate / SPIFFARENA[1]:.0f}x")


if __name__ == "__main__":
    main()
