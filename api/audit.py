"""Audit: verify the event chain, replay, the state at a past event, what-if, the report."""

from flask import render_template, request

from api.context import actor, alur, requires
from api.openapi import json_answer
from api.parsing import Blueprint
from api.schemas import (
    AuditQuery,
    ReplayResponse,
    StateQuery,
    VerifyResponse,
    WhatIfRequest,
)
from engine.services import audit as service
from engine.services.whatif import whatif

bp = Blueprint("audit", __name__, description="Audit trail, replay and policy backtests")
AUDIT_READERS = ("auditor", "supervisor", "process_owner", "credit_analyst", "approver")


@bp.route("/applications/<int:application_id>/audit/verify", methods=["GET"])
@requires(*AUDIT_READERS)
@bp.response(200, VerifyResponse)
def verify_application(application_id: int):
    """`intact`, or the first broken sequence number and why (changed, missing, reordered)."""
    return service.verify_application(alur(), application_id)


@bp.route("/audit/verify", methods=["GET"])
@requires("auditor")
@bp.response(200, VerifyResponse(many=True))
def verify_all():
    """The chain verdict of every application."""
    return service.verify_all(alur())


@bp.route("/applications/<int:application_id>/replay", methods=["POST"])
@requires(*AUDIT_READERS)
@bp.response(200, ReplayResponse)
def replay_application(application_id: int):
    """Re-run from the pinned version and recorded inputs; `reproduced` or `diverged`."""
    return service.replay_application(alur(), application_id)


@bp.route("/applications/<int:application_id>/state", methods=["GET"])
@requires(*AUDIT_READERS)
@bp.doc(**json_answer("Stage, data, open tasks and decisions after event `at`"))
@bp.arguments(StateQuery, location="query", as_kwargs=True)
def state_at(application_id: int, at: int):
    """The application as it stood after event `at`: stage, data, open tasks, decisions."""
    return service.state_at(alur(), application_id, at)


@bp.route("/applications/<int:application_id>/audit", methods=["GET"])
@requires(*AUDIT_READERS)
@bp.doc(**json_answer("The report as JSON, or as a printable page",
                      **{"text/html": {"schema": {"type": "string"}}}))
@bp.arguments(AuditQuery, location="query", as_kwargs=True)
def audit_report(application_id: int, format: str):
    """Timeline, decisions with inputs and rule, policy version, verification and replay.

    `?format=html` (or `Accept: text/html`) gives a printable page.
    """
    report = service.audit_report(alur(), application_id)
    if format == "html" or request.accept_mimetypes.best == "text/html":
        return render_template("audit_report.html", report=report, reader=actor().name)
    return report


@bp.route("/whatif", methods=["POST"])
@requires("auditor", "process_owner")
@bp.doc(**json_answer("Per application the decisions that would differ, and the outcomes"))
@bp.arguments(WhatIfRequest)
def what_if(body):
    """Replay applications on another process version and report which decisions differ."""
    return whatif(alur(), body["version"], body.get("application_ids"), body.get("created_from"),
                  body.get("created_to"))
