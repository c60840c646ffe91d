"""Bridge between stored answers and the analysis engine (engage.nlp).

Free text is redacted before it is stored. At submit time the whole per-answer analysis runs
(language, redaction, themes, sentiment); if it fails, the pattern redaction alone is applied,
the answer is stored and marked `pending`, and `flask engage analyse` picks it up later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import delete, select

from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Theme
from engage.models.base import utcnow

if TYPE_CHECKING:
    from engage.nlp.analyse import Analyser
    from engage.nlp.types import Analysis

log = logging.getLogger(__name__)

_analysers: dict[str, Analyser] = {}
_lock = threading.Lock()


def get_analyser() -> Analyser:
    """Return this process's analyser for the configured model directory (loaded once)."""
    from engage.nlp.analyse import Analyser

    model_dir = current_app.config["NLP_MODEL_DIR"]
    with _lock:
        if model_dir not in _analysers:
            _analysers[model_dir] = Analyser.load(model_dir)
        return _analysers[model_dir]


def prepare_free_text(answer: Answer, text: str, locale: str) -> None:
    """Fill `answer` from raw `text`: analysed when possible, always redacted."""
    if current_app.config["NLP_ANALYSE_ON_SUBMIT"]:
        try:
            apply_analysis(answer, get_analyser().analyse(text, lang_hint=locale))
            return
        except Exception:  # noqa: BLE001 — the answer must be stored whatever the pipeline does
            log.exception("analysis failed at submit; stored with pattern redaction, queued")
    from engage.nlp.redact import redact

    redaction = redact(text, locale if locale in ("da", "en") else "da")
    answer.text = redaction.text
    answer.redactions = redaction.counts or None
    answer.lang = None
    answer.analysis_state = "pending"


def theme_ids() -> dict[str, int]:
    """Return {slug: id} of the active themes."""
    return {slug: id_ for slug, id_ in db.session.execute(select(Theme.slug, Theme.id).where(Theme.is_active))}


def apply_analysis(answer: Answer, analysis: Analysis, ids: dict[str, int] | None = None) -> None:
    """Store what the engine found on `answer`, replacing earlier machine themes.

    Redaction counts add up: re-analysing stored (already redacted) text finds little or nothing
    new, and what was removed at submit time must still be reported to the respondent.
    """
    ids = ids if ids is not None else theme_ids()
    answer.text = analysis.redacted
    answer.lang = analysis.lang
    counts = dict(answer.redactions or {})
    for kind, n in analysis.redactions.items():
        counts[kind] = counts.get(kind, 0) + n
    answer.redactions = counts or None
    answer.sentiment = analysis.sentiment
    answer.model_version = analysis.model_version
    answer.analysed_at = utcnow()
    answer.analysis_state = "done"
    if answer.id is not None:
        db.session.execute(
            delete(AnswerTheme).where(
                AnswerTheme.answer_id == answer.id, AnswerTheme.source.in_(("model", "rule"))
            )
        )
        db.session.expire(answer, ["themes"])
    for theme in analysis.themes:
        if theme.theme in ids:
            answer.themes.append(
                AnswerTheme(
                    theme_id=ids[theme.theme],
                    score=round(float(theme.score), 4),
                    source=theme.source,
                    model_version=analysis.model_version,
                    triggers=list(theme.triggers),
                )
            )


def answers_to_analyse(survey_id: int | None, everything: bool, batch_size: int) -> Iterator[Sequence[Answer]]:
    """Yield batches of free-text answers: pending ones, or all when `everything`."""
    query = select(Answer).where(Answer.text.is_not(None)).order_by(Answer.id)
    if not everything:
        query = query.where(Answer.analysis_state.in_(("pending", "failed")))
    if survey_id is not None:
        from engage.models import Response

        query = query.join(Response).where(Response.survey_id == survey_id)
    last_id = 0
    while True:
        batch = db.session.scalars(query.where(Answer.id > last_id).limit(batch_size)).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def analyse_stored(batch: Sequence[Answer], ids: dict[str, int]) -> None:
    """Re-analyse stored (already redacted) answers in one `nlp.pipe` pass."""
    analyser = get_analyser()
    items = [(a.text or "", a.lang or a.response.locale) for a in batch]
    for answer, analysis in zip(batch, analyser.analyse_many(items), strict=True):
        apply_analysis(answer, analysis, ids)
