"""Learn a consultation's own words from its confident answers, and theme the answers they fill.

A consultation arrives in hundreds or thousands of answers that need no labels. Words the lexicon
has never seen ("symptom", "chronic", "curbside", "compactor") co-occur there with the themes the
engine is already sure of. Yarowsky-style, one round:

1. the answers that got a theme are the seeds, each labelled with its first theme;
2. a content lemma (4+ letters, not a stop word, not in the lexicon, not containing one of its
   stems) becomes a cue of a theme when at least `MIN_ANSWERS` seeds of that theme contain it and at
   least `MIN_PRECISION` of all seeds containing it have that theme; at most `CAP` per theme, the
   most frequent first (deterministic);
3. an answer with no theme that contains cues gets the theme with most of them (ties: the
   encoder's probability, then the name) — but only when the sentence encoder's on-topic gate finds
   the answer about some theme. Without the gate a passing word would fill off-topic answers as
   readily as on-topic ones, so without the encoder nothing is learned.

The theme is reported with source "consultation" and the cue words as its triggers ("learned from
this consultation"). Answers that had a theme keep it unchanged: the learned words only fill gaps.
Settings and their effect on the real-text dev half are in docs/nlp.md.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from engage.nlp.text import ZIPF_COMMON, lemma_table, zipf
from engage.nlp.types import Analysis, ThemeScore

SOURCE = "consultation"
MIN_ANSWERS = 3
MIN_PRECISION = 0.8
CAP = 20
MIN_LETTERS = 4
#: Score given to a filled theme: the lowest that counts as confident (a theme the team reads as
#: weaker evidence than the lexicon's or the model's).
FILLED_SCORE = 0.5

_WORD = re.compile(r"[^\W\d_]+")


def known_words(spec: Mapping) -> set[str]:
    """Return every single-word entry of a lexicon spec (keywords, weak words, stems, heads)."""
    known: set[str] = set()
    for theme, fields in spec.items():
        if theme != "_meta" and isinstance(fields, Mapping):
            for name in ("keywords", "weak", "stems", "heads"):
                known.update(w.lower() for w in fields.get(name, []))
    return known


def choose_cues(lemma_sets: Sequence[set[str]], labels: Sequence[Sequence[str]], themes: Sequence[str],
                known: set[str], *, counted: Sequence[bool] | None = None, min_answers: int = MIN_ANSWERS,
                min_precision: float = MIN_PRECISION, cap: int = CAP) -> dict[str, list[str]]:
    """Return {theme: cue lemmas} learned from answers' lemma sets and their labels.

    A lemma is a cue of a theme when at least `min_answers` *counted* answers with that theme contain
    it (all answers count when `counted` is None), at least `min_precision` of all answers containing
    it carry the theme, and no lexicon stem of 4+ letters is inside it (matched already).
    Deterministic; at most `cap` per theme, the most frequent first."""
    long_known = [k for k in known if len(k) >= MIN_LETTERS]
    wanted = set(themes)
    containing: Counter[str] = Counter()
    positives: dict[str, Counter[str]] = defaultdict(Counter)
    with_theme: dict[str, Counter[str]] = defaultdict(Counter)
    for i, (lemmas, label) in enumerate(zip(lemma_sets, labels, strict=True)):
        containing.update(lemmas)
        for theme in wanted.intersection(label):
            with_theme[theme].update(lemmas)
            if counted is None or counted[i]:
                positives[theme].update(lemmas)
    cues: dict[str, list[str]] = {}
    for theme in themes:
        chosen = sorted((lem for lem, n in positives[theme].items()
                         if n >= min_answers and with_theme[theme][lem] / containing[lem] >= min_precision
                         and not any(k in lem for k in long_known)),
                        key=lambda lem: (-positives[theme][lem], lem))[:cap]
        if chosen:
            cues[theme] = chosen
    return cues


@dataclass(frozen=True)
class Vocabulary:
    """What the engine knows already in one language: lexicon words and stop words."""

    lang: str
    known: frozenset[str]
    stop: frozenset[str]

    _seen: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def content_lemmas(self, text: str) -> set[str]:
        """Return the lemmas of `text` that could become cues (letters only, 4+, unknown, not common)."""
        seen = self._seen
        out = set()
        for word in _WORD.findall(text.lower()):
            if word not in seen:
                seen[word] = self._candidate(word)
            lemma = seen[word]
            if lemma is not None:
                out.add(lemma)
        return out

    def _candidate(self, word: str) -> str | None:
        if word in self.known:
            return None
        lemma = lemma_table(self.lang).get(word) or word
        if (len(lemma) < MIN_LETTERS or lemma in self.stop or lemma in self.known
                or zipf(lemma, self.lang) >= ZIPF_COMMON):
            return None
        return lemma


@dataclass(frozen=True)
class Adaptation:
    """The cues learned from one consultation (per language) and how many answers they filled."""

    cues: dict[str, dict[str, list[str]]]  # lang -> theme -> cue lemmas
    filled: int

    def as_dict(self) -> dict:
        """Return the report written with the results ("learned from this consultation")."""
        return {"learned_cues": self.cues, "answers_filled": self.filled}


def candidates(analyses: Sequence[Analysis], vocabularies: Mapping[str, Vocabulary]
               ) -> tuple[dict[str, dict[str, list[str]]], dict[int, dict[str, list[str]]]]:
    """Learn the cues of each language ({lang: {theme: cue words}}) and return them with the
    answers they could fill: {index: {theme: cue words found}} for answers with no theme."""
    lemma_sets: list[set[str] | None] = []
    lang_of: list[str | None] = []
    for a in analyses:
        lang = a.lang if a.lang in vocabularies else None
        lang_of.append(lang)
        lemma_sets.append(vocabularies[lang].content_lemmas(a.redacted) if lang and a.redacted.strip() else None)
    learned: dict[str, dict[str, list[str]]] = {}
    found: dict[int, dict[str, list[str]]] = {}
    for lang, vocabulary in vocabularies.items():
        seeds = [i for i, a in enumerate(analyses) if a.themes and lang_of[i] == lang and lemma_sets[i] is not None]
        labels = [(analyses[i].themes[0].theme,) for i in seeds]
        cues = choose_cues([lemma_sets[i] for i in seeds], labels, sorted({t for (t,) in labels}), set(vocabulary.known))
        if not cues:
            continue
        learned[lang] = cues
        theme_of: dict[str, list[str]] = defaultdict(list)
        for theme, words in cues.items():
            for word in words:
                theme_of[word].append(theme)
        for i, a in enumerate(analyses):
            if a.themes or lang_of[i] != lang or not lemma_sets[i]:
                continue
            hits: dict[str, list[str]] = defaultdict(list)
            for lemma in sorted(lemma_sets[i] & theme_of.keys()):
                for theme in theme_of[lemma]:
                    hits[theme].append(lemma)
            if hits:
                found[i] = dict(hits)
    return learned, found


def fill(analysis: Analysis, hits: Mapping[str, list[str]], preference: Mapping[str, float]) -> Analysis:
    """Return `analysis` themed with the theme most of its cues point to (ties: `preference`,
    e.g. the encoder's probabilities, then the theme's name)."""
    theme = min(hits, key=lambda t: (-len(hits[t]), -preference.get(t, 0.0), t))
    return replace(analysis, themes=(ThemeScore(theme, FILLED_SCORE, SOURCE, tuple(hits[theme])),))
