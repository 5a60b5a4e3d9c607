"""Default configuration; every key can be set as `ALUR_<KEY>` in the environment."""

from engine.bootstrap import DEFAULT_DATABASE_URL, FORMS_DIR, WORKFLOW_DIR


class DefaultConfig:
    DATABASE_URL = DEFAULT_DATABASE_URL
    CONNECTORS = "simulated"
    WORKFLOW_DIR = str(WORKFLOW_DIR)  # the bundled diagrams `alur serve` deploys
    FORMS_DIR = str(FORMS_DIR)
    CLOCK = None
    # How long a process remembers whose a bearer token is; a token revoked by another process
    # (`alur users revoke`) still works here for at most this long. 0: remember nothing.
    TOKEN_CACHE_SECONDS = 5
    MAX_CONTENT_LENGTH = 1024 * 1024  # a JSON body; larger is 413
    MAX_UPLOAD_LENGTH = 12 * 1024 * 1024  # a deployment upload (the service refuses > 10 MB)
    PROBLEM_BASE_URI = "https://alur.example/problems/"
    API_TITLE = "Alur"
    API_VERSION = "0.1.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "info": {"description": "Credit application approval on BPMN. Every endpoint but /health "
                                "needs `Authorization: Bearer <token>`."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
