"""Process definitions: deploy an upload, list versions, read one, its XML and a diff."""

from flask import Response, current_app, request

from api.context import actor, alur, requires
from api.openapi import json_answer
from api.parsing import Blueprint
from api.schemas import (
    CoverageResponse,
    DeploymentQuery,
    DeploymentResponse,
    DiffQuery,
    MigrationRequest,
    VersionResponse,
)
from engine.services.coverage import version_coverage
from engine.services.deployments import deploy_upload
from engine.services.migrations import migrate_applications
from engine.services.versions import diff_versions, get_version, list_definitions, version_bpmn

bp = Blueprint("definitions", __name__, description="Process definitions and their versions")
READERS = ("process_owner", "auditor", "supervisor")
DIAGRAM_READERS = ("account_officer", "surveyor", "credit_analyst", "approver", "operations",
                   "collection")  # officers see the path of their cases on the diagram


def uploaded_files() -> dict[str, bytes]:
    """Every file part of a multipart request, whatever its field name."""
    request.max_content_length = current_app.config["MAX_UPLOAD_LENGTH"]
    files = {}
    for _, upload in request.files.items(multi=True):
        with upload.stream:
            if upload.filename:
                files[upload.filename] = upload.read()
    return files


@bp.route("", methods=["POST"])
@requires("process_owner")
@bp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"files": {"type": "array", "items": {
        "type": "string", "format": "binary"}}}}}}})
@bp.arguments(DeploymentQuery, location="query", as_kwargs=True)
@bp.response(201, DeploymentResponse)
@bp.alt_response(200, schema=DeploymentResponse, description="Nothing changed: no new version")
def deploy(verify: str | None = None, features: list[str] | None = None):
    """Deploy .bpmn, .dmn and form .json files; 422 lists every problem found.

    `?verify=features` runs the feature scenarios against the candidate first (`&features=`
    names the features whose scenarios run, e.g. `credit_policy`; all without it).
    """
    result = deploy_upload(alur(), uploaded_files(), actor().name, verify == "features",
                           tuple(features or ()))
    return result, 201 if result["created"] else 200


@bp.route("", methods=["GET"])
@requires(*READERS)
@bp.response(200, VersionResponse(many=True))
def list_all():
    """Every deployed version, newest first per process."""
    return list_definitions(alur())


@bp.route("/<key>/versions/<int:version>", methods=["GET"])
@requires(*READERS)
@bp.response(200, VersionResponse)
def get_one(key: str, version: int):
    """Metadata of one version."""
    return get_version(alur(), key, version)


@bp.route("/<key>/versions/<int:version>/bpmn", methods=["GET"])
@requires(*READERS, *DIAGRAM_READERS)
@bp.response(200, content_type="application/xml")
def get_bpmn(key: str, version: int):
    """The diagram's XML, to open in Camunda Modeler or bpmn.io."""
    return Response(version_bpmn(alur(), key, version), mimetype="application/xml")


@bp.route("/<key>/versions/<int:version>/coverage", methods=["GET"])
@requires(*READERS)
@bp.response(200, CoverageResponse)
def get_coverage(key: str, version: int):
    """Which flow nodes and sequence flows the applications pinned to this version went through."""
    return version_coverage(alur(), key, version)


@bp.route("/<key>/diff", methods=["GET"])
@requires(*READERS)
@bp.doc(**json_answer("Added, removed and changed elements and DMN rules"))
@bp.arguments(DiffQuery, location="query", as_kwargs=True)
def diff(key: str, old: int, new: int):
    """Added, removed and changed elements and DMN rules between two versions."""
    return diff_versions(alur(), key, old, new)


@bp.route("/<key>/migrations", methods=["POST"])
@requires("process_owner")
@bp.doc(**json_answer("Per application: migrated, or why not"))
@bp.arguments(MigrationRequest)
def migrate(body, key: str):
    """Move running applications from one version to another (`dry_run` only reports)."""
    return migrate_applications(alur(), actor(), key, body["from_version"], body["to_version"],
                                body["renamed_tasks"], body["dry_run"])
