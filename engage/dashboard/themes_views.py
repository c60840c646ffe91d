"""Staff pages for theme management and discovery (`/<lang>/dashboard/themes`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engage.auth.access import staff_required
from engage.core.extensions import db
from engage.dashboard import services, themes
from engage.dashboard.views import bp
from engage.jobs import enqueue
from engage.models import Theme
from engage.models.strategy import ThemeCandidate


def _theme(slug: str) -> Theme:
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        abort(404)
    return theme


def _candidate(candidate_id: int) -> ThemeCandidate:
    candidate = db.session.get(ThemeCandidate, candidate_id)
    if candidate is None:
        abort(404)
    return candidate


@bp.get("/themes")
@staff_required("admin", "analyst")
def theme_list():
    """List the themes with their answer counts, and the discovered candidates."""
    return render_template("dashboard/themes.html", themes=themes.all_themes(), counts=themes.theme_answer_counts(),
                           candidates=themes.candidates())


@bp.route("/themes/<slug>", methods=["GET", "POST"])
@staff_required("admin", "analyst")
def theme_edit(slug: str):
    """Edit a theme's names, descriptions and keywords in both languages."""
    theme, error = _theme(slug), None
    if request.method == "POST":
        try:
            themes.update_theme(theme, request.form, current_user)
            db.session.commit()
            services.reload_analysers()
            flash(_("Saved. The new keywords are used for new answers at once."), "success")
            return redirect(url_for("dashboard.theme_list"), code=303)
        except themes.ThemeError as exc:
            db.session.rollback()
            error = exc
    return render_template("dashboard/theme_edit.html", theme=theme, error=error, form=request.form,
                           keywords={lang: themes.effective_keywords(theme, lang) for lang in ("da", "en")}), \
        (422 if error else 200)


@bp.post("/themes/discover")
@staff_required("admin", "analyst")
def discover():
    """Look for candidate themes among the answers no theme claimed (a job)."""
    job = enqueue("discover", {}, user_id=current_user.id)
    return redirect(url_for("dashboard.job", job_id=job.id), code=303)


@bp.route("/themes/candidates/<int:candidate_id>", methods=["GET", "POST"])
@staff_required("admin", "analyst")
def candidate(candidate_id: int):
    """Adopt a candidate as a new theme, merge it into a theme, or dismiss it."""
    item, error = _candidate(candidate_id), None
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "adopt":
                theme = themes.adopt_candidate(item, request.form, current_user)
            elif action == "merge":
                theme = _theme(request.form.get("theme", ""))
                themes.merge_candidate(item, theme, current_user)
            elif action == "dismiss":
                themes.dismiss_candidate(item, current_user)
                theme = None
            else:
                abort(400)
            db.session.commit()
            services.reload_analysers()
            if theme is not None:
                enqueue("analyse", {"survey": None, "all": True}, user_id=current_user.id)
            return redirect(url_for("dashboard.theme_list"), code=303)
        except themes.ThemeError as exc:
            db.session.rollback()
            error = exc
    return render_template("dashboard/candidate.html", candidate=item, error=error, form=request.form,
                           themes=themes.all_themes(), keywords=themes.candidate_keywords(item),
                           slug=themes.slugify(item.label)), (422 if error else 200)
