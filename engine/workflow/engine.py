"""The workflow engine: versions restored once, instances started and loaded on them."""

import json
from collections.abc import Mapping
from typing import Any

from engine.clock import Clock
from engine.connectors import Connectors
from engine.errors import ProcessFailed
from engine.workflow.errors import translated_errors
from engine.workflow.instance import Instance, new_workflow
from engine.workflow.live import LiveInstances
from engine.workflow.model import Definition
from engine.workflow.recording import tell_decisions
from engine.workflow.serialization import SERIALIZER, restore


class WorkflowEngine:
    """Starts and loads instances of deployed definitions; specs are restored once per version."""

    def __init__(self, connectors: Connectors, clock: Clock):
        self.connectors = connectors
        self.clock = clock
        self._specs: dict[str, tuple[Definition, Any, dict[str, Any]]] = {}
        self._live = LiveInstances()

    def remember(self, definition: Definition) -> None:
        """Restore a version's spec once, so its instances start and load without reparsing."""
        if definition.sha256 in self._specs:
            return
        parts = json.loads(definition.spec_json)
        spec = SERIALIZER.from_dict(parts["spec"])
        subprocess_specs = {name: SERIALIZER.from_dict(spec_dict)
                            for name, spec_dict in parts["subprocess_specs"].items()}
        tell_decisions([spec, *subprocess_specs.values()])
        self._specs[definition.sha256] = (definition, spec, subprocess_specs)

    def known(self, sha256: str) -> bool:
        return sha256 in self._specs

    def spec(self, sha256: str) -> tuple[Definition, Any, dict[str, Any]]:
        """The definition and restored specs of a remembered version."""
        return self._specs[sha256]

    def start(self, sha256: str, data: Mapping[str, Any],
              connectors: Connectors | None = None) -> Instance:
        """Create an instance of a version with the start data; call `run()` to move it."""
        definition, spec, subprocess_specs = self.spec(sha256)
        workflow = new_workflow(spec, subprocess_specs, data)
        return Instance(workflow, definition, connectors or self.connectors, self.clock)

    def load(self, sha256: str, state_json: str, case: int | None = None) -> Instance:
        """Restore an instance saved by `save` (or `Instance.dumps`) on its pinned version; the
        instance saved in this process for `case` is taken instead when the JSON is the same."""
        if case is not None and (kept := self._live.take(case, sha256, state_json)):
            return kept
        definition, spec, subprocess_specs = self.spec(sha256)
        state = json.loads(state_json)
        if state.pop(SERIALIZER.VERSION_KEY, None) != SERIALIZER.VERSION:
            raise ProcessFailed("This instance was saved by another SpiffWorkflow serializer "
                                "version; migrate it before loading.")
        with translated_errors():
            workflow = restore(state, spec, subprocess_specs)
        return Instance(workflow, definition, self.connectors, self.clock)

    def save(self, case: int, instance: Instance) -> str:
        """The instance's JSON to store; the instance is kept for the case's next step."""
        state_json = instance.dumps()
        self._live.keep(case, instance)
        return state_json
