"""The web side's one door to the analysis engine (engage.nlp).

`AnswerAnalyser` is the narrow interface: the spaCy implementation runs the engine with the
taxonomy from the database (its active themes and the team's keyword edits); the null one only
redacts, leaving answers `pending` for the re-analysis job. `create_analyser(config)` picks one;
the app keeps it in `app.extensions` and views pass it to services — services never read
`current_app` for it.

Free text is redacted before it is stored. If analysis fails at submit time, the pattern
redaction alone is applied, the answer is stored as `pending`, and the caller enqueues the
re-analysis job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from flask import current_app
from sqlalchemy import delete, func, select

from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Response, Theme
from engage.models.base import utcnow

if TYPE_CHECKING:
    from engage.nlp.analyse import Analyser
    from engage.nlp.types import Analysis

log = logging.getLogger(__name__)

#: Theme sources written by the engine (re-analysis replaces them); human and citizen labels stay.
#: "consultation": themed by words learned from the survey's own answers (see `adapt_survey`).
MACHINE_SOURCES = ("model", "rule", "encoder", "consultation")
#: Machine themes found without the trained model's support (the lexicon alone, the encoder alone,
#: words learned from the consultation): worth a person's look in the review queue.
WEAK_SOURCES = ("rule", "encoder", "consultation")


# --- the taxonomy, from the database -----------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    """The active themes: slug → id, and the team's keyword edits as lexicon overrides."""

    ids: dict[str, int] = field(default_factory=dict)
    overrides: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    version: tuple[int, str] = (0, "")


def taxonomy_version() -> tuple[int, str]:
    """Return a cheap fingerprint of the theme table (row count, last edit)."""
    count, last = db.session.execute(select(func.count(Theme.id), func.max(Theme.updated_at))).one()
    return int(count or 0), str(last or "")


def load_taxonomy() -> Taxonomy:
    """Read the active themes and their edited keywords.

    The shipped lexicon is each theme's default; a theme whose `keywords_da`/`keywords_en` the
    team has filled gets those keywords instead (the engine's lexicon overrides).
    """
    ids: dict[str, int] = {}
    overrides: dict[str, dict[str, dict[str, Any]]] = {"da": {}, "en": {}}
    rows = db.session.execute(
        select(Theme.id, Theme.slug, Theme.keywords_da, Theme.keywords_en).where(Theme.is_active)
    )
    for id_, slug, keywords_da, keywords_en in rows:
        ids[slug] = id_
        if keywords_da:
            overrides["da"][slug] = {"keywords": list(keywords_da)}
        if keywords_en:
            overrides["en"][slug] = {"keywords": list(keywords_en)}
    return Taxonomy(ids, {k: v for k, v in overrides.items() if v}, taxonomy_version())


# --- the interface -----------------------------------------------------------------------------


class AnswerAnalyser(Protocol):
    """What the web side needs from the engine."""

    def analyse(self, text: str, lang_hint: str | None, refine: bool = False) -> Analysis | None:
        """Return the analysis of one raw answer, or None when it is left for the background job;
        with `refine` the sentence encoder has its say too (~70 ms: a chat turn, not the submit)."""

    def analyse_many(self, items: Sequence[tuple[str, str | None]]) -> list[Analysis]:
        """Return the analyses of (text, lang_hint) pairs, in order (batch work, jobs)."""

    def theme_ids(self) -> dict[str, int]:
        """Return {slug: id} of the active themes (loaded once, refreshed after edits)."""

    def adapt(self, analyses: Sequence[Analysis]) -> list[Analysis] | None:
        """Return one consultation's analyses with the gaps its own words fill, or None when this
        analyser cannot learn from a consultation (no sentence encoder here)."""


