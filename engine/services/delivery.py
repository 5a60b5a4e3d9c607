"""Hand kept messages to the case they name, once it waits for them."""

from datetime import datetime
from typing import Any

from engine.unit_of_work import UnitOfWork
from engine.workflow import Event, Instance


def business_keys(uow: UnitOfWork, case: Any) -> list[str]:
    """The keys a case answers to: its own number, and a loan also its application's."""
    keys = [case.number]
    if case.parent_id is not None:
        keys.append(uow.applications.get(case.parent_id).number)
    return keys


def deliver(uow: UnitOfWork, case: Any, instance: Instance, message: Any,
            now: datetime) -> list[Event]:
    """Deliver one message now; the delivery is an input of the case's event log (replays)."""
    uow.events.append(case, "message_delivered", message.received_by, now,
                      {"message_id": message.message_id, "name": message.name,
                       "payload": message.payload,
                       "received_at": message.received_at.isoformat()}, role="integration")
    message.status, message.delivered_at, message.application_id = "delivered", now, case.id
    return instance.deliver(message.name, message.payload)


def deliver_kept(uow: UnitOfWork, case: Any, instance: Instance,
                 now: datetime) -> list[Event] | None:
    """The oldest kept message the case waits for now, delivered; None when there is none."""
    names = instance.waiting_messages()
    if not names:
        return None
    kept = uow.messages.kept_for(business_keys(uow, case), names)
    return deliver(uow, case, instance, kept[0], now) if kept else None
