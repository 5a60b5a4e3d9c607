"""Run the feature scenarios against a candidate version before it goes live."""

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from engine.bootstrap import PROJECT_DIR

FEATURE_TESTS = PROJECT_DIR / "tests" / "features"
FEATURES = sorted(path.stem for path in (PROJECT_DIR / "features").glob("*.feature"))
TIMEOUT_SECONDS = 600


def failing_scenarios(sources: dict[str, bytes], forms: dict[str, bytes],
                      features: tuple[str, ...] = ()) -> list[str]:
    """The scenarios that fail when the bundled ones (of `features`, all if none) run on these
    diagrams, tables and forms."""
    with tempfile.TemporaryDirectory() as tmp:
        workflows, form_dir = Path(tmp, "workflows"), Path(tmp, "forms")
        workflows.mkdir()
        form_dir.mkdir()
        for name, content in sources.items():
            (workflows / name).write_bytes(content)
        for name, content in forms.items():
            (form_dir / name).write_bytes(content)
        env = {**os.environ, "ALUR_WORKFLOW_DIR": str(workflows), "ALUR_FORMS_DIR": str(form_dir)}
        for private in ("ALUR_COVERAGE_DIR", "ALUR_TEST_DATABASE_URL"):  # scenarios use SQLite
            env.pop(private, None)
        tests = [str(FEATURE_TESTS / f"test_{name}.py") for name in features] \
            or [str(FEATURE_TESTS)]
        run = subprocess.run([sys.executable, "-m", "pytest", *tests, "-q",
                              *_processes(), "-p", "no:cacheprovider", "-rf"], env=env,
                             cwd=PROJECT_DIR, capture_output=True, text=True,
                             timeout=TIMEOUT_SECONDS)
    if run.returncode == 0:
        return []
    failed = [line.removeprefix("FAILED ") for line in run.stdout.splitlines()
              if line.startswith("FAILED ")]
    return failed or [run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr]


def _processes() -> list[str]:
    """One scenario process per core where pytest-xdist is installed (it comes with the tests)."""
    return ["-n", "auto"] if importlib.util.find_spec("xdist") else ["-n", "0"]
