"""Staff login and logout (`/<lang>/dashboard/login`, `/<lang>/dashboard/logout`)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from engage.auth import services
from engage.auth.forms import LoginForm
from engage.core.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")

REASONS = {
    "invalid": lambda: _("The e-mail address or the password is not right."),
    "locked": lambda: _("Too many failed attempts: the account is locked for a while. Try again later."),
    "demo_refused": lambda: _("Demo accounts cannot log in on a production site."),
}


def _is_production() -> bool:
    return current_app.config["ENV"] == "production"


@login_manager.user_loader
def load_user(session_id: str):
    """Return the logged-in staff member for Flask-Login."""
    return services.load_user(session_id, is_production=_is_production())


@login_manager.unauthorized_handler
def unauthorized():
    """Send an anonymous visitor to the login page, remembering where they were going."""
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the dashboard (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Show the login form; on success go where the person was going."""
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data))
    error = None
    if form.validate_on_submit():
        result = services.authenticate(
            form.email.data or "", form.password.data or "",
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"], is_production=_is_production(),
        )
        db.session.commit()
        if result.user is not None:
            login_user(result.user)
            return redirect(safe_next(form.next.data), code=303)
        error = REASONS[result.reason]()
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    """End the staff session."""
    logout_user()
    return redirect(url_for("auth.login"), code=303)
