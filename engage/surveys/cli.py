"""`flask surveys …`: operations on stored answers."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

surveys_cli = AppGroup("surveys", help="Surveys, their files and their answers.")


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


@surveys_cli.command("export")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file (default: standard output).")
def export(slug: str, output: str | None) -> None:
    """Write the survey SLUG as a JSON file (format: docs/survey.schema.json)."""
    from engage.core.extensions import db
    from engage.models import Survey
    from engage.surveys.files import export_survey

    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None:
        raise click.BadParameter(f"no survey with slug {slug!r}", param_hint="SLUG")
    text = export_survey(survey)
    if output:
        with open(output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        click.echo(f"Survey {slug} written to {output}", err=True)
    else:
        click.echo(text, nl=False)


@surveys_cli.command("import")
@click.argument("file", type=click.File("rb"))
def import_(file) -> None:
    """Create a survey from a JSON FILE made by `flask surveys export` (checked against the schema)."""
    from flask_babel import force_locale

    from engage.core import audit
    from engage.core.extensions import db
    from engage.surveys.files import SurveyFileError, import_survey

    try:
        with force_locale("en"):  # messages for the operator, in English like the other commands
            survey = import_survey(file.read().decode("utf-8", "replace"))
    except SurveyFileError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(f"  {problem.where}: {problem.message}", err=True)
        raise click.ClickException(f"{file.name} was not imported ({len(exc.problems)} problem(s) above)") from exc
    audit.record("survey_import", f"survey:{survey.id}", slug=survey.slug, questions=len(survey.questions))
    db.session.commit()
    click.echo(f"Survey {survey.slug} imported with {len(survey.questions)} questions ({survey.status}).")