class _TaxonomyMixin:
    """Keeps the taxonomy of this process, reloading it when the theme table has changed."""

    def __init__(self, refresh_seconds: float = 30) -> None:
        self._refresh_seconds = refresh_seconds
        self._taxonomy: Taxonomy | None = None
        self._checked_at = 0.0
        self._taxonomy_lock = threading.Lock()
        self._unknown_logged: set[str] = set()

    def taxonomy(self) -> Taxonomy:
        """Return the current taxonomy (one cheap query at most every `refresh_seconds`)."""
        now = time.monotonic()
        current = self._taxonomy
        if current is not None and now - self._checked_at < self._refresh_seconds:
            return current
        with self._taxonomy_lock:
            if current is None or taxonomy_version() != current.version or self._model_changed():
                self._taxonomy = load_taxonomy()
                self._on_taxonomy(self._taxonomy)
            self._checked_at = now
            assert self._taxonomy is not None
            return self._taxonomy

    def invalidate(self) -> None:
        """Reload the taxonomy on next use (call after editing themes in this process)."""
        self._checked_at = 0.0
        self._taxonomy = None

    def _on_taxonomy(self, taxonomy: Taxonomy) -> None:
        """React to a new taxonomy (the spaCy analyser applies the keyword edits)."""

    def _model_changed(self) -> bool:
        """Return whether another model has been activated since this process loaded one."""
        return False

    def theme_ids(self) -> dict[str, int]:
        """Return {slug: id} of the active themes."""
        return self.taxonomy().ids

    def warn_unknown(self, slug: str) -> None:
        """Log, once per process, a theme the engine found that the database does not have."""
        if slug not in self._unknown_logged:
            self._unknown_logged.add(slug)
            log.warning("the engine found theme %r, which is not an active theme in the database; ignored", slug)


class SpacyAnswerAnalyser(_TaxonomyMixin):
    """The engine's analyser for the active model, with the database's taxonomy."""

    def __init__(self, model_dir: str, refresh_seconds: float = 30) -> None:
        super().__init__(refresh_seconds)
        self.model_dir = model_dir
        self._engine: Analyser | None = None
        self._engine_lock = threading.Lock()

    @property
    def engine(self) -> Analyser:
        """Return the engine's Analyser (its pipelines load on first use, once per process)."""
        if self._engine is None:
            from engage.nlp.analyse import Analyser

            with self._engine_lock:
                if self._engine is None:
                    self._engine = Analyser.load(self.model_dir)
        return self._engine

    def _model_changed(self) -> bool:
        from engage.nlp.pipeline import LEXICON_ONLY, active_version

        engine = self._engine
        return engine is not None and (active_version(self.model_dir) or LEXICON_ONLY) != engine.model_version

    def _on_taxonomy(self, taxonomy: Taxonomy) -> None:
        if self._model_changed():
            with self._engine_lock:
                self._engine = None  # another model was activated: load it (once per process)
        self.engine.set_lexicon_overrides(taxonomy.overrides)

    def status(self) -> str:
        """Return "loaded", "not loaded yet" or "missing" (no active model) — loads nothing."""
        from engage.nlp.pipeline import active_version

        if self._engine is not None:
            return "loaded"
        return "not loaded yet" if active_version(self.model_dir) else "missing"

    def reload(self) -> None:
        """Load the active model and the taxonomy again on next use (after an activation)."""
        with self._engine_lock:
            self._engine = None
        self.invalidate()

    def analyse(self, text: str, lang_hint: str | None, refine: bool = False) -> Analysis | None:
        """Analyse one answer with the current taxonomy (`refine`: with the sentence encoder)."""
        self.taxonomy()
        if refine:
            return next(self.engine.analyse_many([(text, lang_hint)], refine=True))
        return self.engine.analyse(text, lang_hint=lang_hint)

    def analyse_many(self, items: Sequence[tuple[str, str | None]]) -> list[Analysis]:
        """Analyse many answers in batches through `nlp.pipe`, refined by the sentence encoder
        (batch work: the analyse job and commands)."""
        self.taxonomy()
        return list(self.engine.analyse_many(items, refine=True))

    def adapt(self, analyses: Sequence[Analysis]) -> list[Analysis] | None:
        """Fill one consultation's unthemed answers from its own words (engage/nlp/adapt.py)."""
        self.taxonomy()
        if not self.engine.encoder_ready():
            return None
        return self.engine.adapt(analyses)[0]


class NullAnswerAnalyser(_TaxonomyMixin):
    """Analyses nothing at submit time: answers are redacted and left for the background job."""

    def status(self) -> str:
        """Return "not used": this process does not analyse."""
        return "not used"

    def analyse(self, text: str, lang_hint: str | None, refine: bool = False) -> Analysis | None:
        """Return None: the answer is analysed later."""
        return None

    def analyse_many(self, items: Sequence[tuple[str, str | None]]) -> list[Analysis]:
        """Refuse batch work: jobs use the spaCy analyser."""
        raise NotImplementedError("the null analyser does not analyse; configure ANALYSER=spacy for jobs")

    def adapt(self, analyses: Sequence[Analysis]) -> list[Analysis] | None:
        """Return None: nothing is learned here."""
        return None


