"""Messages from core banking and other systems, routed by business key, kept until awaited.

SpiffWorkflow lets any instance catch the first message of a name whatever its correlation key,
so Alur routes by business key itself: the message goes to the case with that number (or the loan
that application became) only when that case waits for it; otherwise it is kept and delivered
the moment the case starts waiting. A message id seen before is not acted on twice.
"""

import re
from typing import Any

from engine.bootstrap import Alur
from engine.errors import ApplicationNotFound, FormInvalid
from engine.services.definitions import ensure_loaded
from engine.services.delivery import deliver
from engine.services.progress import advance
from engine.services.users import Actor
from engine.unit_of_work import UnitOfWork

NAME = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
FINISHED = ("rejected", "lapsed", "completed", "paid_off")


def receive_message(alur: Alur, actor: Actor, name: str, body: dict[str, Any]) -> dict[str, Any]:
    """Accept one message; deliver it if its case waits for it, keep it otherwise.

    Returns the message with `status` `delivered` or `kept` and `duplicate` when its id was
    seen before (then nothing is done again).

    Raises:
        FormInvalid: a bad name. ApplicationNotFound: no case has this business key.
    """
    actor.require("integration")
    if not NAME.fullmatch(name):  # `$` alone would let "paid_off\n" through
        raise FormInvalid({"name": ["A message name is lowercase letters, digits and "
                                    "underscores."]})
    with alur.uow() as uow:
        seen = uow.messages.by_message_id(body["message_id"])
        if seen is not None:
            return message_view(seen) | {"duplicate": True}
        case = uow.applications.by_number(body["business_key"])
        if case is None:
            raise ApplicationNotFound(f"No application or loan has the business key "
                                      f"{body['business_key']!r}.")
        now = alur.clock.now()
        message = uow.messages.add(
            message_id=body["message_id"], name=name, business_key=body["business_key"],
            payload=body.get("payload", {}), status="kept", received_by=actor.name,
            received_at=now)
        _route(alur, uow, case, message, now)
        uow.commit()
        return message_view(message) | {"duplicate": False}


def _route(alur: Alur, uow: UnitOfWork, case: Any, message: Any, now: Any) -> None:
    for target in [case, *uow.applications.children(case.id)]:
        if target.status in FINISHED:
            continue
        ensure_loaded(alur, target.definition)
        instance = alur.workflows.load(target.definition.sha256, target.state_json,
                                         target.id)
        if message.name in instance.waiting_messages():
            events = deliver(uow, target, instance, message, now)
            advance(alur, uow, target, instance, events, now)
            return


def list_messages(alur: Alur, status: str, business_key: str | None) -> list[dict[str, Any]]:
    """Messages, newest first: `kept`, `delivered` or `all`."""
    with alur.uow() as uow:
        return [message_view(row) for row in uow.messages.listing(status, business_key)]


def message_view(row: Any) -> dict[str, Any]:
    return {"message_id": row.message_id, "name": row.name, "business_key": row.business_key,
            "payload": row.payload, "status": row.status, "received_at": row.received_at,
            "delivered_at": row.delivered_at,
            "delivered_to": row.application_id}
