"""Any deployed process people start can be started over the API, by the role of its start lane."""

from pathlib import Path

import pytest

from tests.diagrams import multipart
from tests.support import done

WORKLOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "workload"


@pytest.fixture
def three_tasks(client, officers):
    body, content_type = multipart([(p.name, p.read_bytes()) for p in sorted(WORKLOAD.iterdir())])
    response = client.post("/api/definitions", data=body, content_type=content_type,
                           headers=officers["owner"].headers)
    assert response.status_code == 201, response.json
    return "three_tasks"


def test_a_deployed_process_is_started_and_worked_to_its_end(client, officers, three_tasks):
    response = client.post(f"/api/processes/{three_tasks}/instances", json={"reference": "R-1"},
                           headers=officers["ao"].headers)
    assert response.status_code == 201, response.json
    case = response.json
    assert (case["kind"], case["number"][:5]) == ("case", "CASE-")
    for step in ("step_one", "step_two", "step_three"):
        case = done(client, officers["ao"], case["id"], step, {"count": 3})
    assert case["status"] == "completed" and case["open_tasks"] == []


@pytest.mark.parametrize(("who", "key", "body", "status"), [
    ("surveyor", "three_tasks", {}, 403),  # the start lane is account_officer
    ("ao", "loan_monitoring", {}, 403),  # started by the engine at disbursement
    ("ao", "no_such_process", {}, 404),
    ("ao", "three_tasks", {"reference": 7}, 422),
    ("ao", "three_tasks", {"unknown": "field"}, 422),
])
def test_starting_is_refused_with_a_problem(client, officers, three_tasks, who, key, body,
                                            status):
    response = client.post(f"/api/processes/{key}/instances", json=body,
                           headers=officers[who].headers)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"


def test_credit_applications_start_the_same_way_as_on_their_own_endpoint(client, officers):
    from tests.support import application
    response = client.post("/api/processes/credit_application/instances", json=application(),
                           headers=officers["ao"].headers)
    assert response.status_code == 201 and response.json["number"].startswith("APP-")
