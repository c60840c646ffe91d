"""What a staff member selected a set of answers by: survey, municipality, stakeholder type,
language, date range and question. One dataclass, read from a query string, turned into a
stable key (for precomputed summaries) and applied to queries in one place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select

from engage.models import Answer, Municipality, Question, Response

LANGS = ("da", "en", "other")


def _date(value: str | None) -> date | None:
    """Return an ISO date from a query-string value, or None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _slug(value: str | None, limit: int = 80) -> str | None:
    """Return a trimmed identifier-like value, or None when absent or implausible."""
    value = (value or "").strip()
    if not value or len(value) > limit or not all(c.isalnum() or c in "-_" for c in value):
        return None
    return value


@dataclass(frozen=True)
class Filters:
    """A selection of answers. None means "all"."""

    survey: str | None = None  # survey slug
    municipality: str | None = None  # municipality slug
    stakeholder: str | None = None  # stakeholder type key
    lang: str | None = None  # detected language of free text: da | en | other
    date_from: date | None = None  # submitted on or after (Europe/Copenhagen calendar day, UTC approx.)
    date_to: date | None = None  # submitted on or before
    question: str | None = None  # key of one free-text question

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read filters from a query string; unknown or malformed values are ignored, never an error."""
        lang = args.get("lang_filter") or args.get("language")
        return cls(
            survey=_slug(args.get("survey")),
            municipality=_slug(args.get("municipality")),
            stakeholder=_slug(args.get("stakeholder")),
            lang=lang if lang in LANGS else None,
            date_from=_date(args.get("from")),
            date_to=_date(args.get("to")),
            question=_slug(args.get("question")),
        )

    def to_args(self) -> dict[str, str]:
        """Return the query-string form (only the values that are set)."""
        names = {"lang": "language", "date_from": "from", "date_to": "to"}
        out: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value is not None:
                out[names.get(key, key)] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    def to_dict(self) -> dict[str, str | None]:
        """Return a JSON-able dict of every field."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> Filters:
        """Return the Filters that `to_dict` wrote."""
        return cls(
            survey=data.get("survey"),
            municipality=data.get("municipality"),
            stakeholder=data.get("stakeholder"),
            lang=data.get("lang"),
            date_from=_date(data.get("date_from")),
            date_to=_date(data.get("date_to")),
            question=data.get("question"),
        )

    def key(self) -> str:
        """Return a stable key for this selection (for precomputed summaries and job dedupe)."""
        raw = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def with_(self, **changes: object) -> Filters:
        """Return a copy with `changes` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_regional(self) -> bool:
        """Return whether no municipality is selected (the whole region)."""
        return self.municipality is None


def apply_filters(query: Select, filters: Filters, survey_id: int | None = None) -> Select:
    """Restrict a query that selects from Answer joined to Response to `filters`.

    The caller joins Response (and passes the survey id it resolved from the slug). The municipality
    filter must have been checked against the user's scope before this is called.
    """
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    if filters.municipality:
        query = query.where(Response.municipality_id.in_(_municipality_ids(filters.municipality)))
    if filters.stakeholder:
        query = query.where(Response.stakeholder_type == filters.stakeholder)
    if filters.lang:
        query = query.where(Answer.lang == filters.lang)
    if filters.date_from:
        query = query.where(Response.submitted_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(Response.submitted_at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.question:
        query = query.where(Answer.question_id.in_(_question_ids(filters.question, survey_id)))
    return query


def _municipality_ids(slug: str) -> Select:
    return select(Municipality.id).where(Municipality.slug == slug)


def _question_ids(key: str, survey_id: int | None) -> Select:
    query = select(Question.id).where(Question.key == key)
    if survey_id is not None:
        query = query.where(Question.survey_id == survey_id)
    return query


def _start_of(day: date) -> datetime:
    """Return midnight UTC at the start of `day` (the filter works on whole UTC days)."""
    return datetime.combine(day, time.min, tzinfo=UTC)
