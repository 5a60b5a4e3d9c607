"""Browser tests: the app served on a free port, Debian's Chromium driven by Playwright.

Chromium is launched from its `executablePath` (`ALUR_CHROMIUM`, default the first `chromium` on
the PATH); Playwright never downloads a browser. Each test saves screenshots in its `tmp_path`,
and also in `ALUR_SCREENSHOTS` when that is set.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not "
                                     "installed: pip install -e '.[test]'")

CHROMIUM = os.environ.get("ALUR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
UI_BUNDLE = Path(__file__).resolve().parents[2] / "api" / "static" / "ui" / "app.js"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's package, never a download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (Debian package `chromium`)")
    if not UI_BUNDLE.exists():
        pytest.skip("the front end is not built: cd web && npm ci && npm run build")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=["--disable-gpu", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


_answers = threading.local()  # the response bodies of the request this thread serves


class _ClosingHandler(WSGIRequestHandler):
    """Werkzeug's handler, closing every response body when the request ends. Its own close
    comes after draining the socket, which raises when the browser has dropped the connection
    (Chromium cancels favicon and cached requests), and a static file was then left open."""

    def run_wsgi(self) -> None:
        _answers.bodies = []
        try:
            super().run_wsgi()
        finally:
            for body in _answers.bodies:
                if hasattr(body, "close"):
                    body.close()


def _remembering(app):
    def remembered(environ, start_response):
        body = app(environ, start_response)
        getattr(_answers, "bodies", []).append(body)
        return body
    return remembered


@pytest.fixture
def server(app) -> Iterator[str]:
    """The test's app on a free loopback port; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, _remembering(app), threaded=True,
                        request_handler=_ClosingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()


class Screens:
    """Saves screenshots to tmp_path and, when ALUR_SCREENSHOTS is set, to that directory too."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.extra = Path(os.environ["ALUR_SCREENSHOTS"]) if os.environ.get("ALUR_SCREENSHOTS") \
            else None

    def save(self, page, name: str, full_page: bool = True) -> Path:
        path = self.directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if self.extra is not None:
            self.extra.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, self.extra / path.name)
        return path


@pytest.fixture
def screens(tmp_path) -> Screens:
    directory = tmp_path / "screenshots"
    directory.mkdir()
    return Screens(directory)


@pytest.fixture
def page(browser, server):
    """A fresh browser context per test; fails the test on a script error or a CSP violation."""
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900},
                                  locale="id-ID", timezone_id="Asia/Jakarta",
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("console", lambda message: problems.append(f"console: {message.text}")
           if message.type == "error" and _is_policy_or_script_error(message.text) else None)
    yield tab
    context.close()
    assert not problems, problems


def _is_policy_or_script_error(text: str) -> bool:
    """Refused by the Content-Security-Policy, or an uncaught script error (not a 4xx answer the
    page expects, such as the 422 of a form with errors)."""
    return "Content Security Policy" in text or "Refused to" in text or "Uncaught" in text
