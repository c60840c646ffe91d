"""Whether an answer is civil enough to quote verbatim in a council paper.

A quote the strategy team cites must not carry profanity, an insult, a slur or an attack on a
named person. Criticism of a policy, however harsh ("det er en skandale", "a waste of money"),
is civic speech and stays quotable. The word lists and where they came from are in
`engage/nlp/data/civility/` (README.md there):

- profanity and obscenity: the "List of Dirty, Naughty, Obscene, and Otherwise Bad Words"
  (CC BY 4.0), Danish and English, minus the entries in `not_uncivil_en.txt` that are ordinary
  in civic text ("sexual health", "cigarette butts", "traffic tied up"), plus the swear words
  it lacks (`swearing_da.txt`, `swearing_en.txt`, written by the team);
- insults, slurs and abusive phrases: `insults_da.txt` / `insults_en.txt`, written by the team.

An entry matches whole words, case-insensitively; an entry ending in "*" matches every word that
starts with it ("idiot*": idioten, idiotisk). A Danish answer is also checked against the English
entries that are rarer in Danish than in English (Danes write "fuck", but "slut" is Danish for
"end"), and the other way round. An answer that names a person — after redaction, a name
placeholder such as "[NAVN]" — is not quoted either: a quote about a named individual is a
personal remark, and the placeholder would read as an accusation of someone unknown.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from engage.nlp.redact import PLACEHOLDERS
from engage.nlp.text import LANGUAGES, zipf

PROFANITY = "profanity"
INSULT = "insult"
NAMED_PERSON = "named_person"
#: The redaction placeholders of a person's name: "[NAVN]", "[NAME]".
NAME_PLACEHOLDERS = tuple(sorted({labels["name"] for labels in PLACEHOLDERS.values()}))

_DIR = "data/civility"


def _entries(name: str) -> list[str]:
    """Return the entries of one list file (comments and blank lines skipped), lower-cased."""
    path = resources.files("engage.nlp").joinpath(f"{_DIR}/{name}")
    if not path.is_file():
        return []
    lines = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@cache
def word_lists(lang: str) -> dict[str, tuple[str, ...]]:
    """Return {reason: entries} written for `lang` (profanity minus the civic exceptions, insults)."""
    allowed = set(_entries(f"not_uncivil_{lang}.txt"))
    obscene = [e for e in _entries(f"ldnoobw_{lang}.txt") if e not in allowed]
    return {
        PROFANITY: tuple(obscene + _entries(f"swearing_{lang}.txt")),
        INSULT: tuple(_entries(f"insults_{lang}.txt")),
    }


def _frequency(entry: str, lang: str) -> float:
    """Return how common an entry is in `lang`: the Zipf frequency of its rarest word."""
    words = entry.rstrip("*").split()
    return min((zipf(word, lang) for word in words), default=0.0)


class _Matcher:
    """Every entry that applies to text in one language, indexed for matching whole words: single
    words in a set, word prefixes in a tuple for `str.startswith`, phrases by their words, and
    entries without letters (an emoji) as substrings."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.words: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}  # by first word
        self.symbols: dict[str, str] = {}
        for entry, reason in entries.items():
            prefix = entry.endswith("*")
            words = tuple(_WORD.findall(entry))
            if not words:
                self.symbols[entry] = reason
            elif len(words) == 1 and prefix:
                self.prefixes[words[0]] = reason
            elif len(words) == 1:
                self.words[words[0]] = reason
            else:
                self.phrases.setdefault(words[0], []).append((words, prefix, reason))
        self.prefix_tuple = tuple(sorted(self.prefixes))

    def search(self, text: str) -> str | None:
        """Return the reason of the first entry found in lower-case `text`, or None."""
        words = _WORD.findall(text)
        for word in words:
            reason = self.words.get(word)
            if reason is None and self.prefix_tuple and word.startswith(self.prefix_tuple):
                reason = next(r for p, r in self.prefixes.items() if word.startswith(p))
            if reason is not None:
                return reason
        for first in set(words) & self.phrases.keys():
            for phrase, prefix, reason in self.phrases[first]:
                if _contains(words, phrase, prefix):
                    return reason
        return next((r for symbol, r in self.symbols.items() if symbol in text), None)


_WORD = re.compile(r"\w+")


def _contains(words: list[str], phrase: tuple[str, ...], prefix: bool) -> bool:
    """Return True if `phrase` occurs in `words` (its last word as a prefix when `prefix`)."""
    size = len(phrase)
    head, last = phrase[:-1], phrase[-1]
    for i in range(len(words) - size + 1):
        if words[i] == phrase[0] and tuple(words[i : i + size - 1]) == head:
            tail = words[i + size - 1]
            if tail == last or (prefix and tail.startswith(last)):
                return True
    return False


@cache
def _matcher(lang: str) -> _Matcher:
    """Return the matcher of every entry that applies to text in `lang`."""
    entries: dict[str, str] = {}
    for reason in (PROFANITY, INSULT):
        for entry in word_lists(lang)[reason]:
            entries.setdefault(entry, reason)
        for other in LANGUAGES:
            if other != lang:
                for entry in word_lists(other)[reason]:
                    if _frequency(entry, lang) < _frequency(entry, other):
                        entries.setdefault(entry, reason)
    return _Matcher(entries)


def incivility(text: str, lang: str) -> str | None:
    """Return why `text` (in `lang`) should not be quoted — PROFANITY, INSULT or NAMED_PERSON —
    or None if it is civil."""
    if any(placeholder in text for placeholder in NAME_PLACEHOLDERS):
        return NAMED_PERSON
    low = text.lower()
    reason = _matcher(lang if lang in LANGUAGES else "da").search(low)
    if reason is None and lang not in LANGUAGES:
        reason = _matcher("en").search(low)
    return reason


def is_civil(text: str, lang: str) -> bool:
    """Return True if `text` may be quoted as far as civility goes."""
    return incivility(text, lang) is None
