"""The schema under Alembic: upgrade to a revision, name the current one, adopt older stores.

The migrations ship inside the package (`engine/migrations`), and the Alembic configuration is
built here, so no `alembic.ini` is needed where Alur runs. A store created before migrations
(Alur's tables, no `alembic_version`) is stamped as the baseline and upgraded in place.
"""

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Inspector, create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine

from engine.errors import InvalidInput, UnknownSchema

SCRIPT_LOCATION = "engine:migrations"
BASELINE = "0001"  # the schema of the last release before migrations
VERSION_TABLE = "alembic_version"
_LOCK_KEY = 0x616C7572  # "alur": PostgreSQL advisory lock, so concurrent starts migrate once


def alembic_config(url: str = "") -> Config:
    """Alembic's configuration, in code: the packaged scripts and the database URL."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser syntax
    return config


@functools.cache
def head_revision() -> str:
    """The newest revision this version of Alur ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "engine/migrations/versions holds no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at; None when it was never migrated (empty or older)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_status(engine: Engine) -> dict[str, Any]:
    """Where the store stands: its revision, the head, whether this Alur ships that revision,
    and whether it holds any of Alur's tables (a never-migrated store may be empty or older)."""
    with engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names())
    return {"revision": revision, "head": head_revision(),
            "known": revision is None or revision in _known_revisions(),
            "has_tables": bool(tables & set(_baseline_layout()))}


def upgrade_schema(engine: Engine, revision: str = "head") -> str | None:
    """Migrate the store to `revision` and return the revision it is at afterwards.

    Raises:
        UnknownSchema: the tables are not Alur's baseline, or the store is at a revision this
            version does not ship (a newer Alur migrated it).
        InvalidInput: `revision` is not a shipped revision (one below the current is a no-op).
    """
    current = current_revision(engine)
    if revision in ("head", head_revision()) and current == head_revision():
        return current  # the usual start: nothing to do, and no lock taken
    _check_known(current, revision)
    with _migrating(engine) as connection:
        if _predates_migrations(connection):
            _alembic(connection, command.stamp, BASELINE)
        _alembic(connection, command.upgrade, revision)
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def _known_revisions() -> tuple[str, ...]:
    scripts = ScriptDirectory.from_config(alembic_config())
    return tuple(script.revision for script in scripts.walk_revisions())[::-1]


def _check_known(current: str | None, revision: str) -> None:
    known = _known_revisions()
    if current is not None and current not in known:
        raise UnknownSchema(f"The database is at revision {current}, which this Alur does not "
                            f"ship (it knows {', '.join(known)}): a newer Alur migrated it.")
    if revision != "head" and revision not in known:
        raise InvalidInput(f"No revision {revision!r}; the revisions are {', '.join(known)}.")


def _alembic(connection: Connection, run: Callable[..., None], revision: str) -> None:
    """Run an Alembic command on this connection, inside its transaction."""
    config = alembic_config()
    config.attributes["connection"] = connection
    try:
        run(config, revision)
    except CommandError as error:  # e.g. an upgrade "to" a revision below the current one
        raise InvalidInput(f"{error}.") from None


@contextlib.contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration, held by one process at a time."""
    if engine.dialect.name == "sqlite":
        with _sqlite_migrating(engine) as connection:
            yield connection
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        yield connection


@contextlib.contextmanager
def _sqlite_migrating(engine: Engine) -> Iterator[Connection]:
    """SQLite: foreign keys off (batch migrations rebuild tables others refer to), our own BEGIN
    IMMEDIATE (so DDL is transactional too, and a second migrator waits), checked at the end."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        isolation = driver.isolation_level  # type: ignore[union-attr]
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
        driver.isolation_level = None  # type: ignore[union-attr]
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection
            if connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise UnknownSchema("After migrating, rows refer to rows that do not exist; "
                                    "nothing was changed.")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            driver.isolation_level = isolation  # type: ignore[union-attr]
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def _predates_migrations(connection: Connection) -> bool:
    """Alur's tables without a version table: check they hold the baseline, then adopt them."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    baseline = _baseline_layout()
    if VERSION_TABLE in tables or not tables & set(baseline):
        return False
    missing = [f"{table}.{column}" if column else table
               for table, columns in baseline.items()
               for column in (sorted(columns - _columns(inspector, table))
                              if table in tables else [None])]
    if missing:
        raise UnknownSchema(f"The database has some of Alur's tables but lacks {', '.join(missing)}"
                            ": it predates the first migrated release, or is not Alur's.")
    return True


def _columns(inspector: Inspector, table: str) -> set[str]:
    return {column["name"] for column in inspector.get_columns(table)}


@functools.cache
def _baseline_layout() -> dict[str, set[str]]:
    """The tables and columns the baseline revision creates, read from a run in memory."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            _alembic(connection, command.upgrade, BASELINE)
            inspector = inspect(connection)
            return {table: _columns(inspector, table) for table in inspector.get_table_names()
                    if table != VERSION_TABLE}
    finally:
        engine.dispose()
