"""The one conversation engine behind form mode, chat mode and the widget.

`advance_form` takes a posted section (form mode); `advance_chat` a posted chat turn. Both read the
signed state, refuse bots (honeypot) and stale pages, validate what was given, move on, and submit
exactly once per idempotency token. They return an `Outcome` that the view renders; views stay thin
and never hold survey logic. Functions add and flush; the view commits after a submission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage.core.extensions import db
from engage.models import AnswerTheme, Question, Survey
from engage.surveys import services
from engage.surveys.analysis import AnswerAnalyser
from engage.surveys.forms import (
    SectionForm,
    build_section_form,
    collect,
    field_name,
    validate_visible,
)
from engage.surveys.kinds import kind_of

#: Channels a response can arrive through (DESIGN §3).
CHANNELS = ("web", "chat", "widget")


@dataclass
class Outcome:
    """What a step produced: a page to render (state, form, status), a refusal, or a submission."""

    state: services.FormState | None = None
    form: SectionForm | None = None
    status: int = 200
    #: (title, message) of a refusal page; `start_over` when the survey should be begun again.
    refusal: tuple[str, str] | None = None
    start_over: bool = False
    submitted: services.Submitted | None = None
    #: The survey builder's preview reached the end: nothing was stored.
    previewed: bool = False
    #: Chat only: the bot's messages for this turn, in order (kind, text, extra).
    said: list[dict[str, Any]] = field(default_factory=list)


def read_state(raw: str | None, formdata: Any) -> tuple[services.FormState | None, Outcome | None]:
    """Return the posted state, or the refusal for a stale, altered or bot-filled form."""
    try:
        state = services.load_state(raw)
    except services.StateExpired:
        return None, Outcome(status=400, start_over=True, refusal=(
            _("This form is too old"),
            _("The page was opened too long ago to be accepted. Please start the survey again.")))
    except services.StateError:
        return None, Outcome(status=400, refusal=(
            _("The form could not be read"),
            _("Part of the form was changed or is missing, so we could not accept it. Please start again.")))
    if formdata.get("website"):
        return None, Outcome(status=400, refusal=(_("The form could not be accepted"), _("Please try again.")))
    return state, None


#: The channel of the survey builder's preview: its answers are never stored.
PREVIEW = "preview"


def submit(survey: Survey, state: services.FormState, lang: str, analyser: AnswerAnalyser) -> Outcome:
    """Store the response once (a retry with the same state finds the first) with its channel,
    embedding municipality and the citizen's theme confirmations. A preview (channel "preview",
    only ever set by the survey builder's preview pages) stores nothing."""
    if state.channel == PREVIEW:
        return Outcome(state=state, previewed=True)
    submitted = services.submit_response(
        survey, state.answers, submission_token=state.token, locale=lang,
        started_at=datetime.fromisoformat(state.started_at), analyser=analyser,
        channel=state.channel if state.channel in CHANNELS else "web",
        municipality=state.municipality,
    )
    if submitted.is_new and (state.confirmed or state.redacted):
        by_key = {answer.question.key: answer for answer in submitted.response.answers}
        for key, counts in state.redacted.items():
            if key in by_key:  # removed during the chat: still reported on the receipt
                total = dict(by_key[key].redactions or {})
                for kind, n in counts.items():
                    total[kind] = total.get(kind, 0) + int(n)
                by_key[key].redactions = total
        store_confirmations(by_key, state.confirmed, analyser.theme_ids())
    return Outcome(state=state, submitted=submitted)


def store_confirmations(by_key: dict[str, Any], confirmed: dict[str, list[str]],
                        theme_ids: dict[str, int]) -> None:
    """Add the themes the citizen confirmed or chose for each free-text answer (source `citizen`)."""
    for key, slugs in confirmed.items():
        answer = by_key.get(key)
        if answer is None:
            continue
        for slug in dict.fromkeys(slugs):
            if slug in theme_ids:
                db.session.add(AnswerTheme(answer=answer, theme_id=theme_ids[slug], score=1.0,
                                           source="citizen", triggers=[]))
    db.session.flush()


