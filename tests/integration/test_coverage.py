"""Diagram coverage: the features' paths through credit_application, measured and drawn.

Set ALUR_COVERAGE_SCREENSHOT to a path to keep the rendered page's screenshot there:
`ALUR_COVERAGE_SCREENSHOT=docs/coverage_credit_application.png pytest -k report tests/integration`.
"""

import math
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.services.coverage import (
    bpmn_sources,
    diagram_elements,
    measure,
    page_name,
    write_report,
)
from engine.services.incidents import run_due
from tests.support import (
    BINDING,
    CONTRACT,
    DOCUMENTS,
    SCORES,
    VALID_SURVEY,
    application,
    done,
    recommend,
    start,
)

BIG_KPR = application(product="kpr", amount=1_500_000_000, tenor_months=240,
                      applicant__monthly_income=900_000_000)
NOTIFIED = {"notified_via": "whatsapp"}


def _to_analysis(client, officers, body=None, survey=None) -> int:
    app_id = start(client, officers["ao"], body or application())["id"]
    done(client, officers["ao"], app_id, "collect_documents", DOCUMENTS)
    done(client, officers["surveyor"], app_id, "survey_applicant", survey or VALID_SURVEY)
    return app_id


def _rejected(client, officers, app_id: int, who: str, task: str, data: dict) -> None:
    done(client, officers[who], app_id, task, data)
    done(client, officers["ao"], app_id, "notify_rejection", NOTIFIED)


def _disbursed_the_long_way(client, officers) -> None:
    """Missing documents, a revisit, a resurvey, a return and a pending binding, then paid out."""
    app_id = start(client, officers["ao"])["id"]
    done(client, officers["ao"], app_id, "collect_documents", {**DOCUMENTS, "npwp": False})
    done(client, officers["ao"], app_id, "collect_documents", DOCUMENTS)
    done(client, officers["surveyor"], app_id, "survey_applicant",
         {**VALID_SURVEY, "result": "revisit"})
    done(client, officers["surveyor"], app_id, "survey_applicant", VALID_SURVEY)
    done(client, officers["analyst"], app_id, "analyse_credit",
         {**SCORES, "recommendation": "resurvey"})
    done(client, officers["surveyor"], app_id, "survey_applicant", VALID_SURVEY)
    done(client, officers["analyst"], app_id, "analyse_credit", recommend(80_000_000))
    done(client, officers["bcm"], app_id, "approve_credit",
         {"decision": "return", "notes": "Check the second income."})
    done(client, officers["analyst"], app_id, "analyse_credit", recommend(80_000_000))
    done(client, officers["bcm"], app_id, "approve_credit",
         {"decision": "approve", "approved_amount": 80_000_000})
    done(client, officers["ops"], app_id, "sign_contract", CONTRACT)
    done(client, officers["ops"], app_id, "bind_collateral", {"collateral_bound": False})
    app = done(client, officers["ops"], app_id, "bind_collateral", BINDING)
    assert app["status"] == "disbursed"


def _rejections(client, officers) -> None:
    """Pre-screen, survey, analysis, policy and approval each reject one application."""
    app_id = start(client, officers["ao"], application(applicant__monthly_income=3_000_000))["id"]
    _rejected(client, officers, app_id, "ao", "collect_documents", DOCUMENTS)
    app_id = start(client, officers["ao"])["id"]
    done(client, officers["ao"], app_id, "collect_documents", DOCUMENTS)
    _rejected(client, officers, app_id, "surveyor", "survey_applicant",
              {**VALID_SURVEY, "result": "invalid", "rejection_reason": "INCOME_NOT_VERIFIED"})
    _rejected(client, officers, _to_analysis(client, officers), "analyst", "analyse_credit",
              {**SCORES, "recommendation": "reject", "rejection_reason": "INSUFFICIENT_CAPACITY"})
    poor = {**VALID_SURVEY, "verified_income": 3_000_000}
    _rejected(client, officers, _to_analysis(client, officers, survey=poor), "analyst",
              "analyse_credit", recommend(80_000_000))
    app_id = _to_analysis(client, officers)
    done(client, officers["analyst"], app_id, "analyse_credit", recommend(80_000_000))
    _rejected(client, officers, app_id, "bcm", "approve_credit",
              {"decision": "reject", "rejection_reason": "RISK_NOT_ACCEPTABLE"})


def _committee_then_contract_refused(client, officers) -> None:
    """The committee returns the case once, then approves; the debtor does not sign."""
    app_id = _to_analysis(client, officers, BIG_KPR,
                          {**VALID_SURVEY, "verified_income": 900_000_000})
    analysis = recommend(1_500_000_000, collateral_appraised_value=5_000_000_000)
    for votes in (("return", "return", "approve"), ("approve", "approve", "approve")):
        done(client, officers["analyst"], app_id, "analyse_credit", analysis)
        for name, vote in zip(("director1", "director2", "director3"), votes, strict=True):
            done(client, officers[name], app_id, "vote_committee",
                 {"decision": vote, "approved_amount": 1_500_000_000} if vote == "approve"
                 else {"decision": vote, "notes": "Appraisal is out of date."})
    _rejected(client, officers, app_id, "ops", "sign_contract",
              {"contract_signed": False, "rejection_reason": "DEBTOR_WITHDREW"})


