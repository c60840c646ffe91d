"""What the staff pages show and do: scope checks, summaries and comparison views, answers,
exports. Views call one function here; functions add and flush, the view commits.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import abort
from sqlalchemy import func, select

from engage.core import audit
from engage.core.extensions import db
from engage.dashboard import summaries
from engage.dashboard.filters import Filters
from engage.jobs import enqueue
from engage.jobs.queue import Progress, is_stalled
from engage.models import (
    Answer,
    Job,
    Municipality,
    Question,
    Response,
    SummarySnapshot,
    Survey,
    User,
)
from engage.surveys.kinds import PARTNER_SLUGS, STAKEHOLDER_TYPES

EXPORT_FORMATS = ("xlsx", "csv")
REGION = "region"


# --- scope -------------------------------------------------------------------------------------


def municipality_slug(user: User) -> str | None:
    """Return the slug of the municipality `user` is limited to (None for regional staff)."""
    if user.is_regional or user.municipality is None:
        return None
    return user.municipality.slug


def check_filters(user: User, filters: Filters) -> None:
    """Refuse (403) a municipality editor's selection of another municipality's answers."""
    own = municipality_slug(user)
    if own is not None and filters.municipality not in (None, own):
        abort(403)


# --- choices for the filter forms --------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """The values the filter form offers."""

    surveys: list[Survey]
    municipalities: list[Municipality]
    stakeholders: dict[str, Any]
    questions: list[Question]


def filter_choices(filters: Filters) -> Choices:
    """Return the surveys, municipalities, stakeholder types and free-text questions to choose from."""
    surveys = db.session.scalars(select(Survey).where(Survey.status != "draft").order_by(Survey.id.desc())).all()
    municipalities = db.session.scalars(
        select(Municipality).where(Municipality.slug.in_(PARTNER_SLUGS)).order_by(Municipality.name_da)
    ).all()
    questions: list[Question] = []
    if filters.survey:
        questions = db.session.scalars(
            select(Question).join(Survey).where(Survey.slug == filters.survey,
                                                Question.kind.in_(summaries.FREE_TEXT_KINDS))
            .order_by(Question.position)
        ).all()
    return Choices(list(surveys), list(municipalities), dict(STAKEHOLDER_TYPES), list(questions))


# --- the overview ------------------------------------------------------------------------------


def survey_overview() -> list[tuple[Survey, int, int]]:
    """Return (survey, responses, free-text answers) for every survey, newest first."""
    responses = dict(db.session.execute(select(Response.survey_id, func.count()).group_by(Response.survey_id)).all())
    texts = dict(db.session.execute(
        select(Response.survey_id, func.count(Answer.id)).join(Answer, Answer.response_id == Response.id)
        .where(Answer.text.is_not(None)).group_by(Response.survey_id)).all())
    surveys = db.session.scalars(select(Survey).order_by(Survey.id.desc())).all()
    return [(s, responses.get(s.id, 0), texts.get(s.id, 0)) for s in surveys]


def recent_jobs(user: User, limit: int = 10) -> list[Job]:
    """Return the latest jobs (a municipality editor sees their own jobs only)."""
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if not user.is_regional:
        query = query.where(Job.user_id == user.id)
    return list(db.session.scalars(query))


# --- summaries ---------------------------------------------------------------------------------


@dataclass
class SummariesView:
    """What the summaries page shows: the snapshot's data for this reader, or the job computing it."""

    filters: Filters
    snapshot: SummarySnapshot | None
    job: Job | None
    is_stale: bool
    themes: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def summaries_view(filters: Filters, user: User, *, refresh_stale: bool = True) -> SummariesView:
    """Return the summary of `filters` as `user` may see it, enqueueing a computation when missing
    or stale (the page shows the previous numbers meanwhile).

    Quotes are raw answers: a municipality editor sees only those from their own municipality, and
    nobody sees an answer that has since been withdrawn (see `visible_themes`).
    """
    try:
        summaries.survey_id_for(filters)
    except LookupError:
        abort(404)
    snapshot = summaries.get_snapshot(filters)
    stale = snapshot is not None and summaries.is_stale(snapshot)
    job = None
    if snapshot is None or (stale and refresh_stale):
        job = enqueue("summaries", {"filters": filters.to_dict()}, user_id=user.id)
        if job.state == "done":
            snapshot = summaries.get_snapshot(filters)
            stale = snapshot is not None and summaries.is_stale(snapshot)
            job = None
    view = SummariesView(filters, snapshot, job, stale)
    if snapshot is not None:
        view.data = snapshot.data
        view.themes = visible_themes(snapshot.data, user, unchanged=not stale)
    return view


