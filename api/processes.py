"""Processes: start a case of any deployed process people start."""

from flask import request
from flask_smorest import Blueprint

from api.context import actor, alur, requires
from api.schemas import ApplicationResponse
from engine.services import cases as service

bp = Blueprint("processes", __name__, description="Cases of any deployed process")


@bp.route("/<key>/instances", methods=["POST"])
@requires()
@bp.doc(requestBody={"required": True, "content": {"application/json": {
    "schema": {"type": "object"}}}})
@bp.response(201, ApplicationResponse)
def start_case(key: str):
    """Start the newest version of process `key` with its start form; the start event's lane is
    the role that may start it (credit applications: the same as POST /api/applications)."""
    return service.start_case(alur(), key, request.get_json(), actor())
