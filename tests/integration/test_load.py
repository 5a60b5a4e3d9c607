"""A bounded load on the real server: several client processes, a worker, races on purpose.

`alur serve --workers 2` and `alur worker` run as OS processes on the test database; four client
processes (tests/load_client.py) each start applications and work them through disbursement, the
payout confirmation and an installment, grabbing each other's tasks from the shared inboxes,
completing one task from two threads, sending one message id twice at once and retrying with
Idempotency-Keys, while the worker fires the overdue service-level timers of applications they
work. Lost races answer 409; anything else that is not a 2xx fails the test. Then every case's
chain is verified and every case replayed. `pytest -s` prints the counts; they are also written
to load-test.log in the test's directory.
"""

from datetime import UTC, datetime, timedelta

import pytest

from tests.load_support import (
    check_finished,
    check_store,
    client_users,
    free_port,
    overdue_applications,
    read_logs,
    render,
    start_clients,
    start_server,
    start_worker,
    stop,
    tally,
    wait_clients,
    worker_lost_races,
)

CLIENTS = 4
APPLICATIONS = 5  # per client, besides the two overdue ones each adopts
OVERDUE = 2


@pytest.mark.slow
def test_a_bounded_load_from_four_processes_ends_consistent_with_no_unexpected_error(
        tmp_path, database_url, alur, client, officers, clock):
    value_date = (datetime.now(UTC) - timedelta(days=40)).date().isoformat()
    overdue = overdue_applications(client, officers, clock, CLIENTS * OVERDUE)
    configs = [{"index": i, "applications": APPLICATIONS, "deadline": 90,
                "adopt": overdue[i * OVERDUE:(i + 1) * OVERDUE], "value_date": value_date,
                "for_the_worker": overdue[::2],
                **client_users(alur, i)} for i in range(CLIENTS)]
    port = free_port()
    server = start_server(database_url, port, tmp_path / "server.log")
    worker = start_worker(database_url, tmp_path / "worker.log")
    try:
        clients = start_clients(tmp_path, f"http://127.0.0.1:{port}", configs)
        wait_clients(clients, timeout=120)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        stop(worker)
        stop(server)

    entries = read_logs(tmp_path)
    counts = tally(entries)
    counts["applications finished"] = check_finished(client, officers["auditor"], entries,
                                                     value_date)
    store = check_store(alur)
    counts |= {"timers fired by the worker": store["timers fired"],
               "worker passes lost to a race, retried": worker_lost_races(
                   tmp_path / "worker.log"),
               "cases in the store": store["cases"], "cases verified intact": store["intact"],
               "cases replayed: reproduced": store["reproduced"]}
    report = render(f"Load: {CLIENTS} client processes, {alur.session_factory.kw['bind'].name}",
                    counts) + f"\nstatuses: {store['statuses']}"
    print("\n" + report)
    (tmp_path / "load-test.log").write_text(report + "\n")
    unexpected = [e for e in entries if e.get("outcome") == "unexpected"]
    assert counts["unexpected errors"] == 0, unexpected[:10]
    assert counts["connection errors"] == 0
    assert counts["replays not identical to the first answer"] == 0
    assert counts["applications left unfinished"] == 0
    assert counts["applications in an unexpected status"] == 0
    assert counts["409 expected (lost races)"] > 0 and counts["  of which Idempotency-Key " \
                                                                "replays"] > 0
    assert store["reproduced"] == store["cases"] == counts["applications finished"] * 2
