"""Themed summaries for the dashboard: computed by a job into a `SummarySnapshot`, read by pages.

A snapshot holds everything the summaries page and the comparison show for one selection of
answers (`Filters`): per theme the count, share, sentiment split, key phrases, quotes (with
answer ids and municipality), sub-topics, the generated summary in Danish and English; the municipality × theme matrix; the trend per
period; and the results of the survey's structured questions. Computing reads the database and
runs `engage.nlp.summarise`; the page then reads one row.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Text, cast, func, select

from engage.core.extensions import db
from engage.dashboard.filters import Filters, apply_filters
from engage.models import (
    Answer,
    AnswerTheme,
    Municipality,
    Question,
    Response,
    SummarySnapshot,
    Survey,
    Theme,
)
from engage.models.base import utcnow
from engage.nlp.summarise import NONE, SummaryItem, summarise

#: Theme sources in order of authority: a reviewer's label replaces the machine's.
HUMAN_SOURCES = ("human",)
#: Question kinds whose answers are free text (summarised), the rest have result charts.
FREE_TEXT_KINDS = ("short_text", "long_text")
#: Above this many weeks the trend is shown per month.
WEEKLY_TREND_LIMIT = 26
#: The shape of a snapshot's data; a snapshot of an older shape is stale (recomputed on view).
#: 2: generated summaries ("narrative", "summary" as claims with answer ids) and sub-topics.
SNAPSHOT_FORMAT = 2

Progress = Callable[[int, int], None]


# --- reading the answers -----------------------------------------------------------------------


def survey_id_for(filters: Filters) -> int | None:
    """Return the id of the selected survey (None: all surveys); LookupError if the slug is unknown."""
    if not filters.survey:
        return None
    survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == filters.survey))
    if survey_id is None:
        raise LookupError(filters.survey)
    return survey_id


def data_fingerprint() -> list[Any]:
    """Return what changes when answers arrive, are deleted or re-analysed (one round trip).

    Every page view asks this, so each figure is its own scalar subquery: the database can then
    answer max(id) from the primary key, max(analysed_at) from an index on it, and count(*) from
    the smallest index, instead of one scan of every answer row for all three.
    """
    count, max_id, analysed, reviewed = db.session.execute(
        select(
            select(func.count()).select_from(Answer).scalar_subquery(),
            select(func.max(Answer.id)).scalar_subquery(),
            select(func.max(Answer.analysed_at)).scalar_subquery(),
            select(func.max(Answer.reviewed_at)).scalar_subquery(),
        )
    ).one()
    return [int(count or 0), int(max_id or 0), _iso(analysed), _iso(reviewed)]


def _iso(value: Any) -> str | None:
    """Return a timestamp as ISO text (SQLite may hand back a string already), or None."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class _Row(NamedTuple):
    """One selected free-text answer (a named tuple: 100,000 of these are made per summary)."""

    id: int
    text: str
    lang: str
    sentiment: float | None
    quotable: bool
    municipality_id: int | None
    stakeholder: str | None
    submitted_at: datetime


def _free_text_question_ids(survey_id: int | None) -> list[int]:
    """Return the ids of the free-text questions (of one survey, or all): the row query then reads
    only their answers through the question index instead of every answer of every response."""
    query = select(Question.id).where(Question.kind.in_(FREE_TEXT_KINDS))
    if survey_id is not None:
        query = query.where(Question.survey_id == survey_id)
    return list(db.session.scalars(query))


def _free_text_rows(filters: Filters, survey_id: int | None) -> list[_Row]:
    """Return the selected free-text answers with what the summary needs about their response."""
    query = (
        select(
            Answer.id, Answer.text, Answer.lang, Answer.sentiment, Response.quote_consent, Survey.allow_quotes,
            Response.municipality_id, Response.stakeholder_type, Response.submitted_at,
        )
        .join(Response, Answer.response_id == Response.id)
        .join(Survey, Response.survey_id == Survey.id)
        .where(Answer.question_id.in_(_free_text_question_ids(survey_id)),
               Answer.text.is_not(None), Answer.text != "", Response.is_test.is_(False))
        .order_by(Answer.id)
    )
    query = apply_filters(query, filters, survey_id)
    return [
        _Row(id_, text, lang or "da", sentiment, bool(consent and allow), municipality_id, stakeholder, submitted)
        for id_, text, lang, sentiment, consent, allow, municipality_id, stakeholder, submitted
        in db.session.execute(query)
    ]