def create_analyser(config: Mapping[str, Any], kind: str | None = None) -> AnswerAnalyser:
    """Return the analyser named by `kind` or config ANALYSER ("spacy" or "null"); loads nothing yet."""
    if kind is None:
        kind = config.get("ANALYSER", "spacy")
        if kind is None:  # ENGAGE_ANALYSER=null arrives parsed as JSON null
            kind = "null"
    if not config.get("NLP_ANALYSE_ON_SUBMIT", True) and kind == "spacy":
        kind = "null"  # the older switch still works
    refresh = float(config.get("TAXONOMY_REFRESH_SECONDS", 30))
    if kind == "null":
        return NullAnswerAnalyser(refresh)
    if kind == "spacy":
        return SpacyAnswerAnalyser(str(config["NLP_MODEL_DIR"]), refresh)
    raise ValueError(f"unknown ANALYSER {kind!r} (use 'spacy' or 'null')")


def submit_analyser() -> AnswerAnalyser:
    """Return the app's analyser for the submit path (views pass it to services)."""
    return current_app.extensions["engage.analyser"]


def batch_analyser() -> AnswerAnalyser:
    """Return the app's spaCy analyser for background jobs and commands (whatever ANALYSER says)."""
    batch = current_app.extensions.get("engage.batch_analyser")
    if batch is not None:
        return batch
    analyser = current_app.extensions["engage.analyser"]
    if not isinstance(analyser, SpacyAnswerAnalyser):
        analyser = create_analyser(current_app.config, "spacy")
    current_app.extensions["engage.batch_analyser"] = analyser
    return analyser


def init_app(app: Any) -> None:
    """Create the app's analyser (nothing loads until the first answer)."""
    app.extensions["engage.analyser"] = create_analyser(app.config)


# --- storing what the engine found -------------------------------------------------------------


def prepare_free_text(answer: Answer, text: str, locale: str, analyser: AnswerAnalyser) -> None:
    """Fill `answer` from raw `text`: analysed when possible, always redacted before storage."""
    try:
        analysis = analyser.analyse(text, locale)
    except Exception:  # noqa: BLE001 — the answer must be stored whatever the pipeline does
        log.exception("analysis failed at submit; stored with pattern redaction, queued")
        analysis = None
    if analysis is not None:
        apply_analysis(answer, analysis, analyser.theme_ids(), analyser)
        return
    from engage.nlp.redact import redact

    redaction = redact(text, locale if locale in ("da", "en") else "da")
    answer.text = redaction.text
    answer.redactions = redaction.counts or None
    answer.lang = None
    answer.analysis_state = "pending"


def apply_analysis(
    answer: Answer, analysis: Analysis, ids: dict[str, int], analyser: AnswerAnalyser | None = None
) -> None:
    """Store what the engine found on `answer`, replacing earlier machine themes.

    Redaction counts add up: re-analysing stored (already redacted) text finds little or nothing
    new, and what was removed at submit time must still be reported to the respondent.
    """
    answer.text = analysis.redacted
    answer.lang = analysis.lang
    counts = dict(answer.redactions or {})
    for kind, n in analysis.redactions.items():
        counts[kind] = counts.get(kind, 0) + n
    answer.redactions = counts or None
    answer.sentiment = analysis.sentiment
    answer.uncertainty = None if analysis.margin is None else round(float(analysis.margin), 4)
    answer.model_version = analysis.model_version
    answer.analysed_at = utcnow()
    answer.analysis_state = "done"
    if answer.id is not None:
        db.session.execute(
            delete(AnswerTheme).where(
                AnswerTheme.answer_id == answer.id, AnswerTheme.source.in_(MACHINE_SOURCES)
            )
        )
        db.session.expire(answer, ["themes"])
    for theme in analysis.themes:
        if theme.theme not in ids:
            if analyser is not None:
                analyser.warn_unknown(theme.theme)  # type: ignore[attr-defined]
            continue
        answer.themes.append(
            AnswerTheme(
                theme_id=ids[theme.theme],
                score=round(float(theme.score), 4),
                source=theme.source,
                model_version=analysis.model_version,
                triggers=list(theme.triggers),
            )
        )


def count_to_analyse(survey_id: int | None, everything: bool) -> int:
    """Return how many free-text answers `answers_to_analyse` will yield."""
    query = select(func.count(Answer.id)).where(Answer.text.is_not(None))
    if not everything:
        query = query.where(Answer.analysis_state.in_(("pending", "failed")))
    if survey_id is not None:
        query = query.join(Response).where(Response.survey_id == survey_id)
    return db.session.scalar(query) or 0


