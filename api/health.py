"""Liveness and database reachability, without authentication."""

from flask import Blueprint

from api.context import alur
from engine.services.health import check

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """`ok` when the database answers."""
    return check(alur())
