"""The monthly report (laporan bulanan): real applications worked through the API, by month."""

import csv
import io
import itertools
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from api.cli import main
from engine.errors import InvalidInput
from engine.services.incidents import run_due
from engine.services.reports import month_bounds
from engine.services.users import create_user
from tests.conftest import Officer
from tests.support import (
    BINDING,
    CONTRACT,
    DOCUMENTS,
    VALID_SURVEY,
    application,
    done,
    recommend,
    start,
)

BRANCH_STAFF = {"rina": "KC-BANDUNG", "sari": "KC-BANDUNG", "joko": "KC-JAKARTA"}
LOAN_NUMBERS = itertools.count(1)
VOTES = {"approve": {"decision": "approve", "approved_amount": 2_500_000_000},
         "return": {"decision": "return", "notes": "Appraisal is out of date."},
         "reject": {"decision": "reject", "rejection_reason": "RISK_NOT_ACCEPTABLE"}}


def at(day: int, hour: int = 9, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def staff(alur, officers):
    """The shared officers plus account officers of two branches."""
    return officers | {name: Officer(name, create_user(alur, name, ["account_officer"],
                                                       branch=branch))
                       for name, branch in BRANCH_STAFF.items()}


def monthly(client, officer, month: str, **params):
    return client.get("/api/reports/monthly", query_string={"month": month, **params},
                      headers=officer.headers)


def report_of(client, staff, month: str) -> dict:
    response = monthly(client, staff["supervisor"], month)
    assert response.status_code == 200, response.json
    return response.json


def officer_row(report: dict, name: str) -> dict:
    return next(row for row in report["account_officers"] if row["account_officer"] == name)


def branch_row(report: dict, branch: str) -> dict:
    return next(row for row in report["branches"] if row["branch"] == branch)


def collected(client, clock, officer, when: datetime, documents_after: float | None = 0,
              **overrides) -> int:
    """Register an application at `when`; hand in the documents `documents_after` hours later."""
    clock.set(when)
    app = start(client, officer, application(**overrides))
    if documents_after is not None:
        clock.advance(hours=documents_after)
        done(client, officer, app["id"], "collect_documents", DOCUMENTS)
    return app["id"]


def disbursed_at_lower_amount(client, clock, staff) -> None:
    """Rina's first case: 2 h to documents, a 5 h survey, approved at Rp 75 million, paid out."""
    app_id = collected(client, clock, staff["rina"], at(5), documents_after=2)
    clock.advance(hours=5)
    done(client, staff["surveyor"], app_id, "survey_applicant", VALID_SURVEY)
    clock.advance(hours=1)
    done(client, staff["analyst"], app_id, "analyse_credit", recommend(80_000_000))
    clock.advance(hours=1)
    done(client, staff["bcm"], app_id, "approve_credit",
         {"decision": "approve", "approved_amount": 75_000_000})
    done(client, staff["ops"], app_id, "sign_contract", CONTRACT)
    assert done(client, staff["ops"], app_id, "bind_collateral", BINDING)["status"] == "disbursed"


def rejected_at_approval(client, clock, staff) -> None:
    """Rina's second case: 1 h to documents, a 3 h survey, rejected by the approver."""
    app_id = collected(client, clock, staff["rina"], at(6), documents_after=1)
    clock.advance(hours=3)
    done(client, staff["surveyor"], app_id, "survey_applicant", VALID_SURVEY)
    done(client, staff["analyst"], app_id, "analyse_credit", recommend(80_000_000))
    done(client, staff["bcm"], app_id, "approve_credit",
         {"decision": "reject", "rejection_reason": "RISK_NOT_ACCEPTABLE"})
    assert done(client, staff["rina"], app_id, "notify_rejection",
                {"notified_via": "phone"})["status"] == "rejected"


def surveyed_late(client, clock, staff, alur) -> None:
    """Joko's case: the survey due Friday 23 October is done Monday the 26th; the analysis
    then opened (due the 28th) is never done."""
    app_id = collected(client, clock, staff["joko"], at(20))
    clock.set(at(26, hour=10))
    run_due(alur)  # the service-level timer fires: an escalation opens
    done(client, staff["supervisor"], app_id, "escalate_overdue_task", {"action": "reminded"})
    done(client, staff["surveyor"], app_id, "survey_applicant", VALID_SURVEY)


@pytest.fixture
def october(client, clock, staff, alur):
    """Five applications registered in October 2026, one in November; reported on 23 November."""
    disbursed_at_lower_amount(client, clock, staff)
    rejected_at_approval(client, clock, staff)
    collected(client, clock, staff["sari"], at(7), documents_after=None, amount=120_000_000)
    surveyed_late(client, clock, staff, alur)  # the worker also lapses Sari's case (P8D)
    collected(client, clock, staff["joko"], at(30))  # survey due 4 November, never done
    collected(client, clock, staff["rina"], at(2, month=11), documents_after=None)
    clock.set(at(23, month=11))


def test_october_counts_each_account_officers_applications_and_rupiah(client, staff, october):
    report = report_of(client, staff, "2026-10")
    rina = officer_row(report, "rina")
    assert rina["branch"] == "KC-BANDUNG"
    assert rina["collected"] == {"count": 2, "amount": 160_000_000}
    assert rina["surveyed"] == 2
    assert rina["approved"] == {"count": 1, "amount": 75_000_000}
    assert (rina["rejected"], rina["lapsed"]) == (1, 0)
    assert rina["disbursed"] == {"count": 1, "amount": 75_000_000}
    sari = officer_row(report, "sari")
    assert sari["collected"] == {"count": 1, "amount": 120_000_000}
    assert (sari["surveyed"], sari["lapsed"]) == (0, 1)
    assert officer_row(report, "joko")["collected"] == {"count": 2, "amount": 160_000_000}


def test_october_rolls_officers_up_to_branches_and_the_total(client, staff, october):
    report = report_of(client, staff, "2026-10")
    assert [row["branch"] for row in report["branches"]] == ["KC-BANDUNG", "KC-JAKARTA"]
    bandung, jakarta = branch_row(report, "KC-BANDUNG"), branch_row(report, "KC-JAKARTA")
    assert bandung["collected"] == {"count": 3, "amount": 280_000_000}
    assert (bandung["surveyed"], jakarta["surveyed"]) == (2, 1)
    totals = report["totals"]
    assert totals["collected"] == {"count": 5, "amount": 440_000_000}
    assert (totals["surveyed"], totals["rejected"], totals["lapsed"]) == (3, 1, 1)
    assert totals["disbursed"] == {"count": 1, "amount": 75_000_000}
    assert (report["month"], report["starts_at"], report["ends_at"]) == (
        "2026-10", "2026-10-01T00:00:00+00:00", "2026-11-01T00:00:00+00:00")


def test_turnaround_is_the_mean_and_median_hours_per_stage(client, staff, october):
    turnaround = officer_row(report_of(client, staff, "2026-10"), "rina")["turnaround"]
    assert turnaround["collection"] == {"tasks": 2, "mean_hours": 1.5, "median_hours": 1.5}
    assert turnaround["survey"] == {"tasks": 2, "mean_hours": 4.0, "median_hours": 4.0}
    assert turnaround["disbursement"]["tasks"] == 2
    assert officer_row(report_of(client, staff, "2026-10"), "sari")["turnaround"][
        "survey"] == {"tasks": 0, "mean_hours": None, "median_hours": None}


def test_a_missed_service_level_counts_in_the_month_it_was_due(client, staff, october):
    october_levels = officer_row(report_of(client, staff, "2026-10"), "joko")["service_levels"]
    # the survey due 23 October was done late; the analysis due 28 October is still open
    assert october_levels == {"breaches": 2, "completed_late": 1, "open_overdue": 1,
                              "escalations": 1}
    assert report_of(client, staff, "2026-10")["totals"]["service_levels"]["breaches"] == 2
    november = report_of(client, staff, "2026-11")
    assert officer_row(november, "joko")["service_levels"] == {
        "breaches": 1, "completed_late": 0, "open_overdue": 1, "escalations": 0}
    assert november["totals"]["collected"] == {"count": 1, "amount": 80_000_000}
    assert november["totals"]["surveyed"] == 0


def test_the_csv_has_one_row_per_officer_branch_and_total(client, staff, october):
    response = monthly(client, staff["supervisor"], "2026-10", format="csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="laporan-bulanan-2026-10.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["scope"], r["branch"], r["account_officer"]) for r in rows] == [
        ("account_officer", "KC-BANDUNG", "rina"), ("account_officer", "KC-BANDUNG", "sari"),
        ("account_officer", "KC-JAKARTA", "joko"), ("branch", "KC-BANDUNG", ""),
        ("branch", "KC-JAKARTA", ""), ("total", "", "")]
    rina, total = rows[0], rows[-1]
    assert (rina["month"], rina["collected_count"], rina["disbursed_amount"]) == (
        "2026-10", "2", "75000000")
    assert rina["turnaround_survey_median_hours"] == "4.0"
    assert total["service_levels_breaches"] == "2"
    assert total["portfolio_npl_ratio_bp"] == ""  # no loans reviewed: no ratio


