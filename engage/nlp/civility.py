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
starts with it ("idiot*": idioten, idiotisk). A Danish word that the general word list lacks and
that ends in a one-word insult after a known word is a compound of it ("cykelidiot",
"bilistidioter"): Danish builds insults that way, and no list can hold them all; a known word
("marsvin", guinea pig) is not. A Danish answer is also checked against the English entries that
are rarer in Danish than in English (Danes write "fuck", but "slut" is Danish for "end"), and the
other way round. An answer that names a person — after redaction, a name
placeholder such as "[NAVN]" — is not quoted either: a quote about a named individual is a
personal remark, and the placeholder would read as an accusation of someone unknown. Nor is an
answer with a web address ("www.…", "….com"; not "borger.dk", which names a public service).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from engage.nlp.redact import PLACEHOLDERS
from engage.nlp.text import LANGUAGES, lemma_table, zipf

PROFANITY = "profanity"
INSULT = "insult"
NAMED_PERSON = "named_person"
LINK = "link"
#: A web address: with a scheme or "www.", a redacted one, or a bare domain under a generic
#: top-level domain ("redtube.com"). A council paper cannot vouch for where a link leads. Bare
#: national domains stay quotable: "borger.dk", "sundhed.dk" and "virk.dk" name public services.
_LINK = re.compile(r"https?://|\bwww\.|\[url\]|\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|info|biz|xxx|io)\b")
COMPOUND_HEAD = 3  # an unknown word ending in an insult after this many letters is a compound …
COMPOUND_TAIL = 5  # … of a one-word insult this long or longer ("cykelidiot"; "hore" would
# find "onshore", and a prefix entry "luder*" would find "ekskluderede")
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

    def __init__(self, entries: dict[str, str], lang: str) -> None:
        self.lang = lang
        # The one-word insults a Danish compound may end in: the Danish list's own ("skank", an
        # English entry, is Danish for shank: "okseskank"). English rarely closes such compounds.
        self.compound_tails = frozenset(
            entry for entry in word_lists(lang)[INSULT]
            if lang == "da" and len(entry) >= COMPOUND_TAIL and entry.isalpha()
        )
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

    def _compound(self, word: str) -> str | None:
        """Return INSULT if a one-word insult entry ends the Danish compound `word` after a known
        word ("cykel|idiot", "byråds|idioter"), else None.

        Only for words that are not in the language's general word list (a known compound ending
        in an entry, "marsvin", is an ordinary word); not where the word also splits into a known
        word and an ordinary last part ("skralde|bil", not "skral|debil"; "cigarets|tumper" is
        "cigaret|stumper"); and only for insults: a compound of a vulgar word usually names a
        thing ("hundelort", dog mess)."""
        for cut in range(COMPOUND_HEAD, len(word) - COMPOUND_TAIL + 1):
            if word[cut:] in self.compound_tails and self._head(word[:cut]) and not any(
                self._head(word[:other]) and self._known(word[other:])
                for other in range(2, len(word) - 2)
                if other != cut and word[other:] not in self.compound_tails
            ):
                return INSULT
        return None

    def _known(self, word: str) -> bool:
        """Return True if `word` is in the language's general word list or lemma table."""
        return zipf(word, self.lang) > 0.0 or lemma_table(self.lang).get(word) is not None

    def _head(self, head: str) -> bool:
        """Return True if `head` can begin a compound: a known word, or one with a linking "s"
        or "e" ("byråds-", "skralde-")."""
        return self._known(head) or (head[-1:] in ("s", "e") and self._known(head[:-1]))

    def search(self, text: str) -> str | None:
        """Return the reason of the first entry found in lower-case `text`, or None."""
        words = _WORD.findall(text)
        for word in words:
            reason = self.words.get(word)
            if reason is None and self.prefix_tuple and word.startswith(self.prefix_tuple):
                reason = next(r for p, r in self.prefixes.items() if word.startswith(p))
            if (reason is None and self.compound_tails and len(word) >= COMPOUND_HEAD + COMPOUND_TAIL
                    and zipf(word, self.lang) == 0.0):
                reason = self._compound(word)
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
    return _Matcher(entries, lang)


def incivility(text: str, lang: str) -> str | None:
    """Return why `text` (in `lang`) should not be quoted — PROFANITY, INSULT, NAMED_PERSON or
    LINK — or None if it is civil."""
    if any(placeholder in text for placeholder in NAME_PLACEHOLDERS):
        return NAMED_PERSON
    low = text.lower()
    if _LINK.search(low):
        return LINK
    reason = _matcher(lang if lang in LANGUAGES else "da").search(low)
    if reason is None and lang not in LANGUAGES:
        reason = _matcher("en").search(low)
    return reason


def is_civil(text: str, lang: str) -> bool:
    """Return True if `text` may be quoted as far as civility goes."""
    return incivility(text, lang) is None
