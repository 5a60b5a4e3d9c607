"""Helpers the HTTP benchmarks share: start `alur serve` in another process, call it as a client."""

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serving(database_url: str, port: int, workers: int) -> AbstractContextManager[None]:
    """`alur serve` (gunicorn) on 127.0.0.1:port, answering /health, until the block ends."""
    return running(["api.cli", "serve", "--no-demo-users", "--no-access-log",
                    "--workers", str(workers), "--port", str(port)], port,
                   {**os.environ, "ALUR_DATABASE_URL": database_url})


@contextmanager
def running(module_args: list[str], port: int, env: dict[str, str] | None = None
            ) -> Iterator[None]:
    """`python -m <module_args>` from the project's root, once it answers /health on port,
    until the block ends."""
    server = subprocess.Popen([sys.executable, "-m", *module_args], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_health(port)
        yield
    finally:
        server.terminate()
        server.wait()


def _wait_for_health(port: int) -> None:
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def call(connection: http.client.HTTPConnection, method: str, path: str, token: str,
         body=None) -> dict:
    """One request on a keep-alive connection; any answer above 299 stops the benchmark."""
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"Authorization": f"Bearer {token}",
                                "Content-Type": "application/json"})
    response = connection.getresponse()
    payload = json.loads(response.read())
    assert response.status < 300, payload
    return payload