def test_accept_text_csv_asks_for_the_csv(client, staff):
    response = client.get("/api/reports/monthly?month=2026-10",
                          headers={**staff["auditor"].headers, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("month,scope,branch,account_officer,")


def test_a_committee_approval_counts_once_at_the_amount_it_approved(client, clock, staff):
    """The committee returns the case once, then approves Rp 2.5 billion; the debtor withdraws."""
    body = {"product": "kpr", "amount": 3_000_000_000, "tenor_months": 240,
            "applicant__monthly_income": 900_000_000}
    app_id = collected(client, clock, staff["joko"], at(1, month=12), **body)
    done(client, staff["surveyor"], app_id, "survey_applicant",
         {**VALID_SURVEY, "verified_income": 900_000_000})
    analysis = recommend(3_000_000_000, collateral_appraised_value=5_000_000_000)
    for votes in (("return", "return", "approve"), ("approve", "approve", "reject")):
        done(client, staff["analyst"], app_id, "analyse_credit", analysis)
        for name, vote in zip(("director1", "director2", "director3"), votes, strict=True):
            done(client, staff[name], app_id, "vote_committee", VOTES[vote])
    done(client, staff["ops"], app_id, "sign_contract",
         {"contract_signed": False, "rejection_reason": "DEBTOR_WITHDREW"})
    done(client, staff["joko"], app_id, "notify_rejection", {"notified_via": "letter"})
    joko = officer_row(report_of(client, staff, "2026-12"), "joko")
    assert joko["approved"] == {"count": 1, "amount": 2_500_000_000}
    assert (joko["rejected"], joko["disbursed"]["count"]) == (1, 0)
    assert joko["turnaround"]["approval"]["tasks"] == 6  # every vote is a task


def add_loan(alur, officer: str, reviews: list[tuple[str, int, int]]) -> None:
    """A loan case and its monthly reviews (date, collectibility, outstanding), written directly."""
    branch, now = BRANCH_STAFF[officer], alur.clock.now()
    with alur.uow() as uow:
        loan = uow.applications.add(
            number=f"LN-TEST-{next(LOAN_NUMBERS):04d}", kind="loan", branch=branch,
            definition_id=uow.definitions.latest("credit_application").id, status="active",
            stage="monitoring", product="multiguna", amount=100_000_000, tenor_months=36,
            applicant_name="Debitur", created_by=officer, summary={}, state_json="{}",
            created_at=now, updated_at=now, cycle=len(reviews))
        for cycle, (review_date, kol, outstanding) in enumerate(reviews, 1):
            uow.loan_reviews.add(loan_id=loan.id, cycle=cycle, review_date=review_date,
                                 days_past_due={1: 0, 2: 30, 3: 100, 4: 150, 5: 200}[kol],
                                 collectibility=kol, outstanding=outstanding, branch=branch,
                                 account_officer=officer)
        uow.commit()


@pytest.fixture
def portfolio(alur, staff):
    """Five loans; the latest review on or before a month's end counts, paid-off loans not."""
    add_loan(alur, "rina", [("2026-09-30", 1, 100_000_000), ("2026-10-31", 1, 95_000_000)])
    add_loan(alur, "sari", [("2026-10-15", 3, 50_000_000), ("2026-11-15", 5, 48_000_000)])
    add_loan(alur, "joko", [("2026-08-31", 2, 30_000_000)])
    add_loan(alur, "joko", [("2026-09-30", 1, 10_000_000), ("2026-10-20", 1, 0)])
    add_loan(alur, "joko", [("2026-11-10", 4, 20_000_000)])


def test_the_portfolio_counts_loans_and_outstanding_per_collectibility_class(
        client, staff, portfolio):
    totals = report_of(client, staff, "2026-10")["totals"]["portfolio"]
    assert (totals["loans"], totals["outstanding"]) == (3, 175_000_000)
    assert totals["collectibility"] == {
        "1": {"loans": 1, "outstanding": 95_000_000}, "2": {"loans": 1, "outstanding": 30_000_000},
        "3": {"loans": 1, "outstanding": 50_000_000}, "4": {"loans": 0, "outstanding": 0},
        "5": {"loans": 0, "outstanding": 0}}
    assert totals["npl_outstanding"] == 50_000_000
    assert (totals["npl_ratio_bp"], totals["npl_ratio_percent"]) == (2857, "28.57")


def test_the_npl_ratio_is_reported_per_branch_and_officer_and_moves_with_the_month(
        client, staff, portfolio):
    october = report_of(client, staff, "2026-10")
    assert branch_row(october, "KC-BANDUNG")["portfolio"]["npl_ratio_bp"] == 3448  # 50 / 145
    assert branch_row(october, "KC-JAKARTA")["portfolio"]["npl_ratio_bp"] == 0
    assert officer_row(october, "sari")["portfolio"]["npl_ratio_percent"] == "100.00"
    november = report_of(client, staff, "2026-11")["totals"]["portfolio"]
    assert (november["loans"], november["outstanding"]) == (4, 193_000_000)
    assert november["npl_ratio_bp"] == 3523  # (48 + 20) / 193
    assert report_of(client, staff, "2026-07")["totals"]["portfolio"]["npl_ratio_bp"] is None


def test_an_auditors_read_of_the_report_is_logged(client, staff, alur):
    assert monthly(client, staff["auditor"], "2026-10").status_code == 200
    with alur.uow() as uow:
        read = uow.access.recent(1)[0]
        assert (read.actor, read.path) == ("auditor", "/api/reports/monthly")


@pytest.mark.parametrize("query", [{"month": "2026-13"}, {"month": "2026-1"}, {"month": "okt"},
                                   {}])
def test_a_missing_or_malformed_month_is_a_422_naming_the_field(client, staff, query):
    response = client.get("/api/reports/monthly", query_string=query,
                          headers=staff["supervisor"].headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "month" in response.json["errors"]


def test_an_account_officer_may_not_read_the_report(client, staff):
    response = monthly(client, staff["rina"], "2026-10")
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("month", ["2026-00", "2026-13", "26-10", "", "9999-12", "2026-10-01"])
def test_the_service_refuses_what_is_not_a_month(month):
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        month_bounds(month)


def test_december_ends_at_the_first_of_january():
    assert month_bounds("2026-12") == (datetime(2026, 12, 1, tzinfo=UTC),
                                       datetime(2027, 1, 1, tzinfo=UTC))


def test_the_cli_prints_tables_per_branch_and_officer(database_url, monkeypatch, portfolio):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["report", "monthly", "2026-10"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Laporan bulanan 2026-10")
    bandung = next(line for line in lines if line.startswith("KC-BANDUNG") and "Rp 145" in line)
    assert "Rp 145.000.000" in bandung and bandung.endswith("34.48")
    total = [line for line in lines if line.startswith("TOTAL")][-1]
    assert "Rp 175.000.000" in total and total.endswith("28.57")
    assert any(line.startswith("  sari") for line in lines)


def test_the_cli_writes_csv_and_refuses_a_bad_month(database_url, monkeypatch, portfolio):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    runner = CliRunner()
    result = runner.invoke(main, ["report", "monthly", "2026-10", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[-1]["scope"] == "total" and rows[-1]["portfolio_outstanding"] == "175000000"
    refused = runner.invoke(main, ["report", "monthly", "2026-13"])
    assert refused.exit_code == 1 and "YYYY-MM" in refused.output
