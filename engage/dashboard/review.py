"""The review queue: answers the engine is least sure about, corrected by a person.

A reviewer's labels are stored as `AnswerTheme` rows with source "human"; they replace the
machine's themes wherever answers are counted, and become training data for the next model.
Functions add and flush; the view commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.orm import aliased

from engage.core import audit
from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Response, Survey, Theme, User
from engage.models.base import utcnow
from engage.surveys.analysis import MACHINE_SOURCES, WEAK_SOURCES

#: The themes a reviewer sees suggested: the engine's and the citizen's own confirmation.
SUGGESTED_SOURCES = (*MACHINE_SOURCES, "citizen")

HUMAN = "human"
#: Most skipped answer ids carried in the address (older skips come back later).
MAX_SKIPPED = 50


def _scope(query, user: User, survey_slug: str | None):
    """Restrict a query over Answer (joined to Response) to `user`'s scope and a survey."""
    if user.scope_municipality_id is not None:
        query = query.where(Response.municipality_id == user.scope_municipality_id)
    if survey_slug:
        query = query.join(Survey, Response.survey_id == Survey.id).where(Survey.slug == survey_slug)
    return query


def _disagreement():
    """Return a SQL condition: the citizen's confirmation differs from the machine, or only the
    lexicon (no model) found the theme."""
    citizen, machine = aliased(AnswerTheme), aliased(AnswerTheme)
    citizen_differs = exists().where(
        citizen.answer_id == Answer.id, citizen.source == "citizen",
        ~exists().where(machine.answer_id == Answer.id, machine.theme_id == citizen.theme_id,
                        machine.source.in_(MACHINE_SOURCES)),
    )
    rule_only = exists().where(AnswerTheme.answer_id == Answer.id, AnswerTheme.source.in_(WEAK_SOURCES))
    return citizen_differs | rule_only


def queue_query(user: User, survey_slug: str | None = None, skipped: Sequence[int] = ()):
    """Return the query of answers waiting for review, most uncertain first.

    Order: closest to a theme's threshold first (`Answer.uncertainty`, the engine's margin), then
    answers where citizen, lexicon and model disagree, then the rest by id.
    """
    query = (
        select(Answer)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.text.is_not(None), Answer.text != "", Answer.reviewed_at.is_(None),
               Answer.analysis_state == "done", Response.is_test.is_(False))
    )
    if skipped:
        query = query.where(Answer.id.not_in(list(skipped)))
    query = _scope(query, user, survey_slug)
    return query.order_by(Answer.uncertainty.is_(None), Answer.uncertainty, _disagreement().desc(), Answer.id)


@dataclass(frozen=True)
class QueueItem:
    """The next answer to review and how many are waiting."""

    answer: Answer | None
    waiting: int
    reviewed: int


def next_for_review(user: User, survey_slug: str | None = None, skipped: Sequence[int] = ()) -> QueueItem:
    """Return the most uncertain unreviewed answer in `user`'s scope, with the queue's size.

    A skipped answer still counts as waiting; once only skipped answers are left, the one skipped
    longest ago is offered again.
    """
    answer = db.session.scalars(queue_query(user, survey_slug, skipped).limit(1)).first()
    query = queue_query(user, survey_slug)
    if answer is None and skipped:
        last_skip = {answer_id: i for i, answer_id in enumerate(skipped)}
        left = db.session.scalars(query.where(Answer.id.in_(list(last_skip)))).all()
        answer = min(left, key=lambda a: last_skip[a.id], default=None)
    waiting = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    reviewed_query = _scope(
        select(func.count(Answer.id)).join(Response, Answer.response_id == Response.id)
        .where(Answer.reviewed_at.is_not(None)), user, survey_slug)
    return QueueItem(answer, waiting, db.session.scalar(reviewed_query) or 0)


def active_themes() -> list[Theme]:
    """Return the active themes in a stable order (the order of their shortcut keys)."""
    return list(db.session.scalars(select(Theme).where(Theme.is_active).order_by(Theme.id)))


def record_review(answer: Answer, slugs: Sequence[str], user: User) -> list[str]:
    """Store a reviewer's themes for `answer` (none when `slugs` is empty); return those kept.

    Earlier human labels of the answer are replaced; unknown or inactive slugs are ignored.
    """
    ids = {t.slug: t.id for t in active_themes()}
    kept = [s for s in dict.fromkeys(slugs) if s in ids]
    db.session.execute(delete(AnswerTheme).where(AnswerTheme.answer_id == answer.id, AnswerTheme.source == HUMAN))
    for slug in kept:
        db.session.add(AnswerTheme(answer_id=answer.id, theme_id=ids[slug], score=1.0, source=HUMAN,
                                   model_version=None, triggers=[]))
    answer.reviewed_at = utcnow()
    answer.reviewed_by_id = user.id
    db.session.flush()
    audit.record("label_edit", f"answer:{answer.id}", user_id=user.id, themes=kept)
    return kept


def human_labels(limit: int | None = None) -> list[dict]:
    """Return every reviewed answer as a training record {"id", "text", "lang", "themes"}."""
    rows = db.session.execute(
        select(Answer.id, Answer.text, Answer.lang, Theme.slug)
        .outerjoin(AnswerTheme, and_(AnswerTheme.answer_id == Answer.id, AnswerTheme.source == HUMAN))
        .outerjoin(Theme, Theme.id == AnswerTheme.theme_id)
        .where(Answer.reviewed_at.is_not(None), Answer.text.is_not(None))
        .order_by(Answer.id)
    )
    records: dict[int, dict] = {}
    for answer_id, text, lang, slug in rows:
        record = records.setdefault(answer_id, {"id": f"answer-{answer_id}", "text": text,
                                                "lang": lang if lang in ("da", "en") else "da", "themes": []})
        if slug:
            record["themes"].append(slug)
    out = list(records.values())
    return out[:limit] if limit else out
