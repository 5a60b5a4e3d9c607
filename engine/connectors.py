"""Outside systems the diagram calls from service tasks, behind one small interface.

A service task names an operation such as `slik/check`; the part before the slash picks the
connector. The simulated connectors are the default: deterministic, derived from their inputs, so
tests, demos and replays give the same answers every time. Real adapters implement `Connector` and
are selected by configuration (`ALUR_CONNECTORS`).
"""

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from engine.errors import ConnectorFailed


class Connector(Protocol):
    """One outside system: answers an operation with JSON-native data or raises ConnectorFailed."""

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]: ...


class SimulatedSlik:
    """Simulated SLIK OJK credit bureau; the report follows from the NIK's last two digits.

    Last digit 0-6: worst collectibility 1; 7: 2; 8: 3; 9: 5. Second-to-last digit d: the bureau
    reports d x Rp 500,000 of monthly installments elsewhere and d active facilities.
    """

    COLLECTIBILITY_BY_LAST_DIGIT = {7: 2, 8: 3, 9: 5}

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if operation != "check":
            raise ConnectorFailed(f"SLIK has no operation {operation!r}.")
        nik = str(params.get("nik", ""))
        if len(nik) != 16 or not nik.isdigit():
            raise ConnectorFailed("SLIK needs a 16-digit NIK.")
        facilities = int(nik[-2])
        return {
            "report_id": "SLIK-" + hashlib.sha256(nik.encode()).hexdigest()[:12].upper(),
            "worst_collectibility_12m": self.COLLECTIBILITY_BY_LAST_DIGIT.get(int(nik[-1]), 1),
            "active_facilities": facilities,
            "reported_installments": facilities * 500_000,
        }


class SimulatedCoreBanking:
    """Simulated core banking: a payout's reference follows from its idempotency key, and a key
    already paid answers with the first payout instead of paying again."""

    def __init__(self) -> None:
        self.payouts: dict[str, dict[str, Any]] = {}

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if operation != "disburse":
            raise ConnectorFailed(f"Core banking has no operation {operation!r}.")
        amount = params.get("amount")
        if not isinstance(amount, int) or amount <= 0:
            raise ConnectorFailed("Core banking needs a positive integer amount to pay out.")
        key = str(params.get("idempotency_key", ""))
        if not key:
            raise ConnectorFailed("Core banking refuses a payout without an idempotency key.")
        return self.payouts.setdefault(key, {
            "reference": "CB-" + hashlib.sha256(key.encode()).hexdigest()[:16].upper(),
            "status": "paid",
            "amount": amount,
        })


class SimulatedNotifier:
    """Simulated SMS/e-mail gateway: accepts every message and numbers it from its content."""

    def call(self, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if operation != "send":
            raise ConnectorFailed(f"The notifier has no operation {operation!r}.")
        digest = hashlib.sha256(repr(sorted(params.items())).encode()).hexdigest()[:12]
        return {"message_id": "MSG-" + digest.upper(), "status": "sent"}


SIMULATED: dict[str, Callable[[], Connector]] = {
    "slik": SimulatedSlik,
    "core_banking": SimulatedCoreBanking,
    "notification": SimulatedNotifier,
}


class Connectors:
    """Routes `system/operation` names to the configured connector of each system."""

    def __init__(self, systems: Mapping[str, Connector]):
        self._systems = dict(systems)

    @classmethod
    def simulated(cls) -> "Connectors":
        return cls({name: factory() for name, factory in SIMULATED.items()})

    @property
    def systems(self) -> list[str]:
        """The names of the configured outside systems (`slik`, `core_banking`, ...)."""
        return sorted(self._systems)

    def call(self, operation_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        system, _, operation = operation_name.partition("/")
        connector = self._systems.get(system)
        if connector is None:
            raise ConnectorFailed(f"No connector is configured for {system!r} ({operation_name}).")
        return connector.call(operation, params)


def connectors_from_config(name: str) -> Connectors:
    """Build the connectors named by configuration; only `simulated` ships with Alur."""
    if name != "simulated":
        raise ValueError(f"Unknown connector set {name!r}; Alur ships 'simulated'.")
    return Connectors.simulated()
