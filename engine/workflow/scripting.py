"""The script engine instances run with: Alur's sandbox, and connectors with a journal."""

import ast
import json
from functools import lru_cache
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine import sandbox
from engine.clock import Clock
from engine.connectors import Connectors
from engine.errors import ConnectorFailed, ScriptFailed
from engine.workflow.model import Event


class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Hands SpiffWorkflow's evaluations to Alur's restricted sandbox, with `now()` on the
    instance's logical clock (replays set it to the recorded time of each input)."""

    def __init__(self, clock: Clock):
        super().__init__()
        self.extra = {"now": lambda: clock.now().isoformat()}

    def evaluate(self, expression, context, external_context=None):
        return sandbox.evaluate(expression, {**context, **(external_context or {})}, self.extra)

    def execute(self, script, context, external_context=None):
        sandbox.execute(script, context, self.extra)
        return True


class ScriptEngine(PythonScriptEngine):
    """Sandboxed scripts; service tasks go to Alur's connectors and every call is journaled."""

    def __init__(self, connectors: Connectors, journal: list[Event], clock: Clock):
        super().__init__(environment=_SandboxEnvironment(clock))
        self.connectors = connectors
        self.journal = journal

    def validate(self, expression: str) -> None:
        """SpiffWorkflow's syntax check (`ast.parse`), once per text: its DMN engine checks each
        cell of each rule it tries, twice for some, on every evaluation."""
        problem = _syntax_problem(expression)
        if problem is not None:
            raise SyntaxError(problem)

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except ScriptFailed as error:
            raise ScriptFailed(f"{_where(task)}: {error}") from None

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context)
        except ScriptFailed as error:
            raise ScriptFailed(f"{_where(task)}: {error}") from None

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        request = {name: param["value"] for name, param in (operation_params or {}).items()}
        entry = {"element": task.task_spec.bpmn_id, "operation": operation_name, "request": request}
        try:
            response = self.connectors.call(operation_name, request)
        except ConnectorFailed as error:
            self.journal.append(("connector_called", {**entry, "error": str(error)}))
            raise ConnectorFailed(f"{_where(task)}: {error}") from None
        self.journal.append(("connector_called", {**entry, "response": response}))
        return json.dumps(response)


@lru_cache(maxsize=4096)
def _syntax_problem(expression: str) -> str | None:
    """What `ast.parse` refuses in an expression, or None."""
    try:
        ast.parse(expression)
    except SyntaxError as error:
        return str(error)
    return None


def _where(task: Any) -> str:
    return f"{task.task_spec.bpmn_name or task.task_spec.bpmn_id} ({task.task_spec.bpmn_id})"
