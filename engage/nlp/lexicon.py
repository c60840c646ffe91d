"""The theme lexicon: per theme and language, the words that are evidence for it.

The keywords are data (`engage/nlp/data/lexicon/{da,en}.json`), not code, so the strategy team can
edit them; `Lexicon.load(lang, overrides)` merges an edited mapping over the shipped one. Each theme
has these fields (all optional):

- `keywords`: whole words, matched on the lower-case form and on the lemma (weight 1);
- `weak`: whole words that are ambiguous on their own ("vej", "lys", "green": weight 0.3);
- `phrases`: word sequences matched word by word on the lower-case form or the lemma (weight 1.5);
- `stems`: found anywhere inside a word, so Danish compounds count (`cykel` in
  `cykelstiforbindelsen`, `affald` in `storskraldsaffaldet`): weight 0.9, at least
  `min_stem_length` letters;
- `heads`: the last part of a compound in the listed forms (`bil` in `elbil`, `delebilerne` via
  `bilerne`), after at least `min_modifier_length` letters (weight 0.8);
- `exclude`: words that never count for the theme: `word` exact, `word*` prefix, `*word` suffix,
  `*word*` anywhere; an entry with a space suppresses that phrase's words for the theme.

The `_meta` section holds the length limits and a global exclude list that applies to the stems
and heads of every theme. Hyphenated tokens (`co2-udledningen`, `MitID-appen`) are also matched
part by part.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

logger = logging.getLogger(__name__)

WEIGHTS = {"phrase": 1.5, "keyword": 1.0, "stem": 0.9, "head": 0.8, "weak": 0.3}
FIELDS = ("keywords", "weak", "phrases", "stems", "heads", "exclude")
_CACHE_LIMIT = 200_000


def data_path(lang: str) -> Path:
    """Return the path of the shipped lexicon file for `lang`."""
    return Path(str(resources.files("engage.nlp") / "data" / "lexicon" / f"{lang}.json"))


@cache
def _shipped(lang: str) -> dict:
    with data_path(lang).open(encoding="utf-8") as fh:
        return json.load(fh)


def shipped_spec(lang: str) -> dict:
    """Return a copy of the shipped lexicon mapping for `lang` (theme -> fields, plus `_meta`)."""
    return copy.deepcopy(_shipped(lang))


def merge_spec(base: Mapping, overrides: Mapping | None) -> dict:
    """Return `base` with each theme's fields replaced by those given in `overrides`.

    A theme in `overrides` that is not in `base` is added; a theme mapped to None is removed.
    """
    spec = copy.deepcopy(dict(base))
    for theme, fields in (overrides or {}).items():
        if fields is None:
            spec.pop(theme, None)
            continue
        current = dict(spec.get(theme, {}))
        current.update(copy.deepcopy(dict(fields)))
        spec[theme] = current
    return spec


def _positions(seq: Sequence, value: object) -> list[int]:
    """Return the indices of `value` in `seq` (list.index scans in C)."""
    out = []
    i = -1
    try:
        while True:
            i = seq.index(value, i + 1)
            out.append(i)
    except ValueError:
        return out


@dataclass(frozen=True)
class Hit:
    """One piece of lexicon evidence: which theme, which words in the answer, how strong."""

    theme: str
    trigger: str
    kind: str
    weight: float
    start: int  # token index
    end: int


@dataclass
class _Exclusions:
    exact: set[str] = field(default_factory=set)
    prefix: tuple[str, ...] = ()
    suffix: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    @classmethod
    def parse(cls, entries: Iterable[str]) -> _Exclusions:
        exact, prefix, suffix, contains, phrases = set(), [], [], [], []
        for raw in entries:
            entry = raw.strip().lower()
            if not entry:
                continue
            if " " in entry.strip("*"):
                phrases.append(tuple(entry.strip("*").split()))
            elif entry.startswith("*") and entry.endswith("*") and len(entry) > 2:
                contains.append(entry[1:-1])
            elif entry.endswith("*"):
                prefix.append(entry[:-1])
            elif entry.startswith("*"):
                suffix.append(entry[1:])
            else:
                exact.add(entry)
        return cls(exact, tuple(prefix), tuple(suffix), tuple(contains), phrases)

    def excludes(self, word: str) -> bool:
        return (
            word in self.exact
            or (bool(self.prefix) and word.startswith(self.prefix))
            or (bool(self.suffix) and word.endswith(self.suffix))
            or any(c in word for c in self.contains)
        )


class Lexicon:
    """Compiled theme lexicon for one language; `match` finds the evidence in a token sequence."""

    def __init__(self, lang: str, spec: Mapping, lemma: Callable[[str], str] | None = None):
        self.lang = lang
        self.spec = copy.deepcopy(dict(spec))
        meta = self.spec.get("_meta", {})
        self.min_stem = int(meta.get("min_stem_length", 4))
        self.min_head = int(meta.get("min_head_length", 3))
        self.min_modifier = int(meta.get("min_modifier_length", 3))
        self.global_exclude = _Exclusions.parse(meta.get("exclude", []))
        if lemma is None:
            from engage.nlp.text import lemmatiser

            lemma = lemmatiser(lang)
        self.themes = [t for t in self.spec if not t.startswith("_")]
        self._keywords: dict[str, list[tuple[str, str]]] = {}
        self._stems: list[tuple[str, str]] = []
        self._heads: list[tuple[str, str]] = []
        # phrases indexed by their first two words (any accepted form of each)
        self._phrases: dict[tuple[str, str], list[tuple[str, tuple[frozenset[str], ...], str]]] = {}
        self._exclude: dict[str, _Exclusions] = {}
        self._cache: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._exclusion_phrases: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for theme in self.themes:
            fields = self.spec[theme] or {}
            unknown = set(fields) - set(FIELDS)
            if unknown:
                logger.warning("lexicon %s/%s: unknown fields %s", lang, theme, sorted(unknown))
            self._exclude[theme] = _Exclusions.parse(fields.get("exclude", []))
            for kind, key in (("keyword", "keywords"), ("weak", "weak")):
                for word in fields.get(key, []):
                    word = word.strip().lower()
                    if " " in word:
                        self._add_phrase(theme, word, lemma, kind)
                    elif word:
                        self._keywords.setdefault(word, []).append((theme, kind))
            for phrase in fields.get("phrases", []):
                phrase = phrase.strip().lower()
                if " " in phrase:
                    self._add_phrase(theme, phrase, lemma, "phrase")
                elif phrase:
                    self._keywords.setdefault(phrase, []).append((theme, "keyword"))
            for key, minimum, parts in (
                ("stems", self.min_stem, self._stems),
                ("heads", self.min_head, self._heads),
            ):
                for part in fields.get(key, []):
                    part = part.strip().lower()
                    if len(part) < minimum:
                        logger.warning("lexicon %s/%s: %s entry %r shorter than %d ignored",
                                       lang, theme, key, part, minimum)
                        continue
                    parts.append((part, theme))

        # stems indexed by their first three letters, heads by length: a word is scanned once
        self._stem_index: dict[str, list[tuple[str, str]]] = {}
        for stem, theme in self._stems:
            self._stem_index.setdefault(stem[:3], []).append((stem, theme))
        self._head_index: dict[str, list[str]] = {}
        for head, theme in self._heads:
            self._head_index.setdefault(head, []).append(theme)
        self._head_lengths = sorted({len(h) for h in self._head_index}, reverse=True)
        # most words start no phrase: checking this set first skips building the look-up keys
        self._phrase_firsts = frozenset(first for first, _ in self._phrases)
        for theme, excl in self._exclude.items():
            for phrase in excl.phrases:
                self._exclusion_phrases.setdefault(phrase[0], []).append((theme, phrase))
        self._exclusion_firsts = frozenset(self._exclusion_phrases)
        # first word of a phrase (any accepted form) -> the accepted forms of its second word
        seconds: dict[str, set[str]] = {}
        for first, second in self._phrases:
            seconds.setdefault(first, set()).add(second)
        self._phrase_seconds = {first: frozenset(forms) for first, forms in seconds.items()}

    def _add_phrase(self, theme: str, phrase: str, lemma: Callable[[str], str], kind: str) -> None:
        words = phrase.split()
        accepted = tuple(frozenset({w, lemma(w)}) for w in words)
        kind = "phrase" if kind == "keyword" else kind
        for first in accepted[0]:
            for second in accepted[1]:
                self._phrases.setdefault((first, second), []).append((theme, accepted, kind))

    @classmethod
    def load(cls, lang: str, overrides: Mapping | None = None) -> Lexicon:
        """Return the shipped lexicon for `lang` with `overrides` (theme -> fields) merged over it."""
        return cls(lang, merge_spec(_shipped(lang), overrides))

    def to_dict(self) -> dict:
        """Return the mapping this lexicon was built from (serialisable as JSON)."""
        return copy.deepcopy(self.spec)

    # --- matching -----------------------------------------------------------------------------

    def word_hits(self, word: str, lemma: str | None = None) -> tuple[tuple[str, str, str], ...]:
        """Return (theme, kind, trigger) for one lower-case word (and its lemma), cached."""
        key = word if lemma is None or lemma == word else f"{word}\x00{lemma}"
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        hits = self._word_hits(word, lemma)
        if "-" in word and len(word) > 3:
            seen = {h[0] for h in hits}
            for part in word.split("-"):
                if len(part) >= 2:
                    for hit in self._word_hits(part, None):
                        if hit[0] not in seen:
                            seen.add(hit[0])
                            hits.append(hit)
        result = tuple(hits)
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _word_hits(self, word: str, lemma: str | None) -> list[tuple[str, str, str]]:
        best: dict[str, str] = {}

        def add(theme: str, kind: str) -> None:
            if self._exclude[theme].excludes(word):
                return
            old = best.get(theme)
            if old is None or WEIGHTS[kind] > WEIGHTS[old]:
                best[theme] = kind

        for form in (word, lemma) if lemma and lemma != word else (word,):
            for theme, kind in self._keywords.get(form, ()):
                add(theme, kind)
        if len(word) >= self.min_stem and not self.global_exclude.excludes(word):
            index = self._stem_index
            for i in range(len(word) - 2):
                for stem, theme in index.get(word[i : i + 3], ()):
                    if word.startswith(stem, i):
                        add(theme, "stem")
            for length in self._head_lengths:
                if len(word) - length >= self.min_modifier:
                    for theme in self._head_index.get(word[-length:], ()):
                        add(theme, "head")
        return [(theme, kind, word) for theme, kind in best.items()]

    def _phrase_hits(
        self,
        words: Sequence[str],
        lemmas: Sequence[str | None],
        wordset: set[str] | None = None,
    ) -> tuple[list[tuple[str, str, str, int, int]], set[tuple[str, int]]]:
        """Return the phrase hits (theme, trigger, kind, start, end) and the suppressed
        (theme, position) pairs of exclusion phrases."""
        hits: list[tuple[str, str, str, int, int]] = []
        suppressed: set[tuple[str, int]] = set()
        phrases, exclusions, firsts = self._phrases, self._exclusion_phrases, self._phrase_firsts
        if wordset is None:
            wordset = set(words)
        # Many common words start some phrase, few are followed by one of its second words:
        # set operations in C find the first words present, and only positions where a
        # phrase's first two words actually occur go on to the full check below.
        n = len(words)
        starts: list[int] = []
        first_words = firsts.intersection(wordset)
        first_lemmas = firsts.intersection(lemmas)
        if first_words or first_lemmas:
            seconds = self._phrase_seconds
            for i in sorted(
                {i for i, w in enumerate(words) if w in first_words}.union(
                    [i for i, lem in enumerate(lemmas) if lem in first_lemmas] if first_lemmas else ()
                )
            ):
                if i >= n - 1:
                    continue
                nxt, nxt_lemma = words[i + 1], lemmas[i + 1]
                for form in (words[i], lemmas[i]):
                    sec = seconds.get(form)  # type: ignore[arg-type]
                    if sec is not None and (nxt in sec or nxt_lemma in sec):
                        starts.append(i)
                        break
        if exclusions:
            for form in self._exclusion_firsts.intersection(wordset):
                starts += _positions(words, form)
        if not starts:
            return hits, suppressed
        for i in sorted(set(starts)):
            if i >= n - 1:
                continue
            word, lemma = words[i], lemmas[i]
            if exclusions and word in exclusions:
                for theme, phrase in exclusions[word]:
                    end = i + len(phrase)
                    if end <= n and tuple(words[i:end]) == phrase:
                        suppressed.update((theme, j) for j in range(i, end))
            if word not in firsts and lemma not in firsts:
                continue
            nxt, nxt_lemma = words[i + 1], lemmas[i + 1]
            keys = {(word, nxt), (word, nxt_lemma), (lemma, nxt), (lemma, nxt_lemma)}
            seen: set[int] = set()
            for key in keys:
                for cand in phrases.get(key, ()):
                    if id(cand) in seen:
                        continue
                    seen.add(id(cand))
                    theme, accepted, kind = cand
                    end = i + len(accepted)
                    if end <= n and all(
                        words[j] in acc or lemmas[j] in acc
                        for j, acc in zip(range(i + 2, end), accepted[2:], strict=False)
                    ):
                        hits.append((theme, " ".join(words[i:end]), kind, i, end))
        return hits, suppressed

    def _word_positions(
        self,
        words: Sequence[str],
        lemmas: Sequence[str | None],
        wordset: set[str] | None = None,
    ) -> list[tuple[int, tuple[tuple[str, str, str], ...]]]:
        """Return (position, word hits) for the words that have any, in order."""
        cache = self._cache
        if wordset is None:
            wordset = set(words)
        # Within one language the lemma is a function of the word, so the word alone is a
        # valid cache key here (word_hits keys on both for callers with other lemmas). Only
        # words not seen before are looked up (with the lemma of their first occurrence).
        new = wordset.difference(cache)
        if new:
            computed = {}
            word_hits = self.word_hits
            for word in new:
                if not word or not (word[0].isalnum() or len(word) > 1):
                    continue
                found = word_hits(word, lemmas[words.index(word)])
                cache[word] = found
                computed[word] = found
            if any(word not in cache for word in computed):
                cache.update(computed)  # the cache was cleared half-way through
        return [(i, found) for i, found in enumerate(map(cache.get, words)) if found]

    def match(self, words: Sequence[str], lemmas: Sequence[str] | None = None) -> list[Hit]:
        """Return the lexicon evidence in a sequence of lower-case words (and their lemmas)."""
        lemmas_: Sequence[str | None] = lemmas if lemmas is not None else [None] * len(words)
        phrase_hits, suppressed = self._phrase_hits(words, lemmas_)
        hits = [Hit(theme, trigger, kind, WEIGHTS[kind], s, e) for theme, trigger, kind, s, e in phrase_hits]
        for i, found in self._word_positions(words, lemmas_):
            for theme, kind, trigger in found:
                if (theme, i) not in suppressed:
                    hits.append(Hit(theme, trigger, kind, WEIGHTS[kind], i, i + 1))
        return hits

    def evidence(
        self, words: Sequence[str], lemmas: Sequence[str] | None = None
    ) -> dict[str, tuple[float, bool, tuple[str, ...]]]:
        """Return `evidence(self.match(words, lemmas))`, without building Hit objects."""
        lemmas_: Sequence[str | None] = lemmas if lemmas is not None else [None] * len(words)
        wordset = set(words)
        phrase_hits, suppressed = self._phrase_hits(words, lemmas_, wordset)
        positions = self._word_positions(words, lemmas_, wordset)
        if not phrase_hits and not positions:
            return {}
        per_theme: dict[str, dict[str, float]] = {}
        covered: dict[str, set[int]] = {}
        strong: dict[str, bool] = {}
        # as in `evidence`: longer hits first (all phrases are longer than one word), then by start
        for theme, trigger, kind, start, end in sorted(
            phrase_hits, key=lambda h: (h[3] - h[4], h[3])
        ):
            cov = covered.setdefault(theme, set())
            if all(i in cov for i in range(start, end)):
                continue
            cov.update(range(start, end))
            weight = WEIGHTS[kind]
            triggers = per_theme.setdefault(theme, {})
            if weight > triggers.get(trigger, 0.0):
                triggers[trigger] = weight
            if kind != "weak":
                strong[theme] = True
        for i, found in positions:
            for theme, kind, trigger in found:
                if suppressed and (theme, i) in suppressed:
                    continue
                cov = covered.setdefault(theme, set())
                if i in cov:
                    continue
                cov.add(i)
                weight = WEIGHTS[kind]
                triggers = per_theme.setdefault(theme, {})
                if weight > triggers.get(trigger, 0.0):
                    triggers[trigger] = weight
                if kind != "weak":
                    strong[theme] = True
        return {
            theme: (
                round(sum(trig.values()), 4),
                strong.get(theme, False),
                tuple(trig) if len(trig) == 1 else tuple(sorted(trig, key=lambda t: -trig[t])),
            )
            for theme, trig in per_theme.items()
        }


def evidence(hits: Iterable[Hit]) -> dict[str, tuple[float, bool, tuple[str, ...]]]:
    """Sum the hits per theme: (weight of distinct triggers, any strong trigger, triggers).

    A trigger counts once however often it is repeated; a word covered by a phrase of the same
    theme does not count again on its own.
    """
    per_theme: dict[str, dict[str, float]] = {}
    covered: dict[str, set[int]] = {}
    strong: dict[str, bool] = {}
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), h.start))
    for hit in ordered:
        cov = covered.setdefault(hit.theme, set())
        if hit.end - hit.start == 1:
            if hit.start in cov:
                continue
            cov.add(hit.start)
        else:
            if all(i in cov for i in range(hit.start, hit.end)):
                continue
            cov.update(range(hit.start, hit.end))
        triggers = per_theme.setdefault(hit.theme, {})
        if hit.weight > triggers.get(hit.trigger, 0.0):
            triggers[hit.trigger] = hit.weight
        if hit.kind != "weak":
            strong[hit.theme] = True
    return {
        theme: (
            round(sum(trig.values()), 4),
            strong.get(theme, False),
            tuple(sorted(trig, key=lambda t: -trig[t])),
        )
        for theme, trig in per_theme.items()
    }
