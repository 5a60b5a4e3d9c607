"""Load and kill tests: the real server and worker as OS processes, client processes, checks."""

import collections
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine.db import EventRow, IdempotencyRow, MessageRow, TaskRow
from engine.services.audit import replay_application, verify_application
from engine.services.cycles import loan_number
from engine.services.users import create_user
from tests.support import DOCUMENTS, done, start

ROOT = Path(__file__).resolve().parents[1]
ROLES = {"account_officer": None, "surveyor": None, "credit_analyst": None,
         "approver": 1_000_000_000, "operations": None, "supervisor": None, "integration": None}
LOAN_INSTALLMENT = 2_657_145


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _spawn(arguments: list[str], database_url: str, log: Path) -> subprocess.Popen:
    """An `alur` command in its own process group (so a SIGKILL reaches all its processes)."""
    env = {**os.environ, "ALUR_DATABASE_URL": database_url}
    with log.open("ab") as output:
        return subprocess.Popen([sys.executable, "-m", "api.cli", *arguments], env=env, cwd=ROOT,
                                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def start_server(database_url: str, port: int, log: Path) -> subprocess.Popen:
    """`alur serve --workers 2` on 127.0.0.1:port; returns once /health answers."""
    server = _spawn(["serve", "--workers", "2", "--no-demo-users", "--port", str(port)],
                    database_url, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            pass
        assert server.poll() is None, f"the server stopped: {log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, "the server did not come up within 60 s"
        time.sleep(0.1)


def start_worker(database_url: str, log: Path) -> subprocess.Popen:
    return _spawn(["worker", "--interval", "0.2"], database_url, log)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and its whole group: gunicorn's master and its workers at once."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def stop(process: subprocess.Popen) -> None:
    """Ask politely (SIGTERM to the group), then insist."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        kill(process)


def client_users(alur, index: int) -> dict[str, Any]:
    """One officer per role for client process `index`: tokens and names by role."""
    tokens, names = {}, {}
    for role, limit in ROLES.items():
        names[role] = f"{role}_{index}"
        tokens[role] = create_user(alur, names[role], [role], limit)
    return {"tokens": tokens, "names": names}


def overdue_applications(client, officers, clock, count: int) -> list[int]:
    """Applications started two weeks ago, documents in: their survey is overdue, so the worker
    fires its timer while the clients work them."""
    clock.set(datetime.now(UTC) - timedelta(days=14))
    ids = []
    for _ in range(count):
        app = start(client, officers["ao"])
        done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
        ids.append(app["id"])
    return ids


def start_clients(directory: Path, base_url: str, configs: list[dict[str, Any]]
                  ) -> list[subprocess.Popen]:
    clients = []
    for config in configs:
        config = {"base_url": base_url, "log": str(directory / f"client{config['index']}.jsonl"),
                  **config}
        path = directory / f"client{config['index']}.json"
        path.write_text(json.dumps(config))
        clients.append(subprocess.Popen([sys.executable, "-m", "tests.load_client", str(path)],
                                        cwd=ROOT, stderr=subprocess.PIPE, text=True))
    return clients


def wait_clients(clients: list[subprocess.Popen], timeout: float) -> None:
    for client in clients:
        _, errors = client.communicate(timeout=timeout)
        assert client.returncode == 0, errors


def read_logs(directory: Path) -> list[dict[str, Any]]:
    """Every complete line the clients wrote (a torn last line of a killed client is skipped)."""
    entries = []
    for path in sorted(directory.glob("client*.jsonl")):
        for line in path.read_text().splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue
    return entries


def acknowledged(directory: Path) -> int:
    return sum(1 for e in read_logs(directory) if e["t"] == "ack")


def tally(entries: list[dict[str, Any]]) -> dict[str, int]:
    """The counts table: requests by outcome; `unexpected` must be 0."""
    requests = [e for e in entries if e["t"] == "req"]
    outcomes = collections.Counter(e["outcome"] for e in requests)
    return {
        "requests": len(requests),
        "POST": sum(1 for e in requests if e["method"] == "POST"),
        "2xx": outcomes["ok"] + outcomes["replayed"],
        "  of which Idempotency-Key replays": outcomes["replayed"],
        "409 expected (lost races)": outcomes["lost_race"],
        "connection errors": outcomes["conn_error"],
        "  cut off in flight, then retried with the same key": sum(
            1 for e in requests if e.get("cut_off")),
        "    answered with the first answer (had committed)": sum(
            1 for e in requests if e.get("cut_off") and e["outcome"] == "replayed"),
        "unexpected errors": outcomes["unexpected"],
        "acknowledged actions": sum(1 for e in entries if e["t"] == "ack"),
        "replays not identical to the first answer": sum(1 for e in entries
                                                         if e["t"] == "mismatch"),
        "applications left unfinished": sum(1 for e in entries if e["t"] == "stuck"),
        "applications in an unexpected status": sum(1 for e in entries
                                                    if e["t"] == "unexpected_status"),
    }


def worker_lost_races(log: Path) -> int:
    """Worker passes that lost a race to an officer (and were tried again: the worker lives on)."""
    return log.read_text().count("tried again next pass") if log.exists() else 0


def render(title: str, counts: dict[str, Any]) -> str:
    width = max(len(name) for name in counts)
    lines = [title, "-" * (width + 10)]
    lines += [f"{name:<{width}}  {value:>7}" for name, value in counts.items()]
    return "\n".join(lines)


def allowed_statuses() -> set[str]:
    """Every status a diagram can give a case: its end events' and tasks' `status` properties,
    `active` while it runs and `completed` for an end without one."""
    found = {"active", "completed"}
    for path in (ROOT / "workflows").glob("*.bpmn"):
        found |= set(re.findall(r'name="status" value="([a-z_]+)"', path.read_text()))
    return found


def check_store(alur) -> dict[str, Any]:
    """Every case: chain intact, replay reproduced, a status the diagrams allow, and projections
    that match the events (no task row without its event, no event without its row)."""
    allowed, verdicts = allowed_statuses(), collections.Counter()
    with alur.uow() as uow:
        ids = uow.applications.ids()
        statuses = {i: uow.applications.get(i).status for i in ids}
    for case_id in ids:
        verdicts[verify_application(alur, case_id)["result"]] += 1
        replay = replay_application(alur, case_id)
        assert replay["result"] == "reproduced", replay
        verdicts[replay["result"]] += 1
        assert statuses[case_id] in allowed, (case_id, statuses[case_id])
        _check_projections(alur, case_id)
    assert verdicts["intact"] == len(ids), verdicts
    with alur.uow() as uow:
        unanswered = uow.session.scalars(select(IdempotencyRow).where(
            IdempotencyRow.status_code == 0)).all()
        assert not unanswered, [(r.actor, r.key, r.path) for r in unanswered]
        _check_messages(uow)
        fired = uow.session.scalars(select(EventRow.id).where(EventRow.type == "timer_fired"))
        timers = len(fired.all())
    return {"cases": len(ids), "intact": verdicts["intact"], "reproduced": verdicts["reproduced"],
            "statuses": dict(collections.Counter(statuses.values())), "timers fired": timers}


def _check_projections(alur, case_id: int) -> None:
    with alur.uow() as uow:
        rows = {row.id: row for row in uow.session.scalars(
            select(TaskRow).where(TaskRow.application_id == case_id))}
        by_task: dict[int, list[EventRow]] = collections.defaultdict(list)
        for event in uow.events.for_application(case_id):
            if "task_id" in event.payload and event.type.startswith("task_"):
                by_task[event.payload["task_id"]].append(event)
        assert set(rows) == {t for t, es in by_task.items()
                             if any(e.type == "task_opened" for e in es)}, case_id
        for task_id, row in rows.items():
            kinds = [e.type for e in by_task[task_id]]
            assert kinds.count("task_opened") == 1, (case_id, task_id, kinds)
            assert kinds.count("task_completed") == (row.status == "completed"), (
                case_id, task_id, row.status, kinds)
            assert kinds.count("task_cancelled") == (row.status == "cancelled"), (task_id, kinds)
            holds = [e for e in by_task[task_id] if e.type in ("task_claimed", "task_released")]
            if row.status == "claimed":
                assert holds and holds[-1].type == "task_claimed", (task_id, kinds)
                assert holds[-1].actor == row.assignee, (task_id, row.assignee)


def _check_messages(uow) -> None:
    for message in uow.session.scalars(select(MessageRow)):
        delivered = [e for e in uow.events.for_application(message.application_id or 0,
                                                           ["message_delivered"])
                     if e.payload["message_id"] == message.message_id]
        assert len(delivered) == (message.status == "delivered"), message.message_id


def check_finished(client, officer, entries: list[dict[str, Any]], value_date: str) -> int:
    """Every application a client started or adopted is disbursed, its loan confirmed and paid."""
    own = [a for e in entries if e["t"] == "finished" for a in e["own"]]
    for application_id in own:
        app = client.get(f"/api/applications/{application_id}", headers=officer.headers).json
        assert app["status"] == "disbursed", (application_id, app["status"], app["open_tasks"])
        number = loan_number(app["number"])
        loan = client.get(f"/api/loans/{number}", headers=officer.headers).json
        assert loan["loan"]["disbursed_on"] == value_date, loan["loan"]
        assert loan["loan"]["installments_paid"] == 1, loan["loan"]
        assert len(loan["reviews"]) >= 1, loan
    return len(own)


def check_acknowledged(alur, entries: list[dict[str, Any]]) -> dict[str, int]:
    """Every action a client got a 2xx for is in the store, exactly once."""
    acks = [e for e in entries if e["t"] == "ack"]
    with alur.uow() as uow:
        for ack in acks:
            if ack["what"] == "start":
                assert uow.applications.get(ack["application_id"]).number == ack["number"]
            elif ack["what"] in ("claim", "complete"):
                kind = "task_claimed" if ack["what"] == "claim" else "task_completed"
                found = [e for e in uow.events.for_application(ack["application_id"], [kind])
                         if e.payload["task_id"] == ack["task_id"]]
                assert [e.actor for e in found] == [ack["actor"]], (ack, found)
            else:
                assert uow.messages.by_message_id(ack["message_id"]) is not None, ack
    return dict(collections.Counter(ack["what"] for ack in acks))
