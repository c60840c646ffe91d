"""Pages outside any language prefix: the language choice and the health check."""

from __future__ import annotations

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
    """Report whether the app can reach its database (for load balancers)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any failure means unhealthy
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
