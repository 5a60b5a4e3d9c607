"""Credit applications: start one, list, read, and read its event log."""

from flask import request

from api.context import actor, alur, requires
from api.parsing import Blueprint
from api.schemas import ApplicationPage, ApplicationQuery, ApplicationResponse, EventResponse
from engine.services import applications as service

bp = Blueprint("applications", __name__, description="Credit applications")
READERS = ("account_officer", "surveyor", "credit_analyst", "approver", "operations",
           "supervisor", "collection", "auditor")


@bp.route("", methods=["POST"])
@requires("account_officer")
@bp.doc(requestBody={"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/StartApplicationForm"}}}})
@bp.response(201, ApplicationResponse)
def start_application():
    """Register a credit application (the start form); the process runs to its first task."""
    return service.start_application(alur(), request.get_json(), actor())


@bp.route("", methods=["GET"])
@requires(*READERS)
@bp.arguments(ApplicationQuery, location="query", as_kwargs=True)
@bp.response(200, ApplicationPage)
def list_applications(page: int, per_page: int, **filters):
    """Applications, newest first; filter by stage, status, number or product."""
    return service.list_applications(alur(), filters, page, per_page)


@bp.route("/<int:application_id>", methods=["GET"])
@requires(*READERS)
@bp.response(200, ApplicationResponse)
def get_application(application_id: int):
    """One application with its decisions so far and its open tasks."""
    return service.get_application(alur(), application_id)


@bp.route("/<int:application_id>/events", methods=["GET"])
@requires(*READERS)
@bp.response(200, EventResponse(many=True))
def list_events(application_id: int):
    """The application's event log, in order."""
    return service.list_events(alur(), application_id)