# --- form mode ---------------------------------------------------------------------------------


def start_form(survey: Survey, channel: str = "web", municipality: str | None = None) -> services.FormState:
    """Return the state of a new form-mode response, on the first section."""
    return services.FormState(section=survey.sections[0] if survey.sections else 1, channel=channel,
                              municipality=municipality)


def advance_form(survey: Survey, formdata: Any, lang: str, analyser: AnswerAnalyser, csrf: bool = True) -> Outcome:
    """Take one posted section: stay (language switch), go back, or validate and go on / submit.
    `csrf` False (the widget): the signed, expiring state stands in for the session's CSRF token."""
    state, refusal = read_state(formdata.get("state"), formdata)
    if refusal:
        return refusal
    questions = services.section_questions(survey, state.section, state.answers)
    form = build_section_form(questions, lang, formdata=formdata, csrf=csrf)
    own_keys = {q.key for q in questions}
    given = {k: v for k, v in state.answers.items() if k not in own_keys} | collect(form, questions)
    action = formdata.get("action", "next")

    if action in ("stay", "back"):
        state.answers = given
        if action == "back":
            state.section = services.previous_section(survey, state.section, given) or state.section
            return Outcome(state=state)
        return Outcome(state=state, form=form)

    visible = [field_name(q) for q in questions if services.is_visible(q, given)]
    if not validate_visible(form, visible):
        return Outcome(state=state, form=form, status=422)

    state.answers = given
    following = services.next_section(survey, state.section, given)
    if following is not None:  # also when "submit" arrives from a section that is not the last
        state.section = following
        return Outcome(state=state)
    return submit(survey, state, lang, analyser)


# --- chat mode ---------------------------------------------------------------------------------

#: A short answer of fewer words than this gets (at most) one follow-up question.
VAGUE_WORDS = 6
QUESTION_START = re.compile(
    r"^\s*(hvad|hvordan|hvorfor|hvornår|hvem|hvor|hvilke|hvilken|er|kan|skal|må|bliver|får|gemmer|bruger|"
    r"what|how|why|when|who|where|which|is|are|can|will|do|does|should|may)\b", re.I)
#: Words that make a question one about this survey (to us), not an answer that asks something.
ABOUT_US = re.compile(
    r"\b((?-i:I)|jer|jeres|du|dig|mine?|mit|svar(ene)?|undersøgelsen|høringen|spørgeskemaet|anonym\w*|"
    r"you|your|my|answers?|survey|consultation|questionnaire|anonymous|this)\b", re.I)


@dataclass(frozen=True)
class FaqEntry:
    """A default answer to a question citizens ask about a survey; `patterns` recognise it."""

    topic: str
    patterns: str
    answer: Any


DEFAULT_FAQ = (
    FaqEntry("anonymity", r"anonym|\bnavn|\bname\b|\bip\b|identif|hvem er jeg|who am i|\bspore?|\btrack",
             _l("Yes. You answer without an account, we never store your IP address, and personal details "
                "you type (names, phone numbers, e-mail and street addresses) are removed before your "
                "answers are saved.")),
    FaqEntry("deletion", r"slet|fortryd|trække .*tilbage|delete|remove|withdraw|undo",
             _l("After you send your answers you get a receipt link. With it you can see your answers and "
                "delete them at any time.")),
    FaqEntry("purpose", r"bruge?r? .*(svar|til)|formål|hvorfor|hvad sker|use .*(answer|for)|purpose|why|what happens",
             _l("Your answers help Region Hovedstaden and the municipalities of Smart Greater Copenhagen "
                "decide what the joint strategy should focus on. They are read as themes and numbers; "
                "quotes are only used if you allow it.")),
    FaqEntry("readers", r"hvem (læser|ser|får)|who (reads|sees|gets)|læse|read",
             _l("The regional strategy team and staff in the municipalities read the answers. They see "
                "your answers, never who you are.")),
    FaqEntry("timeline", r"hvornår|slut|frist|lukker|deadline|when|close|end|how long|hvor længe",
             _l("You can answer as long as the survey is open. The results are used in the strategy "
                "work that follows.")),
    FaqEntry("contact", r"kontakt|mail|telefon|spørg|contact|email|phone|ask|reach",
             _l("You can write to the strategy team at %(contact)s.")),
)


