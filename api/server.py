"""Runs the API under gunicorn (stateless processes; scale out by adding more)."""

from typing import Any

from gunicorn.app.base import BaseApplication


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


def run(host: str, port: int, workers: int) -> None:
    """Serve `create_app()` on host:port with `workers` processes."""
    _Server({"bind": f"{host}:{port}", "workers": workers, "threads": 4,
             "accesslog": "-", "timeout": 60}).run()
