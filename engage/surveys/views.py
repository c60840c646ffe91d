"""Citizen pages: the survey list, form mode, receipts."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from engage.core.errors import render_error
from engage.core.extensions import csrf, db, limiter
from engage.core.i18n import current_lang, pick
from engage.core.observability import count_submission
from engage.jobs import enqueue
from engage.models import Theme
from engage.models.base import utcnow
from engage.surveys import flow, services
from engage.surveys.analysis import submit_analyser
from engage.surveys.forms import build_section_form, field_name
from engage.surveys.kinds import kind_of, question_text
from engage.surveys.receipts import describe_redactions, receipt_rows

bp = Blueprint("surveys", __name__, template_folder="templates")


@bp.app_context_processor
def survey_helpers():
    """Expose the question-kind lookup to templates."""
    return {"kind_of": kind_of, "embedded": is_embedded()}


@bp.get("/")
def index():
    """List the surveys that are open now."""
    return render_template("surveys/index.html", surveys=services.open_surveys())


def is_embedded() -> bool:
    """Return whether this request is a framed page: the widget (inside a municipality's iframe)
    or the survey builder's preview (inside the editor's phone frame)."""
    return request.blueprint in ("embed", "dashboard_preview")


def is_preview() -> bool:
    """Return whether this request is the survey builder's preview (nothing is stored)."""
    return request.blueprint == "dashboard_preview"


def embedding(chat: bool = False) -> tuple[str, str | None]:
    """Return the channel of a new response and the embedding municipality (widget pages only)."""
    if is_preview():
        return flow.PREVIEW, None
    if request.blueprint != "embed":
        return ("chat" if chat else "web"), None
    slug = request.args.get("m")
    return "widget", slug if slug in services.municipality_ids() else None


def theme_names() -> dict[str, str]:
    """Return {slug: name} of the active themes in the page's language (for the chat's reflection)."""
    lang = current_lang()
    rows = db.session.execute(select(Theme.slug, Theme.name_da, Theme.name_en).where(Theme.is_active))
    return {slug: (da if lang == "da" else en) for slug, da, en in rows}


def _load_open_survey(slug: str, mode: str = "form"):
    """Return (survey, None), or (None, the error page) when it is unknown, not open or not
    offered in `mode` ("form" or "chat")."""
    survey = services.get_survey(slug)
    if is_preview():  # staff trying a survey they may edit, in whatever state it is
        from flask_login import current_user

        from engage.surveys.builder import may_edit

        if survey is None or not may_edit(current_user, survey) or survey.modes not in ("both", mode):
            abort(404)
        return survey, None
    if survey is None or survey.status == "draft" or survey.modes not in ("both", mode):
        abort(404)
    if request.blueprint == "embed" and not survey.may_embed(g.get("embed_municipality")):
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
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def take(slug: str):
    """Show a survey section by section; on the last section, store the response once."""
    survey, refusal = _load_open_survey(slug, "form")
    if refusal:
        return refusal
    if request.method == "GET":
        return _render_section(survey, flow.start_form(survey, *embedding()))
    outcome = flow.advance_form(survey, request.form, current_lang(), submit_analyser(), csrf=not is_embedded())
    return _respond(survey, outcome, _render_section)


@bp.route("/s/<slug>/chat", methods=["GET", "POST"], strict_slashes=False)
@csrf.exempt  # the signed, expiring state is the token (also in a cross-site iframe without cookies)
@limiter.limit(lambda: current_app.config["CHAT_RATE_LIMIT"], methods=["POST"])
def chat(slug: str):
    """Ask the survey's questions one at a time as a conversation; the same state and submit."""
    survey, refusal = _load_open_survey(slug, "chat")
    if refusal:
        return refusal
    if request.method == "GET":
        return _render_chat(survey, flow.start_chat(survey, *embedding(chat=True)))
    outcome = flow.advance_chat(survey, request.form, current_lang(), submit_analyser(), theme_names())
    return _respond(survey, outcome, _render_chat)


def _respond(survey, outcome: flow.Outcome, render):
    """Render a step's outcome: a refusal page, the receipt after a submission, or the next page."""
    if outcome.refusal:
        start_over = url_for(request.endpoint, slug=survey.slug) if outcome.start_over else None
        return render_error(outcome.status, *outcome.refusal, start_over=start_over)
    if outcome.previewed:  # the builder's preview: nothing was stored
        return render_template("surveys/preview_done.html", survey=survey)
    if outcome.submitted:
        db.session.commit()
        count_submission(outcome.state.channel, outcome.submitted.is_new)
        if outcome.submitted.pending:
            enqueue("analyse", {"survey": None, "all": False})
        token = outcome.submitted.receipt_token
        if is_embedded():  # the receipt stays in the municipality's frame, with its look
            keep = {k: request.args[k] for k in ("accent", "compact") if k in request.args}
            return redirect(url_for("embed.receipt", token=token, new=1, m=outcome.state.municipality, **keep), code=303)
        return redirect(url_for("surveys.receipt", token=token, new=1), code=303)
    return render(survey, outcome.state, form=outcome.form, status=outcome.status, said=outcome.said)


def _render_section(survey, state, form=None, status: int = 200, said=None):
    """Render `state.section` of `survey`, refilled from `form` or from the saved answers."""
    lang = current_lang()
    questions = services.section_questions(survey, state.section, state.answers)
    if form is None:
        form = build_section_form(questions, lang, answers=state.answers, csrf=not is_embedded())
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
        form_action=request.full_path.rstrip("?") if is_embedded() else url_for("surveys.take", slug=survey.slug),
        step=step,
        steps=max(len(visible_sections), step),
        has_previous=services.previous_section(survey, state.section, state.answers) is not None,
        is_last=services.next_section(survey, state.section, state.answers) is None,
    )
    return html, status


def _render_chat(survey, state, form=None, status: int = 200, said=None):
    """Render the conversation so far, the bot's messages of this turn and the current prompt."""
    lang = current_lang()
    names = theme_names()
    question = flow.current_question(survey, state)
    if question is not None and form is None:
        form = build_section_form([question], lang, answers=state.answers, csrf=False)
    keys = [q.key for q in flow.chat_questions(survey, state.answers)]
    errors = [(field_name(question), form[field_name(question)].errors[0])] if (
        question is not None and form is not None and form[field_name(question)].errors) else []
    html = render_template(
        "surveys/chat.html",
        survey=survey,
        question=question,
        form=form,
        errors=errors,
        said=said or [],
        turns=flow.transcript(survey, state, lang, names),
        pending=state.pending,
        prompt=flow.pending_prompt(state, question, lang, names),
        theme_choices=sorted(names.items(), key=lambda item: item[1]),
        position=keys.index(question.key) + 1 if question is not None and question.key in keys else len(keys),
        total=len(keys),
        review=flow.review_rows(survey, state, lang, names) if state.step == "review" else [],
        answered=set(state.answers),
        state_value=services.dump_state(state),
        form_action=request.full_path.rstrip("?") if is_embedded() else url_for("surveys.chat", slug=survey.slug),
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
