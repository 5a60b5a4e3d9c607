"""Process definitions: versions, deployments, diffs, migrations and coverage."""

from marshmallow import Schema, fields, validate

from api.parsing import DB_INT_MAX
from engine.services.feature_check import FEATURES


class VersionResponse(Schema):
    key = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    deployed_at = fields.String()
    deployed_by = fields.String()
    latest = fields.Boolean()
    created = fields.Boolean()
    files = fields.List(fields.String())
    forms = fields.List(fields.String())
    decisions = fields.List(fields.String())
    user_tasks = fields.List(fields.String())


class DeploymentResponse(Schema):
    created = fields.Boolean(metadata={"description": "false when every process was unchanged"})
    definitions = fields.List(fields.Nested(VersionResponse))
    warnings = fields.List(fields.String())


class DiffQuery(Schema):
    old = fields.Integer(required=True, data_key="from",
                         validate=validate.Range(min=1, max=DB_INT_MAX))
    new = fields.Integer(required=True, data_key="to",
                         validate=validate.Range(min=1, max=DB_INT_MAX))


class MigrationRequest(Schema):
    """Body of POST /api/definitions/{key}/migrations."""

    from_version = fields.Integer(required=True, strict=True,
                                  validate=validate.Range(min=1, max=DB_INT_MAX))
    to_version = fields.Integer(required=True, strict=True,
                                validate=validate.Range(min=1, max=DB_INT_MAX))
    renamed_tasks = fields.Dict(keys=fields.String(validate=validate.Length(max=100)),
                                values=fields.String(validate=validate.Length(max=100)),
                                load_default=dict,
                                metadata={"description": "old task id → new task id"})
    dry_run = fields.Boolean(load_default=True)


class DeploymentQuery(Schema):
    verify = fields.String(validate=validate.OneOf(["features"]),
                           metadata={"description": "run the feature scenarios first"})
    features = fields.List(fields.String(validate=validate.OneOf(FEATURES)),
                           metadata={"description": "with verify=features: only these features' "
                                                    "scenarios (all without it)"})


class CoverageRatio(Schema):
    total = fields.Integer()
    covered = fields.Integer()
    ratio = fields.Float()


class CoverageResponse(Schema):
    """GET /api/definitions/{key}/versions/{n}/coverage: what the recorded cases went through."""

    key = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    nodes = fields.Nested(CoverageRatio)
    flows = fields.Nested(CoverageRatio)
    covered_nodes = fields.List(fields.String())
    uncovered_nodes = fields.List(fields.String())
    covered_flows = fields.List(fields.String())
    uncovered_flows = fields.List(fields.String())
