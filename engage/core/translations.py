"""Checks on the translation catalogues (used by `flask translate check` and the tests)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.pofile import read_po


def catalogue_gaps(translations: Path, languages: Iterable[str]) -> dict[str, list[str]]:
    """Return, per language, the message ids that are untranslated or fuzzy."""
    gaps: dict[str, list[str]] = {}
    for lang in languages:
        po = translations / lang / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as fh:
            catalog = read_po(fh)
        missing = []
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                missing.append(message.id if isinstance(message.id, str) else message.id[0])
        gaps[lang] = missing
    return gaps