def citizen_question(text: str) -> str | None:
    """Return the FAQ topic when `text` is a question about the survey, "unknown" when it is such a
    question we cannot answer, or None when it is an answer (which may itself ask something)."""
    text = text.strip()
    if len(text) > 160 or not (text.endswith("?") or QUESTION_START.match(text)):
        return None
    if not ABOUT_US.search(text):
        return None  # "Hvorfor er der ikke flere cykelstier?" is an answer
    for entry in DEFAULT_FAQ:
        if re.search(entry.patterns, text, re.I):
            return entry.topic
    return "unknown"


def faq_answer(survey: Survey, topic: str, lang: str) -> str:
    """Return the survey's own answer for `topic` when it has one, else the default."""
    own = ((survey.faq or {}).get(topic) or {}).get(lang)
    if own:
        return own
    contact = current_app.config["CONTACT_EMAIL"]
    for entry in DEFAULT_FAQ:
        if entry.topic == topic:
            answer = str(entry.answer) % {"contact": contact} if topic == "contact" else str(entry.answer)
            if topic == "timeline" and survey.closes_at:
                answer += " " + _("This survey closes on %(date)s.", date=format_date(survey.closes_at, "long"))
            return answer
    return _("I don't know the answer to that, sorry. You can ask the strategy team at %(contact)s. "
             "Let's go on with the question.", contact=contact)


def chat_questions(survey: Survey, answers: dict[str, Any]) -> list[Question]:
    """Return the questions to ask in order, given the answers so far (conditions applied)."""
    return [q for q in survey.questions if services.is_visible(q, answers)]


def current_question(survey: Survey, state: services.FormState) -> Question | None:
    """Return the question on screen, or None at the review step."""
    if state.step == "review":
        return None
    by_key = {q.key: q for q in chat_questions(survey, state.answers)}
    return by_key.get(state.step)


def next_question(survey: Survey, answers: dict[str, Any], after: str | None = None) -> str:
    """Return the key of the next question to ask after `after` (or from the start), or "review"."""
    questions = chat_questions(survey, answers)
    keys = [q.key for q in questions]
    start = keys.index(after) + 1 if after in keys else 0
    for question in questions[start:]:
        return question.key
    return "review"


def next_step(survey: Survey, state: services.FormState, after: str,
              before: dict[str, Any] | None = None) -> str:
    """Return where the conversation goes after the question `after`: the next question, or —
    when the citizen came from the review to change an answer — back to the review, unless the
    change (from the answers `before` it) made a question appear that was not asked, or a required
    question has no answer yet."""
    if not state.review_after:
        return next_question(survey, state.answers, after=after)
    shown_before = {q.key for q in chat_questions(survey, before)} if before is not None else None
    for question in chat_questions(survey, state.answers):
        newly_shown = shown_before is not None and question.key not in shown_before
        if question.key not in state.answers and (question.is_required or newly_shown):
            return question.key
    state.review_after = False
    return "review"


def start_chat(survey: Survey, channel: str = "chat", municipality: str | None = None) -> services.FormState:
    """Return the state of a new conversation, on the first question."""
    state = services.FormState(channel=channel, municipality=municipality)
    state.step = next_question(survey, {})
    return state


def probe_text(question: Question, lang: str) -> str:
    """Return the question's follow-up probe in `lang`, or the default one."""
    settings = question.settings or {}
    return settings.get(f"probe_{lang}") or settings.get("probe_da" if lang == "en" else "probe_en") or _(
        "Could you tell me a little more about what would make it better?")


