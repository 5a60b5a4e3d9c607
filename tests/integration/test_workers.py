"""Workers as separate OS processes: several share PostgreSQL, one at a time on SQLite."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.services.audit import replay_application, verify_application
from tests.conftest import POSTGRES_URL
from tests.load_support import overdue_applications
from tests.support import get

ROOT = Path(__file__).resolve().parents[2]
APPLICATIONS = 20

# One worker process: say "ready", wait for the go on stdin so both start together, then take
# one due application per pass (so the two interleave) until a pass finds nothing left to do.
WORKER_LOOP = """
import os, sys
from engine.bootstrap import bootstrap
from engine.services.incidents import run_due

with bootstrap(os.environ["ALUR_DATABASE_URL"]) as alur:
    print("ready", flush=True)
    sys.stdin.readline()
    while found := run_due(alur, limit=1):
        for item in found:
            print(item["application_number"], item["what"], flush=True)
"""


def _events(client, officer, application_id: int, kind: str) -> list[dict]:
    response = client.get(f"/api/applications/{application_id}/events", headers=officer.headers)
    assert response.status_code == 200, response.json
    return [event for event in response.json if event["type"] == kind]


def _start_workers(database_url: str, count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "ALUR_DATABASE_URL": database_url}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER_LOOP], env=env, cwd=ROOT,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(count)]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready", worker.communicate()[1]
    for worker in workers:  # the barrier: both are bootstrapped, now both go
        worker.stdin.write("go\n")
        worker.stdin.flush()
    return workers


@pytest.mark.skipif(not POSTGRES_URL, reason="needs ALUR_TEST_DATABASE_URL: SQLite allows one "
                    "worker at a time by design (a lock file, tested below)")
def test_two_worker_processes_on_postgresql_fire_each_due_timer_exactly_once(
        database_url, client, officers, alur, clock):
    # Two weeks ago: 3 working days later is past even across weekends and a holiday week.
    ids = overdue_applications(client, officers, clock, APPLICATIONS)

    workers = _start_workers(database_url, 2)
    outputs = [worker.communicate(timeout=120) for worker in workers]

    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    fired = [line for out, _ in outputs for line in out.splitlines() if " timer due " in line]
    assert len(fired) == APPLICATIONS, outputs
    auditor = officers["auditor"]
    for application_id in ids:
        assert len(_events(client, auditor, application_id, "timer_fired")) == 1
        tasks = [t["task"] for t in get(client, auditor, application_id)["open_tasks"]]
        assert sorted(tasks) == ["escalate_overdue_task", "survey_applicant"], tasks
        assert verify_application(alur, application_id)["result"] == "intact"
        replay = replay_application(alur, application_id)
        assert replay["result"] == "reproduced", replay


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, "the first worker stopped before taking its lock"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_second_worker_on_the_same_sqlite_file_refuses_until_the_first_stops(tmp_path):
    database = tmp_path / "alur.db"
    env = {**os.environ, "ALUR_DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, "-m", "api.cli", "worker"]

    def second_worker() -> subprocess.CompletedProcess:
        return subprocess.run([*command, "--once"], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=120)

    with subprocess.Popen([*command, "--interval", "0.2"], env=env, cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as first:
        try:
            # The lock file is opened and locked in one step after start-up; the second
            # worker needs far longer than that step to reach its own attempt.
            _wait_for(Path(f"{database}.worker.lock"), first)
            refused = second_worker()
        finally:
            first.terminate()
    assert refused.returncode == 1, refused.stderr
    assert "Another worker runs on this SQLite database." in refused.stderr
    after = second_worker()
    assert after.returncode == 0, after.stderr


def test_a_worker_that_loses_a_race_keeps_running_and_tries_again(database_url, monkeypatch):
    """An officer's commit to a due case makes the worker's batch a lost race: not its end."""
    from click.testing import CliRunner

    from api import cli
    from engine.errors import ConcurrentUpdate

    class Enough(Exception):
        """Stops the endless loop after the passes below."""

    passes = iter([ConcurrentUpdate("lost"), [{"application_number": "APP-2026-000001",
                                               "what": "timer due", "status": "active"}]])

    def run_due(alur):
        found = next(passes, None)
        if found is None:
            raise Enough
        if isinstance(found, Exception):
            raise found
        return found

    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    monkeypatch.setattr(cli, "run_due", run_due)
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: None)
    result = CliRunner().invoke(cli.main, ["worker"])
    assert isinstance(result.exception, Enough), result.output
    assert "tried again next pass" in result.output
    assert "APP-2026-000001: timer due (active)" in result.output
