"""Pages outside any language prefix: the language choice and the health and readiness probes."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from engage.core.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def choose_language():
    """Show the language choice; a browser that prefers one of ours goes straight there."""
    best = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    if best and "choose" not in request.args:
        return redirect(url_for(current_app.config["HOME_ENDPOINT"], lang=best))
    return render_template("choose_language.html")


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers requests (restart it when this fails)."""
    return jsonify(status="ok")


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """Return the head revisions of the migrations shipped with this code (read once)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())


@bp.get("/readyz")
def readyz():
    """Readiness: the database answers, its schema is at the code's migration head, and the
    analysis model is present (send traffic here only when this says ready)."""
    checks: dict[str, str] = {}
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
        checks["database"] = "ok"
        checks["migrations"] = "at head" if current == migration_heads() else "behind: run flask db upgrade"
    except Exception as exc:  # noqa: BLE001 — any failure means not ready
        db.session.rollback()
        current_app.logger.warning("readiness: database check failed (%s)", type(exc).__name__)
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
    analyser = current_app.extensions.get("engage.analyser")
    checks["model"] = analyser.status() if hasattr(analyser, "status") else "unknown"
    ready = checks["database"] == "ok" and checks["migrations"] == "at head" and checks["model"] != "missing"
    return jsonify(status="ready" if ready else "not ready", **checks), 200 if ready else 503
