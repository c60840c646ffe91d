"""Fill missing Danish catalogue entries from a Python file of translations (a translator's aid).

    python scripts/fill_translations.py TRANSLATIONS.py

The file defines DA = {msgid: msgstr} and optionally PLURALS = {singular msgid: (singular, plural)}.
Entries that already have a translation are left alone; ids the catalogue does not have are listed.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "translations" / "da" / "LC_MESSAGES" / "messages.po"


def main(source: str) -> None:
    """Merge the translations in `source` into the Danish catalogue."""
    data = runpy.run_path(source)
    singles, plurals = data.get("DA", {}), data.get("PLURALS", {})
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    used = set()
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.id, tuple) and key in plurals and not all(message.string):
            message.string = plurals[key]
            message.flags.discard("fuzzy")
            used.add(key)
        elif not isinstance(message.id, tuple) and key in singles and not message.string:
            message.string = singles[key]
            message.flags.discard("fuzzy")
            used.add(key)
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)
    for key in sorted(set(singles) | set(plurals)):
        if key not in used and catalog.get(key) is None:
            print(f"not in the catalogue: {key!r}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
