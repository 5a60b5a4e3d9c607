"""Messages from core banking and other systems (role `integration`)."""

from api.context import actor, alur, requires
from api.parsing import Blueprint
from api.schemas import MessageQuery, MessageRequest, MessageResponse
from engine.services import messages as service

bp = Blueprint("messages", __name__, description="Events from outside systems")


@bp.route("/<name>", methods=["POST"])
@requires("integration")
@bp.arguments(MessageRequest)
@bp.response(202, MessageResponse, description="Kept: the case does not wait for it yet")
@bp.alt_response(200, schema=MessageResponse, description="Delivered to the case waiting for it")
def receive_message(body, name: str):
    """Deliver an event (`disbursement_confirmed`, `installment_paid`, `days_past_due_updated`,
    `paid_off`) to the application or loan with this business key; a repeated id is ignored."""
    message = service.receive_message(alur(), actor(), name, body)
    return message, 200 if message["status"] == "delivered" else 202


@bp.route("", methods=["GET"])
@requires("integration", "operations", "supervisor", "auditor")
@bp.arguments(MessageQuery, location="query", as_kwargs=True)
@bp.response(200, MessageResponse(many=True))
def list_messages(status: str, business_key: str | None = None):
    """Messages, newest first; `kept` ones wait for their case."""
    return service.list_messages(alur(), status, business_key)
