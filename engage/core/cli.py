"""`flask engage …` (operations) and `flask translate …` (catalogues) commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from engage import PROJECT_ROOT

engage_cli = AppGroup("engage", help="Operate Engage: demo data, analysis.")
translate_cli = AppGroup("translate", help="Extract, update and compile the UI translations.")

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = PROJECT_ROOT / "messages.pot"


@engage_cli.command("seed-demo")
@click.option("--responses", default=200, show_default=True, help="How many demo responses.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (reproducible demo).")
def seed_demo(responses: int, seed: int) -> None:
    """Create the demo survey and demo responses (marked as demo data; safe to re-run)."""
    from engage.core.extensions import db
    from engage.demo.seed import seed_demo_data

    created = seed_demo_data(n_responses=responses, seed=seed)
    db.session.commit()
    click.echo(f"Demo survey ready: {created.survey_slug} ({created.responses} demo responses).")


@engage_cli.command("analyse")
@click.option("--survey", "survey_slug", default=None, help="Only this survey's answers.")
@click.option("--all", "everything", is_flag=True, help="Re-analyse every answer, not only pending ones.")
@click.option("--batch-size", default=500, show_default=True, help="Answers per batch and commit.")
def analyse(survey_slug: str | None, everything: bool, batch_size: int) -> None:
    """(Re)analyse stored free-text answers, e.g. after a model change; shows progress."""
    from sqlalchemy import func, select

    from engage.core.extensions import db
    from engage.models import Answer, Response, Survey
    from engage.surveys.analysis import analyse_stored, answers_to_analyse, theme_ids

    survey_id = None
    if survey_slug:
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == survey_slug))
        if survey_id is None:
            raise click.BadParameter(f"no survey with slug {survey_slug!r}", param_hint="--survey")
    total_query = select(func.count(Answer.id)).where(Answer.text.is_not(None))
    if not everything:
        total_query = total_query.where(Answer.analysis_state.in_(("pending", "failed")))
    if survey_id is not None:
        total_query = total_query.join(Response).where(Response.survey_id == survey_id)
    total = db.session.scalar(total_query) or 0
    ids = theme_ids()
    done = 0
    with click.progressbar(length=total, label="Analysing answers", file=sys.stderr) as bar:
        for batch in answers_to_analyse(survey_id, everything, batch_size):
            analyse_stored(batch, ids)
            db.session.commit()
            done += len(batch)
            bar.update(len(batch))
    click.echo(f"Answers analysed: {done}")


def _pybabel(*args: str) -> None:
    """Run pybabel from this virtual environment, failing loudly."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


@translate_cli.command("extract")
def extract() -> None:
    """Extract messages from the code and templates into messages.pot."""
    _pybabel(
        "extract", "-F", str(PROJECT_ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
        "--no-location", "--sort-output", "--project", "Engage", "-o", str(POT), str(PROJECT_ROOT / "engage"),
    )


@translate_cli.command("update")
def update() -> None:
    """Extract, then merge new messages into the da and en catalogues.

    The English catalogue's message ids are English, so new English entries are filled with their id;
    Danish entries must be translated by hand (`flask translate check` lists the gaps).
    """
    extract.callback()
    for lang in current_app.config["LANGUAGES"]:
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--no-fuzzy-matching")
        else:
            _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang)
    _fill_source_language(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")


def _fill_source_language(po_path: Path) -> None:
    """Copy each untranslated English message id into its msgstr (ids are written in English)."""
    from babel.messages.pofile import read_po, write_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id[min(i, 1)] for i in range(catalog.num_plurals))
        elif not message.string:
            message.string = message.id
    with po_path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)


@translate_cli.command("compile")
def compile_() -> None:
    """Compile the catalogues to .mo files (the install step runs this)."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


@translate_cli.command("check")
def check() -> None:
    """Fail when any Danish or English entry is missing or fuzzy."""
    from engage.core.translations import catalogue_gaps

    gaps = catalogue_gaps(TRANSLATIONS, current_app.config["LANGUAGES"])
    for lang, ids in gaps.items():
        for msgid in ids:
            click.echo(f"{lang}: missing or fuzzy: {msgid!r}", err=True)
    if any(gaps.values()):
        raise SystemExit(1)
    click.echo("Catalogues complete.")