def _beyond_authority(client, officers) -> None:
    """Collectibility 2 and a 40 % DSR escalate twice: above the committee, declined."""
    body = application(product="kpr", amount=1_500_000_000, tenor_months=240,
                       applicant__monthly_income=900_000_000, applicant__nik="3273012505880007")
    app_id = start(client, officers["ao"], body)["id"]
    app = done(client, officers["ao"], app_id, "collect_documents", DOCUMENTS)
    owed = body["applicant"]["existing_installments"] + app["summary"]["installment"]
    income = math.ceil(owed * 10000 / 4000)
    done(client, officers["surveyor"], app_id, "survey_applicant",
         {**VALID_SURVEY, "verified_income": income})
    _rejected(client, officers, app_id, "analyst", "analyse_credit",
              recommend(1_500_000_000, collateral_appraised_value=5_000_000_000))


def _every_service_level_missed(client, officers, alur, clock) -> None:
    """Survey, analysis and approval each wait past their level; the supervisor handles each."""
    app_id = start(client, officers["ao"])["id"]
    done(client, officers["ao"], app_id, "collect_documents", DOCUMENTS)
    for task, who, data in (("survey_applicant", "surveyor", VALID_SURVEY),
                            ("analyse_credit", "analyst", recommend(80_000_000)),
                            ("approve_credit", "bcm", {"decision": "reject",
                                                       "rejection_reason": "RISK_NOT_ACCEPTABLE"})):
        clock.advance(days=7)
        run_due(alur)
        done(client, officers["supervisor"], app_id, "escalate_overdue_task",
             {"action": "reminded"})
        done(client, officers[who], app_id, task, data)
    done(client, officers["ao"], app_id, "notify_rejection", NOTIFIED)


def _lapsed_after_three_follow_ups(client, officers, alur, clock) -> None:
    app_id = start(client, officers["ao"])["id"]
    for _ in range(3):
        clock.advance(days=2, minutes=1)
        run_due(alur)
        done(client, officers["ao"], app_id, "follow_up_documents",
             {"contacted_via": "phone", "outcome": "no_answer"})
    clock.advance(days=2, minutes=1)
    run_due(alur)


def _drive_every_path(client, officers, alur, clock) -> None:
    _disbursed_the_long_way(client, officers)
    _rejections(client, officers)
    _committee_then_contract_refused(client, officers)
    _beyond_authority(client, officers)
    _every_service_level_missed(client, officers, alur, clock)
    _lapsed_after_three_follow_ups(client, officers, alur, clock)


def _credit_application(results: list[dict]) -> dict:
    [result] = [r for r in results if r["key"] == "credit_application"]
    return result


def test_the_scenarios_visit_every_flow_node(client, officers, alur, clock):
    _drive_every_path(client, officers, alur, clock)
    result = _credit_application(measure(alur))
    assert result["uncovered_nodes"] == []
    assert result["nodes"]["ratio"] == 1.0
    assert result["flows"]["ratio"] > 0.9, result["uncovered_flows"]
    # Every product is secured (product_terms.dmn), so the unsecured branch cannot be taken.
    assert result["uncovered_flows"] == ["flow_unsecured"]


def test_an_untouched_version_is_not_covered(alur):
    result = _credit_application(measure(alur))
    assert (result["nodes"]["covered"], result["flows"]["covered"]) == (0, 0)
    nodes, flows = diagram_elements(bpmn_sources(alur)[result["sha256"]])
    assert (result["nodes"]["total"], result["flows"]["total"]) == (len(nodes), len(flows))


def _chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}",
               "--window-size=3000,1400", "--virtual-time-budget=5000", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_the_report_draws_the_covered_path(client, officers, alur, clock, tmp_path):
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed (Debian package `chromium`): cannot render")
    _drive_every_path(client, officers, alur, clock)
    results = measure(alur)
    index = write_report(results, bpmn_sources(alur), tmp_path / "report")
    page = index.parent / page_name(_credit_application(results))
    assert (index.parent / "coverage.json").exists() and page.name in index.read_text()

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert "<title>coverage ok</title>" in dom.stdout, dom.stderr[-2000:]
    assert 'class="djs-element djs-shape covered"' in dom.stdout

    screenshot = tmp_path / "coverage.png"
    shot = _chromium(tmp_path, f"--screenshot={screenshot}", page.as_uri())
    assert screenshot.exists(), shot.stderr[-2000:]
    assert screenshot.stat().st_size > 20_000
    if os.environ.get("ALUR_COVERAGE_SCREENSHOT"):
        shutil.copyfile(screenshot, os.environ["ALUR_COVERAGE_SCREENSHOT"])

