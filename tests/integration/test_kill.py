"""SIGKILL in the middle of load: nothing acknowledged is lost, nothing is half-written, and after
a restart the work goes on to the end.

The same set-up as test_load.py. Once the clients have a third of their actions acknowledged,
the gunicorn master and its workers (one process group) and the worker process are killed with
SIGKILL. The clients keep retrying every request with its Idempotency-Key until the server is
back; the test restarts server and worker on the same port, and the clients finish every
application. Then: every action a client got a 2xx for is in the store exactly once, no
application was started twice, no task completed twice, every chain is intact, every case
replays `reproduced`, and every projection matches its events.
"""

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.load_support import (
    acknowledged,
    check_acknowledged,
    check_finished,
    check_store,
    client_users,
    free_port,
    kill,
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
APPLICATIONS = 5
OVERDUE = 2
KILL_AFTER = 130  # acknowledged actions, of about 400


@pytest.mark.slow
def test_sigkill_of_server_and_worker_under_load_loses_nothing_and_the_work_goes_on(
        tmp_path, database_url, alur, client, officers, clock):
    value_date = (datetime.now(UTC) - timedelta(days=40)).date().isoformat()
    overdue = overdue_applications(client, officers, clock, CLIENTS * OVERDUE)
    configs = [{"index": i, "applications": APPLICATIONS, "deadline": 150,
                "survive_outage": True, "value_date": value_date,
                "adopt": overdue[i * OVERDUE:(i + 1) * OVERDUE], "for_the_worker": overdue[::2],
                **client_users(alur, i)} for i in range(CLIENTS)]
    port = free_port()
    server = start_server(database_url, port, tmp_path / "server.log")
    worker = start_worker(database_url, tmp_path / "worker.log")
    clients = start_clients(tmp_path, f"http://127.0.0.1:{port}", configs)
    try:
        _wait_for_acknowledged(tmp_path, KILL_AFTER, clients)
        kill(server)
        kill(worker)
        acked_before = check_acknowledged(alur, read_logs(tmp_path))  # nothing lost: as it stood
        time.sleep(1)  # the clients find no server and keep retrying
        server = start_server(database_url, port, tmp_path / "server.log")
        worker = start_worker(database_url, tmp_path / "worker.log")
        wait_clients(clients, timeout=180)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        for process in clients:
            process.kill()
        stop(worker)
        stop(server)

    entries = read_logs(tmp_path)
    counts = tally(entries)
    acked = check_acknowledged(alur, entries)
    counts["applications finished after the restart"] = check_finished(
        client, officers["auditor"], entries, value_date)
    store = check_store(alur)
    with alur.uow() as uow:
        started = len(uow.applications.ids(kind="application"))
    counts |= {"acknowledged before the kill (all found)": sum(acked_before.values()),
               "applications in the store": started,
               "timers fired by the worker": store["timers fired"],
               "worker passes lost to a race, retried": worker_lost_races(
                   tmp_path / "worker.log"),
               "cases verified intact": store["intact"],
               "cases replayed: reproduced": store["reproduced"]}
    report = render(f"Kill: SIGKILL to server and worker after {KILL_AFTER} acknowledged "
                    f"actions, {alur.session_factory.kw['bind'].name}", counts) + \
        f"\nacknowledged by kind: {acked}\nstatuses: {store['statuses']}"
    print("\n" + report)
    (tmp_path / "kill-test.log").write_text(report + "\n")
    unexpected = [e for e in entries if e.get("outcome") == "unexpected"]
    assert counts["unexpected errors"] == 0, unexpected[:10]
    assert counts["connection errors"] > 0  # the clients did see the server die
    assert counts["replays not identical to the first answer"] == 0
    assert counts["applications left unfinished"] == 0
    assert counts["applications in an unexpected status"] == 0
    assert started == CLIENTS * (APPLICATIONS + OVERDUE)  # retried starts started nothing twice
    assert store["reproduced"] == store["cases"] == 2 * started


def _wait_for_acknowledged(directory, count: int, clients, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while acknowledged(directory) < count:
        assert all(c.poll() is None for c in clients), "a client ended before the kill"
        assert time.monotonic() < deadline, f"fewer than {count} acknowledged in {seconds} s"
        time.sleep(0.05)
