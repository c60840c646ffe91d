"""Staff pages for surveys as files (`/<lang>/dashboard/surveys`): the surveys a member of staff may
edit, each one's JSON file, and importing a file made on another instance."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.auth.access import staff_required
from engage.core import audit
from engage.core.extensions import db
from engage.dashboard import builder_views
from engage.dashboard.views import bp
from engage.models import Municipality
from engage.surveys.builder import editable_surveys
from engage.surveys.files import FileProblem, SurveyFileError, export_survey, import_survey

#: A survey file is small: the demo survey's is ~20 kB.
MAX_FILE_BYTES = 200 * 1024


def _list(problems: list[FileProblem] | None = None, status: int = 200):
    archived = request.args.get("archived") == "1"
    return render_template("dashboard/surveys.html", surveys=editable_surveys(current_user, archived), archived=archived,
                           problems=problems or [], filename=request.files.get("file").filename
                           if request.files.get("file") else ""), status


@bp.get("/surveys")
@staff_required()
def surveys():
    """List the surveys this member of staff may edit, with their files, and the import form."""
    return _list()


@bp.get("/surveys/<slug>/export")
@staff_required()
def survey_export(slug: str):
    """Download the survey as a JSON file (audited)."""
    survey = builder_views.editable(slug)
    audit.record("survey_export", f"survey:{survey.id}", user_id=current_user.id, slug=slug)
    db.session.commit()
    return Response(export_survey(survey), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="engage-survey-{slug}.json"'})


@bp.post("/surveys/import")
@staff_required()
def survey_import():
    """Create a survey from an uploaded file; problems are listed by field and nothing is saved."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _list([FileProblem(_("file"), _("Choose a survey file (.json) to import."))], 422)
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _list([FileProblem(_("file"), _("The file is larger than a survey file can be."))], 422)
    try:
        survey = import_survey(data.decode("utf-8", "replace"))
        if not current_user.is_regional:
            own = db.session.get(Municipality, current_user.municipality_id)
            if survey.owner_id != current_user.municipality_id:
                raise SurveyFileError([FileProblem("$.owner", _(
                    "You can only import surveys owned by %(municipality)s.", municipality=own.slug))])
    except SurveyFileError as exc:
        db.session.rollback()
        return _list(exc.problems, 422)
    audit.record("survey_import", f"survey:{survey.id}", user_id=current_user.id, slug=survey.slug,
                 questions=len(survey.questions))
    db.session.commit()
    flash(_("The survey “%(slug)s” was imported with %(n)d questions.", slug=survey.slug, n=len(survey.questions)),
          "success")
    return redirect(url_for("dashboard.surveys"), code=303)
