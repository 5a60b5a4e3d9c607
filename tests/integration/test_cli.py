"""The `alur` command as a user runs it."""

from click.testing import CliRunner

from api.cli import main
from engine.bootstrap import bootstrap
from engine.services.users import authenticate


def test_users_create_prints_a_working_token_on_the_last_line(database_url, monkeypatch):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["users", "create", "rina", "--role", "approver",
                                       "--role", "credit_analyst",
                                       "--authority-limit", "1000000000"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    with bootstrap(database_url) as alur:
        actor = authenticate(alur, token)
    assert actor.roles == {"approver", "credit_analyst"}
    assert actor.authority_limit == 1_000_000_000


def test_users_create_refuses_an_unknown_role(database_url, monkeypatch):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["users", "create", "x", "--role", "king"])
    assert result.exit_code != 0 and "king" in result.output


def test_demo_walks_an_application_to_disbursement(database_url, monkeypatch):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "status disbursed" in result.output
    for step in ("collect_documents", "survey_applicant", "analyse_credit", "approve_credit",
                 "sign_contract", "bind_collateral", "credit_policy", "approval_authority"):
        assert step in result.output
