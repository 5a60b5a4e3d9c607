"""Alur's HTTP API: a thin Flask layer over the engine's use cases."""

import copy
from collections.abc import Mapping
from typing import Any

from flask import Flask

from api import (
    applications,
    audit,
    camunda,
    definitions,
    errors,
    forms_doc,
    health,
    incidents,
    loans,
    me,
    messages,
    parsing,
    processes,
    reports,
    security,
    tasks,
    ui,
)
from api.config import DefaultConfig
from api.openapi import Api
from engine.bootstrap import bootstrap


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; configuration from DefaultConfig, `ALUR_*` variables, then `test_config`."""
    app = Flask(__name__)
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("ALUR")
    app.config.update(test_config or {})
    # apispec writes the title and version into the options' `info` when it serves the document:
    # each app its own copy, not DefaultConfig's dict (the first app's title for every app after)
    app.config["API_SPEC_OPTIONS"] = copy.deepcopy(app.config["API_SPEC_OPTIONS"])
    parsing.init_app(app)  # before any route: the path converters
    security.init_app(app)
    app.extensions["alur"] = bootstrap(app.config["DATABASE_URL"], clock=app.config.get("CLOCK"),
                                       connectors=app.config["CONNECTORS"],
                                       workflow_dir=app.config["WORKFLOW_DIR"],
                                       forms_dir=app.config["FORMS_DIR"],
                                       token_cache_seconds=app.config["TOKEN_CACHE_SECONDS"])
    api = Api(app)
    errors.init_app(app)
    start_form = forms_doc.start_form(app.extensions["alur"])
    documented = api.reuse_document(start_form)
    if not documented:
        forms_doc.document_forms(api, start_form)
    app.register_blueprint(health.bp)
    api.register_blueprint(applications.bp, url_prefix="/api/applications")
    api.register_blueprint(tasks.bp, url_prefix="/api/tasks")
    api.register_blueprint(audit.bp, url_prefix="/api")
    api.register_blueprint(definitions.bp, url_prefix="/api/definitions")
    api.register_blueprint(camunda.bp, url_prefix="/engine-rest")
    api.register_blueprint(incidents.bp, url_prefix="/api/incidents")
    api.register_blueprint(messages.bp, url_prefix="/api/messages")
    api.register_blueprint(loans.bp, url_prefix="/api/loans")
    api.register_blueprint(processes.bp, url_prefix="/api/processes")
    api.register_blueprint(reports.bp, url_prefix="/api/reports")
    api.register_blueprint(me.bp, url_prefix="/api/me")
    app.register_blueprint(ui.bp)  # the browser front end at /ui/, on the same API
    if not documented:
        api.keep_document()
    return app
