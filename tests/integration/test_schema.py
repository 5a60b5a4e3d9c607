"""The schema under migrations: fresh, old and pre-migration stores, and the production set-up."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import text

from api.cli import main
from engine.bootstrap import bootstrap
from engine.clock import FixedClock
from engine.db import Base, make_engine
from engine.schema import head_revision
from engine.services import applications, tasks
from engine.services.definitions import deploy_directory
from engine.services.users import actor_named, authenticate, hash_token
from tests.conftest import POSTGRES_URL
from tests.load_support import free_port
from tests.support import DOCUMENTS, application

ALUR = Path(sys.executable).with_name("alur")  # the console script pip installed
WHEN = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def _schema_differences(database_url: str) -> list:
    """What Alembic's autogenerate finds between the store and the models, defaults included.

    Nothing is filtered out: on SQLite and PostgreSQL the two agree exactly (column order
    aside, which Alembic does not compare: ALTER TABLE appends added columns at the end).
    """
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "compare_server_default": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _sql(database_url: str, *statements: tuple[str, dict]) -> list:
    """Run plain SQL (as an older Alur or an operator would) and return the last result rows."""
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            rows = [connection.execute(text(sql), params) for sql, params in statements]
            return [tuple(row) for row in rows[-1]] if rows and rows[-1].returns_rows else []
    finally:
        engine.dispose()


def _old_rows(database_url: str) -> None:
    """One definition, application, event and user as the baseline release stored them."""
    _sql(database_url, (
        "INSERT INTO definitions (key, version, sha256, spec_json, meta, forms, sources, "
        "deployed_at, deployed_by) VALUES ('credit_application', 1, :sha, '{}', '{}', '{}', "
        "'{}', :at, 'owner')", {"sha": "a" * 64, "at": WHEN}), (
        "INSERT INTO applications (number, definition_id, status, stage, product, amount, "
        "tenor_months, applicant_name, created_by, summary, state_json, last_seq, head_hash, "
        "version, created_at, updated_at) SELECT 'APP-2025-000001', id, 'open', 'collection', "
        "'multiguna', 80000000, 36, 'Budi Santoso', 'ao', '{}', '{}', 1, :hash, 1, :at, :at "
        "FROM definitions", {"hash": "b" * 64, "at": WHEN}), (
        "INSERT INTO events (application_id, seq, type, actor, role, at, payload, prev_hash, "
        "hash) SELECT id, 1, 'application_started', 'ao', 'account_officer', :at, "
        "'{\"amount\": 80000000}', :prev, :hash FROM applications",
        {"at": WHEN, "prev": "0" * 64, "hash": "b" * 64}), (
        "INSERT INTO users (name, token_hash, roles, authority_limit, active, demo, created_at) "
        "VALUES ('rina', :token, '[\"approver\"]', 1000000000, :yes, :no, :at)",
        {"token": hash_token("rina-token"), "yes": True, "no": False, "at": WHEN}))


def _assert_old_rows_kept(database_url: str) -> None:
    cases = _sql(database_url, ("SELECT number, kind, branch, cycle, parent_id, amount "
                                "FROM applications", {}))
    assert cases == [("APP-2025-000001", "application", "main", 0, None, 80_000_000)]
    events = _sql(database_url, ("SELECT seq, type, hash FROM events", {}))
    assert events == [(1, "application_started", "b" * 64)]
    with bootstrap(database_url) as alur:
        rina = authenticate(alur, "rina-token")
    assert (rina.roles, rina.authority_limit, rina.branch) == ({"approver"}, 1_000_000_000, "main")


@pytest.fixture
def cli(database_url, monkeypatch):
    """`alur ...` in-process on the test's store: the result, exit code checked by the caller."""
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(database_url, cli):
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert f"at revision {head_revision()}" in result.output
    assert _schema_differences(database_url) == []


def test_an_old_database_keeps_its_data_and_gets_the_new_columns_with_defaults(database_url, cli):
    assert cli("db", "upgrade", "0001").exit_code == 0
    assert cli("db", "current").output.startswith("0001 (head is ")
    _old_rows(database_url)

    result = cli("db", "upgrade")

    assert result.exit_code == 0, result.output
    assert f"at revision {head_revision()} (was 0001)" in result.output
    assert cli("db", "current").output.strip() == f"{head_revision()} (head)"
    _assert_old_rows_kept(database_url)
    assert _schema_differences(database_url) == []
    created = cli("users", "create", "sari", "--role", "account_officer", "--branch", "bandung")
    assert created.exit_code == 0, created.output


def test_a_database_from_before_migrations_is_stamped_and_upgraded(database_url, cli):
    assert cli("db", "upgrade", "0001").exit_code == 0
    _sql(database_url, ("DROP TABLE alembic_version", {}))  # as Alur's create_all left it
    _old_rows(database_url)
    assert "tables from before migrations" in cli("db", "current").output

    result = cli("db", "upgrade")

    assert result.exit_code == 0, result.output
    assert f"at revision {head_revision()} (was not migrated)" in result.output
    assert cli("db", "current").output.strip() == f"{head_revision()} (head)"
    _assert_old_rows_kept(database_url)
    assert _schema_differences(database_url) == []


