"""Build the statistical name lists for redaction: Danish names from the University of
Copenhagen's name statistics, and names of many other countries from Faker's name lists
(engage/nlp/data/names/README.md says where they came from).

    python scripts/build_name_lists.py [--mirror /work/.mirror]
    python scripts/build_name_lists.py --faker     # needs `pip install faker==40.54.0`

Reads the snapshot of Thomas-Rosenkrans-Vestergaard/danish-names at the pinned commit (fetch
it first) and writes, under engage/nlp/data/names/:

- first_names_da_ku.txt: given names borne by at least MIN_BEARERS people in Denmark that the
  hand-made lists lack and that are not ordinary words;
- ambiguous_da_ku.txt: the same, but ordinary words too ("Sten", "Lykke", "Else"): redacted only
  after a cue, like ambiguous.txt;
- surnames_da_ku.txt: surnames borne by at least MIN_BEARERS people.

A name is an ordinary word when its lower-case form is in the Danish lemma table (a full-form
dictionary: "sten", "lykke", "line"), is a base form in the English lemma table ("merry",
"rose"), or is clearly more common in English text than in Danish (wordfreq). A name that is a Danish or
English stop word ("mine", "else") is left out altogether.

With --faker it writes instead first_names_faker.txt, ambiguous_faker.txt and surnames_faker.txt
from the given names and surnames of Faker's person providers (MIT licence) in the locales of
FAKER_LOCALES, written in the Latin alphabet, that no other list holds. Those names are rarer
in Denmark, so the test of an ordinary word is stricter: any that is at all common as a word in
Danish or English text (wordfreq, FAKER_WORD_ZIPF), besides the tests above, goes to the
ambiguous list, and such a surname is left out; so does a given name that with a genitive -s is
a word or another name ("Jere": "jeres"; "Harri": "Harris").
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPO = "Thomas-Rosenkrans-Vestergaard/danish-names"
COMMIT = "6100cf5daec932e1129b1ed3f3974fb326155b82"
MIN_BEARERS = 500
NAMES = ROOT / "engage" / "nlp" / "data" / "names"
ENGLISH_WORD_ZIPF = 3.5  # an English word at least this common …
ENGLISH_MARGIN = 0.5  # … and this much more common in English than in Danish
FAKER_VERSION = "40.54.0"
#: Faker locales whose names are written in the Latin alphabet: the countries people in the
#: Copenhagen area come from, and the languages of their neighbours.
FAKER_LOCALES = ("az_AZ", "cs_CZ", "da_DK", "de_AT", "de_CH", "de_DE", "en_GB", "en_IE", "en_IN", "en_KE", "en_NG",
                 "en_PK", "en_US", "es_CL", "es_CO", "es_ES", "es_MX", "et_EE", "fi_FI", "fr_FR", "fr_DZ", "ga_IE",
                 "ha_NG", "hr_HR", "hu_HU", "id_ID", "ig_NG", "is_IS", "it_IT", "ja_JP", "lt_LT", "lv_LV", "nl_NL",
                 "no_NO", "pl_PL", "pt_BR", "pt_PT", "ro_RO", "sk_SK", "sl_SI", "sv_SE", "sw", "tr_TR", "tw_GH",
                 "vi_VN", "yo_NG", "zh_TW", "zu_ZA")
FAKER_WORD_ZIPF = 3.0


def _rows(mirror: Path, path: str) -> list[dict]:
    git_dir = mirror / REPO.replace("/", "+") / "repo"
    text = subprocess.run(["git", "--git-dir", str(git_dir if (git_dir / "HEAD").exists() else git_dir / ".git"),
                           "show", f"{COMMIT}:{path}"], check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def _names(rows: list[dict]) -> list[str]:
    """Return the names with MIN_BEARERS bearers, most common first (letters and hyphens only)."""
    kept = [r for r in rows if int(r["count_danmark"]) >= MIN_BEARERS]
    kept.sort(key=lambda r: -int(r["count_danmark"]))
    return [r["name"] for r in kept if r["name"].replace("-", "").isalpha() and len(r["name"]) >= 2]


def _curated(*files: str) -> set[str]:
    out: set[str] = set()
    for name in files:
        for line in (NAMES / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.add(line.strip().lower())
    return out


def _write_lists(header: str, lists: tuple[tuple[str, list[str], str], ...]) -> None:
    """Write each (file, names, comment) under engage/nlp/data/names/, after the common header."""
    for file, names, what in lists:
        (NAMES / file).write_text(header + what + "\n".join(names) + "\n", encoding="utf-8")
        print(f"{file}: {len(names)}")


def _faker_names(kind: str) -> list[str]:
    """Return Faker's given names (kind "first") or surnames ("last") of FAKER_LOCALES in the Latin
    alphabet, in locale order, each once."""
    import importlib
    import re

    import faker

    if faker.VERSION != FAKER_VERSION:
        sys.exit(f"Faker {FAKER_VERSION} is needed (found {faker.VERSION}): the lists must be reproducible")
    latin = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]+(?:[-'’][A-Za-zÀ-ɏḀ-ỿ]+)*")
    seen: dict[str, None] = {}
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in sorted({a for cls in provider.__mro__ for a in vars(cls)
                            if a.startswith((f"{kind}_names", f"{kind}_romanized_names"))}):
            value = getattr(provider, attr)
            for name in value.keys() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ():
                if isinstance(name, str) and latin.fullmatch(name) and len(name) >= 3 and name[0].isupper():
                    seen.setdefault(name, None)
    return list(seen)


def faker_lists() -> None:
    """Write the *_faker.txt lists (see the module's doc)."""
    from engage.nlp.text import lemma_table, stop_words, zipf

    danish = lemma_table("da")
    stops = stop_words("da") | stop_words("en")
    english_words = {v for v in lemma_table("en").values() if isinstance(v, str)}

    def word(low: str) -> bool:
        return danish.get(low) is not None or low in english_words or \
            max(zipf(low, "en"), zipf(low, "da")) >= FAKER_WORD_ZIPF

    known = _curated(*(p.name for p in NAMES.glob("*.txt") if "faker" not in p.name and p.name != "public.txt"))
    public = _curated("public.txt")
    given, ambiguous, surnames = [], [], []
    for name in _faker_names("first"):
        low = name.lower()
        if low in known or low in stops or low in public:
            continue
        # "Jere", "Harri", "Argu": with a genitive -s they are a word or another name ("jeres", "Harris")
        genitive = low + "s"
        (ambiguous if word(low) or word(genitive) or genitive in known or genitive in stops else given).append(name)
    for name in _faker_names("last"):
        low = name.lower()
        if not (low in known or low in stops or low in public or word(low)):
            surnames.append(name)
    header = (f"# Generated by scripts/build_name_lists.py --faker from Faker {FAKER_VERSION}'s name lists (MIT licence)\n"
              f"# of {len(FAKER_LOCALES)} locales; names no other list holds; see README.md.\n")
    _write_lists(header, (
        ("first_names_faker.txt", given, "# Given names that are not ordinary words.\n"),
        ("ambiguous_faker.txt", ambiguous, "# Given names that are also words: redacted only after a cue.\n"),
        ("surnames_faker.txt", surnames, "# Surnames that are not ordinary words.\n"),
    ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--faker", action="store_true", help="write the lists from Faker's names instead")
    args = parser.parse_args()
    if args.faker:
        faker_lists()
        return
    from engage.nlp.text import lemma_table, stop_words, zipf

    danish = lemma_table("da")
    stops = stop_words("da") | stop_words("en")
    english_words = {v for v in lemma_table("en").values() if isinstance(v, str)}  # base forms: "merry", "rose"
    curated = _curated("first_names_da.txt", "first_names_intl.txt", "nicknames_en.txt", "ambiguous.txt",
                       "lowercase_words.txt")
    given, ambiguous = [], []
    for name in _names(_rows(args.mirror, "csv/all_first_names.csv")):
        low = name.lower()
        if low in curated or low in stops:  # "Mine", "Else": a name, but far more often a word
            continue
        english = zipf(low, "en")
        word = danish.get(low) is not None or low in english_words or (
            english >= ENGLISH_WORD_ZIPF and english > zipf(low, "da") + ENGLISH_MARGIN
        )
        (ambiguous if word else given).append(name)
    surnames = _names(_rows(args.mirror, "csv/all_last_names.csv"))
    header = (f"# Generated by scripts/build_name_lists.py from {REPO}@{COMMIT[:10]} (the University of\n"
              f"# Copenhagen's name statistics, 2005), names with at least {MIN_BEARERS} bearers; see README.md.\n")
    _write_lists(header, (
        ("first_names_da_ku.txt", given, "# Given names the hand-made lists lack, not ordinary words.\n"),
        ("ambiguous_da_ku.txt", ambiguous, "# Given names that are also ordinary words: redacted only after a cue.\n"),
        ("surnames_da_ku.txt", surnames, "# Surnames.\n"),
    ))


if __name__ == "__main__":
    main()
