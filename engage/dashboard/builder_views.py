"""The survey builder (`/<lang>/dashboard/surveys/…`): create, edit, translate, preview and publish
surveys. Views read the form, call `engage.surveys.builder`, commit, and redirect; a refused change
re-shows the form with what was typed and a message at each field."""

from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from engage.auth.access import staff_required
from engage.core.extensions import db
from engage.dashboard.views import bp
from engage.models import Question, Survey
from engage.surveys import builder
from engage.surveys.kinds import KINDS, PARTNER_SLUGS
from engage.surveys.services import municipality_names


@bp.context_processor
def builder_helpers():
    """Names of question kinds and conditions as sentences, for the builder's pages."""
    return {"KIND_NAMES": builder.KIND_NAMES, "describe_condition": builder.describe_condition}


def editable(slug: str) -> Survey:
    """Return the survey `slug` if the person may edit it; 404 otherwise (do not confirm it exists)."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or not builder.may_edit(current_user, survey):
        abort(404)
    return survey


def _question(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


def _back_to_editor(survey: Survey, anchor: str | None = None):
    return redirect(url_for("dashboard.survey_edit", slug=survey.slug, _anchor=anchor), code=303)


def settings_form(survey: Survey | None) -> MultiDict:
    """Return the settings form's values for `survey` (a new survey: sensible defaults)."""
    if survey is None:
        own = current_user.municipality.slug if (not current_user.is_regional and current_user.municipality) else ""
        return MultiDict({"lang_da": "1", "lang_en": "1", "modes": "both", "allow_quotes": "1", "owner": own,
                          "embed": "all"})
    data = MultiDict({
        "slug": survey.slug, "privacy_url": survey.privacy_url or "", "modes": survey.modes,
        "opens_at": builder.local_input(survey.opens_at), "closes_at": builder.local_input(survey.closes_at),
        "owner": survey.owner.slug if survey.owner else "", "embed": "all" if survey.embed_municipalities is None else "some",
    })
    for field in builder.SURVEY_TEXTS:
        for lang in builder.LANGS:
            data[f"{field}_{lang}"] = getattr(survey, f"{field}_{lang}")
    for lang in survey.language_list:
        data[f"lang_{lang}"] = "1"
    if survey.allow_quotes:
        data["allow_quotes"] = "1"
    for slug in survey.embed_municipalities or []:
        data.add("embed_municipality", slug)
    return data


def _render_settings(survey: Survey | None, form, errors=None):
    return render_template("dashboard/survey_settings.html", survey=survey, form=form, errors=errors or {},
                           owners=builder.owner_choices(current_user), partners=PARTNER_SLUGS,
                           names=municipality_names()), (422 if errors else 200)


@bp.route("/surveys/new", methods=["GET", "POST"])
@staff_required()
def survey_new():
    """Create a survey: its settings first, then its questions."""
    if request.method == "GET":
        return _render_settings(None, settings_form(None))
    try:
        survey = builder.create_survey(request.form, current_user)
    except builder.BuilderError as exc:
        db.session.rollback()
        return _render_settings(None, request.form, exc.errors)
    db.session.commit()
    flash(_("The survey was created as a draft. Add its questions."), "success")
    return _back_to_editor(survey)


@bp.get("/surveys/<slug>/edit")
@staff_required()
def survey_edit(slug: str):
    """The editor: the survey's questions by page, what is missing in each language, and its status."""
    survey = editable(slug)
    return render_template("dashboard/survey_edit.html", survey=survey, questions=builder.ordered(survey),
                           missing=builder.translation_status(survey), problems=builder.publish_problems(survey),
                           has_responses=builder.survey_has_responses(survey),
                           retired=[q for q in survey.all_questions if q.retired_at is not None],
                           kinds=KINDS)


@bp.route("/surveys/<slug>/settings", methods=["GET", "POST"])
@staff_required()
def survey_settings(slug: str):
    """Edit the survey's title, texts, times, modes, owner and embedding."""
    survey = editable(slug)
    if request.method == "GET":
        return _render_settings(survey, settings_form(survey))
    try:
        changed = builder.update_settings(survey, request.form, current_user)
    except builder.BuilderError as exc:
        db.session.rollback()
        return _render_settings(survey, request.form, exc.errors)
    db.session.commit()
    flash(_("The settings were saved.") if changed else _("Nothing was changed."), "success")
    return _back_to_editor(survey)


