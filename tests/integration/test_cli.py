"""The `alur` command as a user runs it."""

import pytest
from click.testing import CliRunner

from api import server
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


def test_audit_verify_and_replay_report_on_the_demo_application(database_url, monkeypatch):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    runner = CliRunner()
    assert runner.invoke(main, ["demo"]).exit_code == 0
    verified = runner.invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0 and "intact" in verified.output
    replayed = runner.invoke(main, ["replay", "1"])
    assert replayed.exit_code == 0, replayed.output
    assert "reproduced" in replayed.output


def test_whatif_prints_a_summary_table(database_url, monkeypatch):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    runner = CliRunner()
    runner.invoke(main, ["demo"])
    result = runner.invoke(main, ["whatif", "--version", "1"])
    assert result.exit_code == 0, result.output
    assert "0 of 1 applications would differ" in result.output
    assert "disbursed -> disbursed" in result.output


@pytest.mark.parametrize(("args", "env", "access_log"), [
    ([], {}, True),
    (["--no-access-log"], {}, False),
    ([], {"ALUR_ACCESS_LOG": "false"}, False),
])
def test_serve_logs_each_request_unless_told_not_to(database_url, monkeypatch, args, env,
                                                    access_log):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    calls = []
    monkeypatch.setattr(server, "run", lambda *a, **kw: calls.append((a, kw)))
    result = CliRunner().invoke(main, ["serve", "--no-demo-users", "--port", "5999", *args])
    assert result.exit_code == 0, result.output
    assert calls == [(("127.0.0.1", 5999, 2), {"access_log": access_log, "keep_alive": 5})]
