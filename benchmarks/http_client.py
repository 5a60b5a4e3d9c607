"""Helpers the HTTP benchmarks share: start `alur serve` in another process, call it as a client."""

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(database_url: str, port: int, workers: int) -> subprocess.Popen:
    """`alur serve` (gunicorn) on 127.0.0.1:port; returns once it answers /health."""
    env = {**os.environ, "ALUR_DATABASE_URL": database_url}
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--no-demo-users",
                               "--no-access-log", "--workers", str(workers), "--port", str(port)],
                              env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
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
