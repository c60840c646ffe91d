"""`flask surveys …`: operations on stored answers."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

surveys_cli = AppGroup("surveys", help="Surveys and their answers.")


@surveys_cli.command("analyse")
@click.option("--survey", "survey_slug", default=None, help="Only this survey's answers.")
@click.option("--all", "everything", is_flag=True, help="Re-analyse every answer, not only pending ones.")
@click.option("--batch-size", default=500, show_default=True, help="Answers per batch and commit.")
def analyse(survey_slug: str | None, everything: bool, batch_size: int) -> None:
    """(Re)analyse stored free-text answers in this process, e.g. after a model change; shows progress.

    The dashboard and `flask jobs enqueue analyse` do the same as a background job.
    """
    from engage.core.extensions import db
    from engage.models import Survey
    from engage.surveys.analysis import analyse_pending, batch_analyser

    survey_id = None
    if survey_slug:
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == survey_slug))
        if survey_id is None:
            raise click.BadParameter(f"no survey with slug {survey_slug!r}", param_hint="--survey")
    with click.progressbar(length=1, label="Analysing answers", file=sys.stderr) as bar:
        state = {"done": 0}

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - state["done"])
            state["done"] = done

        done = analyse_pending(batch_analyser(), survey_id=survey_id, everything=everything,
                               batch_size=batch_size, progress=progress)
    click.echo(f"Answers analysed: {done}")
