"""One load-test client process: officers of every role working applications over HTTP.

`python -m tests.load_client CONFIG.json` starts its own applications, then works them (and
whatever it can grab from the shared inboxes) through disbursement, the payout confirmation and a
first installment. On purpose it also races: two threads completing one task, two officers
claiming one, one message id sent twice at once, and Idempotency-Key retries. Every request's
outcome and every acknowledged (2xx) action goes to a JSON-lines log as it happens, so a test
can read it even if this process or the server dies.

With `survive_outage`, a request that finds no server is sent again with the same key until the
server is back (a killed server is restarted by the test).
"""

import http.client
import json
import sys
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlparse

from engine.services.cycles import loan_number
from tests.support import BINDING, CONTRACT, DOCUMENTS, SCORES, VALID_SURVEY, application

DATA: dict[str, dict[str, Any]] = {
    "collect_documents": DOCUMENTS,
    "survey_applicant": VALID_SURVEY,
    "analyse_credit": {**SCORES, "recommendation": "approve", "recommended_amount": 80_000_000},
    "approve_credit": {"decision": "approve", "approved_amount": 80_000_000},
    "sign_contract": CONTRACT,
    "bind_collateral": BINDING,
    "escalate_overdue_task": {"action": "noted"},
}
HELPED_ROLES = ("surveyor", "credit_analyst", "operations")
LOST_RACES = ("concurrent-update", "task-claimed", "task-not-open", "request-in-progress")
FINISHED = ("rejected", "lapsed", "completed")


class Log:
    """Append-only JSON lines, flushed per line (a SIGKILL loses at most the line being written)."""

    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1)  # open for the life of the process
        self.lock = threading.Lock()

    def write(self, **entry: Any) -> None:
        with self.lock:
            self.file.write(json.dumps(entry) + "\n")


class Client:
    """HTTP as one officer process sees it: counted, retried through outages if told to."""

    def __init__(self, config: dict[str, Any], log: Log):
        url = urlparse(config["base_url"])
        self.host, self.port = url.hostname, url.port
        self.tokens: dict[str, str] = config["tokens"]
        self.names: dict[str, str] = config["names"]
        self.survive = config.get("survive_outage", False)
        self.deadline = time.monotonic() + config["deadline"]
        self.log = log
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return self.local.connection

    def _send(self, method: str, path: str, role: str, body: Any, key: str | None):
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        data = None if body is None else json.dumps(body)
        if data is not None:
            headers["Content-Type"] = "application/json"
        connection = self._connection()
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.local.connection = None
            raise
        kind = response.getheader("Content-Type", "")
        parsed = json.loads(raw) if raw and "json" in kind else None
        return response.status, parsed, raw, response.getheader("Idempotent-Replayed")

    def call(self, method: str, path: str, role: str, body: Any = None, key: str | None = None,
             race: bool = False):
        """(status, json, raw body, replayed); (None, ...) if the server stayed unreachable."""
        cut_off = False  # sent, but the connection died before the answer came
        while True:
            try:
                status, parsed, raw, replayed = self._send(method, path, role, body, key)
            except (OSError, http.client.HTTPException) as error:
                self.log.write(t="req", method=method, path=path, status=None,
                               outcome="conn_error", detail=type(error).__name__)
                cut_off = cut_off or not isinstance(error, ConnectionRefusedError)
                if self.survive and time.monotonic() < self.deadline:
                    time.sleep(0.2)
                    continue
                return None, None, b"", None
            self.log.write(t="req", method=method, path=path, status=status,
                           outcome=_outcome(status, parsed, replayed, race),
                           detail=None if status < 400 else parsed, cut_off=cut_off)
            return status, parsed, raw, replayed


def _outcome(status: int, parsed: Any, replayed: str | None, race: bool) -> str:
    if 200 <= status < 300:
        return "replayed" if replayed else "ok"
    problem = (parsed or {}).get("type", "") if isinstance(parsed, dict) else ""
    if status == 409 and race and problem.rsplit("/", 1)[-1] in LOST_RACES:
        return "lost_race"
    return "unexpected"


