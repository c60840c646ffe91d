"""Survey operations: visibility of questions, the signed form state, submitting and receipts.

Functions add and flush; the view commits once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engage.core.extensions import db
from engage.models import Answer, Municipality, Question, Response, Survey
from engage.models.base import utcnow
from engage.surveys.analysis import AnswerAnalyser, NullAnswerAnalyser, prepare_free_text
from engage.surveys.kinds import PARTNER_SLUGS, kind_of

log = logging.getLogger(__name__)

OTHER_MUNICIPALITY = "other"


class StateError(Exception):
    """The form's hidden state was missing or did not carry our signature."""


class StateExpired(StateError):
    """The form's hidden state is ours but older than FORM_STATE_MAX_AGE."""


# --- lookups ---------------------------------------------------------------------------------


def open_surveys() -> list[Survey]:
    """Return the surveys that accept answers now, newest first."""
    surveys = db.session.scalars(select(Survey).where(Survey.status == "open").order_by(Survey.id.desc()))
    return [s for s in surveys if s.is_open()]


def get_survey(slug: str) -> Survey | None:
    """Return the survey with `slug`, or None."""
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


_municipality_ids: dict[str, dict[str, int]] = {}


def municipality_ids() -> dict[str, int]:
    """Return {slug: id} of the municipalities (reference data: read once per process and database)."""
    key = str(db.engine.url)
    ids = _municipality_ids.get(key)
    if not ids:
        ids = _municipality_ids[key] = dict(
            db.session.execute(select(Municipality.slug, Municipality.id)).all()
        )
    return ids


_municipality_names: dict[str, dict[str, tuple[str, str]]] = {}


def municipality_names() -> dict[str, tuple[str, str]]:
    """Return {slug: (Danish name, English name)} of the municipalities (read once per process)."""
    key = str(db.engine.url)
    names = _municipality_names.get(key)
    if not names:
        rows = db.session.execute(select(Municipality.slug, Municipality.name_da, Municipality.name_en))
        names = _municipality_names[key] = {slug: (da, en) for slug, da, en in rows}
    return names


def municipality_choices(lang: str) -> list[tuple[str, str]]:
    """Return (slug, name) for the partner municipalities in `lang`, then "other / none"."""
    rows = db.session.scalars(select(Municipality).where(Municipality.slug.in_(PARTNER_SLUGS)))
    names = sorted(((m.slug, m.name_da if lang == "da" else m.name_en) for m in rows), key=lambda r: r[1])
    return [*names, (OTHER_MUNICIPALITY, str(_l("Other municipality / none")))]


# --- visibility ------------------------------------------------------------------------------


def is_visible(question: Question, answers: dict[str, Any]) -> bool:
    """Return whether `question` should be asked given the answers so far (its `show_if`)."""
    cond = question.show_if
    if not cond:
        return True
    given = answers.get(cond.get("question", ""))
    if given in (None, "", []):
        return False
    if "in" in cond:
        values = given if isinstance(given, list) else [given]
        return any(str(v) in {str(c) for c in cond["in"]} for v in values)
    try:
        number = float(given)
    except (TypeError, ValueError):
        return False
    if "min" in cond and number < float(cond["min"]):
        return False
    return not ("max" in cond and number > float(cond["max"]))


def depends_on_same_section(question: Question, by_key: dict[str, Question]) -> bool:
    """Return whether `question`'s condition refers to a question in its own section."""
    source = by_key.get((question.show_if or {}).get("question", ""))
    return source is not None and source.section == question.section


def section_questions(survey: Survey, section: int, answers: dict[str, Any]) -> list[Question]:
    """Return the questions of `section` to render: those whose condition on earlier sections
    holds, plus those that depend on the same section (shown or hidden live in the browser)."""
    by_key = {q.key: q for q in survey.questions}
    return [
        q for q in survey.questions
        if q.section == section and (depends_on_same_section(q, by_key) or is_visible(q, answers))
    ]


