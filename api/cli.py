"""The `alur` command: serve the API, manage users, run the demo."""

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from api.report_table import render as render_report
from engine.bootstrap import DEFAULT_DATABASE_URL, PROJECT_DIR, Alur, bootstrap
from engine.errors import AlurError, ConcurrentUpdate, InvalidDefinition, UnknownSchema
from engine.roles import ROLES
from engine.services import audit as audit_service
from engine.services import coverage
from engine.services.definitions import deploy_directory
from engine.services.demo import run_demo
from engine.services.deployments import deploy_upload
from engine.services.incidents import run_due
from engine.services.reports import monthly_report, monthly_report_csv
from engine.services.users import (
    DEFAULT_BRANCH,
    create_user,
    issue_demo_tokens,
    revoke_user,
    rotate_token,
)
from engine.services.whatif import whatif as run_whatif


def _alur() -> Alur:
    alur = bootstrap(os.environ.get("ALUR_DATABASE_URL", DEFAULT_DATABASE_URL),
                     connectors=os.environ.get("ALUR_CONNECTORS", "simulated"))
    try:
        alur.upgrade_schema()  # zero set-up: a new SQLite file gets the schema here
    except UnknownSchema as error:
        alur.close()
        raise click.ClickException(str(error)) from None
    deploy_directory(alur)
    return alur


def _rupiah(amount: int | None) -> str:
    return "-" if amount is None else "Rp " + f"{amount:,}".replace(",", ".")


@click.group()
def main() -> None:
    """Alur: credit application approval on BPMN."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--demo-users/--no-demo-users", default=True, show_default=True,
              help="Create one demo user per role and print fresh tokens.")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              envvar="ALUR_ACCESS_LOG",
              help="One line per request on stdout (keep it on in production).")
# Behind a load balancer that reuses connections, keep-alive must outlast its idle timeout, or it
# may send a request on a connection gunicorn is just closing (a 502): 75 for a 60 s one.
@click.option("--keep-alive", default=5, show_default=True, type=click.IntRange(min=0),
              envvar="ALUR_KEEP_ALIVE",
              help="Seconds an idle connection stays open (0: none); behind a load balancer, "
                   "more than its idle timeout.")
def serve(host: str, port: int, workers: int, demo_users: bool, access_log: bool,
          keep_alive: int) -> None:
    """Deploy the bundled workflows and serve the API with gunicorn."""
    from api.server import run  # gunicorn is only needed here

    database = os.environ.get("ALUR_DATABASE_URL", DEFAULT_DATABASE_URL)
    with _alur() as alur:
        issued = issue_demo_tokens(alur) if demo_users else []
    click.echo(f"Alur on http://{host}:{port}  (store: {_without_password(database)})")
    if issued:
        click.echo("Demo users (tokens are new on every start):")
        for name, role, token in issued:
            click.echo(f"  {role:<16} {name:<28} {token}")
    run(host, port, workers, access_log=access_log, keep_alive=keep_alive)


@main.group("db")
def db() -> None:
    """The database schema, migrated by the Alembic revisions shipped with Alur."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate ALUR_DATABASE_URL to REVISION (default: head); a pre-migration store is adopted."""
    with bootstrap(os.environ.get("ALUR_DATABASE_URL", DEFAULT_DATABASE_URL)) as alur:
        before = alur.schema_status()["revision"]
        try:
            after = alur.upgrade_schema(revision)
        except AlurError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"Database at revision {after} (was {before or 'not migrated'}).")


@db.command("current")
def db_current() -> None:
    """Print the revision ALUR_DATABASE_URL is at, and whether it is the newest (head)."""
    with bootstrap(os.environ.get("ALUR_DATABASE_URL", DEFAULT_DATABASE_URL)) as alur:
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


def _without_password(url: str) -> str:
    """A database URL fit for logs: the password, if any, masked."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.partition(':')[0]}:***@{host}"


@main.group()
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
        with _alur() as alur:
            token = create_user(alur, name, list(roles), authority_limit, branch=branch)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {name} with roles {', '.join(roles)}; "
               f"authority limit {_rupiah(authority_limit)}. Token:")
    click.echo(token)


@users.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Revoke a user's token: every request with it answers 401 from now on."""
    try:
        with _alur() as alur:
            revoke_user(alur, name)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Revoked {name}: its token no longer works.")