def should_probe(question: Question, text: str, themes: list[str], state: services.FormState) -> bool:
    """One gentle follow-up for a short or vague free-text answer, never twice for a question."""
    if (question.settings or {}).get("probe") is False or question.key in state.probed:
        return False
    return len(text.split()) < VAGUE_WORDS or not themes


def advance_chat(survey: Survey, formdata: Any, lang: str, analyser: AnswerAnalyser,
                 theme_names: dict[str, str]) -> Outcome:
    """Take one chat turn: an answer, a probe's reply, a confirmation or correction of themes,
    back, change, or the final send. `theme_names` maps slugs to names in `lang`."""
    state, refusal = read_state(formdata.get("state"), formdata)
    if refusal:
        return refusal
    action = formdata.get("action", "answer")
    out = Outcome(state=state)

    if action == "submit":
        if state.step != "review":
            state.step = next_question(survey, state.answers)
            return out
        return submit(survey, state, lang, analyser)
    if action == "back":
        keys = [q.key for q in chat_questions(survey, state.answers)]
        if state.step == "review":
            state.step = keys[-1] if keys else "review"
        elif state.step in keys and keys.index(state.step) > 0:
            state.step = keys[keys.index(state.step) - 1]
        state.pending = None
        return out
    if action.startswith("change:"):
        key = action.removeprefix("change:")
        if key in {q.key for q in chat_questions(survey, state.answers)}:
            state.step, state.pending, state.review_after = key, None, True
        return out
    if action == "resume":  # the page was reloaded: show the conversation where it was
        return out
    if action in ("confirm", "skip", "correct", "themes") and state.pending:
        return _resolve_pending(survey, state, formdata, action, out, theme_names)

    question = current_question(survey, state)
    if question is None:
        state.step = next_question(survey, state.answers)
        return out
    name = field_name(question)
    kind = kind_of(question)
    typed = formdata.get(name, "")
    if kind.is_free_text and isinstance(typed, str) and (topic := citizen_question(typed)):
        out.said.append({"kind": "faq", "text": faq_answer(survey, topic, lang), "topic": topic})
        out.form = build_section_form([question], lang, answers=state.answers, csrf=False)
        return out

    form = build_section_form([question], lang, formdata=formdata, csrf=False)
    if state.pending and state.pending.get("type") == "probe" and state.pending.get("key") == question.key:
        # The reply to the follow-up question is added to the first answer.
        more = collect(form, [question]).get(question.key)
        first = state.answers.get(question.key, "")
        state.answers[question.key] = f"{first}\n\n{more}".strip() if more else first
        state.pending = None
        return _after_free_text(survey, question, state, lang, analyser, out, theme_names, probe_done=True)
    if not validate_visible(form, [name]):
        out.form, out.status = form, 422
        return out
    value = collect(form, [question]).get(question.key)
    before = dict(state.answers)
    if value is None:
        state.answers.pop(question.key, None)
    else:
        state.answers[question.key] = value
    state.confirmed.pop(question.key, None)
    if kind.name == "long_text" and value:  # short texts (a name, a place) are not discussed
        return _after_free_text(survey, question, state, lang, analyser, out, theme_names)
    state.step = next_step(survey, state, question.key, before)
    return out