def question_form(question: Question) -> MultiDict:
    """Return the question form's values for `question`."""
    data = MultiDict({"kind": question.kind, "section": str(question.section), "key": question.key})
    for field in ("text", "help"):
        for lang in builder.LANGS:
            data[f"{field}_{lang}"] = getattr(question, f"{field}_{lang}")
    if question.is_required:
        data["is_required"] = "1"
    for i, option in enumerate(question.options or []):
        for part in ("key", "da", "en"):
            data[f"option_{part}-{i}"] = option.get(part, "")
    settings = question.settings or {}
    for name in ("max_length", "probe_da", "probe_en", "min_label_da", "min_label_en", "max_label_da", "max_label_en"):
        if name in settings:
            data[name] = str(settings[name])
    if question.kind == "scale":
        data["scale_min"], data["scale_max"] = str(settings.get("min", 0)), str(settings.get("max", 10))
    if settings.get("probe") is False:
        data["no_probe"] = "1"
    if settings.get("purpose") == "quote":
        data["quote_consent"] = "1"
    condition = question.show_if or {}
    if condition:
        data["cond_question"] = condition.get("question", "")
        for op in ("min", "max"):
            if op in condition:
                data["cond_op"], data["cond_number"] = op, str(condition[op])
        for value in condition.get("in", []):
            data["cond_op"] = "in"
            data.add(f"cond_in-{condition['question']}", str(value))
    return data


def _render_question(survey: Survey, question: Question | None, form, errors=None, version_warning=None,
                     extra_rows: int = 0):
    kind = form.get("kind") or request.args.get("kind", "single_choice")
    options = builder.option_rows(form)
    rows = len(options) + builder.SPARE_OPTION_ROWS + extra_rows
    position = (question.section, question.position) if question else (10**6, 10**6)
    sources = [q for q in builder.ordered(survey) if (q.section, q.position) < position
               and (q.kind in builder.CHOICE_KINDS or q.kind == "scale")]
    status = 409 if version_warning else (422 if errors else 200)
    return render_template("dashboard/question_edit.html", survey=survey, question=question, form=form,
                           errors=errors or {}, kind=kind, kinds=KINDS, option_count=max(rows, 3),
                           options=options, sources=sources, choice_values=builder.choice_values,
                           version_warning=version_warning,
                           answers=builder.answer_count(question) if question else 0), status


@bp.route("/surveys/<slug>/questions/new", methods=["GET", "POST"])
@staff_required()
def question_new(slug: str):
    """Add a question of any kind."""
    survey = editable(slug)
    if request.method == "GET":
        last = max((q.section for q in survey.questions), default=1)
        return _render_question(survey, None, MultiDict({"kind": request.args.get("kind", "single_choice"),
                                                          "section": str(last)}))
    if request.form.get("action") == "more":
        return _render_question(survey, None, request.form, extra_rows=3)
    try:
        question = builder.add_question(survey, request.form, current_user)
    except builder.BuilderError as exc:
        db.session.rollback()
        return _render_question(survey, None, request.form, exc.errors)
    db.session.commit()
    flash(_("The question “%(key)s” was added.", key=question.key), "success")
    return _back_to_editor(survey, f"q-{question.key}")


