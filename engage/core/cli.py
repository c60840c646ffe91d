"""`flask translate …`: the UI catalogues. Feature packages register their own command groups."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from engage import PROJECT_ROOT

translate_cli = AppGroup("translate", help="Extract, update and compile the UI translations.")

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = PROJECT_ROOT / "messages.pot"


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