def test_a_database_created_from_the_models_is_adopted_as_it_is(database_url, cli):
    with bootstrap(database_url) as alur:  # Alur before migrations, and the test fixtures
        alur.create_schema()
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert cli("db", "current").output.strip() == f"{head_revision()} (head)"
    assert _schema_differences(database_url) == []


def test_tables_that_are_not_alurs_baseline_are_refused_untouched(database_url, cli):
    _sql(database_url, ("CREATE TABLE applications (id INTEGER PRIMARY KEY)", {}))
    result = cli("db", "upgrade")
    assert result.exit_code == 1
    assert "lacks " in result.output
    assert "applications.number" in result.output and "definitions" in result.output
    assert "not migrated" in cli("db", "current").output
    assert cli("demo").exit_code == 1  # every command refuses, none half-migrates


def test_an_unknown_revision_is_refused(cli):
    result = cli("db", "upgrade", "9999")
    assert result.exit_code == 1 and "No revision '9999'" in result.output


@pytest.mark.slow
def test_two_processes_starting_at_once_migrate_an_empty_database_once(database_url, tmp_path):
    env = {**os.environ, "ALUR_DATABASE_URL": database_url}
    runs = [subprocess.Popen([ALUR, "db", "upgrade"], env=env, cwd=tmp_path, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert _schema_differences(database_url) == []


# --- the production set-up: PostgreSQL, migrations, gunicorn workers, a separate worker ----

def _http(method: str, url: str, token: str | None = None, body: dict | None = None):
    """One request over real HTTP; returns (status, parsed JSON body)."""
    request = urllib.request.Request(
        url, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


def _run(env: dict, cwd: Path, *args: str) -> str:
    done = subprocess.run([ALUR, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def _wait_until_healthy(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, f"alur serve exited early:\n{log.read_text()}"
        try:
            if _http("GET", f"{base}/health")[0] == 200:
                return
        except OSError:  # not listening yet
            pass
        time.sleep(0.2)
    raise AssertionError(f"alur serve did not answer within 60 s:\n{log.read_text()}")


def _overdue_application(database_url: str) -> dict:
    """An application whose documents came in two weeks ago: its survey deadline has passed."""
    clock = FixedClock(datetime.now(UTC) - timedelta(days=14))
    with bootstrap(database_url, clock=clock) as alur:
        deploy_directory(alur)
        ao = actor_named(alur, "ao")
        started = applications.start_application(alur, application(), ao)
        task = started["open_tasks"][0]
        tasks.complete_task(alur, ao, task["id"], DOCUMENTS)
        return started


@contextlib.contextmanager
def _serving(env: dict, cwd: Path) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    """`alur serve --workers 2` as a real process; killed at the end if the test did not stop it."""
    port, log = free_port(), cwd / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([ALUR, "serve", "--workers", "2", "--port", str(port),
                                   "--no-demo-users"], env=env, cwd=cwd, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(server, f"http://127.0.0.1:{port}", log)
        yield server, f"http://127.0.0.1:{port}", log
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=30)


@pytest.mark.skipif(not POSTGRES_URL, reason="the production set-up is PostgreSQL: set "
                    "ALUR_TEST_DATABASE_URL (SQLite is the single-machine default)")
def test_production_set_up_migrations_gunicorn_workers_and_a_separate_worker(
        database_url, tmp_path):
    env = {**os.environ, "ALUR_DATABASE_URL": database_url}
    assert f"at revision {head_revision()}" in _run(env, tmp_path, "db", "upgrade")
    ao_token = _run(env, tmp_path, "users", "create", "ao", "--role", "account_officer")
    ao_token = ao_token.strip().splitlines()[-1]
    overdue = _overdue_application(database_url)

    with _serving(env, tmp_path) as (server, base, log):
        status, started = _http("POST", f"{base}/api/applications", ao_token, application())
        assert status == 201, started
        assert [t["task"] for t in started["open_tasks"]] == ["collect_documents"]

        fired = _run(env, tmp_path, "worker", "--once").splitlines()
        assert len(fired) == 1 and f"{overdue['number']}: timer due" in fired[0], fired

        status, fetched = _http("GET", f"{base}/api/applications/{started['id']}", ao_token)
        assert status == 200, fetched
        assert (fetched["number"], fetched["status"]) == (started["number"], started["status"])
        status, late = _http("GET", f"{base}/api/applications/{overdue['id']}", ao_token)
        assert status == 200, late
        assert sorted(t["task"] for t in late["open_tasks"]) == [
            "escalate_overdue_task", "survey_applicant"]

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0, log.read_text()
    output = log.read_text()
    assert output.count("Booting worker with pid") == 2, output
    assert "Shutting down: Master" in output
