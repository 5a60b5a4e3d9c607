"""One full credit application, measured side by side in one run.

    .venv/bin/python -m benchmarks.full_application [--runs 15]

1. bare SpiffWorkflow in memory, spec parsed once (the engine's own limit, without Alur's
   journal of decisions): start the application, complete each user task in turn, start the
   loan's first monitoring cycle (the service layer opens the loan at disbursement);
2. Alur's service layer on SQLite doing the same steps (each one transaction with persistence,
   the event chain, projections, forms and controls), and again with a claim before each
   completion, as officers work in the inbox;
3. Alur's HTTP API on SQLite doing the same steps, served by gunicorn in another process, one
   keep-alive client.
The four run in turn, one application each, round after round, so that a machine slowing down
for a while (this VM's speed moves by a quarter within minutes) slows every row alike. Prints the
median per application, the ratios to the bare engine, and the JSON size of a disbursed instance.
"""

import argparse
import functools
import http.client
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from benchmarks.http_client import call, serving
from engine import forms
from engine.bootstrap import bootstrap
from engine.services import applications, tasks
from engine.services.cycles import LOAN_PROCESS, opening_state
from engine.services.definitions import deploy_directory
from engine.services.demo import DEMO_APPLICATION, DEMO_INPUTS, demo_actors
from engine.services.users import create_user
from engine.workflow import Instance

Measure = Callable[[], float]  # one full application; the seconds it took


def bare_engine(alur) -> Measure:
    """Start and complete every task in memory, then start the loan's first monitoring cycle as
    disbursement does: SpiffWorkflow's own steps on the specs restored once, with the diagrams'
    script engine, and nothing of Alur's audit (no persistence, no journal of decisions)."""
    versions = _deployed(alur)

    def one() -> float:
        began = time.perf_counter()
        _bare_application(alur, versions)
        return time.perf_counter() - began

    return one


def _bare_application(alur, versions: dict[str, str]) -> Instance:
    workflows = alur.workflows
    data = {**DEMO_APPLICATION, "application_number": "APP-2026-999999",
            "application_date": "2026-11-23"}
    instance = workflows.start(versions["credit_application"], data)
    instance.recording = False
    instance.run()
    while ready := instance.ready_tasks():
        task = ready[0]
        instance.complete(task.spiff_id, _full(alur, task.task))
    loan = workflows.start(versions[LOAN_PROCESS],
                           {"loan": opening_state(_disbursed(instance.data), instance.data)})
    loan.recording = False
    loan.run()
    return instance


def state_size(alur) -> int:
    """The JSON size of a disbursed application's instance (its state, without the spec)."""
    return len(_bare_application(alur, _deployed(alur)).dumps())


def _deployed(alur) -> dict[str, str]:
    """The bundled processes, deployed (again, as the same versions): key -> version hash."""
    return {version["key"]: version["sha256"] for version in deploy_directory(alur)}


def _disbursed(data: dict) -> SimpleNamespace:
    """The application's fields a loan opens with, as the service layer's case row holds them."""
    return SimpleNamespace(
        number=data["application_number"], product=DEMO_APPLICATION["product"],
        amount=DEMO_APPLICATION["amount"], tenor_months=DEMO_APPLICATION["tenor_months"],
        created_by="bench", branch="main", summary={"approved_amount": data["approved_amount"]})


def _full(alur, task: str) -> dict:
    """The task's demo input with every field its form declares, as the service layer's form
    check returns it (the form read once: reading it is no part of the engine's work)."""
    return {**dict.fromkeys(_declared(alur.forms_dir / f"{task}.schema.json")),
            **DEMO_INPUTS[task]}


@functools.cache
def _declared(form: Path) -> tuple[str, ...]:
    return tuple(forms.fields(json.loads(form.read_text())))


def service_layer(alur, claim: bool = False) -> Measure:
    """The bare engine's steps as use cases: start, then complete each task (claimed first if
    `claim`) as an officer of its role; officers are looked up once, as a login would."""
    actors = demo_actors(alur)

    def one() -> float:
        began = time.perf_counter()
        state = applications.start_application(alur, DEMO_APPLICATION, actors["account_officer"])
        while state["open_tasks"]:
            task = state["open_tasks"][0]
            officer = actors[task["role"]]
            if claim:
                tasks.claim_task(alur, officer, task["id"])
            state = tasks.complete_task(alur, officer, task["id"], DEMO_INPUTS[task["task"]])
        took = time.perf_counter() - began
        assert state["status"] == "disbursed", state
        return took

    return one


def http_api(connection: http.client.HTTPConnection, tokens: dict[str, str]) -> Measure:
    """The same steps over HTTP: one POST to start, one POST per task to complete."""

    def one() -> float:
        began = time.perf_counter()
        app = call(connection, "POST", "/api/applications", tokens["account_officer"],
                   DEMO_APPLICATION)
        while app["open_tasks"]:
            task = app["open_tasks"][0]
            app = call(connection, "POST", f"/api/tasks/{task['id']}/complete",
                       tokens[task["role"]], {"data": DEMO_INPUTS[task["task"]]})
        took = time.perf_counter() - began
        assert app["status"] == "disbursed", app
        return took

    return one


def repeat(one: Measure, runs: int) -> list[float]:
    return [one() for _ in range(runs)]


def side_by_side(database_url: str, alur, runs: int, port: int = 5099) -> dict[str, list[float]]:
    """Each row's full application in turn, round after round (a warm-up round first), so a
    machine that slows down for a while slows every row alike: the times of each row."""
    tokens = {role: create_user(alur, f"bench_{role}", [role],
                                2_000_000_000 if role == "approver" else None)
              for role in ("account_officer", "surveyor", "credit_analyst", "approver",
                           "operations")}
    measures = {"bare": bare_engine(alur), "service": service_layer(alur),
                "claimed": service_layer(alur, claim=True)}
    with serving(database_url, port, workers=1):
        measures["http"] = http_api(http.client.HTTPConnection("127.0.0.1", port), tokens)
        times: dict[str, list[float]] = {name: [] for name in measures}
        for round_ in range(runs + 1):
            for name, one in measures.items():
                took = one()
                if round_:
                    times[name].append(took)
        return times


ROWS = (("bare", "bare SpiffWorkflow, in memory"), ("service", "Alur service layer, SQLite"),
        ("claimed", "Alur service layer, SQLite, claim + complete"),
        ("http", "Alur HTTP API, gunicorn + SQLite"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        alur = bootstrap(url)
        alur.create_schema()
        times = side_by_side(url, alur, args.runs)
        size = state_size(alur)
    base = statistics.median(times["bare"])
    print(f"{'one full application (median of ' + str(args.runs) + ')':<44} {'ms':>8} {'ratio':>7}")
    for key, name in ROWS:
        median = statistics.median(times[key])
        print(f"{name:<44} {median * 1000:>8.1f} {median / base:>6.1f}x")
    print(f"JSON size of a disbursed instance (state without spec): {size:,} bytes")


if __name__ == "__main__":
    main()
