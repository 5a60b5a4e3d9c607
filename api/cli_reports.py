"""`alur report monthly`: the laporan bulanan as a table, CSV or JSON."""

import json

import click

from api.cli_support import open_alur
from api.report_table import render as render_report
from engine.errors import AlurError
from engine.services.reports import monthly_report, monthly_report_csv


@click.group()
def report() -> None:
    """Reports for supervisors and auditors."""


@report.command("monthly")
@click.argument("month")
@click.option("--format", "format_", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
def monthly(month: str, format_: str) -> None:
    """Laporan bulanan for MONTH (YYYY-MM, UTC): per branch, per AO and in total."""
    try:
        with open_alur() as alur:
            result = monthly_report(alur, month)
    except AlurError as error:
        raise click.ClickException(str(error)) from None
    if format_ == "json":
        click.echo(json.dumps(result, indent=2))
    elif format_ == "csv":
        click.echo(monthly_report_csv(result), nl=False)
    else:
        click.echo(render_report(result))
