"""Engage: citizen and stakeholder engagement for the Smart Greater Copenhagen strategy."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

__all__ = ["create_app"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: configure, bind extensions, create services, register blueprints and commands.

    Never touches the database, the network or spaCy: those load lazily on first use.
    """
    app = Flask(__name__, instance_relative_config=True)
    _configure(app, config)
    _init_extensions(app)
    _init_services(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _configure(app: Flask, config: Mapping[str, Any] | None) -> None:
    """Load defaults, then ENGAGE_* variables and DATABASE_URL, then `config`."""
    from engage.core import observability
    from engage.core.config import Defaults, database_url_from_env
    from engage.core.security import check_production_config

    app.config.from_object(Defaults)
    app.config.from_prefixed_env("ENGAGE")
    if url := database_url_from_env():
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if config:
        app.config.update(config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        os.makedirs(app.instance_path, exist_ok=True)
        db_path = Path(app.instance_path) / "engage.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config["NLP_MODEL_DIR"]:
        app.config["NLP_MODEL_DIR"] = str(Path(app.instance_path) / "models")
    if not app.config["LABELS_DIR"]:
        app.config["LABELS_DIR"] = str(Path(app.instance_path) / "labels")
    if not app.config["EXPORT_DIR"]:
        app.config["EXPORT_DIR"] = str(Path(app.instance_path) / "exports")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    observability.configure_logging(app)
    check_production_config(app)


def _init_extensions(app: Flask) -> None:
    """Bind the extension objects and the cross-cutting request hooks."""
    from engage.core import errors, i18n, limits, observability, security
    from engage.core.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    if app.config["REDIS_URL"] and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    limits.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    observability.init_metrics(app)
    observability.init_request_log(app)


def _init_services(app: Flask) -> None:
    """Create the app's analyser and job queue (neither loads spaCy nor connects yet)."""
    from engage import jobs
    from engage.surveys import analysis

    analysis.init_app(app)
    jobs.init_app(app)


def _register_blueprints(app: Flask) -> None:
    """Mount the feature blueprints."""
    from engage.auth.views import bp as auth_bp
    from engage.core.views import bp as core_bp
    from engage.dashboard import builder_views
    from engage.dashboard.views import bp as dashboard_bp
    from engage.dashboard.views import root as dashboard_root_bp
    from engage.surveys.views import bp as surveys_bp
    from engage.widget import views as widget

    app.register_blueprint(core_bp)
    app.register_blueprint(surveys_bp, url_prefix="/<any(da,en):lang>")
    # The same survey pages, made to be framed by the municipalities' sites (the widget).
    app.register_blueprint(surveys_bp, url_prefix="/embed/<any(da,en):lang>", name="embed")
    widget.init_app(app)
    app.register_blueprint(auth_bp, url_prefix="/<any(da,en):lang>/dashboard")
    app.register_blueprint(dashboard_bp, url_prefix="/<any(da,en):lang>/dashboard")
    app.register_blueprint(dashboard_root_bp)
    builder_views.init_preview(app)


def _register_commands(app: Flask) -> None:
    """Add each package's command group: translate, surveys, demo, auth, jobs, nlp."""
    from engage.auth.cli import auth_cli
    from engage.core.cli import translate_cli
    from engage.demo.cli import demo_cli
    from engage.jobs.cli import jobs_cli
    from engage.nlp.cli import nlp_cli
    from engage.surveys.cli import surveys_cli

    for group in (translate_cli, surveys_cli, demo_cli, auth_cli, jobs_cli, nlp_cli):
        app.cli.add_command(group)