@users.command("rotate")
@click.argument("name")
def rotate(name: str) -> None:
    """Give a user a new token (printed on the last line, once); the old one stops working."""
    try:
        with _alur() as alur:
            token = rotate_token(alur, name)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"New token for {name}; the old one no longer works. Token:")
    click.echo(token)


@main.command()
def demo() -> None:
    """Walk one application from collection to disbursement and print what happened."""
    with _alur() as alur:
        result = run_demo(alur)
    app = result["application"]
    click.echo(f"Application {app['number']}: {app['product']}, {_rupiah(app['amount'])}, "
               f"{app['tenor_months']} months, for {app['applicant_name']}")
    click.echo("\nPath taken:")
    for step, item in enumerate(result["path"], 1):
        click.echo(f"  {step}. {item['task']:<20} {item['role']:<16} by {item['by']}")
    click.echo("\nDecisions:")
    for decision in app["decisions"]:
        if decision["kind"] == "gateway":
            click.echo(f"  {decision['element']:<26} -> {decision['outcome']}")
        else:
            rule = decision["rule"] or {}
            outputs = ", ".join(f"{k}={v}" for k, v in decision["outputs"].items())
            click.echo(f"  {decision['decision']:<26} rule {rule.get('id')}: {outputs}")
    click.echo(f"\nFinal state: status {app['status']}, stage {app['stage']}, "
               f"approved {_rupiah(app['summary'].get('approved_amount'))}, "
               f"payout {app['summary'].get('disbursement_reference')}")
    sys.exit(0 if app["status"] == "disbursed" else 1)



@main.command("deploy")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
def deploy_command(paths: tuple[str, ...]) -> None:
    """Deploy .bpmn, .dmn and form .json files (or every such file of a directory)."""
    files = {}
    for path in map(Path, paths):
        chosen = [p for p in sorted(path.iterdir()) if p.suffix in (".bpmn", ".dmn", ".json")] \
            if path.is_dir() else [path]
        files |= {p.name: p.read_bytes() for p in chosen}
    try:
        with _alur() as alur:
            result = deploy_upload(alur, files, os.environ.get("USER", "cli"))
    except InvalidDefinition as error:
        for found in error.problems:
            where = ":".join(str(x) for x in (found.get("file"), found.get("line")) if x)
            click.echo(f"{where} {found.get('element') or ''} {found['message']}".strip())
        raise click.ClickException(str(error)) from None
    for definition in result["definitions"]:
        state = "deployed as" if definition["created"] else "unchanged, still"
        click.echo(f"{definition['key']}: {state} version {definition['version']} "
                   f"({definition['sha256'][:12]})")
    for warning in result["warnings"]:
        click.echo(f"warning: {warning}")


@main.command("coverage")
@click.option("--out", "out", default="coverage-report", show_default=True,
              type=click.Path(file_okay=False), help="Where to write the HTML report.")
def coverage_command(out: str) -> None:
    """Run the feature scenarios and report which nodes and flows of each diagram they took."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ALUR_COVERAGE_DIR": tmp}
        run = subprocess.run([sys.executable, "-m", "pytest", str(PROJECT_DIR / "tests" /
                                                                   "features"),
                              "-q", "-n", "0", "-p", "no:cacheprovider"], env=env,
                             cwd=PROJECT_DIR,
                             capture_output=True, text=True)
        click.echo(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr)
        visits = Path(tmp, "visits.jsonl")
        lines = visits.read_text().splitlines() if visits.exists() else []
        sources = {p.stem: p.read_text() for p in Path(tmp, "sources").glob("*.bpmn")}
        results = coverage.merge([json.loads(line) for line in lines], sources)
        index = coverage.write_report(results, sources, Path(out))
    for result in results:
        click.echo(f"{result['key']} v{result['version']}: flow nodes "
                   f"{result['nodes']['covered']}/{result['nodes']['total']} "
                   f"({result['nodes']['ratio']:.0%}), sequence flows "
                   f"{result['flows']['covered']}/{result['flows']['total']} "
                   f"({result['flows']['ratio']:.0%})")
        uncovered = result["uncovered_nodes"] + result["uncovered_flows"]
        if uncovered:
            click.echo(f"  not covered: {', '.join(uncovered)}")
    click.echo(f"Report: {index}")
    sys.exit(run.returncode)


@main.command()
@click.option("--once", is_flag=True, help="One pass, then exit.")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between passes.")
def worker(once: bool, interval: float) -> None:
    """Retry failed outside calls when they are due (several workers may share PostgreSQL)."""
    database = os.environ.get("ALUR_DATABASE_URL", DEFAULT_DATABASE_URL)
    with _alur() as alur, _single_worker_on_sqlite(database):
        while True:
            try:
                found = run_due(alur)
            except ConcurrentUpdate:  # an officer changed a due case meanwhile: next pass retries
                click.echo("A case changed during this pass; tried again next pass.", err=True)
                found = []
            for done in found:
                click.echo(f"{done['application_number']}: {done['what']} ({done['status']})")
            if once:
                return
            time.sleep(interval)


@contextlib.contextmanager
def _single_worker_on_sqlite(database: str):
    """SQLite has no SKIP LOCKED: one worker at a time, by an exclusive lock on a side file."""
    if not database.startswith("sqlite:///"):
        yield
        return
    with open(database.removeprefix("sqlite:///") + ".worker.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise click.ClickException("Another worker runs on this SQLite database.") from None
        yield


@main.group()
def audit() -> None:
    """Prove nothing was altered."""


@audit.command("verify")
@click.option("--application", "application_id", type=int, default=None,
              help="One application; all of them by default.")
def verify(application_id: int | None) -> None:
    """Check each application's event hash chain; exit 1 if any is broken."""
    with _alur() as alur:
        verdicts = ([audit_service.verify_application(alur, application_id)]
                    if application_id is not None else audit_service.verify_all(alur))
    for verdict in verdicts:
        line = f"{verdict['number']:<16} {verdict['result']:<7} {verdict['events']:>5} events"
        if verdict["result"] != "intact":
            line += f"  broken at {verdict['broken_at']}: {verdict['reason']} ({verdict['detail']})"
        click.echo(line)
    sys.exit(0 if all(v["result"] == "intact" for v in verdicts) else 1)


