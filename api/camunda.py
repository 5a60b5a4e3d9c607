"""Camunda 7 REST compatibility, so Camunda Modeler's Deploy button deploys to Alur.

The modeler posts `{url}/deployment/create` with `deployment-name`, `deployment-source`,
`deploy-changed-only` and the files; it checks the connection with `GET {url}/deployment`. It may
authenticate with a bearer token, or with HTTP Basic where the password is an Alur token.
"""

import base64
from datetime import UTC, datetime
from typing import Any

from flask import g, jsonify, request

from api.context import alur, requires
from api.definitions import uploaded_files
from api.errors import problem
from api.openapi import json_answer
from api.parsing import Blueprint
from engine.errors import InvalidDefinition, TooLarge
from engine.services.deployments import deploy_upload

bp = Blueprint("camunda", __name__, description="Camunda 7 REST subset for Camunda Modeler")


@bp.before_request
def basic_auth_carries_a_token():
    """Camunda Modeler's 'HTTP Basic' option: the password is the Alur token."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            _, _, token = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            token = ""
        request.environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"


@bp.route("/version", methods=["GET"])
@requires("process_owner")
@bp.doc(**json_answer("The version", {"type": "object", "properties": {
    "version": {"type": "string"}}}))
def version():
    """The Camunda REST API version Alur answers as (the modeler asks with its credentials)."""
    return {"version": "7.21.0"}


@bp.route("/deployment", methods=["GET"])
@requires("process_owner")
@bp.doc(**json_answer("An empty list", {"type": "array", "items": {}}))
def deployments():
    """Connection check of Camunda Modeler: an empty list."""
    return jsonify([])


@bp.route("/deployment/create", methods=["POST"])
@requires("process_owner")
@bp.doc(**json_answer("The deployment in Camunda's DeploymentWithDefinitionsDto shape"))
def create_deployment():
    """Deploy as Camunda would answer; problems come back in Camunda's ParseException shape."""
    files = uploaded_files()
    name = request.form.get("deployment-name", "")
    try:
        result = deploy_upload(alur(), files, g.actor.name)
    except InvalidDefinition as error:
        return _parse_exception(error)
    except TooLarge as error:
        return _camunda_problem(413, "ProcessEngineException", str(error))
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    deployment_id = (result["definitions"] or [{"sha256": "none"}])[0]["sha256"][:16]
    definitions = {f"{d['key']}:{d['version']}:{d['sha256'][:16]}": {
        "id": f"{d['key']}:{d['version']}:{d['sha256'][:16]}", "key": d["key"],
        "name": d["key"], "version": d["version"], "deploymentId": deployment_id,
        "resource": f"{d['key']}.bpmn", "suspended": False, "tenantId": None,
        "versionTag": None, "category": None, "description": None, "diagram": None,
        "historyTimeToLive": None, "startableInTasklist": True}
        for d in result["definitions"]
        if d["created"] or request.form.get("deploy-changed-only") != "true"}
    return {"id": deployment_id, "name": name, "source": request.form.get("deployment-source"),
            "deploymentTime": now, "tenantId": None,
            "links": [{"method": "GET", "href": f"{request.url_root}api/definitions",
                       "rel": "self"}],
            "deployedProcessDefinitions": definitions or None,
            "deployedCaseDefinitions": None, "deployedDecisionDefinitions": None,
            "deployedDecisionRequirementsDefinitions": None,
            "alur": {"created": result["created"], "warnings": result["warnings"]}}


def _parse_exception(error: InvalidDefinition):
    details: dict[str, dict[str, list]] = {}
    for found in error.problems:
        entry = details.setdefault(found.get("file") or "deployment",
                                   {"errors": [], "warnings": []})
        entry["errors"].append({"message": found["message"], "line": found.get("line"),
                                "column": None, "mainElementId": found.get("element"),
                                "elementIds": [found["element"]] if found.get("element") else []})
    message = "; ".join(f"{p.get('element') or p.get('file')}: {p['message']}"
                        for p in error.problems[:10])
    return _camunda_problem(400, "ParseException", "ENGINE-09005 Could not parse BPMN process. "
                            f"Errors in deployment: {message}", details=details,
                            problems=error.problems)


def _camunda_problem(status: int, exception: str, message: str, **extra: Any):
    """Camunda's error body (`type` is its exception class, `message`) that is problem+json too:
    the modeler shows `message`; a relative `type` is a valid RFC 9457 type reference."""
    return problem(status, exception, message, type_=exception, message=message, **extra)