class Officers:
    """The script: start, work, race, confirm; all of it bounded by the deadline."""

    def __init__(self, config: dict[str, Any], client: Client, log: Log):
        self.config, self.client, self.log = config, client, log
        self.index = config["index"]
        self.counter = 0
        self.confirmed: set[int] = set()
        self.began = time.monotonic()

    def key(self) -> str:
        return f"p{self.index}-{uuid.uuid4().hex}"

    def run(self) -> None:
        own = [a for a in (self.start(n) for n in range(self.config["applications"])) if a]
        own += self.config.get("adopt", [])
        waiting = list(own)
        while waiting and time.monotonic() < self.client.deadline:
            waiting = [a for a in waiting if not self.step(a)]
            self.help()
            if waiting:
                time.sleep(0.05)
        for application_id in waiting:
            self.log.write(t="stuck", application_id=application_id)
        self.log.write(t="finished", own=own, stuck=waiting)

    def start(self, n: int) -> int | None:
        body = application(applicant__name=f"Debitur {self.index}-{n}")
        key = self.key()
        status, parsed, raw, _ = self.client.call("POST", "/api/applications", "account_officer",
                                                  body, key)
        if status != 201:
            return None
        self.log.write(t="ack", what="start", application_id=parsed["id"],
                       number=parsed["number"])
        if n % 3 == 0:  # a client that never saw the answer retries with the same key
            self.retry("POST", "/api/applications", "account_officer", body, key, raw)
        return parsed["id"]

    def retry(self, method: str, path: str, role: str, body: Any, key: str, first: bytes) -> None:
        status, _, raw, replayed = self.client.call(method, path, role, body, key)
        if status is not None and (raw != first or not replayed):
            self.log.write(t="mismatch", path=path, key=key)

    def step(self, application_id: int) -> bool:
        """One move on an application; True once it is done (disbursed, confirmed, paid)."""
        status, view, _, _ = self.client.call("GET", f"/api/applications/{application_id}",
                                              "account_officer")
        if status != 200:
            return False
        if self.held_back(application_id, view):
            return False
        if view["status"] in FINISHED:
            self.log.write(t="unexpected_status", application_id=application_id,
                           status=view["status"])
            return True
        for task in view["open_tasks"]:
            if task["role"] in self.client.tokens and task["assignee"] in (
                    None, self.client.names[task["role"]]):
                self.work(task, application_id)
                return False
        if view["status"] == "disbursed" and not any(
                t["role"] in self.client.tokens for t in view["open_tasks"]):
            if application_id not in self.confirmed:
                self.confirm(view["number"])
                self.confirmed.add(application_id)
            return self.reviewed(view["number"])
        return False

    def held_back(self, application_id: int, view: dict[str, Any]) -> bool:
        """Every other overdue application waits (10 s at most) for the worker to fire its timer
        and open the supervisor's escalation; the rest race the worker."""
        if application_id not in self.config.get("for_the_worker", []) or \
                time.monotonic() > self.began + 10:
            return False
        return not any(t["task"] == "escalate_overdue_task" for t in view["open_tasks"])

    def reviewed(self, number: str) -> bool:
        """The loan had its first monthly review (overdue from the value date on, so it runs
        as the payout confirmation arrives)."""
        loan = loan_number(number)
        status, view, _, _ = self.client.call("GET", f"/api/loans/{loan}", "account_officer")
        return status == 200 and len(view["reviews"]) >= 1

    def work(self, task: dict[str, Any], application_id: int) -> None:
        """Claim, then complete until done or someone else did it (a lost race is retried)."""
        path, role = f"/api/tasks/{task['id']}", task["role"]
        if task["assignee"] is None:
            status, _, _, _ = self.client.call("POST", f"{path}/claim", role, key=self.key(),
                                               race=True)
            if status != 200:
                return
            self.log.write(t="ack", what="claim", task_id=task["id"], task=task["task"],
                           application_id=application_id, actor=self.client.names[role])
        while time.monotonic() < self.client.deadline:
            if self.complete(task, application_id):
                return
            status, now, _, _ = self.client.call("GET", path, role)
            if status == 200 and (now["status"], now["assignee"]) != (
                    "claimed", self.client.names[role]):
                return
            time.sleep(0.05)

    def complete(self, task: dict[str, Any], application_id: int) -> bool:
        """One completion; some race on purpose (two threads, same or other keys), some are
        retried with the same key. True if it went through."""
        path, role = f"/api/tasks/{task['id']}/complete", task["role"]
        self.counter += 1
        body, key = {"data": DATA[task["task"]]}, self.key()
        mode = ("twins_other_keys", "twins_same_key", "retry", "single")[self.counter % 4]
        if mode in ("single", "retry"):
            answers = [self.client.call("POST", path, role, body, key, race=True)]
        else:
            keys = [key, self.key() if mode == "twins_other_keys" else key]
            answers = self.twins([lambda k=k: self.client.call(
                "POST", path, role, body, k, race=True) for k in keys])
        done = [answer for answer in answers if answer[0] == 200]
        if done:
            self.log.write(t="ack", what="complete", task_id=task["id"], task=task["task"],
                           application_id=application_id, actor=self.client.names[role])
        if done and mode == "retry":
            self.retry("POST", path, role, body, key, done[0][2])
        return bool(done)

    def twins(self, sends: list) -> list:
        """Send at the same moment from separate threads (separate connections)."""
        barrier, answers = threading.Barrier(len(sends)), []

        def run(send):
            barrier.wait()
            answers.append(send())

        threads = [threading.Thread(target=run, args=(s,)) for s in sends]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers

    def help(self) -> None:
        """Grab the oldest unclaimed task of one helped role from the shared inbox."""
        role = HELPED_ROLES[self.counter % len(HELPED_ROLES)]
        status, page, _, _ = self.client.call(
            "GET", f"/api/tasks?role={role}&assigned=none&per_page=5", role)
        if status == 200:
            for task in page["items"]:
                if task["task"] in DATA and \
                        task["application_id"] not in self.config.get("for_the_worker", []):
                    self.work(task | {"assignee": None}, task["application_id"])
                    return

    def confirm(self, number: str) -> None:
        """Core banking confirms the payout (the same id twice at once), then an installment."""
        body = {"message_id": f"dc-{number}", "business_key": number,
                "payload": {"value_date": self.config["value_date"]}}
        path = "/api/messages/disbursement_confirmed"
        for answer in self.twins([lambda: self.client.call(
                "POST", path, "integration", body, self.key(), race=True)] * 2):
            if answer[0] in (200, 202):
                self.log.write(t="ack", what="message", message_id=body["message_id"])
        body = {"message_id": f"ip-{number}-1", "business_key": number,
                "payload": {"amount": 2_657_145, "days_past_due": 0}}
        key, path = self.key(), "/api/messages/installment_paid"
        status, _, raw, _ = self.client.call("POST", path, "integration", body, key)
        if status in (200, 202):
            self.log.write(t="ack", what="message", message_id=body["message_id"])
            self.retry("POST", path, "integration", body, key, raw)
            self.client.call("POST", path, "integration", body, self.key())  # id seen before


def main() -> None:
    with open(sys.argv[1]) as file:
        config = json.load(file)
    log = Log(config["log"])
    Officers(config, Client(config, log), log).run()


if __name__ == "__main__":
    main()