@main.command()
@click.argument("application_id", type=int)
def replay(application_id: int) -> None:
    """Re-run an application from its recorded inputs; exit 1 unless `reproduced`."""
    with _alur() as alur:
        result = audit_service.replay_application(alur, application_id)
    if result["result"] == "reproduced":
        click.echo(f"{result['number']}: reproduced ({result['checked']} decisions checked)")
    else:
        click.echo(f"{result['number']}: diverged after {result['checked']} decisions "
                   f"(event {result['at_seq']})")
        click.echo(f"  recorded: {json.dumps(result['recorded'])}")
        click.echo(f"  replayed: {json.dumps(result['replayed'])}")
        if result.get("error"):
            click.echo(f"  error: {result['error']}")
    if not result["definition_intact"]:
        click.echo("  the stored process version no longer matches its SHA-256")
    sys.exit(0 if result["result"] == "reproduced" else 1)


@main.command()
@click.option("--version", "version", type=int, required=True,
              help="The credit_application version to test against.")
@click.option("--application", "application_ids", type=int, multiple=True)
@click.option("--from", "created_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "created_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
def whatif(version: int, application_ids: tuple[int, ...], created_from, created_to) -> None:
    """Policy backtest: which decisions would another version have changed?"""
    with _alur() as alur:
        report = run_whatif(alur, version, list(application_ids) or None,
                            created_from and created_from.date(), created_to and created_to.date())
    click.echo(f"What-if against {report['target']['key']} v{report['target']['version']}: "
               f"{report['changed']} of {report['total']} applications would differ")
    click.echo(f"\n{'application':<16} {'now':<10} {'what-if':<10} differences")
    for case in report["applications"]:
        changes = "; ".join(f"{d['decision']}.{d['field']}: {d['original']} -> {d['whatif']}"
                            for d in case["differences"]) or "-"
        click.echo(f"{case['number']:<16} {case['original']['status']:<10} "
                   f"{case['whatif']['status']:<10} {changes}")
    click.echo("\nOutcomes:")
    for transition, count in report["transitions"].items():
        click.echo(f"  {transition:<28} {count}")


@main.group()
def report() -> None:
    """Reports for supervisors and auditors."""


@report.command("monthly")
@click.argument("month")
@click.option("--format", "format_", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
def monthly(month: str, format_: str) -> None:
    """Laporan bulanan for MONTH (YYYY-MM, UTC): per branch, per AO and in total."""
    try:
        with _alur() as alur:
            result = monthly_report(alur, month)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    if format_ == "json":
        click.echo(json.dumps(result, indent=2))
    elif format_ == "csv":
        click.echo(monthly_report_csv(result), nl=False)
    else:
        click.echo(render_report(result))


if __name__ == "__main__":
    main()
