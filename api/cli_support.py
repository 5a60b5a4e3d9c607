"""What every `alur` command shares: the store it opens and how it prints Rupiah."""

import os

import click

from engine.bootstrap import DEFAULT_DATABASE_URL, Alur, bootstrap
from engine.errors import UnknownSchema
from engine.services.definitions import deploy_directory


def database_url() -> str:
    """The store the command works on: ALUR_DATABASE_URL, or the default SQLite file."""
    return os.environ.get("ALUR_DATABASE_URL", DEFAULT_DATABASE_URL)


def open_alur() -> Alur:
    """The engine on that store, its schema migrated and the bundled workflows deployed."""
    alur = bootstrap(database_url(), connectors=os.environ.get("ALUR_CONNECTORS", "simulated"))
    try:
        alur.upgrade_schema()  # zero set-up: a new SQLite file gets the schema here
    except UnknownSchema as error:
        alur.close()
        raise click.ClickException(str(error)) from None
    deploy_directory(alur)
    return alur


def rupiah(amount: int | None) -> str:
    return "-" if amount is None else "Rp " + f"{amount:,}".replace(",", ".")
