"""Fixtures: a fresh store per test (SQLite, or PostgreSQL when ALUR_TEST_DATABASE_URL is set)."""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from api import create_app
from engine.clock import FixedClock
from engine.db import Base
from engine.repositories.work import OPEN_BRIEFS, Tasks
from engine.services.coverage import bpmn_sources, measure
from engine.services.definitions import deploy_directory
from engine.services.users import create_user
from engine.workflow import walk
from engine.workflow.instance import Instance
from engine.workflow.serialization import state_of

POSTGRES_URL = os.environ.get("ALUR_TEST_DATABASE_URL")


STORE_FIXTURES = {"database_url", "postgres_url"}
# Answers the diagram parser or the HTTP layer gives before any use case runs: the same whatever
# the store, so the PostgreSQL pass leaves them out.
_HOSTILE = "tests/integration/test_hostile_input.py::test_"
BEFORE_THE_STORE = (
    "tests/integration/test_corpus.py", "tests/integration/test_robustness.py",
    *(_HOSTILE + name for name in (
        "malformed_json_is_400", "invalid_utf8_is_400", "the_wrong_content_type_is_refused",
        "the_wrong_top_level_type_or_nothing_is_refused_with_field_errors",
        "nul_and_lone_surrogates_are_400_in_any_string_or_key",
        "oversized_bodies_are_413_problem_json")))


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass runs the tests of persistence and concurrency (tests/integration that
    use the store). Pure unit tests, the credit policy's scenarios (tests/features, which go
    through the same use cases as the integration tests), the browser tests of the UI and the
    answers given before anything reaches the store (BEFORE_THE_STORE) run on SQLite only: on a
    2-core machine the whole of CI must stay under 10 minutes."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # longest first: the
    # workers then finish together, not one waiting on a long test handed out last
    if not POSTGRES_URL:
        return
    kept, left = [], []
    for item in items:
        (left if _store_free(item) else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def _store_free(item) -> bool:
    if any(f"tests/{part}/" in item.nodeid for part in ("browser", "unit", "features")):
        return True
    if item.nodeid.startswith(BEFORE_THE_STORE):
        return True
    return "tests/integration/" in item.nodeid \
        and not STORE_FIXTURES & set(getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def saves_match_spiffworkflow(monkeypatch):
    """Every save in the suite is checked against SpiffWorkflow's own conversion of the whole
    instance, so the done tasks an instance keeps converted between saves never go stale."""
    dumps = Instance.dumps

    def checked(instance):
        saved = dumps(instance)
        assert saved == json.dumps(state_of(instance._workflow), separators=(",", ":"))
        return saved

    monkeypatch.setattr(Instance, "dumps", checked)


@pytest.fixture(autouse=True)
def walks_match_spiffworkflow(monkeypatch):
    """Every walk of an instance's tree in the suite is checked against SpiffWorkflow's own
    `get_tasks()`: the same tasks in the same order, subprocesses included."""
    every_task = walk.every_task

    def checked(workflow):
        found = every_task(workflow)
        assert found == workflow.get_tasks()
        return found

    monkeypatch.setattr(walk, "every_task", checked)


@pytest.fixture(autouse=True)
def open_tasks_match_the_store(monkeypatch):
    """Every list of a case's open tasks the suite gets, whether kept by the transaction or read
    from the store, is checked against the store itself, read through SQLAlchemy's Core."""
    briefs = Tasks.open_briefs

    def checked(tasks, application_id):
        answer = briefs(tasks, application_id)
        core = OPEN_BRIEFS.statement
        stored = tasks.session.connection().execute(core, {"case": application_id})
        fields = [column.key for column in core.selected_columns]
        assert [tuple(getattr(row, name) for name in fields) for row in answer] \
            == [tuple(row) for row in stored]
        return answer

    monkeypatch.setattr(Tasks, "open_briefs", checked)


@dataclass(frozen=True)
class Officer:
    """A user as a client sees it: a name and the headers carrying its token."""

    name: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="session")
def postgres_url():
    """ALUR_TEST_DATABASE_URL; with several pytest-xdist workers, one database per worker
    (`<name>_gw0`, ...), created on first use, so parallel tests never share a schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not POSTGRES_URL or not worker:
        return POSTGRES_URL
    base, _, name = POSTGRES_URL.rpartition("/")
    own = f"{name}_{worker}"
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own}):
            connection.execute(text(f'CREATE DATABASE "{own}"'))
    engine.dispose()
    return f"{base}/{own}"


# What `Alur.create_schema` made in a PostgreSQL database (columns and indexes), once a test saw it.
FIXTURE_SCHEMA: dict[str, str] = {}
SCHEMA_PRINT = text(
    "SELECT string_agg(c.relname || '.' || a.attname || ' ' || format_type(a.atttypid,"
    " a.atttypmod) || ' ' || a.attnotnull, ',' ORDER BY c.relname, a.attnum) || '|' || (SELECT"
    " string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public')"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relkind = 'r'"
    " AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped")
EMPTY_TABLES = text("TRUNCATE {} RESTART IDENTITY CASCADE".format(
    ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)))


@pytest.fixture
def database_url(request, tmp_path, postgres_url):
    """SQLite in tmp_path, or an emptied PostgreSQL database when ALUR_TEST_DATABASE_URL is set:
    without tables; or, for a test that takes the `app` fixture (which creates them anyway), with
    the tables emptied if they are exactly what `create_schema` made there before (dropping and
    creating them again costs PostgreSQL several times as much)."""
    if not postgres_url:
        yield f"sqlite:///{tmp_path / 'alur.db'}"
        return
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        made = FIXTURE_SCHEMA.get(postgres_url)
        if "app" in request.fixturenames and made is not None \
                and made == connection.scalar(SCHEMA_PRINT):
            connection.execute(EMPTY_TABLES)
        else:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield postgres_url


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(database_url, clock):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock})
    alur = app.extensions["alur"]
    alur.create_schema()
    if POSTGRES_URL:
        with alur.session_factory.kw["bind"].connect() as connection:
            FIXTURE_SCHEMA[database_url] = connection.scalar(SCHEMA_PRINT)
    deploy_directory(alur)
    yield app
    if os.environ.get("ALUR_COVERAGE_DIR"):
        record_coverage(alur, Path(os.environ["ALUR_COVERAGE_DIR"]))
    alur.session_factory.kw["bind"].dispose()


def record_coverage(alur, directory: Path) -> None:
    """For `alur coverage`: append this test's diagram coverage to the run's visit log."""
    results = [r for r in measure(alur) if r["covered_nodes"]]
    sources = bpmn_sources(alur)
    (directory / "sources").mkdir(parents=True, exist_ok=True)
    for result in results:
        (directory / "sources" / f"{result['sha256']}.bpmn").write_text(sources[result["sha256"]])
    with (directory / "visits.jsonl").open("a") as log:
        log.writelines(json.dumps(result) + "\n" for result in results)


@pytest.fixture
def alur(app):
    return app.extensions["alur"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def officers(alur):
    """Officers of every role; approvers at each authority tier and a committee of four."""
    people = {
        "ao": (["account_officer"], None),
        "ao2": (["account_officer"], None),
        "surveyor": (["surveyor"], None),
        "analyst": (["credit_analyst"], None),
        "bcm": (["approver"], 100_000_000),
        "bm": (["approver"], 1_000_000_000),
        "director1": (["approver"], 5_000_000_000),
        "director2": (["approver"], 5_000_000_000),
        "director3": (["approver"], 5_000_000_000),
        "junior": (["approver"], 50_000_000),
        "ops": (["operations"], None),
        "auditor": (["auditor"], None),
        "owner": (["process_owner"], None),
        "supervisor": (["supervisor"], None),
        "collector": (["collection"], None),
        "collector_approver": (["collection", "approver"], 5_000_000_000),
        "core": (["integration"], None),
        "analyst_approver": (["credit_analyst", "approver"], 5_000_000_000),
    }
    return {name: Officer(name, create_user(alur, name, roles, limit))
            for name, (roles, limit) in people.items()}
