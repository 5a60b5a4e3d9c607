"""The HTTP contract: authentication, roles, problem+json, OpenAPI, inbox and task reads."""

import json
import shutil

from api import openapi
from engine.bootstrap import FORMS_DIR
from tests.support import (
    DOCUMENTS,
    application,
    done,
    get,
    open_task,
    published_openapi,
    start,
)


def test_health_answers_without_a_token(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_no_token_or_a_bad_token_is_401_problem_json(client):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}):
        response = client.get("/api/tasks", headers=headers)
        assert response.status_code == 401
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json["status"] == 401


def test_only_account_officers_start_applications(client, officers):
    for name in ("surveyor", "analyst", "bm", "ops", "auditor", "owner"):
        response = client.post("/api/applications", json=application(),
                               headers=officers[name].headers)
        assert response.status_code == 403, name
        assert response.headers["Content-Type"] == "application/problem+json"


def test_a_started_application_is_numbered_pinned_and_waits_for_documents(client, officers):
    app = start(client, officers["ao"])
    assert app["number"] == "APP-2026-000001"
    assert (app["status"], app["stage"]) == ("active", "collection")
    assert app["definition"]["key"] == "credit_application"
    assert len(app["definition"]["sha256"]) == 64
    assert [t["task"] for t in app["open_tasks"]] == ["collect_documents"]
    assert {d["decision"] for d in app["decisions"] if d["kind"] == "rule"} == {
        "holiday_calendar", "product_terms"}


def test_officers_see_only_their_roles_tasks_in_the_inbox(client, officers):
    app = start(client, officers["ao"])
    assert client.get("/api/tasks", headers=officers["surveyor"].headers).json["total"] == 0
    done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    inbox = client.get("/api/tasks?assigned=none", headers=officers["surveyor"].headers).json
    assert [(t["task"], t["application_number"]) for t in inbox["items"]] == [
        ("survey_applicant", app["number"])]
    assert client.get("/api/tasks", headers=officers["ao"].headers).json["total"] == 0


def test_a_task_shows_its_form_and_only_its_role_may_open_it(client, officers):
    app = start(client, officers["ao"])
    task_id = open_task(client, officers["ao"], app["id"], "collect_documents")
    task = client.get(f"/api/tasks/{task_id}", headers=officers["ao"].headers).json
    assert task["form"]["properties"]["ktp"]["type"] == "boolean"
    assert task["status"] == "open" and task["assignee"] is None
    other = client.get(f"/api/tasks/{task_id}", headers=officers["surveyor"].headers)
    assert other.status_code == 403


def test_claim_release_and_my_inbox(client, officers):
    app = start(client, officers["ao"])
    task_id = open_task(client, officers["ao"], app["id"], "collect_documents")
    client.post(f"/api/tasks/{task_id}/claim", headers=officers["ao"].headers)
    mine = client.get("/api/tasks?assigned=me", headers=officers["ao"].headers).json
    assert [t["id"] for t in mine["items"]] == [task_id]
    refused = client.post(f"/api/tasks/{task_id}/release", headers=officers["ao2"].headers)
    assert refused.status_code == 403
    released = client.post(f"/api/tasks/{task_id}/release", headers=officers["ao"].headers)
    assert released.json["status"] == "open" and released.json["assignee"] is None


def test_a_completed_task_cannot_be_completed_again(client, officers):
    app = start(client, officers["ao"])
    task_id = open_task(client, officers["ao"], app["id"], "collect_documents")
    first = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                        headers=officers["ao"].headers)
    again = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                        headers=officers["ao"].headers)
    assert first.status_code == 200 and again.status_code == 409


def test_bad_requests_are_4xx_problem_json_never_500(client, officers):
    headers = officers["ao"].headers
    cases = [
        client.post("/api/applications", data="{not json", headers=headers,
                    content_type="application/json"),
        client.post("/api/applications", json=[1, 2], headers=headers),
        client.get("/api/applications/999999", headers=headers),
        client.get("/api/tasks?assigned=everyone", headers=headers),
        client.post("/api/tasks/1/complete", json={"dat": {}}, headers=headers),
        client.post("/api/applications", json=application(amount=-5), headers=headers),
        client.post("/api/applications", json=application(amount=10**30), headers=headers),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.json
        assert response.headers["Content-Type"] == "application/problem+json"
        assert "Traceback" not in response.get_data(as_text=True)


def test_application_lists_filter_by_stage_and_status(client, officers):
    first = start(client, officers["ao"])
    start(client, officers["ao"])
    done(client, officers["ao"], first["id"], "collect_documents", DOCUMENTS)
    survey = client.get("/api/applications?stage=survey", headers=officers["auditor"].headers)
    assert [a["id"] for a in survey.json["items"]] == [first["id"]]
    assert get(client, officers["auditor"], first["id"])["stage"] == "survey"


def test_the_openapi_document_describes_every_endpoint(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    paths = set(spec["paths"])
    assert {"/api/applications", "/api/applications/{application_id}",
            "/api/applications/{application_id}/events", "/api/tasks", "/api/tasks/{task_id}",
            "/api/tasks/{task_id}/claim", "/api/tasks/{task_id}/release",
            "/api/tasks/{task_id}/complete"} <= paths
    start_form = spec["components"]["schemas"]["StartApplicationForm"]
    assert start_form["properties"]["applicant"]["properties"]["nik"]["pattern"] == "^[0-9]{16}$"


def test_each_app_serves_the_document_built_for_its_own_start_form(tmp_path, monkeypatch):
    """Apps of one process share a document only when it would be the same one built again."""
    monkeypatch.setattr(openapi, "_DOCUMENTS", {})
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    built, again = published_openapi({}), published_openapi({})
    form = json.loads((forms / "start_application.schema.json").read_text())
    form["properties"]["branch_note"] = {"type": "string", "maxLength": 40}
    (forms / "start_application.schema.json").write_text(json.dumps(form))
    other = published_openapi({"FORMS_DIR": forms})
    renamed = published_openapi({"API_TITLE": "Alur (staging)"})
    assert again == built
    assert "branch_note" not in built["components"]["schemas"]["StartApplicationForm"]["properties"]
    assert other["components"]["schemas"]["StartApplicationForm"]["properties"]["branch_note"] \
        == {"type": "string", "maxLength": 40}
    assert {k: v for k, v in other.items() if k != "components"} \
        == {k: v for k, v in built.items() if k != "components"}
    assert renamed["info"]["title"] == "Alur (staging)" and built["info"]["title"] == "Alur"
    assert len(openapi._DOCUMENTS) == 3

