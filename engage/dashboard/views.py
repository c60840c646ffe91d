"""Staff pages (`/<lang>/dashboard/…`): overview, summaries, comparison, answers, exports, jobs, audit."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from engage.auth.access import staff_required
from engage.core.extensions import db
from engage.dashboard import services
from engage.dashboard.filters import Filters
from engage.dashboard.labels import template_helpers, theme_name
from engage.jobs import latest_runs
from engage.models import AuditEvent

bp = Blueprint("dashboard", __name__, template_folder="templates")
bp.context_processor(template_helpers)
bp.add_app_template_filter(theme_name, "theme_name")
#: `/dashboard` without a language: sends the browser to its language's dashboard.
root = Blueprint("dashboard_root", __name__)


@root.get("/dashboard")
@root.get("/dashboard/")
def dashboard_root():
    """Redirect to the dashboard in the browser's preferred language."""
    lang = request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "da"
    return redirect(url_for("dashboard.home", lang=lang))


@bp.get("/")
@staff_required()
def home():
    """Show the surveys, the latest jobs and when each kind of job last succeeded."""
    return render_template("dashboard/home.html", surveys=services.survey_overview(),
                           jobs=services.recent_jobs(current_user), last_runs=latest_runs())


@bp.get("/summaries")
@staff_required()
def summaries():
    """Show themed summaries with charts for the selected answers."""
    filters = Filters.from_args(request.args)
    services.check_filters(current_user, filters)
    view = services.summaries_view(filters, current_user)
    db.session.commit()
    return render_template("dashboard/summaries.html", view=view, choices=services.filter_choices(filters),
                           min_answers=current_app.config["MIN_ANSWERS_FOR_SHARE"])


@bp.post("/summaries/refresh")
@staff_required()
def refresh_summaries():
    """Recompute the selected summary now (as a job), then return to it."""
    filters = Filters.from_args(request.form)
    services.check_filters(current_user, filters)
    services.request_summary(filters, current_user)
    return redirect(url_for("dashboard.summaries", **filters.to_args()), code=303)


@bp.get("/summaries.json")
@staff_required()
def summaries_json():
    """Download the selected summary as JSON."""
    filters = Filters.from_args(request.args)
    services.check_filters(current_user, filters)
    document = services.summaries_document(filters, current_user)
    db.session.commit()
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="engage-summaries-{filters.survey or "all"}.json"'
    return response


@bp.get("/compare")
@staff_required()
def compare():
    """Compare a municipality with the region or with another municipality, theme by theme."""
    filters = Filters.from_args(request.args)
    own = services.municipality_slug(current_user)
    a, b = request.args.get("a") or own or "kobenhavn", request.args.get("b") or services.REGION
    view, side_a, side_b, rows = services.comparison(
        filters, a, b, current_user, current_app.config["MIN_ANSWERS_FOR_SHARE"])
    db.session.commit()
    return render_template("dashboard/compare.html", view=view, a=side_a, b=side_b, rows=rows,
                           choices=services.filter_choices(filters), own=own,
                           min_answers=current_app.config["MIN_ANSWERS_FOR_SHARE"])


@bp.get("/answers/<int:answer_id>")
@staff_required()
def answer(answer_id: int):
    """Show one answer with its themes (only within the reader's municipality scope)."""
    return render_template("dashboard/answer.html", answer=services.answer_for(answer_id, current_user))


@bp.route("/exports", methods=["GET", "POST"])
@staff_required()
def exports():
    """Offer answer exports; a request becomes a job whose page has the download."""
    filters = Filters.from_args(request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        return render_template("dashboard/exports.html", filters=filters, choices=services.filter_choices(filters))
    job = services.request_export(filters, request.form.get("format", ""), request.form.get("file_lang") or "da",
                                  current_user)
    return redirect(url_for("dashboard.job", job_id=job.id), code=303)


@bp.get("/jobs")
@staff_required()
def jobs():
    """List recent jobs with their progress."""
    return render_template("dashboard/jobs.html", jobs=services.recent_jobs(current_user, 50),
                           last_runs=latest_runs())


@bp.get("/jobs/<int:job_id>")
@staff_required()
def job(job_id: int):
    """Show one job's progress (JSON for the page's live updates with ?format=json)."""
    job = services.job_for(job_id, current_user)
    if request.args.get("format") == "json":
        return jsonify(id=job.id, state=job.state, done=job.done, total=job.total,
                       percent=round(job.percent * 100), stalled=services.job_is_stalled(job))
    return render_template("dashboard/job.html", job=job, stalled=services.job_is_stalled(job))


@bp.get("/jobs/<int:job_id>/download")
@staff_required()
def download(job_id: int):
    """Download a finished export (audited)."""
    job = services.job_for(job_id, current_user)
    path = services.export_file(job, current_user)
    db.session.commit()
    name = f"engage-{job.result.get('survey', 'answers')}-{job.id}.{job.result.get('format')}"
    return send_file(path, as_attachment=True, download_name=name, max_age=0)


@bp.get("/audit")
@staff_required("admin")
def audit_log():
    """Show the latest audit events (admins only)."""
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200)).all()
    return render_template("dashboard/audit.html", events=events)


# The other staff pages register their routes on the same blueprint.
from engage.dashboard import (  # noqa: E402, F401
    builder_views,
    drafts_views,
    embed_views,
    review_views,
    surveys_views,
    themes_views,
)
