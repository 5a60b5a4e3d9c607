"""`alur db` and `alur users`: the store's schema, and who may use Alur with which token."""

import click

from api.cli_support import database_url, open_alur, rupiah
from engine.bootstrap import bootstrap
from engine.errors import AlurError
from engine.roles import ROLES
from engine.services.users import DEFAULT_BRANCH, create_user, revoke_user, rotate_token


@click.group("db")
def db() -> None:
    """The database schema, migrated by the Alembic revisions shipped with Alur."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate ALUR_DATABASE_URL to REVISION (default: head); a pre-migration store is adopted."""
    with bootstrap(database_url()) as alur:
        before = alur.schema_status()["revision"]
        try:
            after = alur.upgrade_schema(revision)
        except AlurError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Database at revision {after} (was {before or 'not migrated'}).")


@db.command("current")
def db_current() -> None:
    """Print the revision ALUR_DATABASE_URL is at, and whether it is the newest (head)."""
    with bootstrap(database_url()) as alur:
        status = alur.schema_status()
    if status["revision"] is None:
        click.echo("not migrated: " + ("tables from before migrations" if status["has_tables"]
                                        else "empty") + "; `alur db upgrade` migrates it")
    elif not status["known"]:
        click.echo(f"{status['revision']} (unknown to this Alur, whose head is {status['head']}: "
                   "a newer Alur migrated it)")
    elif status["revision"] == status["head"]:
        click.echo(f"{status['revision']} (head)")
    else:
        click.echo(f"{status['revision']} (head is {status['head']}: run `alur db upgrade`)")


@click.group()
def users() -> None:
    """Manage users and their tokens."""


@users.command("create")
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--authority-limit", type=click.IntRange(min=0), default=None,
              help="Personal authority limit (BWMK) in Rupiah, for approvers.")
@click.option("--branch", default=DEFAULT_BRANCH, show_default=True,
              help="The branch the officer works in (monthly reports group by it).")
def create(name: str, roles: tuple[str, ...], authority_limit: int | None, branch: str) -> None:
    """Create a user; the token is printed on the last line, once."""
    try:
        with open_alur() as alur:
            token = create_user(alur, name, list(roles), authority_limit, branch=branch)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {name} with roles {', '.join(roles)}; "
               f"authority limit {rupiah(authority_limit)}. Token:")
    click.echo(token)


@users.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke a user's token: every request with it answers 401 from now on."""
    try:
        with open_alur() as alur:
            revoke_user(alur, name)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Revoked {name}: its token no longer works.")


@users.command("rotate")
@click.argument("name")
def rotate(name: str) -> None:
    """Give a user a new token (printed on the last line, once); the old one stops working."""
    try:
        with open_alur() as alur:
            token = rotate_token(alur, name)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"New token for {name}; the old one no longer works. Token:")
    click.echo(token)