def _after_free_text(survey, question, state, lang, analyser, out, theme_names, probe_done=False) -> Outcome:
    """Analyse a free-text answer: say what was redacted, probe once if it is vague, reflect the
    themes understood; with nothing to ask, move on."""
    text = state.answers.get(question.key, "")
    try:
        analysis = analyser.analyse(text, lang, refine=True)  # the encoder too: ~70 ms is fine in a chat
    except Exception:  # noqa: BLE001 — a chat turn never fails because of the engine
        analysis = None
    themes = [t.theme for t in analysis.themes if t.theme in theme_names] if analysis else []
    if analysis and analysis.redactions:
        # Personal details leave the conversation at once: the state carries the redacted text.
        from engage.surveys.receipts import redaction_phrase

        state.answers[question.key] = analysis.redacted
        counts = state.redacted.setdefault(question.key, {})
        for kind, n in analysis.redactions.items():
            counts[kind] = counts.get(kind, 0) + int(n)
        removed = ", ".join(redaction_phrase(k, n) for k, n in sorted(analysis.redactions.items()))
        out.said.append({"kind": "redacted", "text": _("We have removed %(what)s to protect you.", what=removed)})
    if not probe_done and should_probe(question, text, themes, state):
        state.probed.append(question.key)
        state.pending = {"type": "probe", "key": question.key}
        return out
    if themes:
        state.pending = {"type": "reflect", "key": question.key, "themes": themes[:3]}
        return out
    state.step = next_step(survey, state, question.key)
    return out


def reflection(themes: list[str], theme_names: dict[str, str]) -> str:
    """Return "It sounds like you are talking about mobility and climate — is that right?"."""
    names = [theme_names[t].lower() for t in themes]
    joined = names[0] if len(names) == 1 else _("%(first)s and %(last)s", first=", ".join(names[:-1]),
                                                 last=names[-1])
    return _("It sounds like you are talking about %(themes)s — is that right?", themes=joined)


def _resolve_pending(survey, state, formdata, action, out, theme_names) -> Outcome:
    """Handle the buttons under a probe or a reflection."""
    pending = state.pending or {}
    key = pending.get("key", "")
    if pending.get("type") == "probe":
        # "skip" on a probe: keep the first answer as it is and go on.
        state.pending = None
        state.step = next_step(survey, state, key)
        return out
    if action == "confirm":
        state.confirmed[key] = list(pending.get("themes", []))
    elif action == "correct":
        pending["choose"] = True
        state.pending = pending
        return out
    elif action == "themes":
        chosen = [slug for slug in formdata.getlist("theme") if slug in theme_names]
        state.confirmed[key] = chosen
    state.pending = None
    state.step = next_step(survey, state, key)
    return out


def pending_prompt(state: services.FormState, question: Question | None, lang: str,
                   theme_names: dict[str, str]) -> str:
    """Return what the bot asks while a probe or reflection waits for the citizen's reply."""
    pending = state.pending or {}
    if pending.get("type") == "probe" and question is not None:
        return probe_text(question, lang)
    if pending.get("choose"):
        return _("Which themes is your answer about? Choose one or more.")
    if pending.get("type") == "reflect":
        themes = [t for t in pending.get("themes", []) if t in theme_names]
        return reflection(themes, theme_names) if themes else ""
    return ""


def _turn(question: Question, state: services.FormState, lang: str,
          theme_names: dict[str, str]) -> dict[str, Any]:
    """Return one question with the answer as the citizen reads it and the themes they confirmed."""
    value = state.answers.get(question.key)
    return {
        "question": question,
        "answer": kind_of(question).display(question, value, lang) if value not in (None, "", []) else None,
        "themes": [theme_names[t] for t in state.confirmed.get(question.key, []) if t in theme_names],
    }


def transcript(survey: Survey, state: services.FormState, lang: str,
               theme_names: dict[str, str]) -> list[dict[str, Any]]:
    """Return the conversation so far: each question asked before the current one (and the
    current one while a probe or reflection about it waits), all of them at the review."""
    turns = []
    for question in chat_questions(survey, state.answers):
        if question.key == state.step and not state.pending:
            break
        turns.append(_turn(question, state, lang, theme_names))
        if question.key == state.step:
            break
    return turns


def review_rows(survey: Survey, state: services.FormState, lang: str,
                theme_names: dict[str, str]) -> list[dict[str, Any]]:
    """Return every question asked with its answer, for the last check before sending."""
    return [_turn(q, state, lang, theme_names) for q in chat_questions(survey, state.answers)]
