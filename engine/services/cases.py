"""Start a case of any deployed process that people start (not only credit applications)."""

from typing import Any

from engine import forms
from engine.bootstrap import Alur
from engine.errors import NotAllowed
from engine.services.applications import PROCESS_KEY, start_application
from engine.services.definitions import ensure_loaded
from engine.services.progress import advance
from engine.services.users import Actor
from engine.services.views import application_view


def start_case(alur: Alur, key: str, payload: Any, actor: Actor) -> dict[str, Any]:
    """Start the newest version of process `key`; the start event's lane names who may.

    Raises:
        DefinitionNotFound: no such process. NotAllowed: only the engine starts it.
        RoleRequired: the actor lacks the start lane's role. FormInvalid: bad start data.
    """
    if key == PROCESS_KEY:
        return start_application(alur, payload, actor)
    with alur.uow() as uow:
        definition = uow.definitions.latest(key)
        version = ensure_loaded(alur, definition)
        starts = version.meta.get("starts") or {}
        if not starts:
            raise NotAllowed(f"Process {key!r} is started by the engine, not by people.")
        start_id, role = next(iter(starts.items()))
        if role:
            actor.require(role)
        form_file = version.meta["forms"].get(start_id)
        data = forms.validate(version.forms[form_file], payload) if form_file else {}
        now = alur.clock.now()
        case = uow.applications.add(
            number_of=lambda case_id: f"CASE-{now.year}-{case_id:06d}", kind="case",
            definition_id=definition.id, status="active",
            stage="started", product=key[:30], amount=0, tenor_months=0, applicant_name="",
            created_by=actor.name, branch=actor.branch, summary={}, state_json="{}",
            created_at=now, updated_at=now)
        data |= {"case_number": case.number}
        instance = alur.workflows.start(definition.sha256, data)
        uow.events.append(case, "case_started", actor.name, now,
                          {"data": data, "definition": definition.sha256}, role=role)
        advance(alur, uow, case, instance, instance.run(), now)
        view = application_view(uow, case)  # in the same transaction: one round less
        uow.commit()
        return view
