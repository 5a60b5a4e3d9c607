"""Scripts and expressions from diagrams cannot escape the sandbox."""

import pytest

from engine import sandbox
from engine.errors import ScriptFailed

ESCAPES = [
    "().__class__.__base__.__subclasses__()",
    "__import__('os').system('id')",
    "open('/etc/passwd').read()",
    "getattr((), '__class__')",
    "type(1).__subclasses__()",
    "eval('1')",
    "[c for c in ().__class__.__mro__]",
    "globals()",
]


@pytest.mark.parametrize("code", ESCAPES)
def test_escape_attempts_fail_with_a_clear_error(code):
    with pytest.raises(ScriptFailed) as raised:
        sandbox.evaluate(code, {})
    assert "failed" in str(raised.value) or "Refused" in str(raised.value)


def test_a_script_cannot_import_modules():
    with pytest.raises(ScriptFailed, match="import"):
        sandbox.execute("import os\nx = os.getcwd()", {})


def test_scripts_compute_with_the_allowed_helpers_and_update_task_data():
    data = {"amount": 100_000_000, "rates": [950, 1200]}
    sandbox.execute(
        "best = min(rates)\n"
        "months = [m for m in [12, 24] if m > 12]\n"
        "maturity = add_months('2026-01-31', 1)\n"
        "age = years_between('1990-03-01', maturity)\n"
        "limit = ceil(amount / 3)\n"
        "del rates", data)
    assert data == {"amount": 100_000_000, "best": 950, "months": [24],
                    "maturity": "2026-02-28", "age": 35, "limit": 33_333_334}


def test_task_data_may_not_shadow_the_helpers():
    with pytest.raises(ScriptFailed, match="reserved"):
        sandbox.execute("x = 1", {"ceil": 3})


def test_a_failing_script_reports_the_python_error():
    with pytest.raises(ScriptFailed, match="ZeroDivisionError"):
        sandbox.execute("x = 1 / 0", {})
