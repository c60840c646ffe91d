"""Staff pages for the review queue and the theme models (`/<lang>/dashboard/review`, `/models`)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.auth.access import staff_required
from engage.core.extensions import db
from engage.dashboard import models_admin, review, services
from engage.dashboard.views import bp
from engage.jobs import enqueue


def _skipped() -> list[int]:
    """Return the answer ids skipped in this round (carried in the address, newest last)."""
    raw = request.values.get("skipped", "")
    return [int(x) for x in raw.split(",") if x.isdecimal()][-review.MAX_SKIPPED:]


@bp.get("/review")
@staff_required()
def review_queue():
    """Show the most uncertain answer waiting for review, with its suggested themes."""
    item = review.next_for_review(current_user, request.args.get("survey") or None, _skipped())
    return render_template("dashboard/review.html", item=item, themes=review.active_themes(),
                           suggested_sources=review.SUGGESTED_SOURCES,
                           skipped=",".join(map(str, _skipped())), survey=request.args.get("survey") or "")


@bp.post("/review/<int:answer_id>")
@staff_required()
def review_answer(answer_id: int):
    """Store the reviewer's themes (or skip), then show the next answer."""
    answer = services.answer_for(answer_id, current_user)
    survey, skipped = request.form.get("survey") or None, _skipped()
    if request.form.get("action") == "skip":
        skipped.append(answer.id)
    else:
        slugs = [] if request.form.get("action") == "none" else request.form.getlist("themes")
        review.record_review(answer, slugs, current_user)
        db.session.commit()
    args = {"survey": survey} if survey else {}
    if skipped:
        args["skipped"] = ",".join(map(str, skipped[-review.MAX_SKIPPED:]))
    return redirect(url_for("dashboard.review_queue", **args), code=303)


@bp.get("/models")
@staff_required("admin", "analyst")
def models():
    """Compare the trained models' held-out figures; admins activate one."""
    return render_template("dashboard/models.html",
                           versions=models_admin.model_versions(current_app.config["NLP_MODEL_DIR"]),
                           labels=len(review.human_labels()))


@bp.post("/models/retrain")
@staff_required("admin", "analyst")
def retrain():
    """Retrain with the reviewed answers, as a job; the new model is not activated."""
    job = enqueue("retrain", {"labels": len(review.human_labels())}, user_id=current_user.id)
    return redirect(url_for("dashboard.job", job_id=job.id), code=303)


@bp.post("/models/<version>/activate")
@staff_required("admin")
def activate(version: str):
    """Activate a model (refused when it is worse, unless forced), then re-analyse all answers."""
    activated, _reason = models_admin.activate_model(current_app.config["NLP_MODEL_DIR"], version, current_user,
                                                      force=request.form.get("force") == "1")
    db.session.commit()
    if not activated:
        flash(_("Not activated: this model is worse on its held-out answers than the active one. "
                "Tick “activate anyway” to override."), "error")
        return redirect(url_for("dashboard.models"), code=303)
    services.reload_analysers()
    enqueue("analyse", {"survey": None, "all": True}, user_id=current_user.id)
    flash(_("Model %(version)s is active. All answers are being analysed again.", version=version), "success")
    return redirect(url_for("dashboard.models"), code=303)
