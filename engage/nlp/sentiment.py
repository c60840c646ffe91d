"""Sentiment of an answer and of each sentence, in [-1, 1], for Danish and English.

Word scores come from the AFINN lists that ship with the `afinn` package (Finn Årup Nielsen,
DTU): AFINN-da-32 (3.5k Danish words and phrases) and AFINN-en-165 (3.4k English), plus the
emoticon list. A small per-language data file (`data/sentiment/{da,en}.json`) overrides scores that
are wrong for consultation text (topic words like `affald`/`waste` are not opinions; AFINN-da has
`dyrt` at +3) and lists negators and intensifiers. Scoring is lexical, so it is fast (a dictionary
look-up per token) and explainable; see docs/nlp.md for why AFINN rather than sentida.

A sentence's score is the sum of its word scores (a negator within the three preceding words flips
a score, an intensifier just before it scales it) normalised as s / sqrt(s² + 15) (the VADER
normalisation), so one mild word gives ±0.25–0.6 and several strong ones approach ±1.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

_AFINN_FILES = {"da": ("AFINN-da-32.txt",), "en": ("AFINN-en-165.txt",)}
_EMOTICONS = "AFINN-emoticon-8.txt"
ALPHA = 15.0
NEGATION_WINDOW = 3
_NO_PHRASES: dict[tuple[str, ...], float] = {}


def _read_afinn(name: str) -> dict[str, float]:
    path = Path(str(resources.files("afinn") / "data" / name))
    scores: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, score = line.rstrip("\n").rpartition("\t")
            if word:
                scores[word.lower()] = float(score)
    return scores


def normalise(total: float) -> float:
    """Map an unbounded sum of word scores into [-1, 1]."""
    if total == 0:
        return 0.0
    return total / math.sqrt(total * total + ALPHA)


@dataclass(frozen=True)
class SentimentLexicon:
    """Word and phrase scores, negators and intensifiers for one language."""

    lang: str
    words: dict[str, float]
    phrases: dict[str, dict[tuple[str, ...], float]]  # first word -> {phrase: score}
    negators: frozenset[str]
    intensifiers: dict[str, float]

    def __post_init__(self) -> None:
        # Most words carry no sentiment: one set look-up lets the scorer skip them.
        object.__setattr__(self, "_keys", frozenset(self.words) | frozenset(self.phrases) | self.negators)
        object.__setattr__(self, "_word_keys", frozenset(self.words))

    @property
    def keys(self) -> frozenset[str]:
        """The words that make `score_tokens` look closer (scored words, phrase starts, negators)."""
        return self._keys  # type: ignore[attr-defined]

    @property
    def word_keys(self) -> frozenset[str]:
        """The scored single words (a lemma in this set makes its word count)."""
        return self._word_keys  # type: ignore[attr-defined]

    def score_tokens(self, words: Sequence[str], lemmas: Sequence[str] | None = None) -> float:
        """Return the raw (unnormalised) score of a sequence of lower-case words."""
        total = 0.0
        i, n = 0, len(words)
        negated_until = -1
        keys, scores = self._keys, self.words  # type: ignore[attr-defined]
        while i < n:
            word = words[i]
            if word not in keys and (lemmas is None or lemmas[i] not in scores):
                i += 1
                continue
            if word in self.negators:
                negated_until = i + NEGATION_WINDOW
                i += 1
                continue
            value, width = None, 1
            for phrase, score in self.phrases.get(word, _NO_PHRASES).items():
                if len(phrase) > width - 1 and tuple(words[i : i + len(phrase)]) == phrase:
                    value, width = score, len(phrase)
            if value is None:
                value = self.words.get(word)
                if value is None and lemmas is not None and lemmas[i] != word:
                    value = self.words.get(lemmas[i])
            if value:
                if i > 0 and words[i - 1] in self.intensifiers:
                    value *= self.intensifiers[words[i - 1]]
                # a phrase that already contains the negation ("fungerer ikke") is not flipped
                if i <= negated_until and not any(w in self.negators for w in words[i : i + width]):
                    value = -value * 0.8
                total += value
            i += width
        return total


@cache
def sentiment_lexicon(lang: str) -> SentimentLexicon:
    """Return the (cached) sentiment lexicon for "da" or "en"."""
    scores: dict[str, float] = {}
    for name in _AFINN_FILES[lang]:
        scores.update(_read_afinn(name))
    scores.update(_read_afinn(_EMOTICONS))
    extra_path = Path(str(resources.files("engage.nlp") / "data" / "sentiment" / f"{lang}.json"))
    extra = json.loads(extra_path.read_text(encoding="utf-8"))
    scores.update({k.lower(): float(v) for k, v in extra.get("overrides", {}).items()})
    words: dict[str, float] = {}
    phrases: dict[str, dict[tuple[str, ...], float]] = {}
    for key, value in scores.items():
        parts = tuple(key.split())
        if len(parts) > 1:
            phrases.setdefault(parts[0], {})[parts] = value
        elif value:
            words[key] = value
        else:
            words.pop(key, None)
    return SentimentLexicon(
        lang=lang,
        words=words,
        phrases=phrases,
        negators=frozenset(w.lower() for w in extra.get("negators", [])),
        intensifiers={k.lower(): float(v) for k, v in extra.get("intensifiers", {}).items()},
    )


def sentiment(text: str, lang: str) -> float:
    """Return the sentiment of `text` in [-1, 1] (convenience; the pipeline component is faster)."""
    from engage.nlp.text import blank, lemmatiser

    lemma = lemmatiser(lang)
    words = [t.lower_ for t in blank(lang).make_doc(text)]
    return normalise(sentiment_lexicon(lang).score_tokens(words, [lemma(w) for w in words]))
