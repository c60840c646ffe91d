"""Which Danish words the civility filter's compound rule flags, over the whole Danish lemma table.

    python scripts/check_civility_compounds.py

Runs `engage.nlp.civility`'s compound-insult rule ("cykel|idiot") over every full form and lemma of
the spacy-lookups-data Danish lemma table that is at least 8 letters long and not in the general
word list (the only words the rule looks at), and prints how many forms it read and every word it
flags, so that a harmless word caught by the rule shows up.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import spacy_lookups_data

    from engage.nlp.civility import COMPOUND_HEAD, COMPOUND_TAIL, _matcher
    from engage.nlp.text import zipf

    path = Path(spacy_lookups_data.__file__).parent / "data" / "da_lemma_lookup.json.gz"
    table = json.loads(gzip.open(path).read())
    forms = set(table) | set(table.values())
    matcher = _matcher("da")
    flagged = sorted(
        word for word in forms
        if len(word) >= COMPOUND_HEAD + COMPOUND_TAIL and zipf(word, "da") == 0.0 and matcher._compound(word)
    )
    print(f"{len(forms)} Danish forms read, {len(flagged)} flagged as insult compounds:")
    print(" ".join(flagged))


if __name__ == "__main__":
    main()