def next_section(survey: Survey, after: int, answers: dict[str, Any]) -> int | None:
    """Return the next section after `after` that has a question to ask, or None at the end."""
    for section in survey.sections:
        if section > after and section_questions(survey, section, answers):
            return section
    return None


def previous_section(survey: Survey, before: int, answers: dict[str, Any]) -> int | None:
    """Return the section before `before` that has a question to ask, or None at the start."""
    for section in reversed(survey.sections):
        if section < before and section_questions(survey, section, answers):
            return section
    return None


# --- the signed form state -------------------------------------------------------------------


@dataclass
class FormState:
    """What a multi-section form carries between pages: the idempotency token, the section on
    screen and the answers given so far (only in the respondent's own browser until submitted)."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    section: int = 1
    answers: dict[str, Any] = field(default_factory=dict)
    started_at: str = field(default_factory=lambda: utcnow().isoformat())
    #: How the response arrives (web, chat, widget) and, in the widget, the embedding municipality.
    channel: str = "web"
    municipality: str | None = None
    #: Chat: the question on screen (its key) or "review"; a probe or reflection awaiting a reply;
    #: the questions already probed; the themes the citizen confirmed or chose per question.
    step: str = ""
    pending: dict[str, Any] | None = None
    probed: list[str] = field(default_factory=list)
    confirmed: dict[str, list[str]] = field(default_factory=dict)
    #: Chat: what was redacted from each answer during the conversation ({key: {kind: count}}).
    redacted: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Chat: the citizen is changing an answer from the review and returns there afterwards.
    review_after: bool = False

    #: Optional fields and their short names in the signed value (left out when empty).
    EXTRA: ClassVar[dict[str, str]] = {"channel": "c", "municipality": "m", "step": "q", "pending": "p",
                                       "probed": "pr", "confirmed": "cf", "redacted": "rd", "review_after": "ra"}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="engage.form-state")


def dump_state(state: FormState) -> str:
    """Return the signed hidden-field value for `state`."""
    data = {"t": state.token, "s": state.section, "a": state.answers, "st": state.started_at}
    for name, short in FormState.EXTRA.items():
        value = getattr(state, name)
        if value and not (name == "channel" and value == "web"):
            data[short] = value
    return _serializer().dumps(data)


def load_state(raw: str | None) -> FormState:
    """Return the FormState carried by `raw`; raise StateExpired when it is older than
    FORM_STATE_MAX_AGE, StateError when it was altered or is missing."""
    if not raw:
        raise StateError("missing")
    try:
        data = _serializer().loads(raw, max_age=current_app.config["FORM_STATE_MAX_AGE"])
    except SignatureExpired as exc:
        raise StateExpired("expired") from exc
    except BadSignature as exc:
        raise StateError("tampered") from exc
    try:
        state = FormState(token=str(data["t"]), section=int(data["s"]), answers=dict(data["a"]),
                          started_at=str(data["st"]))
        state.channel = str(data.get("c", "web"))
        state.municipality = data.get("m")
        state.step = str(data.get("q", ""))
        state.pending = dict(data["p"]) if data.get("p") else None
        state.probed = list(data.get("pr", []))
        state.confirmed = {str(k): list(v) for k, v in dict(data.get("cf", {})).items()}
        state.redacted = {str(k): {str(kk): int(n) for kk, n in dict(v).items()}
                          for k, v in dict(data.get("rd", {})).items()}
        state.review_after = bool(data.get("ra", False))
        return state
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError("tampered") from exc


# --- submitting ------------------------------------------------------------------------------


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def receipt_token_for(submission_token: str) -> str:
    """Derive the receipt token from the form's idempotency token.

    Deriving it (instead of storing it) lets a retried submission show the same receipt link
    while the database keeps only a hash; without the secret key nobody can compute it.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"receipt:" + submission_token.encode(), hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class Submitted:
    """The result of a submission: the response and the receipt token to show once."""

    response: Response
    receipt_token: str
    is_new: bool
    #: Free-text answers stored redacted but not yet analysed (the caller enqueues the job).
    pending: int = 0


