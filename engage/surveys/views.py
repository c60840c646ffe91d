"""Citizen pages: the survey list, form mode, receipts."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from engage.core.errors import render_error
from engage.core.extensions import csrf, db
from engage.core.i18n import current_lang, pick
from engage.core.observability import count_submission
from engage.jobs import enqueue
from engage.models.base import utcnow
from engage.surveys import services
from engage.surveys.analysis import submit_analyser
from engage.surveys.forms import build_section_form, collect, field_name, validate_visible
from engage.surveys.kinds import kind_of, question_text
from engage.surveys.receipts import describe_redactions, receipt_rows

bp = Blueprint("surveys", __name__, template_folder="templates")


@bp.app_context_processor
def survey_helpers():
    """Expose the question-kind lookup to templates."""
    return {"kind_of": kind_of}


@bp.get("/")
def index():
    """List the surveys that are open now."""
    return render_template("surveys/index.html", surveys=services.open_surveys())


def _load_open_survey(slug: str):
    """Return (survey, None), or (None, the error page) when it is unknown or not open."""
    survey = services.get_survey(slug)
    if survey is None or survey.status == "draft":
        abort(404)
    if survey.is_open():
        return survey, None
    if survey.status == "open" and survey.opens_at and utcnow() < survey.opens_at:
        message = _("This survey opens on %(date)s.", date=format_date(survey.opens_at, "long"))
        return None, render_error(403, _("This survey is not open yet"), message)
    if survey.closes_at:
        message = _("“%(title)s” closed on %(date)s. Thank you for your interest.",
                    title=pick(survey, "title")[0], date=format_date(survey.closes_at, "long"))
    else:
        message = _("“%(title)s” is closed. Thank you for your interest.", title=pick(survey, "title")[0])
    return None, render_error(410, _("This survey is closed"), message)


@bp.route("/s/<slug>", methods=["GET", "POST"], strict_slashes=False)
@csrf.exempt  # checked by the section form itself, so a stale token re-shows the page with input kept
def take(slug: str):
    """Show a survey section by section; on the last section, store the response once."""
    survey, refusal = _load_open_survey(slug)
    if refusal:
        return refusal
    lang = current_lang()
    if request.method == "GET":
        state = services.FormState(section=survey.sections[0] if survey.sections else 1)
        return _render_section(survey, state)

    try:
        state = services.load_state(request.form.get("state"))
    except services.StateExpired:
        return render_error(
            400,
            _("This form is too old"),
            _("The page was opened too long ago to be accepted. Please start the survey again."),
            start_over=url_for("surveys.take", slug=survey.slug),
        )
    except services.StateError:
        return render_error(
            400,
            _("The form could not be read"),
            _("Part of the form was changed or is missing, so we could not accept it. Please start again."),
        )
    if request.form.get("website"):
        return render_error(400, _("The form could not be accepted"), _("Please try again."))

    questions = services.section_questions(survey, state.section, state.answers)
    form = build_section_form(questions, lang, formdata=request.form)
    own_keys = {q.key for q in questions}
    given = {k: v for k, v in state.answers.items() if k not in own_keys} | collect(form, questions)
    action = request.form.get("action", "next")

    if action in ("stay", "back"):
        state.answers = given
        if action == "back":
            state.section = services.previous_section(survey, state.section, given) or state.section
            return _render_section(survey, state)
        return _render_section(survey, state, form=form)

    visible = [field_name(q) for q in questions if services.is_visible(q, given)]
    if not validate_visible(form, visible):
        return _render_section(survey, state, form=form, status=422)

    state.answers = given
    following = services.next_section(survey, state.section, given)
    if following is not None:  # also when "submit" arrives from a section that is not the last
        state.section = following
        return _render_section(survey, state)

    submitted = services.submit_response(
        survey, given, submission_token=state.token, locale=lang,
        started_at=datetime.fromisoformat(state.started_at), analyser=submit_analyser(),
    )
    db.session.commit()
    count_submission("web", submitted.is_new)
    if submitted.pending:
        enqueue("analyse", {"survey": None, "all": False})
    return redirect(url_for("surveys.receipt", token=submitted.receipt_token, new=1), code=303)


def _render_section(survey, state, form=None, status: int = 200):
    """Render `state.section` of `survey`, refilled from `form` or from the saved answers."""
    lang = current_lang()
    questions = services.section_questions(survey, state.section, state.answers)
    if form is None:
        form = build_section_form(questions, lang, answers=state.answers)
    errors = [
        (field_name(q), form[field_name(q)].errors[0], question_text(q, lang))
        for q in questions if form[field_name(q)].errors
    ]
    if "csrf_token" in form and form.csrf_token.errors:
        errors.insert(0, ("survey-form", _("For your security, please check your answers and send the page again."),
                          _("Your session has expired")))
    visible_sections = [s for s in survey.sections if services.section_questions(survey, s, state.answers)]
    step = visible_sections.index(state.section) + 1 if state.section in visible_sections else 1
    html = render_template(
        "surveys/take.html",
        survey=survey,
        questions=questions,
        form=form,
        errors=errors,
        state_value=services.dump_state(state),
        step=step,
        steps=max(len(visible_sections), step),
        has_previous=services.previous_section(survey, state.section, state.answers) is not None,
        is_last=services.next_section(survey, state.section, state.answers) is None,
    )
    return html, status


@bp.get("/receipt/<token>")
def receipt(token: str):
    """Show a respondent what they answered, what was redacted, and how to delete it."""
    response = services.find_by_receipt(token)
    if response is None:
        return render_error(404, _("No answers found"),
                            _("There are no answers for this receipt link. They may have been deleted."))
    lang = current_lang()
    html = render_template(
        "surveys/receipt.html",
        response=response,
        token=token,
        is_new=request.args.get("new") == "1",
        rows=receipt_rows(response, lang),
        redacted=describe_redactions(response),
    )
    return html, 200, {"Cache-Control": "no-store"}


@bp.route("/receipt/<token>/delete", methods=["GET", "POST"])
def confirm_delete(token: str):
    """Ask for confirmation, then delete the response for good."""
    response = services.find_by_receipt(token)
    if response is None:
        return render_error(404, _("No answers found"),
                            _("There are no answers for this receipt link. They may have been deleted."))
    if request.method == "GET":
        html = render_template("surveys/confirm_delete.html", response=response, token=token)
        return html, 200, {"Cache-Control": "no-store"}
    services.delete_response(response)
    db.session.commit()
    return redirect(url_for("surveys.deleted"), code=303)


@bp.get("/deleted")
def deleted():
    """Confirm that the answers are gone."""
    return render_template("surveys/deleted.html")
