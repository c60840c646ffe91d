"""The job kinds: each handler calls services and returns a small JSON-able result."""

from __future__ import annotations

from typing import Any

from engage.jobs.queue import Progress, handler
from engage.models import Job


@handler("analyse")
def analyse(job: Job, progress: Progress) -> dict[str, Any]:
    """(Re)analyse stored answers: pending ones, or all of a survey after a model change."""
    from engage.surveys.analysis import analyse_pending, batch_analyser
    from engage.surveys.services import get_survey

    survey_id = None
    if slug := job.params.get("survey"):
        survey = get_survey(slug)
        if survey is None:
            raise LookupError("survey")
        survey_id = survey.id
    done = analyse_pending(
        batch_analyser(), survey_id=survey_id, everything=bool(job.params.get("all")), progress=progress
    )
    return {"answers": done}


@handler("summaries")
def summaries(job: Job, progress: Progress) -> dict[str, Any]:
    """Compute the themed summary of one selection of answers and store it as a snapshot."""
    from engage.dashboard.filters import Filters
    from engage.dashboard.summaries import compute_snapshot

    snapshot = compute_snapshot(Filters.from_dict(job.params.get("filters") or {}), progress)
    return {"snapshot": snapshot.key, "answers": snapshot.answer_count}


@handler("export")
def export(job: Job, progress: Progress) -> dict[str, Any]:
    """Write an answers export (CSV or XLSX) to the export folder for download."""
    from engage.dashboard.services import write_export

    return write_export(job, progress)


@handler("retrain")
def retrain(job: Job, progress: Progress) -> dict[str, Any]:
    """Train a new theme model with the reviewed answers added; it is saved, not activated."""
    from flask import current_app
    from sqlalchemy import select

    from engage.core.extensions import db
    from engage.dashboard.models_admin import retrain as run
    from engage.models import Theme

    config = current_app.config
    themes = list(db.session.scalars(select(Theme.slug).where(Theme.is_active).order_by(Theme.id)))
    return run(job, progress, model_dir=config["NLP_MODEL_DIR"], data_paths=list(config["NLP_TRAIN_DATA"] or []),
               labels_dir=config["LABELS_DIR"], themes=themes)


@handler("discover")
def discover(job: Job, progress: Progress) -> dict[str, Any]:
    """Cluster the answers no theme claimed into candidate themes."""
    from engage.dashboard.themes import run_discovery

    return run_discovery(job, progress)
