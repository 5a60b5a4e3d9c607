"""Incidents: failed outside calls that operations can see, retry or resolve by hand."""

from api.context import actor, alur, requires
from api.parsing import Blueprint
from api.schemas import IncidentQuery, IncidentResolveRequest, IncidentResponse
from engine.services import incidents as service

bp = Blueprint("incidents", __name__, description="Failed outside calls")


@bp.route("", methods=["GET"])
@requires("operations", "supervisor", "auditor")
@bp.arguments(IncidentQuery, location="query", as_kwargs=True)
@bp.response(200, IncidentResponse(many=True))
def list_incidents(status: str):
    """Incidents, newest first."""
    return service.list_incidents(alur(), status)


@bp.route("/<int:incident_id>/retry", methods=["POST"])
@requires("operations")
@bp.response(200, IncidentResponse)
def retry_incident(incident_id: int):
    """Retry the failed call now; `resolved` if it went through."""
    return service.retry_incident(alur(), actor(), incident_id)


@bp.route("/<int:incident_id>/resolve", methods=["POST"])
@requires("operations")
@bp.arguments(IncidentResolveRequest)
@bp.response(200, IncidentResponse)
def resolve_incident(body, incident_id: int):
    """Finish the failed call by hand with its result; the process moves on."""
    return service.resolve_incident(alur(), actor(), incident_id, body["result"], body["note"])
