"""Sub-topics within a theme: the 2–6 things its answers are about, with counts and shares.

A strategy section is written at this level ("mobility" → cycle paths, bus frequency, parking).
A sub-topic is anchored on one of the theme's SEEDS most distinctive phrases (`keyphrases`, the
same machinery key phrases and discovery's labels come from): it holds the theme's answers that
use the phrase (an answer may use several). Phrases are taken largest first; one whose answers
are mostly in an earlier sub-topic says nothing new and is skipped, as is one
that only repeats the theme's name ("safety" under "Safety and security") or that more than half
of the theme's answers use (the theme's own vocabulary, not a part of it). So every share
the summary states is literally true (that many of the theme's answers use those words), the
label is the wording people used, the result is deterministic, and it costs a few sparse column
look-ups instead of a clustering per theme (which was the slowest part of the summary).
Answers that use none of the phrases belong to no sub-topic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engage.nlp.keyphrases import Corpus, centroid, key_phrase, ranked_columns
from engage.nlp.narrate import EVIDENCE_IDS
from engage.nlp.text import LANGUAGES, lemmatiser

MIN_ANSWERS = 20  # a theme with fewer answers is not split
MAX_SUBTOPICS = 6
MIN_SUBTOPICS = 2
MIN_SIZE = 5  # smallest sub-topic in answers …
MIN_SHARE = 0.05  # … and as a share of the theme's answers
MAX_OVERLAP = 0.5  # a phrase whose answers are more than this share taken already is skipped
MAX_SHARE = 0.5  # a phrase in more of the theme's answers than this is the theme's own vocabulary
SEEDS = 30  # the theme's most distinctive phrases tried as sub-topics …
MIN_SEED_LIFT = 3.0  # … at least this many times as common in the theme as elsewhere


@dataclass(frozen=True)
class SubTopic:
    """One group of a theme's answers.

    `label` is the key phrase its answers use, as people wrote it (in `lang`), `count` the
    theme's answers that use it (sub-topics may share answers), `share` that count over the
    theme's answers; `rows` are those answers' row indices in the summarised set and `ids` the
    first EVIDENCE_IDS of their answer ids, most central first.
    """

    label: str
    lang: str
    count: int
    share: float
    rows: tuple[int, ...]
    ids: tuple[str, ...]

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {
            "label": self.label,
            "lang": self.lang,
            "count": self.count,
            "share": round(self.share, 4),
            "ids": list(self.ids),
        }


def subtopics(
    corpus: Corpus, rows: np.ndarray, *, ids: Sequence[str], title: Mapping[str, str] | None = None
) -> tuple[SubTopic, ...]:
    """Return the sub-topics of the answers `rows` (indices into `corpus`), largest first; `ids`
    maps every row to its answer id, `title` is the theme's name per language. Returns () when
    the answers are fewer than MIN_ANSWERS or fewer than MIN_SUBTOPICS groups are large enough."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) < MIN_ANSWERS:
        return ()
    theme = np.zeros(len(corpus), dtype=bool)
    theme[rows] = True
    floor = max(MIN_SIZE, MIN_SHARE * len(rows))
    columns, inside, z = ranked_columns(corpus, theme, limit=SEEDS, min_share=MIN_SHARE)
    named = _title_lemmas(title or {})
    rest = max(len(corpus) - len(rows), 0)
    using = []
    for column in columns:
        lemmas = {corpus.vocab.lemma_of(w) for w in corpus.words_of(column) if not corpus.vocab.stop[w]}
        lift = (inside[column] / len(rows)) / ((corpus.df[column] - inside[column] + 0.5) / (rest + 1))
        if lemmas <= named or inside[column] > MAX_SHARE * len(rows) or lift < MIN_SEED_LIFT:
            continue
        using.append((column, np.intersect1d(corpus.rows_with(column), rows, assume_unique=True)))
    using.sort(key=lambda pair: -len(pair[1]))  # stable: equal sizes keep the phrases' rank
    taken = np.zeros(len(corpus), dtype=bool)
    found: list[SubTopic] = []
    for column, members in using:
        if len(found) == MAX_SUBTOPICS:
            break
        fresh = members[~taken[members]]
        if len(fresh) < floor or len(members) - len(fresh) > MAX_OVERLAP * len(members):
            continue
        phrase = key_phrase(corpus, column, rows, inside, z)
        if phrase is None:
            continue
        taken[fresh] = True
        vectors = corpus.tfidf[members]
        central = members[np.argsort(-(vectors @ centroid(vectors)), kind="stable")]
        found.append(
            SubTopic(
                label=phrase.text,
                lang=phrase.lang,
                count=len(members),
                share=len(members) / len(rows),
                rows=tuple(int(r) for r in central),
                ids=tuple(ids[r] for r in central[:EVIDENCE_IDS]),
            )
        )
    if len(found) < MIN_SUBTOPICS:
        return ()
    return tuple(found)  # largest first already


def _title_lemmas(title: Mapping[str, str]) -> set[str]:
    """Return the lower-case words of a theme's names and their lemmas in each language."""
    words = {w for name in title.values() for w in re.findall(r"\w+", name.lower())}
    return words | {lemmatiser(lang)(w) for lang in LANGUAGES for w in words}


def covered(parts: Sequence[SubTopic]) -> int:
    """Return how many answers use at least one of the sub-topics' phrases."""
    return len(set().union(*(part.rows for part in parts))) if parts else 0
