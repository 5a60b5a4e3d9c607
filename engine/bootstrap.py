"""Builds Alur once per process: database, session factory, workflow engine, clock."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from engine.clock import Clock, SystemClock
from engine.connectors import Connectors, connectors_from_config
from engine.db import create_schema, make_engine
from engine.repositories.recall import JournalRecall
from engine.schema import schema_status, upgrade_schema
from engine.token_cache import TokenCache
from engine.unit_of_work import UnitOfWork
from engine.workflow import WorkflowEngine

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKFLOW_DIR = PROJECT_DIR / "workflows"
FORMS_DIR = PROJECT_DIR / "forms"
DEFAULT_DATABASE_URL = "sqlite:///alur.db"


@dataclass
class Alur:
    """What every use case needs: a unit-of-work factory, the workflow engine and the clock."""

    session_factory: sessionmaker[Session]
    workflows: WorkflowEngine
    clock: Clock
    workflow_dir: Path = WORKFLOW_DIR
    forms_dir: Path = FORMS_DIR
    uow_factory: Callable[[sessionmaker[Session], JournalRecall], UnitOfWork] = field(
        default=UnitOfWork)
    tokens: TokenCache[Any] = field(default_factory=TokenCache)  # token hash -> actor
    recall: JournalRecall = field(default_factory=JournalRecall)  # each case's decisions read

    def uow(self) -> UnitOfWork:
        return self.uow_factory(self.session_factory, self.recall)

    def close(self) -> None:
        """Close the database connections (end of a CLI command or a test)."""
        self.session_factory.kw["bind"].dispose()

    def __enter__(self) -> "Alur":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def create_schema(self) -> None:
        """Create missing tables straight from the models (test fixtures: fast, no history)."""
        create_schema(self.session_factory.kw["bind"])

    def upgrade_schema(self, revision: str = "head") -> str | None:
        """Run the migrations up to `revision` (every real start; `alur db upgrade`)."""
        return upgrade_schema(self.session_factory.kw["bind"], revision)

    def schema_status(self) -> dict[str, Any]:
        """The store's migration revision (None if never migrated), the newest, any tables."""
        return schema_status(self.session_factory.kw["bind"])


def bootstrap(database_url: str = DEFAULT_DATABASE_URL, *, clock: Clock | None = None,
              connectors: str | Connectors = "simulated", workflow_dir: Path = WORKFLOW_DIR,
              forms_dir: Path = FORMS_DIR, token_cache_seconds: float = 0.0) -> Alur:
    """Build Alur for one database; nothing is created at import time.

    `token_cache_seconds` is how long a process remembers whose a bearer token is (the API
    sets it; 0 asks the database on every authentication).
    """
    engine = make_engine(database_url)
    clock = clock or SystemClock()
    return Alur(
        session_factory=sessionmaker(bind=engine, expire_on_commit=False),
        workflows=WorkflowEngine(connectors if isinstance(connectors, Connectors)
                                 else connectors_from_config(connectors), clock),
        clock=clock,
        workflow_dir=Path(workflow_dir),
        forms_dir=Path(forms_dir),
        tokens=TokenCache(token_cache_seconds),
    )