def _themes_by_answer(filters: Filters, survey_id: int | None) -> tuple[dict[int, list[str]], dict[int, float]]:
    """Return {answer id: theme slugs, strongest first} and {answer id: the first theme's score};
    a reviewer's labels replace the machine's (and count as certain, 1.0)."""
    selected = apply_filters(
        select(Answer.id).join(Response, Answer.response_id == Response.id).where(Answer.text.is_not(None)),
        filters, survey_id,
    )
    rows = db.session.execute(
        select(AnswerTheme.answer_id, Theme.slug, AnswerTheme.score, AnswerTheme.source)
        .join(Theme, AnswerTheme.theme_id == Theme.id)
        .where(Theme.is_active, AnswerTheme.answer_id.in_(selected.scalar_subquery()))
    )
    # One sort of plain tuples (not a keyed sort per answer): per answer the machine's labels,
    # then the reviewer's, each by score (highest first) then slug.
    ordered = sorted((answer_id, source in HUMAN_SOURCES, -score, slug) for answer_id, slug, score, source in rows)
    out: dict[int, list[str]] = {}
    confidence: dict[int, float] = {}
    reviewed: set[int] = set()
    for answer_id, is_human, negative_score, slug in ordered:
        slugs = out.get(answer_id)
        if slugs is None or (is_human and answer_id not in reviewed):
            out[answer_id] = slugs = []
            confidence[answer_id] = 1.0 if is_human else -negative_score
            if is_human:
                reviewed.add(answer_id)
        if slug not in slugs:
            slugs.append(slug)
    # An answer a reviewer marked as having no theme has none, whatever the machine found. Reviewed
    # answers are few: found through the index on reviewed_at, not by re-reading the selection.
    for answer_id in db.session.scalars(select(Answer.id).where(Answer.reviewed_at.is_not(None))):
        if answer_id not in reviewed:
            out.pop(answer_id, None)
    return out, confidence


def theme_titles() -> dict[str, dict[str, str]]:
    """Return {slug: {"da": name, "en": name}} for every theme in the database, plus "none"."""
    titles = {slug: {"da": da, "en": en} for slug, da, en in db.session.execute(
        select(Theme.slug, Theme.name_da, Theme.name_en))}
    titles[NONE] = {"da": "Uden tema", "en": "No theme"}
    return titles


# --- computing ---------------------------------------------------------------------------------


def compute_snapshot(filters: Filters, progress: Progress | None = None) -> SummarySnapshot:
    """Compute the summary of `filters`' answers and store it (replacing the previous one).

    The snapshot row is written at the end in the caller's transaction, so a run that is killed
    midway leaves the previous snapshot untouched.
    """
    started = time.perf_counter()
    report = progress or (lambda done, total: None)
    fingerprint = data_fingerprint()
    survey_id = survey_id_for(filters)
    report(0, 4)
    rows = _free_text_rows(filters, survey_id)
    themes, confidence = _themes_by_answer(filters, survey_id)
    report(1, 4)
    places = db.session.execute(select(Municipality.id, Municipality.slug, Municipality.name_da,
                                       Municipality.name_en)).all()
    municipalities = {id_: slug for id_, slug, _, _ in places}
    names = {slug: {"da": da, "en": en} for _, slug, da, en in places}
    items = [
        SummaryItem(id=str(r.id), text=r.text, lang=r.lang, themes=tuple(themes.get(r.id, ())),
                    sentiment=r.sentiment or 0.0, quotable=r.quotable, confidence=confidence.get(r.id, 1.0),
                    municipality=municipalities.get(r.municipality_id), stakeholder=r.stakeholder)
        for r in rows
    ]
    summary = summarise(items, titles=theme_titles(), filters=filters.to_dict(), municipality_names=names)
    report(2, 4)
    where = {str(r.id): municipalities.get(r.municipality_id) for r in rows}
    data = summary.to_dict()
    data["format"] = SNAPSHOT_FORMAT
    for theme in data["themes"]:
        for quote in theme["quotes"]:
            quote["municipality"] = where.get(quote["id"])
    data["matrix"] = _matrix(rows, themes, municipalities)
    data["trend"] = _trend(rows, themes)
    data["stakeholders"] = dict(Counter(r.stakeholder or "unknown" for r in rows).most_common())
    data["structured"] = _structured(filters, survey_id) if survey_id is not None else []
    data["fingerprint"] = fingerprint
    report(3, 4)
    snapshot = db.session.scalar(select(SummarySnapshot).where(SummarySnapshot.key == filters.key()))
    if snapshot is None:
        snapshot = SummarySnapshot(key=filters.key())
        db.session.add(snapshot)
    versions = Counter(v for (v,) in db.session.execute(
        apply_filters(select(Answer.model_version).join(Response, Answer.response_id == Response.id)
                      .where(Answer.model_version.is_not(None)), filters, survey_id).limit(5000)))
    snapshot.filters = filters.to_dict()
    snapshot.data = json.loads(json.dumps(data, default=str))
    snapshot.answer_count = len(rows)
    snapshot.max_answer_id = fingerprint[1]
    snapshot.model_version = versions.most_common(1)[0][0] if versions else ""
    snapshot.computed_at = utcnow()
    snapshot.seconds = round(time.perf_counter() - started, 3)
    db.session.flush()
    report(4, 4)
    return snapshot


def _matrix(rows: list[_Row], themes: dict[int, list[str]], municipalities: dict[int, str]) -> dict[str, Any]:
    """Return, per municipality, the number of answers and the number carrying each theme."""
    totals: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        where = municipalities.get(r.municipality_id) if r.municipality_id else None
        where = where or "unknown"
        totals[where] += 1
        for slug in themes.get(r.id, ()) or (NONE,):
            counts[where][slug] += 1
    return {slug: {"total": totals[slug], "themes": dict(counts[slug])} for slug in totals}


