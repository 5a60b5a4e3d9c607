"""Alembic's entry point: migrations run on the connection `engine.schema` hands over."""

from alembic import context
from sqlalchemy.engine import Connection

from engine.db import Base, make_engine


def run_migrations() -> None:
    """Run on the caller's connection (and transaction), or open one from `sqlalchemy.url`."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # the plain `alembic` command, e.g. to autogenerate a revision
        engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as connection:
            _run(connection)
        engine.dispose()
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