@bp.route("/surveys/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
@staff_required()
def question_edit(slug: str, question_id: int):
    """Edit a question; a change of meaning to an answered question asks first, then makes a new version."""
    survey = editable(slug)
    question = _question(survey, question_id)
    if request.method == "GET":
        return _render_question(survey, question, question_form(question))
    if request.form.get("action") == "more":
        return _render_question(survey, question, request.form, extra_rows=3)
    try:
        saved = builder.update_question(survey, question, request.form, current_user,
                                        new_version=request.form.get("new_version") == "1")
    except builder.NeedsNewVersion as exc:
        db.session.rollback()
        return _render_question(survey, question, request.form, version_warning=exc)
    except builder.BuilderError as exc:
        db.session.rollback()
        return _render_question(survey, question, request.form, exc.errors)
    db.session.commit()
    if saved.id != question_id:
        flash(_("Version %(version)d of “%(key)s” was saved. The earlier answers keep version %(old)d.",
                version=saved.version, key=saved.key, old=saved.version - 1), "success")
    else:
        flash(_("The question “%(key)s” was saved.", key=saved.key), "success")
    return _back_to_editor(survey, f"q-{saved.key}")


@bp.post("/surveys/<slug>/questions/<int:question_id>/move")
@staff_required()
def question_move(slug: str, question_id: int):
    """Move a question one place up or down (the keyboard alternative to dragging)."""
    survey = editable(slug)
    question = _question(survey, question_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    try:
        builder.move_question(survey, question, direction, current_user)
    except builder.BuilderError as exc:
        db.session.rollback()
        flash(exc.errors["question"], "error")
        return _back_to_editor(survey, f"q-{question.key}")
    db.session.commit()
    flash(_("“%(key)s” moved %(where)s: now number %(n)d.", key=question.key,
            where=_("up") if direction == "up" else _("down"), n=builder.ordered(survey).index(question) + 1), "success")
    return _back_to_editor(survey, f"q-{question.key}")


@bp.post("/surveys/<slug>/questions/order")
@staff_required()
def question_order(slug: str):
    """Save the order of the questions after dragging (JSON answer for the editor's script)."""
    survey = editable(slug)
    keys = [k for k in request.form.get("order", "").split(",") if k]
    try:
        builder.reorder(survey, keys, current_user)
    except builder.BuilderError as exc:
        db.session.rollback()
        return jsonify(error=exc.errors["question"]), 422
    db.session.commit()
    return jsonify(order=[q.key for q in builder.ordered(survey)],
                   message=_("The new order was saved."))


@bp.route("/surveys/<slug>/questions/<int:question_id>/delete", methods=["GET", "POST"])
@staff_required()
def question_delete(slug: str, question_id: int):
    """Ask, then remove a question (one with answers is retired and its answers kept)."""
    survey = editable(slug)
    question = _question(survey, question_id)
    error = None
    if request.method == "POST":
        try:
            retired = builder.delete_question(survey, question, current_user)
        except builder.BuilderError as exc:
            db.session.rollback()
            error = exc.errors["question"]
        else:
            db.session.commit()
            flash(_("“%(key)s” was removed; its answers are kept.", key=question.key) if retired
                  else _("“%(key)s” was deleted.", key=question.key), "success")
            return _back_to_editor(survey)
    return render_template("dashboard/question_delete.html", survey=survey, question=question, error=error,
                           answers=builder.answer_count(question)), (422 if error else 200)


@bp.post("/surveys/<slug>/status")
@staff_required()
def survey_status(slug: str):
    """Publish (open), close or reopen the survey; publishing lists what is missing first."""
    survey = editable(slug)
    status = request.form.get("status", "")
    try:
        builder.set_status(survey, status, current_user)
    except builder.BuilderError as exc:
        db.session.rollback()
        flash(_("The survey was not published. Fix this first:") + " " + exc.errors["status"].replace("\n", " · "),
              "error")
        return _back_to_editor(survey, "publish")
    db.session.commit()
    flash({"open": _("The survey is open: citizens can answer it now."), "closed": _("The survey is closed."),
           "draft": _("The survey is a draft again.")}[status], "success")
    return _back_to_editor(survey, "publish")


@bp.post("/surveys/<slug>/duplicate")
@staff_required()
def survey_duplicate(slug: str):
    """Copy the survey and its questions as a new draft."""
    copy = builder.duplicate_survey(editable(slug), current_user)
    db.session.commit()
    flash(_("This is a copy, saved as a draft with the address “%(slug)s”.", slug=copy.slug), "success")
    return _back_to_editor(copy)


@bp.post("/surveys/<slug>/archive")
@staff_required()
def survey_archive(slug: str):
    """Archive the survey (or bring it back from the archive)."""
    survey = editable(slug)
    archive = request.form.get("archive") == "1"
    builder.set_archived(survey, archive, current_user)
    db.session.commit()
    flash(_("“%(slug)s” was archived.", slug=slug) if archive else _("“%(slug)s” is back from the archive.", slug=slug),
          "success")
    return redirect(url_for("dashboard.surveys"), code=303)


@bp.get("/surveys/<slug>/preview")
@staff_required()
def survey_preview(slug: str):
    """Show the survey as citizens will see it, in a phone-sized frame: either language, form or chat."""
    survey = editable(slug)
    modes = ["form", "chat"] if survey.modes == "both" else [survey.modes]
    mode = request.args.get("mode") if request.args.get("mode") in modes else modes[0]
    shown = request.args.get("in") if request.args.get("in") in ("da", "en") else survey.language_list[0]
    frame = url_for(f"dashboard_preview.{'take' if mode == 'form' else 'chat'}", slug=slug, lang=shown)
    return render_template("dashboard/survey_preview.html", survey=survey, modes=modes, mode=mode, shown=shown,
                           frame=frame, missing=[m for m in builder.translation_status(survey) if m.lang == shown])


def init_preview(app) -> None:
    """Serve the citizen pages of any survey one may edit (drafts too) under /<lang>/dashboard/preview,
    framed only by our own editor; a preview's submission is rolled back, never stored."""
    from engage.core.extensions import login_manager
    from engage.surveys.views import bp as surveys_bp

    app.register_blueprint(surveys_bp, url_prefix="/<any(da,en):lang>/dashboard/preview", name="dashboard_preview")

    @app.before_request
    def guard_preview():
        if request.blueprint != "dashboard_preview":
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if request.endpoint not in ("dashboard_preview.take", "dashboard_preview.chat"):
            abort(404)
        g.frame_ancestors = []  # our own pages only ('self')
        return None
