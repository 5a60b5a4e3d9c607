"""Schemathesis on /api/openapi.json: every operation, bounded and derandomized examples.

Each operation is called with valid and invalid data by a user holding every role (so no answer is
a role refusal) and must answer without a 5xx, with a documented status code and content type,
and with a body that matches the documented schema. `.ci/run` runs this file again on
PostgreSQL as its own step, beside the PostgreSQL pass.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from engine.roles import ROLES
from engine.services.users import create_user
from tests.support import DOCUMENTS, done, published_openapi, start

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
EXAMPLES = int(os.environ.get("ALUR_FUZZ_EXAMPLES", "20"))  # per operation


@pytest.fixture
def everyone(alur, client, officers):
    """A user with every role and the highest authority limit, and something to read: an
    application at survey (id 1) and one at collection (id 2), so small ids are real."""
    at_survey = start(client, officers["ao"])
    done(client, officers["ao"], at_survey["id"], "collect_documents", DOCUMENTS)
    start(client, officers["ao"])
    token = create_user(alur, "fuzzer", list(ROLES), 50_000_000_000)
    return {"Authorization": f"Bearer {token}"}


schema = schemathesis.openapi.from_dict(published_openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, app, everyone):
    case.call_and_validate(app=app, headers=everyone, checks=CHECKS)