def _period(day: date, monthly: bool) -> str:
    """Return the period label of `day`: "2026-11" (month) or "2026-W47" (ISO week)."""
    if monthly:
        return f"{day.year}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _trend(rows: list[_Row], themes: dict[int, list[str]]) -> dict[str, Any]:
    """Return answers per period and per theme per period, every period between first and last."""
    if not rows:
        return {"unit": "week", "periods": [], "totals": [], "themes": {}}
    first = min(r.submitted_at for r in rows).date()
    last = max(r.submitted_at for r in rows).date()
    monthly = (last - first).days > WEEKLY_TREND_LIMIT * 7
    days = (last - first).days + 1
    periods = list(dict.fromkeys(_period(first + timedelta(days=d), monthly) for d in range(days)))
    index = {p: i for i, p in enumerate(periods)}
    totals = [0] * len(periods)
    per_theme: dict[str, list[int]] = defaultdict(lambda: [0] * len(periods))
    by_day = {first + timedelta(days=d): index[_period(first + timedelta(days=d), monthly)] for d in range(days)}
    for r in rows:
        i = by_day[r.submitted_at.date()]
        totals[i] += 1
        for slug in themes.get(r.id, ()):
            per_theme[slug][i] += 1
    return {"unit": "month" if monthly else "week", "periods": periods, "totals": totals,
            "themes": dict(per_theme)}


def _structured(filters: Filters, survey_id: int) -> list[dict[str, Any]]:
    """Return result data of the survey's closed questions, aggregated in the database.

    Values are grouped by their JSON text, so the database returns one row per distinct value
    (rankings and multi-choice combinations included) rather than one per answer. The language
    filter concerns free text and is not applied here.
    """
    questions = db.session.scalars(
        select(Question).where(Question.survey_id == survey_id, Question.kind.not_in(FREE_TEXT_KINDS))
        .order_by(Question.position)
    ).all()
    if not questions:
        return []
    closed = filters.with_(lang=None, question=None)
    value_text = cast(Answer.value, Text)
    query = (
        select(Answer.question_id, value_text, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.question_id.in_([q.id for q in questions]), Answer.value.is_not(None),
               Response.is_test.is_(False))
        .group_by(Answer.question_id, value_text)
    )
    grouped: dict[int, list[tuple[Any, int]]] = defaultdict(list)
    for question_id, raw, n in db.session.execute(apply_filters(query, closed, survey_id)):
        try:
            grouped[question_id].append((json.loads(raw), int(n)))
        except (TypeError, ValueError):
            continue
    return [_question_result(q, grouped.get(q.id, [])) for q in questions]


def _question_result(question: Question, values: Iterable[tuple[Any, int]]) -> dict[str, Any]:
    """Return the distribution (or mean ranks) of one closed question's answers."""
    counts: Counter[str] = Counter()
    rank_sum: Counter[str] = Counter()
    rank_n: Counter[str] = Counter()
    answered = 0
    for value, n in values:
        answered += n
        if question.kind == "ranking" and isinstance(value, list):
            for position, key in enumerate(value, start=1):
                rank_sum[str(key)] += position * n
                rank_n[str(key)] += n
        elif isinstance(value, list):
            for key in value:
                counts[str(key)] += n
        elif isinstance(value, bool):
            counts["yes" if value else "no"] += n
        else:
            counts[str(value)] += n
    result: dict[str, Any] = {
        "key": question.key, "kind": question.kind, "text": {"da": question.text_da, "en": question.text_en},
        "options": [dict(o) for o in question.options or []], "settings": dict(question.settings or {}),
        "answered": answered, "counts": dict(counts),
    }
    if question.kind == "ranking":
        result["mean_rank"] = {k: round(rank_sum[k] / rank_n[k], 3) for k in rank_n}
        result["ranked_by"] = dict(rank_n)
    return result


# --- reading -----------------------------------------------------------------------------------


def get_snapshot(filters: Filters) -> SummarySnapshot | None:
    """Return the stored snapshot of `filters`, or None."""
    return db.session.scalar(select(SummarySnapshot).where(SummarySnapshot.key == filters.key()))


def is_stale(snapshot: SummarySnapshot, fingerprint: list[Any] | None = None) -> bool:
    """Return whether answers have arrived, been deleted or re-analysed since the snapshot, or the
    snapshot was computed in an older shape than this code shows."""
    data = snapshot.data or {}
    if data.get("format", 1) < SNAPSHOT_FORMAT:
        return True
    return data.get("fingerprint") != (fingerprint or data_fingerprint())


def existing_answer_ids(ids: Iterable[str]) -> set[str]:
    """Return those of `ids` whose answers still exist (a withdrawn answer is never shown)."""
    numeric = [int(i) for i in ids if str(i).isdecimal()]
    if not numeric:
        return set()
    return {str(i) for (i,) in db.session.execute(select(Answer.id).where(Answer.id.in_(numeric)))}
