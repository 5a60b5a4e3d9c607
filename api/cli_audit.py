"""`alur audit verify`, `replay` and `whatif`: prove the record, re-run it, test another policy."""

import json
import sys

import click

from api.cli_support import open_alur
from engine.services import audit as audit_service
from engine.services.whatif import whatif as run_whatif


@click.group()
def audit() -> None:
    """Prove nothing was altered."""


@audit.command("verify")
@click.option("--application", "application_id", type=int, default=None,
              help="One application; all of them by default.")
def verify(application_id: int | None) -> None:
    """Check each application's event hash chain; exit 1 if any is broken."""
    with open_alur() as alur:
        verdicts = ([audit_service.verify_application(alur, application_id)]
                    if application_id is not None else audit_service.verify_all(alur))
    for verdict in verdicts:
        line = f"{verdict['number']:<16} {verdict['result']:<7} {verdict['events']:>5} events"
        if verdict["result"] != "intact":
            line += f"  broken at {verdict['broken_at']}: {verdict['reason']} ({verdict['detail']})"
        click.echo(line)
    sys.exit(0 if all(v["result"] == "intact" for v in verdicts) else 1)


@click.command()
@click.argument("application_id", type=int)
def replay(application_id: int) -> None:
    """Re-run an application from its recorded inputs; exit 1 unless `reproduced`."""
    with open_alur() as alur:
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


@click.command()
@click.option("--version", "version", type=int, required=True,
              help="The credit_application version to test against.")
@click.option("--application", "application_ids", type=int, multiple=True)
@click.option("--from", "created_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "created_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
def whatif(version: int, application_ids: tuple[int, ...], created_from, created_to) -> None:
    """Policy backtest: which decisions would another version have changed?"""
    with open_alur() as alur:
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
