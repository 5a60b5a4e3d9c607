"""Runs the API under gunicorn (stateless processes; scale out by adding more)."""

from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 4  # per process: more than one makes gunicorn use its gthread worker


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from api import create_app

        return create_app()


def run(host: str, port: int, workers: int, *, access_log: bool, keep_alive: int) -> None:
    """Serve `create_app()` on host:port with `workers` processes.

    Args:
        access_log: one line per request on stdout.
        keep_alive: seconds an idle connection stays open. gthread parks it in its poller, not
            in a thread, so a client's next request skips a new TCP (and TLS) handshake cheaply.
    """
    _Server({"bind": f"{host}:{port}", "workers": workers, "threads": THREADS,
             "accesslog": "-" if access_log else None, "keepalive": keep_alive,
             "timeout": 60}).run()
