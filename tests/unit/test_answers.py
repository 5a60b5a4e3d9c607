"""Answers go out as the service layer built them; under test each must match its schema."""

import flask
import pytest

from api.schemas import ApplicationResponse, TaskPage

BRIEF = {"id": 7, "task": "collect_documents", "title": "Collect documents",
         "role": "account_officer", "status": "open", "assignee": None, "due_at": None}
APPLICATION = {"id": 1, "number": "APP-2026-000001", "status": "active", "stage": "collection",
               "summary": {"segment": "salaried"}, "decisions": [], "open_tasks": [BRIEF],
               "definition": {"key": "credit_application", "version": 1, "sha256": "0" * 64}}


def app(testing: bool) -> flask.Flask:
    made = flask.Flask(__name__)
    made.testing = testing
    return made


@pytest.mark.parametrize("testing", [True, False])
def test_an_answer_in_its_documented_shape_goes_out_as_built(testing):
    with app(testing).app_context():
        assert ApplicationResponse().dump(APPLICATION) is APPLICATION
        page = {"items": [BRIEF], "total": 1, "page": 1, "per_page": 20}
        assert TaskPage().dump(page) is page


def test_under_test_an_answer_that_strays_from_its_schema_is_refused():
    strayed = {**APPLICATION, "state_json": "{}"}  # a field the schema does not document
    with app(True).app_context(), pytest.raises(TypeError, match="documented shape"):
        ApplicationResponse().dump(strayed)
    with app(True).app_context(), pytest.raises(TypeError, match="documented shape"):
        TaskPage().dump({"items": [{**BRIEF, "id": "7"}], "total": 1, "page": 1, "per_page": 20})
