"""Who may call what: every endpoint × every role, no token and a revoked token, as a contract.

The table below is written out by hand on purpose: a change of who may call an endpoint is a
change of this contract, and a new endpoint fails `test_the_matrix_lists_every_endpoint` until it
is added here with the roles it allows.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from engine.roles import ROLES
from engine.services.users import create_user, revoke_user
from tests.diagrams import multipart
from tests.support import application, open_task, start

ALL = frozenset(ROLES)
AO = frozenset({"account_officer"})
OFFICERS_AND_AUDITOR = frozenset({"account_officer", "surveyor", "credit_analyst", "approver",
                                  "operations", "supervisor", "collection", "auditor"})
AUDIT_READERS = frozenset({"auditor", "supervisor", "process_owner", "credit_analyst",
                           "approver"})
DEFINITION_READERS = frozenset({"process_owner", "auditor", "supervisor"})
OWNER = frozenset({"process_owner"})
OPERATIONS = frozenset({"operations"})
PUBLIC = None  # no token needed


@dataclass(frozen=True)
class Call:
    """The roles allowed, and a request that exercises the endpoint (`{placeholders}` filled)."""

    allowed: frozenset[str] | None
    path: str
    json: Any = None
    upload: bool = False
    note: str = field(default="", compare=False)


MATRIX: dict[tuple[str, str], Call] = {
    ("POST", "/api/applications"): Call(AO, "/api/applications", json=application()),
    ("GET", "/api/applications"): Call(OFFICERS_AND_AUDITOR, "/api/applications"),
    ("GET", "/api/applications/<int:application_id>"):
        Call(OFFICERS_AND_AUDITOR, "/api/applications/{application}"),
    ("GET", "/api/applications/<int:application_id>/events"):
        Call(OFFICERS_AND_AUDITOR, "/api/applications/{application}/events"),
    ("GET", "/api/applications/<int:application_id>/audit"):
        Call(AUDIT_READERS, "/api/applications/{application}/audit"),
    ("GET", "/api/applications/<int:application_id>/audit/verify"):
        Call(AUDIT_READERS, "/api/applications/{application}/audit/verify"),
    ("POST", "/api/applications/<int:application_id>/replay"):
        Call(AUDIT_READERS, "/api/applications/{application}/replay"),
    ("GET", "/api/applications/<int:application_id>/state"):
        Call(AUDIT_READERS, "/api/applications/{application}/state?at=1"),
    ("GET", "/api/audit/verify"): Call(frozenset({"auditor"}), "/api/audit/verify"),
    ("POST", "/api/whatif"): Call(frozenset({"auditor", "process_owner"}), "/api/whatif",
                                  json={"version": 1, "application_ids": [999_999]}),
    ("GET", "/api/tasks"): Call(ALL, "/api/tasks", note="each role sees its own inbox"),
    # The task is `collect_documents`, in the account_officer lane: its role decides who may act.
    ("GET", "/api/tasks/<int:task_id>"): Call(AO | {"auditor"}, "/api/tasks/{task}"),
    ("POST", "/api/tasks/<int:task_id>/claim"): Call(AO, "/api/tasks/{task}/claim"),
    ("POST", "/api/tasks/<int:task_id>/release"): Call(AO, "/api/tasks/{task}/release"),
    ("POST", "/api/tasks/<int:task_id>/complete"):
        Call(AO, "/api/tasks/{task}/complete", json={"data": {}}),
    ("POST", "/api/definitions"): Call(OWNER, "/api/definitions", upload=True),
    ("GET", "/api/definitions"): Call(DEFINITION_READERS, "/api/definitions"),
    ("GET", "/api/definitions/<key>/versions/<int:version>"):
        Call(DEFINITION_READERS, "/api/definitions/credit_application/versions/1"),
    ("GET", "/api/definitions/<key>/versions/<int:version>/bpmn"):
        Call(DEFINITION_READERS | OFFICERS_AND_AUDITOR,
             "/api/definitions/credit_application/versions/1/bpmn"),
    ("GET", "/api/definitions/<key>/versions/<int:version>/coverage"):
        Call(DEFINITION_READERS, "/api/definitions/credit_application/versions/1/coverage"),
    ("GET", "/api/definitions/<key>/diff"):
        Call(DEFINITION_READERS, "/api/definitions/credit_application/diff?from=1&to=1"),
    ("POST", "/api/definitions/<key>/migrations"):
        Call(OWNER, "/api/definitions/credit_application/migrations",
             json={"from_version": 1, "to_version": 1, "dry_run": True}),
    ("GET", "/engine-rest/version"): Call(OWNER, "/engine-rest/version"),
    ("GET", "/engine-rest/deployment"): Call(OWNER, "/engine-rest/deployment"),
    ("POST", "/engine-rest/deployment/create"):
        Call(OWNER, "/engine-rest/deployment/create", upload=True),
    ("GET", "/api/incidents"):
        Call(frozenset({"operations", "supervisor", "auditor"}), "/api/incidents"),
    ("POST", "/api/incidents/<int:incident_id>/retry"):
        Call(OPERATIONS, "/api/incidents/999999/retry"),
    ("POST", "/api/incidents/<int:incident_id>/resolve"):
        Call(OPERATIONS, "/api/incidents/999999/resolve", json={"result": {}, "note": "by hand"}),
    ("POST", "/api/messages/<name>"):
        Call(frozenset({"integration"}), "/api/messages/paid_off",
             json={"message_id": "m-1", "business_key": "LN-2026-999999", "payload": {}}),
    ("GET", "/api/messages"):
        Call(frozenset({"integration", "operations", "supervisor", "auditor"}), "/api/messages"),
    ("GET", "/api/loans"): Call(OFFICERS_AND_AUDITOR, "/api/loans"),
    ("GET", "/api/loans/<number>"): Call(OFFICERS_AND_AUDITOR, "/api/loans/LN-2026-999999"),
    ("GET", "/api/reports/monthly"):
        Call(frozenset({"supervisor", "auditor", "process_owner"}),
             "/api/reports/monthly?month=2026-11"),
    # The start event's lane decides: credit applications are started by account officers.
    ("POST", "/api/processes/<key>/instances"):
        Call(AO, "/api/processes/credit_application/instances", json=application()),
    ("GET", "/api/me"): Call(ALL, "/api/me", note="who the token belongs to"),
    ("GET", "/api/openapi.json"): Call(PUBLIC, "/api/openapi.json"),
}
GUARDED = {key: call for key, call in MATRIX.items() if call.allowed is not PUBLIC}


def routes(app) -> set[tuple[str, str]]:
    """(method, rule) of every endpoint under /api and /engine-rest."""
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            if rule.rule.startswith(("/api/", "/engine-rest/"))
            for method in rule.methods - {"HEAD", "OPTIONS"}}


@pytest.fixture
def callers(alur):
    """One user per role, and a revoked user that held every role."""
    people = {role: create_user(alur, f"{role}_user", [role],
                                5_000_000_000 if role == "approver" else None)
              for role in ROLES}
    people["revoked"] = create_user(alur, "revoked_user", list(ROLES), 5_000_000_000)
    revoke_user(alur, "revoked_user")
    return {who: {"Authorization": f"Bearer {token}"} for who, token in people.items()}


@pytest.fixture
def ids(client, officers):
    """A real application and its open `collect_documents` task (account_officer lane)."""
    created = start(client, officers["ao"])
    return {"application": created["id"],
            "task": open_task(client, officers["ao"], created["id"], "collect_documents")}


def call(client, method: str, spec: Call, ids: dict[str, int], headers: dict[str, str]):
    path = spec.path.format(**ids)
    if spec.upload:
        body, content_type = multipart([])
        return client.open(path, method=method, data=body, content_type=content_type,
                           headers=headers)
    return client.open(path, method=method, json=spec.json, headers=headers)


def test_the_matrix_lists_every_endpoint_and_only_real_ones(app):
    assert all(call.allowed is PUBLIC or call.allowed <= ALL for call in MATRIX.values())
    actual = routes(app)
    assert actual - set(MATRIX) == set(), "new endpoints: add them to MATRIX with their roles"
    assert set(MATRIX) - actual == set(), "MATRIX lists endpoints the app no longer has"


def test_every_endpoint_answers_every_role_as_the_matrix_says(client, callers, ids):
    wrong = []
    for (method, rule), spec in GUARDED.items():
        for role in ROLES:
            response = call(client, method, spec, ids, callers[role])
            status = response.status_code
            if role in spec.allowed:
                if status in (401, 403) or status >= 500:
                    wrong.append(f"{method} {rule} as {role}: {status}, expected allowed")
            elif status != 403 or response.content_type != "application/problem+json":
                wrong.append(f"{method} {rule} as {role}: {status} {response.content_type}, "
                             "expected 403 problem+json")
    assert wrong == [], "\n".join(wrong)
    assert len(GUARDED) * len(ROLES) >= 300  # the matrix is the whole API, not a sample


@pytest.mark.parametrize("who", ["nobody", "revoked", "unknown"])
def test_no_token_a_revoked_token_or_an_unknown_one_is_401_on_every_endpoint(client, callers,
                                                                             ids, who):
    headers = {"nobody": {}, "revoked": callers["revoked"],
               "unknown": {"Authorization": "Bearer not-a-token"}}[who]
    wrong = []
    for (method, rule), spec in GUARDED.items():
        response = call(client, method, spec, ids, headers)
        if response.status_code != 401 or response.content_type != "application/problem+json" \
                or "Bearer" not in response.headers.get("WWW-Authenticate", ""):
            wrong.append(f"{method} {rule}: {response.status_code} {response.content_type}")
    assert wrong == [], "\n".join(wrong)


def test_public_endpoints_answer_without_a_token(client):
    for (method, _rule), spec in MATRIX.items():
        if spec.allowed is PUBLIC:
            assert client.open(spec.path, method=method).status_code == 200
    assert client.get("/health").status_code == 200


def test_a_revoked_user_changes_nothing_it_tried(client, callers, alur, officers):
    before = client.get("/api/applications", headers=officers["auditor"].headers).json["total"]
    refused = client.post("/api/applications", json=application(), headers=callers["revoked"])
    assert refused.status_code == 401
    after = client.get("/api/applications", headers=officers["auditor"].headers).json["total"]
    assert after == before
