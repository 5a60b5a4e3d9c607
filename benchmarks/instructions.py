"""Instructions per unit of work, counted by valgrind: the same figure on every run.

    .venv/bin/python -m benchmarks.instructions [--units 5]

Wall-clock times on a shared VM drift by half between runs of the same commit, so a change of a
few percent cannot be seen in them. Callgrind counts the instructions the process executes
instead, whatever else the machine does. Each row runs twice under valgrind, with `--units` and
with none beyond the warm-up, and reports the difference per unit, so start-up, imports and
deployment cancel out:
- a full credit application on bare SpiffWorkflow, and through Alur's service layer on SQLite;
- one instance of the three-task workload through the service layer, and through the Flask app
  (WSGI, in-process).
Instructions are not time: code that misses the CPU's caches more runs slower per instruction
(on this VM the service layer's instructions ran about 1.7 times slower than the bare engine's).
Needs valgrind (Debian's `valgrind` package); with `--units 3`, 5 to 15 minutes on this
project's 2-core machines (measured: 4 min 52 s on the faster, about 14 min on the slower).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.full_application import bare_engine, repeat, service_layer
from benchmarks.workload import WORKLOAD
from engine.bootstrap import bootstrap
from engine.services import applications, cases, tasks
from engine.services.definitions import deploy_directory
from engine.services.deployments import deploy_upload
from engine.services.users import authenticate, create_user

WARM_UP = 2
ROWS = (("bare", "full application, bare SpiffWorkflow"),
        ("service", "full application, Alur service layer, SQLite"),
        ("workload", "three-task instance, service layer, SQLite"),
        ("wsgi", "three-task instance, Flask app (WSGI), SQLite"))


def run_units(kind: str, units: int) -> None:
    """Warm up, then do `units` units of work of one kind (run under valgrind)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/instructions.db"
        alur = bootstrap(url)
        alur.create_schema()
        if kind == "bare":
            repeat(bare_engine(alur), WARM_UP + units)
        elif kind == "service":
            deploy_directory(alur)
            repeat(service_layer(alur), WARM_UP + units)
        else:
            one = _workload(alur, url, kind)
            for n in range(WARM_UP + units):
                one(n)


def _workload(alur, url: str, kind: str):
    deploy_directory(alur)
    deploy_upload(alur, {p.name: p.read_bytes() for p in WORKLOAD.iterdir()}, "bench")
    token = create_user(alur, "bench_officer", ["account_officer"])
    if kind == "workload":
        actor = authenticate(alur, token)

        def one(n: int) -> None:
            case = cases.start_case(alur, "three_tasks", {"reference": f"R-{n}"}, actor)
            while case["open_tasks"]:
                case = tasks.complete_task(alur, actor, case["open_tasks"][0]["id"],
                                           {"count": n, "note": "ok"})
            applications.get_application(alur, case["id"])
        return one
    from api import create_app

    client = create_app({"DATABASE_URL": url}).test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def one_over_wsgi(n: int) -> None:
        case = client.post("/api/processes/three_tasks/instances", headers=headers,
                           json={"reference": f"R-{n}"}).get_json()
        while case["open_tasks"]:
            case = client.post(f"/api/tasks/{case['open_tasks'][0]['id']}/complete",
                               headers=headers,
                               json={"data": {"count": n, "note": "ok"}}).get_json()
        client.get(f"/api/applications/{case['id']}", headers=headers)
    return one_over_wsgi


def counted(kind: str, units: int) -> int:
    """Instructions valgrind counted for a whole run of `units` units."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-m", "benchmarks.instructions", "--inner", kind, "--units", str(units)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "PYTHONHASHSEED": "0"})  # the same dict and set orders every run
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5)
    parser.add_argument("--inner", choices=[kind for kind, _ in ROWS], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run_units(args.inner, args.units)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    per_unit = {kind: (counted(kind, args.units) - counted(kind, 0)) / args.units
                for kind, _ in ROWS}
    print(f"{'instructions per unit (callgrind)':<52} {'millions':>9} {'ratio':>7}")
    for kind, name in ROWS:
        base = per_unit["bare" if kind in ("bare", "service") else "workload"]
        print(f"{name:<52} {per_unit[kind] / 1e6:>9.1f} {per_unit[kind] / base:>6.2f}x")


if __name__ == "__main__":
    main()