def visible_themes(data: Mapping[str, Any], user: User, *, unchanged: bool = False) -> list[dict[str, Any]]:
    """Return the snapshot's themes with what `user` may read: quotes limited to answers that
    still exist and, for a municipality editor, to their own municipality's; the generated
    summary's claims and the sub-topics keep their numbers, but cite only answers that still
    exist, and none for a municipality editor (the claims count answers across municipalities).

    `unchanged` says the answers are as the snapshot saw them (its fingerprint still holds, so
    none was withdrawn): then the cited answers are not looked up again.
    """
    own = municipality_slug(user)
    themes = data.get("themes", [])
    cited = {q["id"] for t in themes for q in t.get("quotes", [])}
    cited |= {i for t in themes for c in _claims_and_parts(t) for i in c.get("ids", [])}
    alive = cited if unchanged else summaries.existing_answer_ids(cited)
    out = []
    for theme in themes:
        theme = dict(theme)
        theme["quotes"] = [q for q in theme.get("quotes", [])
                           if q["id"] in alive and (own is None or q.get("municipality") == own)]
        theme["narrative"] = {lang: [_cite(c, alive, own) for c in claims]
                              for lang, claims in theme.get("narrative", {}).items()}
        theme["summary"] = [_cite(c, alive, own) for c in theme.get("summary", []) if "ids" in c]
        theme["subtopics"] = [_cite(p, alive, own) for p in theme.get("subtopics", [])]
        out.append(theme)
    return out


