"""Walk one application from collection to disbursement through the service layer."""

from typing import Any

from engine.bootstrap import Alur
from engine.errors import InvalidInput
from engine.roles import ROLES
from engine.services import applications, tasks
from engine.services.users import DEMO_AUTHORITY_LIMIT, Actor, actor_named, create_user

DEMO_APPLICATION = {
    "product": "kpr", "amount": 350_000_000, "tenor_months": 120, "channel": "referral",
    "applicant": {"name": "Siti Rahmawati", "nik": "3174055203900001", "birth_date": "1990-03-12",
                  "phone": "+6281234567890", "address": "Jl. Melati 5, Jakarta Selatan",
                  "employment": "employee", "monthly_income": 25_000_000,
                  "existing_installments": 2_000_000, "dependents": 2},
    "collateral": {"kind": "land_and_building", "appraised_value": 600_000_000},
}

DEMO_INPUTS: dict[str, dict[str, Any]] = {
    "collect_documents": {"ktp": True, "kk": True, "income_proof": True, "npwp": True,
                          "collateral_papers": True},
    "survey_applicant": {"verified_income": 24_000_000, "residence_verified": True,
                         "residence_status": "owned", "residence_years": 6,
                         "employment_verified": True, "dependents": 2, "result": "valid"},
    "analyse_credit": {"character_score": 4, "capacity_score": 4, "capital_score": 3,
                       "collateral_score": 4, "condition_score": 4, "risk_grade": "B",
                       "collateral_appraised_value": 580_000_000, "recommendation": "approve",
                       "recommended_amount": 350_000_000},
    "approve_credit": {"decision": "approve", "approved_amount": 350_000_000},
    "vote_committee": {"decision": "approve", "approved_amount": 350_000_000},
    "sign_contract": {"contract_signed": True, "contract_number": "PK/2026/0001",
                      "signed_on": "2026-11-23"},
    "bind_collateral": {"collateral_bound": True, "binding_reference": "APHT-2026-0001"},
    "notify_rejection": {"notified_via": "whatsapp"},
}


def demo_actors(alur: Alur) -> dict[str, Actor]:
    """One demo user per role, created if missing (their tokens are not needed here)."""
    actors = {}
    for role in ROLES:
        name = f"demo_{role}"
        try:
            actors[role] = actor_named(alur, name)
        except InvalidInput:  # no such user yet
            create_user(alur, name, [role], DEMO_AUTHORITY_LIMIT if role == "approver" else None,
                        demo=True)
            actors[role] = actor_named(alur, name)
    return actors


def run_demo(alur: Alur, application: dict[str, Any] | None = None) -> dict[str, Any]:
    """Start an application and let one demo officer per role work every task it opens."""
    actors = demo_actors(alur)
    state = applications.start_application(alur, application or DEMO_APPLICATION,
                                           actors["account_officer"])
    path = []
    while state["open_tasks"]:
        task = state["open_tasks"][0]
        officer = actors[task["role"]]
        tasks.claim_task(alur, officer, task["id"])
        state = tasks.complete_task(alur, officer, task["id"], DEMO_INPUTS[task["task"]])
        path.append({"task": task["task"], "role": task["role"], "by": officer.name})
    return {"application": state, "path": path}
