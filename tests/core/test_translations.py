"""The Danish and English catalogues are complete and up to date with the code."""

from __future__ import annotations

import subprocess
import sys

from babel.messages.pofile import read_po

from engage import PROJECT_ROOT
from engage.core.translations import catalogue_gaps

TRANSLATIONS = PROJECT_ROOT / "translations"


def test_no_missing_or_fuzzy_entries():
    """Every message has a Danish and an English translation, none fuzzy."""
    gaps = catalogue_gaps(TRANSLATIONS, ("da", "en"))
    assert gaps == {"da": [], "en": []}


def test_gap_check_notices_a_missing_translation(tmp_path):
    """The completeness check reports an untranslated entry (so the test above can fail)."""
    po = tmp_path / "da" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Next"\nmsgstr ""\n', encoding="utf-8")
    assert catalogue_gaps(tmp_path, ("da",)) == {"da": ["Next"]}


def test_catalogues_cover_every_message_in_the_code(tmp_path):
    """A fresh extraction finds no message that the catalogues lack (messages.pot is not stale)."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), str(PROJECT_ROOT / "engage")],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    for lang in ("da", "en"):
        with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
        assert extracted - known == set(), f"{lang}: run `flask translate update` and translate"


def test_danish_pages_are_in_danish(client):
    """A /da/ page shows Danish UI text; the /en/ page English."""
    assert "Sig din mening" in client.get("/da/").get_data(as_text=True)
    assert "Have your say" in client.get("/en/").get_data(as_text=True)
