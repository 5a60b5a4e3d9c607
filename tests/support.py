"""Client-side helpers: drive applications through the HTTP API as an officer's client would."""

import copy
from typing import Any

from api import create_app
from engine.errors import ConcurrentUpdate
from engine.services.cycles import loan_number
from engine.unit_of_work import UnitOfWork

GOOD_APPLICATION: dict[str, Any] = {
    "product": "multiguna",
    "amount": 80_000_000,
    "tenor_months": 36,
    "channel": "walk_in",
    "applicant": {
        "name": "Budi Santoso", "nik": "3273012505880001", "birth_date": "1995-05-25",
        "phone": "081298765432", "address": "Jl. Braga 10, Bandung", "employment": "employee",
        "monthly_income": 15_000_000, "existing_installments": 1_000_000, "dependents": 1,
    },
    "collateral": {"kind": "vehicle", "appraised_value": 200_000_000},
}

DOCUMENTS = {"ktp": True, "kk": True, "income_proof": True, "npwp": True, "collateral_papers": True}
VALID_SURVEY = {"verified_income": 15_000_000, "residence_verified": True,
                "residence_status": "owned", "residence_years": 5, "employment_verified": True,
                "dependents": 1, "result": "valid"}
SCORES = {"character_score": 4, "capacity_score": 4, "capital_score": 3, "collateral_score": 4,
          "condition_score": 4, "risk_grade": "B"}
CONTRACT = {"contract_signed": True, "contract_number": "PK/2026/0042", "signed_on": "2026-11-25"}
BINDING = {"collateral_bound": True, "binding_reference": "FID-2026-0042"}


def application(**overrides: Any) -> dict[str, Any]:
    """The good application with top-level or `applicant__field` overrides."""
    body = copy.deepcopy(GOOD_APPLICATION)
    for key, value in overrides.items():
        if "__" in key:
            part, field = key.split("__", 1)
            body[part][field] = value
        else:
            body[key] = value
    return body


def start(client, officer, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post("/api/applications", json=body or application(),
                           headers=officer.headers)
    assert response.status_code == 201, response.json
    return response.json


def get(client, officer, application_id: int) -> dict[str, Any]:
    response = client.get(f"/api/applications/{application_id}", headers=officer.headers)
    assert response.status_code == 200, response.json
    return response.json


def open_task(client, officer, application_id: int, task: str) -> int:
    """The id of the first open `task` of the application, as the officer's inbox shows it."""
    response = client.get("/api/tasks?per_page=100", headers=officer.headers)
    assert response.status_code == 200, response.json
    for item in response.json["items"]:
        if item["application_id"] == application_id and item["task"] == task:
            return item["id"]
    raise AssertionError(f"{officer.name} has no open {task} for application {application_id}: "
                         f"{[i['task'] for i in response.json['items']]}")


def work(client, officer, application_id: int, task: str, data: dict[str, Any]):
    """Claim the task from the officer's inbox and complete it; return the complete response."""
    task_id = open_task(client, officer, application_id, task)
    claimed = client.post(f"/api/tasks/{task_id}/claim", headers=officer.headers)
    assert claimed.status_code == 200, claimed.json
    return client.post(f"/api/tasks/{task_id}/complete", json={"data": data},
                       headers=officer.headers)


def lost_at_commit(client, officer, task_id: int, data: dict[str, Any], monkeypatch):
    """Complete a task in a transaction that loses a race at its commit, after the engine moved
    and the answer was made; the response (a 409). Commits after it go through."""
    commit = UnitOfWork.commit

    def lose_the_race(uow):
        monkeypatch.setattr(UnitOfWork, "commit", commit)
        raise ConcurrentUpdate("someone else moved first")

    monkeypatch.setattr(UnitOfWork, "commit", lose_the_race)
    return client.post(f"/api/tasks/{task_id}/complete", json={"data": data},
                       headers=officer.headers)


def done(client, officer, application_id: int, task: str, data: dict[str, Any]) -> dict[str, Any]:
    response = work(client, officer, application_id, task, data)
    assert response.status_code == 200, response.json
    return response.json


def recommend(amount: int, **extra: Any) -> dict[str, Any]:
    return {**SCORES, "recommendation": "approve", "recommended_amount": amount, **extra}


def to_approval(client, officers, body: dict[str, Any] | None = None,
                survey: dict[str, Any] | None = None, amount: int | None = None) -> dict[str, Any]:
    """Run an application through collection, survey and analysis; return it at approval."""
    body = body or application()
    app = start(client, officers["ao"], body)
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    done(client, officers["surveyor"], app["id"], "survey_applicant", survey or VALID_SURVEY)
    return done(client, officers["analyst"], app["id"], "analyse_credit",
                recommend(amount or body["amount"]))


def decided(app: dict[str, Any], decision: str) -> dict[str, Any]:
    """The outputs of the latest evaluation of a decision table."""
    rules = [d for d in app["decisions"] if d["kind"] == "rule" and d["decision"] == decision]
    assert rules, f"{decision} was never evaluated"
    return rules[-1]["outputs"]


def through_disbursement(client, officers, **overrides: Any) -> dict[str, Any]:
    """The good application worked by every role up to the payout (Rp 80,000,000 approved)."""
    app = start(client, officers["ao"], application(**overrides))
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    done(client, officers["surveyor"], app["id"], "survey_applicant", VALID_SURVEY)
    done(client, officers["analyst"], app["id"], "analyse_credit", recommend(80_000_000))
    done(client, officers["bcm"], app["id"], "approve_credit",
         {"decision": "approve", "approved_amount": 80_000_000})
    done(client, officers["ops"], app["id"], "sign_contract", CONTRACT)
    return done(client, officers["ops"], app["id"], "bind_collateral", BINDING)


def send(client, sender, name: str, key: str, payload: dict[str, Any] | None = None,
         message_id: str | None = None):
    """Core banking sends an event for an application or loan number."""
    send.count = getattr(send, "count", 0) + 1
    body = {"message_id": message_id or f"{name}-{key}-{send.count}", "business_key": key,
            "payload": payload or {}}
    return client.post(f"/api/messages/{name}", json=body, headers=sender.headers)


def loan_of(client, officer, application: dict[str, Any]) -> dict[str, Any]:
    """The loan a disbursed application became."""
    number = loan_number(application["number"])
    response = client.get(f"/api/loans/{number}", headers=officer.headers)
    assert response.status_code == 200, response.json
    return response.json


def published_openapi(config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The document an app built with `config` serves; built without a store (it needs none)."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", **(config or {})})
    try:
        return app.test_client().get("/api/openapi.json").json
    finally:
        app.extensions["alur"].session_factory.kw["bind"].dispose()
