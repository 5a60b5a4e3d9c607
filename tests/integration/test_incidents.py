"""Core banking fails: the payout is retried with backoff, then operations see an incident; the
debtor is never paid twice, and the history still replays."""

from contextlib import contextmanager

import pytest

from api import create_app
from engine.connectors import SIMULATED, Connectors
from engine.errors import ConnectorFailed
from engine.services.definitions import deploy_directory
from engine.services.incidents import run_due
from engine.services.users import create_user
from tests.conftest import Officer
from tests.support import get, through_disbursement


class FlakyCoreBanking:
    """Test double: fails the first `failures` calls; `after_paying` fails after the bank paid
    (a timeout on the way back), which only the idempotency key keeps from paying twice."""

    def __init__(self, failures: int, after_paying: bool = False):
        self.bank = SIMULATED["core_banking"]()
        self.failures, self.after_paying, self.calls = failures, after_paying, 0

    def call(self, operation, params):
        self.calls += 1
        if self.failures:
            self.failures -= 1
            if self.after_paying:
                self.bank.call(operation, params)
            raise ConnectorFailed("core banking did not answer within 30 s")
        return self.bank.call(operation, params)


@pytest.fixture
def core_banking():
    return FlakyCoreBanking(failures=2, after_paying=True)


@contextmanager
def app_with(core_banking, database_url, clock):
    """The app with the bundled workflows, on simulated systems but this core banking."""
    systems = {name: factory() for name, factory in SIMULATED.items()}
    systems["core_banking"] = core_banking
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock,
                      "CONNECTORS": Connectors(systems)})
    alur = app.extensions["alur"]
    alur.create_schema()
    deploy_directory(alur)
    try:
        yield app
    finally:
        alur.close()


@pytest.fixture
def app(database_url, clock, core_banking):
    with app_with(core_banking, database_url, clock) as app:
        yield app


@pytest.fixture
def officers(alur):
    people = {"ao": ["account_officer"], "surveyor": ["surveyor"], "analyst": ["credit_analyst"],
              "bcm": ["approver"], "ops": ["operations"], "auditor": ["auditor"]}
    return {name: Officer(name, create_user(alur, name, roles,
                                            100_000_000 if name == "bcm" else None))
            for name, roles in people.items()}


def incidents(client, officers, status="open"):
    response = client.get(f"/api/incidents?status={status}", headers=officers["ops"].headers)
    assert response.status_code == 200, response.json
    return response.json


def test_a_failed_payout_is_retried_with_backoff_and_paid_once(client, officers, alur, clock,
                                                               core_banking):
    app = through_disbursement(client, officers)
    assert app["status"] == "active"  # the officer's binding was saved; the payout waits
    (incident,) = incidents(client, officers)
    assert (incident["element"], incident["attempts"]) == ("disburse_credit", 1)
    assert run_due(alur) == []  # not due yet: nothing fires before its time
    clock.advance(seconds=30)
    assert run_due(alur)[0]["status"] == "open"
    assert incidents(client, officers)[0]["attempts"] == 2
    clock.advance(minutes=2)
    assert [i["status"] for i in run_due(alur)] == ["resolved"]
    assert get(client, officers["ao"], app["id"])["status"] == "disbursed"
    assert len(core_banking.bank.payouts) == 1 and core_banking.calls == 3
    replay = client.post(f"/api/applications/{app['id']}/replay",
                         headers=officers["auditor"].headers).json
    assert replay["result"] == "reproduced", replay


@pytest.mark.parametrize("core_banking", [FlakyCoreBanking(failures=10)])
def test_after_the_last_try_operations_retry_or_resolve_by_hand(client, officers, alur, clock,
                                                                core_banking):
    app = through_disbursement(client, officers)
    for wait in (30, 120, 600):
        clock.advance(seconds=wait)
        run_due(alur)
    (incident,) = incidents(client, officers)
    assert incident["attempts"] == 4 and incident["next_attempt_at"] is None
    clock.advance(days=1)
    assert run_due(alur) == []  # given up: only operations act now
    retried = client.post(f"/api/incidents/{incident['id']}/retry", headers=officers["ops"].headers)
    assert retried.status_code == 200 and retried.json["status"] == "open"
    assert client.post(f"/api/incidents/{incident['id']}/retry",
                       headers=officers["auditor"].headers).status_code == 403
    resolved = client.post(f"/api/incidents/{incident['id']}/resolve",
                           json={"result": {"reference": "TELLER-0042", "status": "paid",
                                            "amount": 80_000_000},
                                 "note": "Paid at the branch teller after the outage."},
                           headers=officers["ops"].headers)
    assert resolved.status_code == 200, resolved.json
    final = get(client, officers["ao"], app["id"])
    assert final["status"] == "disbursed"
    assert final["summary"]["disbursement_reference"] == "TELLER-0042"
    assert incidents(client, officers) == []
    replay = client.post(f"/api/applications/{app['id']}/replay",
                         headers=officers["auditor"].headers).json
    assert replay["result"] == "reproduced", replay