def visible_answers(survey: Survey, answers: dict[str, Any]) -> dict[str, Any]:
    """Return only the answers to questions that are asked given all answers (in order)."""
    kept: dict[str, Any] = {}
    for question in survey.questions:
        if question.key in answers and is_visible(question, kept | answers):
            if answers[question.key] not in (None, "", []):
                kept[question.key] = answers[question.key]
    return kept


def submit_response(
    survey: Survey,
    answers: dict[str, Any],
    *,
    submission_token: str,
    locale: str,
    channel: str = "web",
    started_at: datetime | None = None,
    is_demo: bool = False,
    analyser: AnswerAnalyser | None = None,
    municipality: str | None = None,
) -> Submitted:
    """Store one response exactly once per `submission_token` (a retry finds the first one).

    Free text is redacted before it is stored and analysed by `analyser` (None: redaction only,
    the answers stay pending for the background job). `municipality` (a slug: the municipality
    whose site embeds the widget) is the response's municipality unless the respondent named one.
    """
    receipt_token = receipt_token_for(submission_token)
    submission_hash = _sha256(submission_token)
    existing = db.session.scalar(select(Response).where(Response.submission_hash == submission_hash))
    if existing is not None:
        return Submitted(existing, receipt_token, is_new=False)

    answers = visible_answers(survey, answers)
    analyser = analyser or NullAnswerAnalyser()
    pending = 0
    response = Response(
        survey=survey,
        channel=channel,
        locale=locale,
        started_at=started_at,
        submitted_at=utcnow(),
        receipt_hash=_sha256(receipt_token),
        submission_hash=submission_hash,
        is_demo=is_demo,
        municipality_id=municipality_ids().get(municipality) if municipality else None,
    )
    for question in survey.questions:
        if question.key not in answers:
            continue
        value = answers[question.key]
        _apply_profile(response, question, value)
        kind = kind_of(question)
        answer = Answer(question=question)
        if kind.is_free_text:
            prepare_free_text(answer, value, locale, analyser)
            pending += answer.analysis_state == "pending"
        else:
            answer.value = value
        response.answers.append(answer)

    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        # A concurrent retry of the same submission won the race: return its response.
        existing = db.session.scalar(select(Response).where(Response.submission_hash == submission_hash))
        if existing is None:
            raise
        return Submitted(existing, receipt_token, is_new=False)
    return Submitted(response, receipt_token, is_new=True, pending=pending)


def _apply_profile(response: Response, question: Question, value: Any) -> None:
    """Copy profile answers (municipality, stakeholder type, quote consent) onto the response."""
    if question.kind == "municipality" and value and value != OTHER_MUNICIPALITY:
        response.municipality_id = municipality_ids().get(value)
    elif question.kind == "stakeholder_type":
        response.stakeholder_type = value
    elif question.kind == "consent" and (question.settings or {}).get("purpose") == "quote":
        response.quote_consent = bool(value)


# --- receipts --------------------------------------------------------------------------------


def find_by_receipt(token: str) -> Response | None:
    """Return the response whose receipt token is `token`, or None."""
    if not token or len(token) > 128:
        return None
    return db.session.scalar(select(Response).where(Response.receipt_hash == _sha256(token)))


def delete_response(response: Response) -> None:
    """Delete a response and all its answers and themes for good, and the words of its answers
    from any strategy draft's evidence (the citation then reads "answer withdrawn")."""
    from engage.core import audit
    from engage.dashboard.drafts import withdraw_citations

    answer_ids = [a.id for a in response.answers]
    survey_id = response.survey_id
    db.session.delete(response)
    db.session.flush()
    withdrawn = withdraw_citations(answer_ids)
    audit.record("deletion", f"survey:{survey_id}", answers=len(answer_ids), evidence_blocks=withdrawn)
    log.info("response deleted by its respondent (survey %s)", response.survey_id)
