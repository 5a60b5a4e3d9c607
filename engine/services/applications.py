"""Start credit applications and read them."""

from typing import Any

from engine import forms
from engine.bootstrap import Alur
from engine.services.definitions import ensure_loaded
from engine.services.progress import advance
from engine.services.users import Actor
from engine.services.views import application_view, event_view, page_view

PROCESS_KEY = "credit_application"
START_EVENT = "start_application"


def start_application(alur: Alur, payload: Any, actor: Actor) -> dict[str, Any]:
    """An account officer registers an application; the process runs to its first user task.

    Raises:
        RoleRequired: the actor is not an account officer.
        FormInvalid: the payload does not satisfy the start form.
    """
    actor.require("account_officer")
    with alur.uow() as uow:
        definition = uow.definitions.latest(PROCESS_KEY)
        version = ensure_loaded(alur, definition)
        start_form = version.forms[version.meta["forms"][START_EVENT]]
        data = forms.validate(start_form, payload)
        now = alur.clock.now()
        application = uow.applications.add(
            number_of=lambda case_id: f"APP-{now.year}-{case_id:06d}",
            definition_id=definition.id, status="active", stage="collection",
            product=data["product"], amount=data["amount"], tenor_months=data["tenor_months"],
            applicant_name=data["applicant"]["name"], created_by=actor.name, branch=actor.branch,
            summary={},
            state_json="{}", created_at=now, updated_at=now)
        data |= {"application_number": application.number,
                 "application_date": now.date().isoformat()}
        instance = alur.workflows.start(definition.sha256, data)
        uow.events.append(application, "application_started", actor.name, now,
                          {"data": data, "definition": definition.sha256},
                          role="account_officer")
        advance(alur, uow, application, instance, instance.run(), now)
        view = application_view(uow, application)  # in the same transaction: one round less
        uow.commit()
        return view


def get_application(alur: Alur, application_id: int) -> dict[str, Any]:
    """One application with its decisions so far and its open tasks."""
    with alur.uow() as uow:
        return application_view(uow, uow.applications.get(application_id))


def list_applications(alur: Alur, filters: dict[str, Any], page: int,
                      per_page: int) -> dict[str, Any]:
    """Applications, newest first, filtered by stage, status, number or product."""
    with alur.uow() as uow:
        found = uow.applications.search(filters, page, per_page)
        return page_view(found, [application_view(uow, row, with_details=False)
                                 for row in found.items])


def list_events(alur: Alur, application_id: int) -> list[dict[str, Any]]:
    """The application's event log in order."""
    with alur.uow() as uow:
        uow.applications.get(application_id)
        return [event_view(row) for row in uow.events.for_application(application_id)]
