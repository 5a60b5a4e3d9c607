"""The caller: who a bearer token belongs to (the browser front end signs in with it)."""

from api.context import actor, requires
from api.parsing import Blueprint
from api.schemas import MeResponse
from engine.services.users import describe

bp = Blueprint("me", __name__, description="The caller's user")


@bp.route("", methods=["GET"])
@requires()
@bp.response(200, MeResponse)
def get_me():
    """Name, roles, authority limit (Rupiah) and branch of the token's user; 401 if unknown."""
    return describe(actor())
