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

Contempt for a group of people is often written in ordinary words, which no list of insults
holds ("de skal alle sammen sendes hjem", "immigrants are parasites"). A sentence that names a
group of people (`groups_{lang}.txt`: by origin, religion, gender, age, social position, road
users) and carries a contempt cue (`contempt_{lang}.txt`: a dehumanising noun, a call for
expulsion or violence, a vice pinned on the whole group) is CONTEMPT. Either alone is fair civic
speech: "Flygtninge venter for længe på en bolig", "the old bins should be thrown out". A cue
written "^er en plage" is a vice said of the group and counts only right after the group word
("flygtningene i kommunen er en plage", not "trafikken er en plage for cyklisterne"); one
written "send ... hjem" matches its parts in order, a few words apart. An insult entry written
"-fascister" only ends a compound ("cykelfascister"): alone the word is history or politics.
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
CONTEMPT = "contempt"
#: A web address: with a scheme or "www.", a redacted one, or a bare domain under a generic
#: top-level domain ("redtube.com"). A council paper cannot vouch for where a link leads. Bare
#: national domains stay quotable: "borger.dk", "sundhed.dk" and "virk.dk" name public services.
_LINK = re.compile(r"https?://|\bwww\.|\[url\]|\b[a-z0-9][a-z0-9-]*\.(?:com|net|org|info|biz|xxx|io)\b")
VICE_GAP = 2  # at most this many words between a group word and a vice said of it
GAP = 4  # at most this many words between the parts of an entry written "send ... hjem"
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

    def __init__(self, entries: dict[str, str], lang: str, compounds: bool = True) -> None:
        self.lang = lang
        # The one-word insults a Danish compound may end in: the Danish list's own ("skank", an
        # English entry, is Danish for shank: "okseskank"). English rarely closes such compounds.
        tails = (entry.lstrip("-") for entry in word_lists(lang)[INSULT])  # "-fascister": a compound's end only
        self.compound_tails = frozenset(
            tail for tail in tails if compounds and lang == "da" and len(tail) >= COMPOUND_TAIL and tail.isalpha()
        )
        self.words: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}  # by first word
        self.gapped: list[tuple[tuple[tuple[str, ...], ...], str]] = []
        self.symbols: dict[str, str] = {}
        for entry, reason in entries.items():
            if entry.startswith("-"):  # only the last part of a compound ("cykel|fascister")
                continue
            if " ... " in entry:
                self.gapped.append((tuple(tuple(_WORD.findall(part)) for part in entry.split(" ... ")), reason))
                continue
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

    def ends(self, words: list[str]) -> set[int]:
        """Return the position after each match of a word, prefix or phrase entry in `words`."""
        found = set()
        for i, word in enumerate(words):
            if word in self.words or (self.prefix_tuple and word.startswith(self.prefix_tuple)):
                found.add(i + 1)
            for phrase, prefix, _ in self.phrases.get(word, ()):
                end = i + len(phrase)
                if end <= len(words) and tuple(words[i : end - 1]) == phrase[:-1] and (
                    words[end - 1] == phrase[-1] or (prefix and words[end - 1].startswith(phrase[-1]))
                ):
                    found.add(end)
        return found

    def search(self, text: str) -> str | None:
        """Return the reason of the first entry found in lower-case `text`, or None; a phrase
        ("hold kæft", an insult) before a word of it ("kæft", swearing)."""
        words = _WORD.findall(text)
        for first in set(words) & self.phrases.keys():
            for phrase, prefix, reason in self.phrases[first]:
                if _contains(words, phrase, prefix):
                    return reason
        for word in words:
            reason = self.words.get(word)
            if reason is None and self.prefix_tuple and word.startswith(self.prefix_tuple):
                reason = next(r for p, r in self.prefixes.items() if word.startswith(p))
            if (reason is None and self.compound_tails and len(word) >= COMPOUND_HEAD + COMPOUND_TAIL
                    and zipf(word, self.lang) == 0.0):
                reason = self._compound(word)
            if reason is not None:
                return reason
        for parts, reason in self.gapped:
            if _in_order(words, parts):
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


def _in_order(words: list[str], parts: tuple[tuple[str, ...], ...], start: int = 0, gap: int | None = None) -> bool:
    """Return True if the word sequences `parts` occur in `words` in order, each at most GAP
    words after the one before ("send ... hjem": "send dog de indvandrere hjem")."""
    if not parts:
        return True
    part, size = parts[0], len(parts[0])
    last = len(words) - size if gap is None else min(len(words) - size, start + gap)
    return any(
        tuple(words[i : i + size]) == part and _in_order(words, parts[1:], i + size, GAP)
        for i in range(start, last + 1)
    )


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


@cache
def _contempt_lists(lang: str) -> tuple[_Matcher, _Matcher, tuple[tuple[str, ...], ...]]:
    """Return, for `lang`, the matcher of the group words, the matcher of the contempt cues and
    the vices written "^lyver": these count only right after a group word ("kvinder lyver")."""
    cues = _entries(f"contempt_{lang}.txt")
    return (
        _Matcher(dict.fromkeys(_entries(f"groups_{lang}.txt"), CONTEMPT), lang, compounds=False),
        _Matcher(dict.fromkeys((c for c in cues if not c.startswith("^")), CONTEMPT), lang, compounds=False),
        tuple(tuple(_WORD.findall(c)) for c in cues if c.startswith("^")),
    )


_SENTENCE_END = re.compile(r"[.!?;:\n]+")


def _contempt(low: str, lang: str) -> bool:
    """Return True if a sentence of lower-case `low` names a group of people with contempt: a
    contempt cue anywhere in it, or a vice right after the group word (VICE_GAP words may come
    between: "flygtningene i kommunen er en plage")."""
    groups, cues, vices = _contempt_lists(lang)
    if all(vice[0] not in low for vice in vices) and cues.search(low) is None:
        return False  # no cue anywhere (most answers): no sentence needs splitting
    for sentence in _SENTENCE_END.split(low):
        words = _WORD.findall(sentence)
        ends = groups.ends(words)
        if ends and (cues.search(sentence) is not None or any(
            tuple(words[end + skip : end + skip + len(vice)]) == vice
            for end in ends for vice in vices for skip in range(VICE_GAP + 1)
        )):
            return True
    return False


def incivility(text: str, lang: str) -> str | None:
    """Return why `text` (in `lang`) should not be quoted — PROFANITY, INSULT, CONTEMPT,
    NAMED_PERSON or LINK — or None if it is civil."""
    if any(placeholder in text for placeholder in NAME_PLACEHOLDERS):
        return NAMED_PERSON
    low = text.lower()
    if _LINK.search(low):
        return LINK
    reason = _matcher(lang if lang in LANGUAGES else "da").search(low)
    if reason is None and lang not in LANGUAGES:
        reason = _matcher("en").search(low)
    if reason is None and _contempt(low, lang if lang in LANGUAGES else "da"):
        reason = CONTEMPT
    return reason


def is_civil(text: str, lang: str) -> bool:
    """Return True if `text` may be quoted as far as civility goes."""
    return incivility(text, lang) is None
