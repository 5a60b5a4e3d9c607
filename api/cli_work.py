"""`alur serve`, `demo`, `deploy` and `coverage`: run Alur, show it, feed it, measure it."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from api.cli_support import database_url, open_alur, rupiah
from engine.bootstrap import PROJECT_DIR
from engine.errors import InvalidDefinition
from engine.services import coverage
from engine.services.demo import run_demo
from engine.services.deployments import deploy_upload
from engine.services.users import issue_demo_tokens


@click.command()
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

    database = database_url()
    with open_alur() as alur:
        issued = issue_demo_tokens(alur) if demo_users else []
    click.echo(f"Alur on http://{host}:{port}  (store: {_without_password(database)})")
    if issued:
        click.echo("Demo users (tokens are new on every start):")
        for name, role, token in issued:
            click.echo(f"  {role:<16} {name:<28} {token}")
    run(host, port, workers, access_log=access_log, keep_alive=keep_alive)


def _without_password(url: str) -> str:
    """A database URL fit for logs: the password, if any, masked."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.partition(':')[0]}:***@{host}"


@click.command()
def demo() -> None:
    """Walk one application from collection to disbursement and print what happened."""
    with open_alur() as alur:
        result = run_demo(alur)
    app = result["application"]
    click.echo(f"Application {app['number']}: {app['product']}, {rupiah(app['amount'])}, "
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
               f"approved {rupiah(app['summary'].get('approved_amount'))}, "
               f"payout {app['summary'].get('disbursement_reference')}")
    sys.exit(0 if app["status"] == "disbursed" else 1)


@click.command("deploy")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
def deploy_command(paths: tuple[str, ...]) -> None:
    """Deploy .bpmn, .dmn and form .json files (or every such file of a directory)."""
    files = {}
    for path in map(Path, paths):
        chosen = [p for p in sorted(path.iterdir()) if p.suffix in (".bpmn", ".dmn", ".json")] \
            if path.is_dir() else [path]
        files |= {p.name: p.read_bytes() for p in chosen}
    try:
        with open_alur() as alur:
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


@click.command("coverage")
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