def answers_to_analyse(survey_id: int | None, everything: bool, batch_size: int) -> Iterator[Sequence[Answer]]:
    """Yield batches of free-text answers: pending ones, or all when `everything`."""
    query = select(Answer).where(Answer.text.is_not(None)).order_by(Answer.id)
    if not everything:
        query = query.where(Answer.analysis_state.in_(("pending", "failed")))
    if survey_id is not None:
        query = query.join(Response).where(Response.survey_id == survey_id)
    last_id = 0
    while True:
        batch = db.session.scalars(query.where(Answer.id > last_id).limit(batch_size)).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def analyse_stored(batch: Sequence[Answer], analyser: AnswerAnalyser) -> None:
    """Re-analyse stored (already redacted) answers in one `nlp.pipe` pass."""
    ids = analyser.theme_ids()
    items = [(a.text or "", a.lang or a.response.locale) for a in batch]
    for answer, analysis in zip(batch, analyser.analyse_many(items), strict=True):
        apply_analysis(answer, analysis, ids, analyser)


def analyse_pending(
    analyser: AnswerAnalyser,
    *,
    survey_id: int | None = None,
    everything: bool = False,
    batch_size: int = 500,
    progress: Any = None,
) -> int:
    """(Re)analyse stored answers batch by batch, committing each batch; return how many.

    Each batch is complete when committed, so a run that is killed resumes where it stopped
    (pending answers) or redoes whole batches (everything): never half an answer.
    """
    total = count_to_analyse(survey_id, everything)
    done = 0
    surveys: set[int] = set()
    if progress:
        progress(0, total)
    for batch in answers_to_analyse(survey_id, everything, batch_size):
        analyse_stored(batch, analyser)
        surveys.update(answer.response.survey_id for answer in batch)
        done += len(batch)
        db.session.commit()
        if progress:
            progress(done, total)
    for survey in sorted(surveys):
        adapt_survey(survey, analyser)
    return done


def adapt_survey(survey_id: int, analyser: AnswerAnalyser) -> int | None:
    """Theme the survey's answers that nothing else themed from the words its own confidently
    themed answers teach (engage/nlp/adapt.py), replacing the previous round's ("consultation"
    themes); commit and return how many were themed, or None when the analyser cannot learn.

    Seeds are the answers' strongest machine theme — or a person's, where one was given. Answers a
    person reviewed, and test responses, are never filled."""
    from engage.nlp.types import Analysis, ThemeScore

    in_survey = (select(Answer.id).join(Response, Answer.response_id == Response.id)
                 .where(Response.survey_id == survey_id, Response.is_test.is_(False)))
    rows = db.session.execute(
        select(Answer.id, Answer.text, Answer.lang, Answer.reviewed_at, Answer.model_version)
        .where(Answer.id.in_(in_survey), Answer.analysis_state == "done", Answer.text.is_not(None), Answer.text != "")
        .order_by(Answer.id)
    ).all()
    themes: dict[int, list[tuple[int, float, str]]] = {}
    for answer_id, slug, score, source in db.session.execute(
        select(AnswerTheme.answer_id, Theme.slug, AnswerTheme.score, AnswerTheme.source)
        .join(Theme, AnswerTheme.theme_id == Theme.id)
        .where(AnswerTheme.answer_id.in_(in_survey), AnswerTheme.source != "consultation")
    ):
        rank = 0 if source == "human" else 1  # a person's label first
        themes.setdefault(answer_id, []).append((rank, -(score or 0.0), slug))
    analyses = []
    for answer_id, text, lang, _reviewed, version in rows:
        ranked = sorted(themes.get(answer_id, ()))
        theme_scores = tuple(ThemeScore(slug, -negative, "stored") for _, negative, slug in ranked)
        analyses.append(Analysis(lang=lang or "other", redacted=text, redactions={}, themes=theme_scores,
                                 sentiment=0.0, sentences=(), model_version=version or ""))
    adapted = analyser.adapt(analyses) if analyses else []
    if adapted is None:
        return None
    db.session.execute(delete(AnswerTheme).where(AnswerTheme.answer_id.in_(in_survey),
                                                 AnswerTheme.source == "consultation"))
    ids = analyser.theme_ids()
    filled = 0
    for (answer_id, _text, _lang, reviewed, version), before, after in zip(rows, analyses, adapted, strict=True):
        if after is before or reviewed is not None or not after.themes or after.themes[0].theme not in ids:
            continue
        theme = after.themes[0]
        db.session.add(AnswerTheme(answer_id=answer_id, theme_id=ids[theme.theme], score=round(float(theme.score), 4),
                                   source=theme.source, model_version=version, triggers=list(theme.triggers)))
        filled += 1
    db.session.commit()
    log.info("survey %s: %s answers themed by words learned from its answers", survey_id, filled)
    return filled