def _claims_and_parts(theme: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return every record of a theme that cites answer ids (claims of each language, sub-topics)."""
    claims = [c for lang_claims in theme.get("narrative", {}).values() for c in lang_claims]
    return claims + list(theme.get("subtopics", []))


def _cite(record: Mapping[str, Any], alive: set[str], own: str | None) -> dict[str, Any]:
    """Return `record` citing only answers that still exist (none for a municipality editor)."""
    ids = [] if own is not None else [i for i in record.get("ids", []) if i in alive]
    return {**record, "ids": ids, "id": ids[0] if ids else ""}


def request_summary(filters: Filters, user: User) -> Job:
    """Enqueue (or find) the computation of `filters`' summary."""
    return enqueue("summaries", {"filters": filters.to_dict()}, user_id=user.id)


def summaries_document(filters: Filters, user: User) -> dict[str, Any]:
    """Return the summary as a JSON document for download (the export of summaries), audited."""
    view = summaries_view(filters, user, refresh_stale=False)
    if view.snapshot is None:
        abort(409)
    audit.record("export", f"summaries:{filters.survey or 'all'}", user_id=user.id, format="json",
                 filters=filters.to_dict())
    data = {k: v for k, v in view.data.items() if k not in ("themes", "fingerprint")}
    own = municipality_slug(user)
    if own is not None:
        data["matrix"] = {k: v for k, v in data.get("matrix", {}).items() if k == own}
    data["themes"] = view.themes
    data["computed_at"] = view.snapshot.computed_at.isoformat()
    data["model_version"] = view.snapshot.model_version
    return data


# --- comparison --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One column of the comparison: a municipality (or the region) and its theme counts."""

    key: str
    total: int
    counts: dict[str, int]
    enough: bool

    def share(self, theme: str) -> float | None:
        """Return the share of answers carrying `theme`, or None when there are too few answers."""
        if not self.enough or not self.total:
            return None
        return self.counts.get(theme, 0) / self.total


@dataclass(frozen=True)
class ComparisonRow:
    """One theme of the comparison."""

    theme: str
    title: dict[str, str]
    a: float | None
    b: float | None
    a_count: int
    b_count: int

    @property
    def difference(self) -> float | None:
        """Return a's share minus b's in percentage points (None when either is too noisy)."""
        return None if self.a is None or self.b is None else (self.a - self.b) * 100


def _side(matrix: Mapping[str, Any], key: str, min_answers: int) -> Side:
    """Return the comparison column for a municipality slug, or for the whole region."""
    if key == REGION:
        counts: dict[str, int] = {}
        total = 0
        for cell in matrix.values():
            total += cell["total"]
            for slug, n in cell["themes"].items():
                counts[slug] = counts.get(slug, 0) + n
    else:
        cell = matrix.get(key, {"total": 0, "themes": {}})
        total, counts = cell["total"], dict(cell["themes"])
    return Side(key, total, counts, total >= min_answers)


def comparison(filters: Filters, a: str, b: str, user: User, min_answers: int) -> tuple[SummariesView, Side, Side, list[ComparisonRow]]:
    """Compare municipality `a` with `b` (a municipality or "region") theme by theme.

    Reads the region-wide snapshot of the other filters. Only aggregates are shown, so an editor
    may compare with any municipality; shares from fewer than `min_answers` answers are withheld.
    """
    own = municipality_slug(user)
    if own is not None and a != own:
        abort(403)
    view = summaries_view(filters.with_(municipality=None), user)
    matrix = view.data.get("matrix", {}) if view.snapshot else {}
    side_a, side_b = _side(matrix, a, min_answers), _side(matrix, b, min_answers)
    titles = {t["theme"]: t["title"] for t in view.data.get("themes", [])}
    rows = [
        ComparisonRow(slug, titles[slug], side_a.share(slug), side_b.share(slug),
                      side_a.counts.get(slug, 0), side_b.counts.get(slug, 0))
        for slug in titles if slug != summaries.NONE
    ]
    rows.sort(key=lambda r: -(r.a_count + r.b_count))
    return view, side_a, side_b, rows


# --- one answer --------------------------------------------------------------------------------


def answer_for(answer_id: int, user: User) -> Answer:
    """Return the answer `answer_id` if `user` may read it (404 otherwise, also when it is gone)."""
    from engage.auth.access import require_raw_access

    answer = db.session.get(Answer, answer_id)
    if answer is None:
        abort(404)
    require_raw_access(user, answer.response.municipality_id)
    return answer


# --- exports -----------------------------------------------------------------------------------


def request_export(filters: Filters, fmt: str, lang: str, user: User) -> Job:
    """Enqueue an answers export of one survey for `user` (scoped to their municipality), audited."""
    if fmt not in EXPORT_FORMATS or not filters.survey:
        abort(400)
    try:
        summaries.survey_id_for(filters)
    except LookupError:
        abort(404)
    check_filters(user, filters)
    params = {"filters": filters.to_dict(), "format": fmt, "lang": lang,
              "scope": user.scope_municipality_id, "nonce": secrets.token_hex(4)}
    audit.record("export", f"survey:{filters.survey}", user_id=user.id, format=fmt, filters=filters.to_dict())
    return enqueue("export", params, user_id=user.id)  # commits the audit line with the job


def write_export(job: Job, progress: Progress) -> dict[str, Any]:
    """Do the work of an export job: write the file under a temporary name, then move it in place."""
    from flask import current_app
    from flask_babel import force_locale

    from engage.dashboard.exports import export_table, write_csv, write_xlsx

    params = job.params
    filters = Filters.from_dict(params["filters"])
    survey = db.session.scalar(select(Survey).where(Survey.slug == filters.survey))
    if survey is None:
        raise LookupError("survey")
    folder = Path(current_app.config["EXPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"job-{job.id}-{secrets.token_hex(8)}.{params['format']}"
    partial = folder / (name + ".partial")
    progress(0, 1)
    counted = {"rows": 0}

    def counting(rows):
        for row in rows:
            counted["rows"] += 1
            yield row

    with force_locale(params["lang"]):
        table = export_table(survey, filters, params["lang"], municipality_scope=params.get("scope"))
        table.rows = counting(table.rows)
        if params["format"] == "csv":
            with partial.open("wb") as fh:
                write_csv(table, fh, params["lang"])
        else:
            write_xlsx(table, partial)
    os.replace(partial, folder / name)
    return {"file": name, "format": params["format"], "survey": survey.slug, "rows": counted["rows"]}


def job_for(job_id: int, user: User) -> Job:
    """Return job `job_id` if `user` may see it: their own, or any for regional staff."""
    job = db.session.get(Job, job_id)
    if job is None or (not user.is_regional and job.user_id != user.id):
        abort(404)
    return job


def export_file(job: Job, user: User) -> Path:
    """Return the finished export file of `job` and audit its download."""
    name = (job.result or {}).get("file")
    if job.kind != "export" or job.state != "done" or not name:
        abort(404)
    from flask import current_app

    path = Path(current_app.config["EXPORT_DIR"]) / name
    if not path.is_file():
        abort(410)
    audit.record("export", f"download:job-{job.id}", user_id=user.id, format=job.result.get("format"))
    return path


def job_is_stalled(job: Job) -> bool:
    """Return whether `job` seems to have lost its worker."""
    return is_stalled(job)


def reload_analysers() -> None:
    """Make this process's analysers pick up theme edits and model activations now (other
    processes notice within TAXONOMY_REFRESH_SECONDS)."""
    from flask import current_app

    for key in ("engage.analyser", "engage.batch_analyser"):
        analyser = current_app.extensions.get(key)
        if analyser is not None:
            analyser.invalidate()  # the next answer re-reads the taxonomy and notices a new ACTIVE model


def filter_theme_choices() -> list[tuple[str, str]]:
    """Return (slug, name in the page's language) of the active themes."""
    from engage.core.i18n import current_lang
    from engage.models import Theme

    lang = current_lang()
    themes = db.session.scalars(select(Theme).where(Theme.is_active).order_by(Theme.id))
    return [(t.slug, (t.name_da if lang == "da" else t.name_en) or t.slug) for t in themes]
