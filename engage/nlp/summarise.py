"""Themed summaries of a set of answers: counts, shares, sentiment, key phrases, sub-topics,
quotes and a generated summary per theme.

The caller chooses the set (one survey, municipality, stakeholder group, date range …) and passes
the redacted, classified answers as `SummaryItem`s; `summarise` returns plain dataclasses that
the web side stores in a snapshot and the CLI writes as JSON. Headings, numbers and the generated
summary (`narrate`) are rendered in Danish or English through Babel; key phrases, sub-topic
labels and quotes stay in the language they were written in and carry a language tag.

Quotes are verbatim citizen text that the team may put into a council paper, so a quote is taken
only from an answer whose respondent allowed quoting (`quotable=True`), whose own strongest theme
is the theme quoted, and that is civil (`civility`); no quoted text repeats within a theme; the
quotes are spread over the theme's sub-topics, municipalities, stakeholder types and languages;
and a long answer is cut at a sentence boundary.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import attrgetter

import numpy as np
from babel import Locale
from babel.numbers import format_decimal, format_percent

from engage.nlp import civility
from engage.nlp.keyphrases import Corpus, KeyPhrase, centroid, distinctive_phrases
from engage.nlp.narrate import (
    BABEL_LOCALES,
    EVIDENCE_IDS,
    Claim,
    Difference,
    Part,
    differences,
    lang_of,
    narrate,
)
from engage.nlp.subtopics import SubTopic, covered, subtopics

log = logging.getLogger(__name__)

NONE = "none"  # the bucket of answers without a confident theme
NEUTRAL_BAND = 0.05  # |sentiment| <= this counts as neutral (answer sentiment is in [-1, 1])
MAX_QUOTES = 5
MAX_KEY_PHRASES = 10
MIN_QUOTE_WORDS = 6  # shorter answers are quoted only when there are too few longer ones
#: An answer is quoted only when the engine gives its theme at least this score: on the real-text
#: dev half, the lowest floor at which 9 in 10 answers above it have the right first theme
#: (`python scripts/eval_summaries.py quote-floor`). Below it a quote is as likely off-topic as
#: cited fairly; the answer still counts in the theme.
QUOTE_MIN_SCORE = 0.65
QUOTE_CHARS = 280  # a longer answer is cut at a sentence boundary and ends with an ellipsis
CANDIDATE_POOL = 60  # most central quotable answers considered for quotes …
SUBTOPIC_POOL = 10  # … plus the most central of each sub-topic
MAX_SIMILARITY = 0.5  # TF-IDF cosine above which two quotes say the same thing
GROUP_PENALTY = 0.1  # per quote already picked from the same municipality or stakeholder type
LANGUAGE_PENALTY = 0.05  # per quote already picked in the same language
MIN_LANGUAGE_SHARE = 0.1  # a language with this share of a theme's quotable answers gets a quote …
MIN_LANGUAGE_QUOTABLE = 3  # … when they are at least this many
LANGS = ("da", "en")

_LABELS = {
    "da": {
        "answers": ("svar", "svar"),
        "negative": "negative",
        "neutral": "neutrale",
        "positive": "positive",
        "mean": "gennemsnit",
        "key_phrases": "Nøgleudtryk",
        "quotes": "Citater",
        "summary": "Resumé",
        "subtopics": "Undertemaer",
        "none": "Uden tema",
    },
    "en": {
        "answers": ("answer", "answers"),
        "negative": "negative",
        "neutral": "neutral",
        "positive": "positive",
        "mean": "mean",
        "key_phrases": "Key phrases",
        "quotes": "Quotes",
        "summary": "Summary",
        "subtopics": "Sub-topics",
        "none": "No theme",
    },
}
_SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+|\n+")
ABBREVIATIONS = frozenset(
    "st ave av rd blvd dr mr mrs ms no nr vs etc e.g i.e fx f.eks bl.a ca jf mht vedr evt inkl kl tlf "
    "dept gov pct approx est jr sr prof".split()
)
_ABBREVIATION_END = re.compile(
    r"(?:^|\s)(?:" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r"|[^\W\d_])\.$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SummaryItem:
    """One redacted, classified free-text answer to summarise.

    `themes` are theme slugs, highest score first, empty when no theme is confident;
    `confidence` is the score of the first theme (1.0 for a person's label, and where unknown);
    `sentiment` is in [-1, 1]; `quotable` says whether the respondent allowed quoting;
    `lemmas` may carry precomputed lemmas (then the text is only read for quotes and wording);
    `municipality` and `stakeholder` (keys, None when unknown) let the summary compare groups
    and spread its quotes over them.
    """

    id: str
    text: str
    lang: str
    themes: tuple[str, ...]
    sentiment: float
    quotable: bool = False
    lemmas: tuple[str, ...] | None = None
    municipality: str | None = None
    stakeholder: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class SentimentSplit:
    """How many answers are negative, neutral and positive (neutral: |s| <= NEUTRAL_BAND)."""

    negative: int = 0
    neutral: int = 0
    positive: int = 0
    mean: float | None = None  # None when there are no answers

    @property
    def total(self) -> int:
        """Return the number of answers split."""
        return self.negative + self.neutral + self.positive

    def shares(self) -> dict[str, float]:
        """Return each part as a share of the answers split (0.0 when there are none)."""
        total = self.total or 1
        return {
            "negative": self.negative / total,
            "neutral": self.neutral / total,
            "positive": self.positive / total,
        }

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {
            "negative": self.negative,
            "neutral": self.neutral,
            "positive": self.positive,
            "shares": {k: round(v, 4) for k, v in self.shares().items()},
            "mean": None if self.mean is None else round(self.mean, 4) + 0.0,
        }


@dataclass(frozen=True)
class Quote:
    """A representative answer, verbatim (cut at a sentence boundary when long: `cut`), in its own
    language (`lang`), with its answer id and the sub-topic it stands for (if any)."""

    id: str
    text: str
    lang: str
    centrality: float  # cosine to the theme's (or its sub-topic's) TF-IDF centroid
    subtopic: str | None = None
    cut: bool = False

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {
            "id": self.id,
            "text": self.text,
            "lang": self.lang,
            "centrality": round(self.centrality, 4),
            "subtopic": self.subtopic,
            "cut": self.cut,
        }


@dataclass(frozen=True)
class ThemeSummary:
    """The summary of one theme (or of the no-theme bucket "none") within a set of answers.

    `count` answers carry the theme (answers may carry several themes, so counts of different
    themes overlap); `share` is `count` over all answers in the set; `primary_count` counts the
    answers whose highest-scored theme it is — primary counts of all themes plus "none" add up to
    the set's total.
    """

    theme: str
    title: dict[str, str]
    count: int
    share: float
    primary_count: int
    sentiment: SentimentSplit
    languages: dict[str, int]
    key_phrases: tuple[KeyPhrase, ...] = ()
    quotes: tuple[Quote, ...] = ()
    subtopics: tuple[SubTopic, ...] = ()
    narrative: Mapping[str, tuple[Claim, ...]] = field(default_factory=dict)

    def summary(self, locale: str = "da") -> tuple[Claim, ...]:
        """Return the generated summary in `locale` (Danish or English)."""
        return tuple(self.narrative.get(lang_of(locale), ()))

    def headline(self, locale: str = "da") -> str:
        """Return e.g. "412 svar (23,4 %)" (da) or "412 answers (23.4%)" (en)."""
        return f"{format_count(self.count, locale)} ({format_share(self.share, locale)})"

    def heading(self, locale: str = "da") -> str:
        """Return the title in `locale` followed by the headline."""
        return f"{title_in(self.title, locale)}: {self.headline(locale)}"

    def to_dict(self, locale: str | None = None) -> dict:
        """Return a JSON-able dict; with a `locale`, also the rendered heading and headline."""
        data = {
            "theme": self.theme,
            "title": dict(self.title),
            "count": self.count,
            "share": round(self.share, 4),
            "primary_count": self.primary_count,
            "sentiment": self.sentiment.to_dict(),
            "languages": dict(self.languages),
            "key_phrases": [p.to_dict() for p in self.key_phrases],
            "subtopics": [t.to_dict() for t in self.subtopics],
            "quotes": [q.to_dict() for q in self.quotes],
            "summary": [c.to_dict() for c in self.summary(locale or "da")],
            "narrative": {lang: [c.to_dict() for c in claims] for lang, claims in self.narrative.items()},
        }
        if locale is not None:
            data["headline"] = self.headline(locale)
            data["heading"] = self.heading(locale)
        return data


@dataclass(frozen=True)
class Summary:
    """Summaries of every theme present in a set of answers (or of one theme), plus totals."""

    total: int
    sentiment: SentimentSplit
    languages: dict[str, int]
    themes: tuple[ThemeSummary, ...]
    filters: dict = field(default_factory=dict)

    def theme(self, slug: str) -> ThemeSummary | None:
        """Return the summary of theme `slug`, or None if it is not in this summary."""
        return next((t for t in self.themes if t.theme == slug), None)

    def headline(self, locale: str = "da") -> str:
        """Return e.g. "1.754 svar" (da) or "1,754 answers" (en)."""
        return format_count(self.total, locale)

    def to_dict(self, locale: str | None = None) -> dict:
        """Return a JSON-able dict; with a `locale`, also rendered headings."""
        data = {
            "total": self.total,
            "filters": dict(self.filters),
            "sentiment": self.sentiment.to_dict(),
            "languages": dict(self.languages),
            "themes": [t.to_dict(locale) for t in self.themes],
        }
        if locale is not None:
            data["locale"] = locale
            data["headline"] = self.headline(locale)
        return data


# --- numbers and headings in both languages -------------------------------------------------


def _babel_locale(locale: str) -> str:
    """Return the Babel locale for "da" / "en" (region-qualified locales pass through)."""
    return BABEL_LOCALES.get(locale, locale)


@lru_cache(maxsize=8)
def _percent_pattern(babel_locale: str) -> str:
    """Return the locale's percent pattern with one decimal ("#,##0.0\u00a0%" for Danish)."""
    pattern = Locale.parse(babel_locale).percent_formats[None].pattern
    return re.sub(r"0(?=[^0#]*%)", "0.0", pattern, count=1)


def format_share(share: float, locale: str = "da") -> str:
    """Return a share as a percentage with one decimal: "23,4 %" (da, no-break space) or "23.4%"."""
    loc = _babel_locale(locale)
    return format_percent(share, format=_percent_pattern(loc), locale=loc)


def format_count(count: int, locale: str = "da") -> str:
    """Return "1.234 svar" (da) or "1,234 answers" / "1 answer" (en)."""
    singular, plural = _LABELS[lang_of(locale)]["answers"]
    number = format_decimal(count, locale=_babel_locale(locale))
    return f"{number} {singular if count == 1 else plural}"


def title_in(title: Mapping[str, str], locale: str) -> str:
    """Return the title in `locale`, falling back to the other language."""
    lang = lang_of(locale)
    return title.get(lang) or title.get("da" if lang == "en" else "en") or ""


@lru_cache(maxsize=1)
def theme_titles() -> dict[str, dict[str, str]]:
    """Return {slug: {"da": name_da, "en": name_en}} for the seeded taxonomy and "none"."""
    raw = resources.files("engage.nlp").joinpath("data/themes.json").read_text(encoding="utf-8")
    titles = {t["slug"]: {"da": t["name_da"], "en": t["name_en"]} for t in json.loads(raw)}
    titles[NONE] = {"da": _LABELS["da"]["none"], "en": _LABELS["en"]["none"]}
    return titles


def render_text(summary: Summary | ThemeSummary, locale: str = "da") -> str:
    """Return a plain-text rendering of a summary with headings and numbers in `locale`.

    Quotes keep their own language, marked with a tag such as "[en]".
    """
    if isinstance(summary, ThemeSummary):
        return _render_theme(summary, locale)
    parts = [summary.headline(locale)]
    parts.extend(_render_theme(theme, locale) for theme in summary.themes)
    return "\n\n".join(parts)


def _render_theme(summary: ThemeSummary, locale: str) -> str:
    """Return the plain-text block of one theme."""
    labels = _LABELS[lang_of(locale)]
    shares = summary.sentiment.shares()
    split = " · ".join(
        f"{labels[part]} {format_decimal(getattr(summary.sentiment, part), locale=_babel_locale(locale))}"
        f" ({format_share(shares[part], locale)})"
        for part in ("negative", "neutral", "positive")
    )
    lines = [title_in(summary.title, locale), summary.headline(locale), split]
    claims = summary.summary(locale)
    if claims:
        lines.append(f"{labels['summary']}: " + " ".join(c.text for c in claims))
    if summary.subtopics:
        lines.append(f"{labels['subtopics']}: " + ", ".join(
            f"{t.label} ({format_decimal(t.count, locale=_babel_locale(locale))})" for t in summary.subtopics))
    if summary.key_phrases:
        lines.append(f"{labels['key_phrases']}: " + ", ".join(p.text for p in summary.key_phrases))
    if summary.quotes:
        lines.append(f"{labels['quotes']}:")
        lines.extend(f"  [{q.lang}] “{q.text}” ({q.id})" for q in summary.quotes)
    return "\n".join(lines)


# --- summarising ----------------------------------------------------------------------------


def summarise(
    items: Iterable[SummaryItem],
    *,
    theme: str | None = None,
    filters: Mapping | None = None,
    titles: Mapping[str, Mapping[str, str]] | None = None,
    municipality_names: Mapping[str, Mapping[str, str]] | None = None,
    corpus: Corpus | None = None,
) -> Summary:
    """Summarise a set of answers per theme (every theme present, plus "none"), or only `theme`.

    Key phrases, sub-topics and quotes of a theme are computed against all other answers in the
    set. `filters` (what the caller selected the set by) is echoed into the result; `titles`
    adds or overrides {slug: {"da": …, "en": …}} for themes outside the seeded taxonomy;
    `municipality_names` gives {key: {"da": …, "en": …}} for the generated summaries; `corpus`
    may be the `Corpus` of exactly these items when the caller built it already (discovery can
    then share it). The same input always gives the same summary.
    """
    items = list(items)
    all_titles = {**theme_titles(), **{k: dict(v) for k, v in (titles or {}).items()}}
    total = len(items)
    sentiments = np.array(list(map(_sentiment, map(attrgetter("sentiment"), items))), dtype=np.float64)
    overall = _split(sentiments)
    languages = dict(Counter(map(attrgetter("lang"), items)).most_common())

    by_themes: dict[tuple[str, ...], list[int]] = {}  # a few hundred distinct theme lists
    for row, themes in enumerate(map(attrgetter("themes"), items)):
        by_themes.setdefault(tuple(themes), []).append(row)
    grouped: dict[str, list[list[int]]] = {}
    primary: Counter[str] = Counter()
    for themes, group in by_themes.items():
        slugs = tuple(dict.fromkeys(themes)) or (NONE,)
        primary[slugs[0]] += len(group)
        for slug in slugs:
            grouped.setdefault(slug, []).append(group)
    memberships = {
        slug: np.sort(np.concatenate([np.asarray(g, dtype=np.int64) for g in groups]))
        for slug, groups in grouped.items()
    }
    if theme is not None:
        wanted = [theme]
    else:
        wanted = sorted(
            (s for s in memberships if s != NONE), key=lambda s: (-len(memberships[s]), s)
        )
        if NONE in memberships:
            wanted.append(NONE)

    if corpus is None or len(corpus) != total:
        corpus = corpus_of(items) if total else None
    context = _Context(items, corpus, municipality_names or {})
    summaries = []
    for slug in wanted:
        rows = memberships.get(slug, np.zeros(0, dtype=np.int64))
        split = _split(sentiments[rows])
        key_phrases: tuple[KeyPhrase, ...] = ()
        parts: tuple[SubTopic, ...] = ()
        quotes: tuple[Quote, ...] = ()
        central: list[str] = []
        title = dict(all_titles.get(slug, {"da": slug, "en": slug}))
        if corpus is not None and len(rows):
            members = np.zeros(total, dtype=bool)
            members[rows] = True
            key_phrases = tuple(distinctive_phrases(corpus, members, limit=MAX_KEY_PHRASES))
            if slug != NONE:  # the unthemed answers are clustered by discovery instead
                parts = subtopics(corpus, rows, ids=context.ids, title=title)
            relevance = corpus.tfidf[rows] @ centroid(corpus.tfidf[rows])
            order = rows[np.argsort(-relevance, kind="stable")]
            central = [context.ids[r] for r in order[:EVIDENCE_IDS]]
            if slug != NONE:  # unthemed answers are read in discovery, not cited
                quotes = _quotes(context, slug, rows, relevance, parts)
        found = context.differences(rows) if len(rows) else []
        narrative = {
            lang: narrate(
                title=title, no_theme=slug == NONE, count=len(rows), total=total, ids=central,
                parts=[Part(p.label, p.lang, p.count, p.ids) for p in parts], covered=covered(parts),
                negative=split.negative, neutral=split.neutral, positive=split.positive,
                found=found, locale=lang,
            )
            for lang in LANGS
        }
        summaries.append(
            ThemeSummary(
                theme=slug,
                title=title,
                count=len(rows),
                share=len(rows) / total if total else 0.0,
                primary_count=primary.get(slug, 0),
                sentiment=split,
                languages=context.languages(rows),
                key_phrases=key_phrases,
                quotes=quotes,
                subtopics=parts,
                narrative=narrative,
            )
        )
    return Summary(
        total=total,
        sentiment=overall,
        languages=languages,
        themes=tuple(summaries),
        filters=dict(filters or {}),
    )


def _sentiment(value: float | None) -> float:
    """Return a sentiment as a float; a missing one (None, NaN) counts as neutral 0.0."""
    try:
        value = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if value != value else value


def _split(values: np.ndarray) -> SentimentSplit:
    """Return the negative / neutral / positive split of sentiment values."""
    if len(values) == 0:
        return SentimentSplit()
    negative = int((values < -NEUTRAL_BAND).sum())
    positive = int((values > NEUTRAL_BAND).sum())
    return SentimentSplit(
        negative=negative,
        neutral=len(values) - negative - positive,
        positive=positive,
        mean=float(values.mean()),
    )


def corpus_of(items: list[SummaryItem]) -> Corpus:
    """Return the n-gram corpus of `items` (for `summarise` and `discover` to share)."""
    return Corpus([it.text for it in items], [it.lang for it in items], [it.lemmas for it in items])


class _Context:
    """What every theme of one summary shares: the answers, their corpus, and the groups."""

    def __init__(
        self,
        items: list[SummaryItem],
        corpus: Corpus | None,
        municipality_names: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.items = items
        self.corpus = corpus
        self.ids = list(map(attrgetter("id"), items))
        self.municipality_names = municipality_names
        self.quotable = np.fromiter(map(attrgetter("quotable"), items), dtype=bool, count=len(items))
        self.confident = np.fromiter(
            (item.confidence >= QUOTE_MIN_SCORE for item in items), dtype=bool, count=len(items))
        self.top = _codes([themes[0] if themes else NONE for themes in map(attrgetter("themes"), items)])
        self.langs = _codes(list(map(attrgetter("lang"), items)))
        self._words: dict[int, int] = {}
        self._civil: dict[int, bool] = {}
        self.groups = {
            "municipality": _codes([key or "" for key in map(attrgetter("municipality"), items)]),
            "stakeholder": _codes([key or "" for key in map(attrgetter("stakeholder"), items)]),
        }

    def is_top(self, rows: np.ndarray, slug: str) -> np.ndarray:
        """Return, per answer in `rows`, whether `slug` is its own strongest theme."""
        keys, codes = self.top
        return codes[rows] == keys.index(slug) if slug in keys else np.zeros(len(rows), dtype=bool)

    def languages(self, rows: np.ndarray) -> dict[str, int]:
        """Return {language: answers} of `rows`, most frequent first."""
        keys, codes = self.langs
        counts = np.bincount(codes[rows], minlength=len(keys))
        return {keys[i]: int(counts[i]) for i in np.argsort(-counts, kind="stable") if counts[i]}

    def words(self, row: int) -> int:
        """Return the number of words of answer `row` (counted once, when first needed)."""
        count = self._words.get(row)
        if count is None:
            count = self._words[row] = len(self.items[row].text.split())
        return count

    def civil(self, row: int) -> bool:
        """Return whether answer `row` may be quoted as far as civility goes (checked once)."""
        civil = self._civil.get(row)
        if civil is None:
            item = self.items[row]
            civil = self._civil[row] = civility.is_civil(item.text, item.lang)
        return civil

    def differences(self, rows: np.ndarray) -> list[Difference]:
        """Return the municipalities and stakeholder types where the answers `rows` (one theme's,
        most central first) are clearly more or less common than elsewhere, strongest first."""
        found: list[Difference] = []
        for kind, (keys, codes) in self.groups.items():
            inside = np.bincount(codes[rows], minlength=len(keys))
            totals = np.bincount(codes, minlength=len(keys))
            names = self.municipality_names if kind == "municipality" else {}

            def ids_of(key: str, keys: list[str] = keys, codes: np.ndarray = codes) -> list[str]:
                code = keys.index(key)
                return [self.ids[r] for r in rows[codes[rows] == code][:EVIDENCE_IDS]]

            found.extend(differences(
                kind, dict(zip(keys, inside.tolist(), strict=True)),
                dict(zip(keys, totals.tolist(), strict=True)), names, ids_of,
            ))
        return found


def _quotes(
    context: _Context,
    slug: str,
    rows: np.ndarray,
    relevance: np.ndarray,
    parts: tuple[SubTopic, ...],
) -> tuple[Quote, ...]:
    """Return up to MAX_QUOTES quotes of the theme `slug` (answers `rows`, their cosine to the
    theme's centroid `relevance`), one per sub-topic first, then one per language that has
    MIN_LANGUAGE_SHARE of the quotable answers, then the most central others.

    A candidate is quotable, has `slug` as its own strongest theme with at least QUOTE_MIN_SCORE,
    is civil and, if there are
    enough such, has at least MIN_QUOTE_WORDS words. Picks are greedy: central (to the theme or
    its sub-topic), not near-duplicates of a pick (same text, one inside the other, or TF-IDF
    cosine above MAX_SIMILARITY), and spread over municipalities, stakeholder types and languages.
    """
    corpus, items = context.corpus, context.items
    assert corpus is not None
    eligible = context.quotable[rows] & context.confident[rows] & context.is_top(rows, slug)
    if not eligible.any():
        return ()
    centrality = dict(zip(rows.tolist(), relevance.tolist(), strict=True))

    def candidates(ordered: Iterable[int], limit: int, short_too: bool) -> list[int]:
        found = []
        for row in ordered:
            if context.words(row) >= MIN_QUOTE_WORDS or short_too:
                if context.civil(row):
                    found.append(row)
                    if len(found) >= limit:
                        break
        return found

    by_relevance = rows[np.flatnonzero(eligible)[np.argsort(-relevance[eligible], kind="stable")]].tolist()
    allowed_rows = set(by_relevance)
    short_too = len(candidates(by_relevance, MAX_QUOTES, short_too=False)) < MAX_QUOTES
    pool: dict[int, str | None] = dict.fromkeys(candidates(by_relevance, CANDIDATE_POOL, short_too))
    for part in parts:
        own = (row for row in part.rows if row in allowed_rows)  # most central of the sub-topic first
        for row in candidates(own, SUBTOPIC_POOL, short_too):
            if pool.get(row) is None:  # an answer using two sub-topics' words stands for the larger
                pool[row] = part.label
    row_langs = [items[row].lang for row in by_relevance]
    languages = Counter(row_langs)
    for lang, count in languages.items():  # a language with a tenth of the answers gets a quote
        if count >= max(MIN_LANGUAGE_QUOTABLE, MIN_LANGUAGE_SHARE * len(by_relevance)):
            own = (row for row, row_lang in zip(by_relevance, row_langs, strict=True) if row_lang == lang)
            for row in candidates(own, SUBTOPIC_POOL, short_too):
                pool.setdefault(row, None)
    if not pool:
        return ()
    wanted = [lang for lang, count in languages.most_common()
              if count >= max(MIN_LANGUAGE_QUOTABLE, MIN_LANGUAGE_SHARE * len(by_relevance))]
    chosen = _pick(context, list(pool), pool, centrality, parts, wanted if len(wanted) > 1 else [])
    return tuple(
        Quote(
            id=items[row].id,
            text=text,
            lang=items[row].lang,
            centrality=centrality[row],
            subtopic=pool[row],
            cut=cut,
        )
        for row, (text, cut) in chosen
    )


def _pick(
    context: _Context,
    candidates: list[int],
    subtopic_of: Mapping[int, str | None],
    centrality: Mapping[int, float],
    parts: tuple[SubTopic, ...],
    languages: list[str],
) -> list[tuple[int, tuple[str, bool]]]:
    """Return up to MAX_QUOTES (row, (quoted text, cut)) from `candidates`: first the most central
    answer of each sub-topic, then of each of `languages` not yet quoted, then by centrality,
    similarity to the picks and spread."""
    items = context.items
    vectors = context.corpus.tfidf[candidates]  # type: ignore[union-attr]
    similarity = (vectors @ vectors.T).toarray()
    central = np.array([centrality[r] for r in candidates])
    best = float(central.max()) or 1.0
    texts = [cut_quote(items[r].text) for r in candidates]
    keys = [_normal(text) for text, _ in texts]
    picked: list[int] = []

    def allowed(i: int) -> bool:
        return all(
            similarity[i, j] <= MAX_SIMILARITY and keys[i] not in keys[j] and keys[j] not in keys[i]
            for j in picked
        )

    def spread_penalty(i: int) -> float:
        item = items[candidates[i]]
        penalty = 0.0
        for j in picked:
            other = items[candidates[j]]
            penalty += GROUP_PENALTY * (item.municipality is not None and item.municipality == other.municipality)
            penalty += GROUP_PENALTY * (item.stakeholder is not None and item.stakeholder == other.stakeholder)
            penalty += LANGUAGE_PENALTY * (item.lang == other.lang)
        return penalty

    for part in parts:  # one quote per sub-topic, largest first
        if len(picked) >= MAX_QUOTES:
            break
        own = [i for i, r in enumerate(candidates) if subtopic_of[r] == part.label and i not in picked]
        for i in sorted(own, key=lambda i: -central[i]):
            if allowed(i):
                picked.append(i)
                break
    for lang in languages:  # then one quote per language the theme's answers are written in
        if len(picked) >= MAX_QUOTES or any(items[candidates[j]].lang == lang for j in picked):
            continue
        own = [i for i, r in enumerate(candidates) if items[r].lang == lang and i not in picked]
        for i in sorted(own, key=lambda i: -central[i]):
            if allowed(i):
                picked.append(i)
                break
    while len(picked) < MAX_QUOTES:
        scores = [
            (0.7 * central[i] / best - 0.3 * max((similarity[i, j] for j in picked), default=0.0)
             - spread_penalty(i), -i)
            for i in range(len(candidates)) if i not in picked and allowed(i)
        ]
        if not scores:
            break
        picked.append(-max(scores)[1])
    return [(candidates[i], texts[i]) for i in picked]


def _codes(keys: list[str]) -> tuple[list[str], np.ndarray]:
    """Return the distinct keys (in order of first appearance) and each position's index in them."""
    index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    return list(index), np.fromiter(map(index.__getitem__, keys), np.int64, len(keys))


def sentences(text: str) -> list[str]:
    """Return the sentences of `text`: split after ".", "!", "?" or "…" and a space (or at a line
    break), but not after an abbreviation ("St.", "Ave.", "fx.", "bl.a.", "nr."), a single letter
    ("J. Smith") or a Danish ordinal before a lower-case word ("den 2. november")."""
    pieces = [p for p in _SENTENCE_RE.split(text) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if out and (_ABBREVIATION_END.search(out[-1]) or (out[-1][-2:-1].isdigit() and piece[:1].islower())):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _normal(text: str) -> str:
    """Return `text` lower-cased with its words single-spaced and the ellipsis dropped."""
    return " ".join(text.lower().replace("…", " ").split())


def cut_quote(text: str, limit: int = QUOTE_CHARS) -> tuple[str, bool]:
    """Return (`text`, False) if it fits in `limit` characters, else (its longest run of whole
    sentences from the start that fits, ending with "…", True). When even the first sentence is
    too long, it is cut after the last whole word that fits."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    room = limit - 2  # " …"
    kept = ""
    for sentence in sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > room:
            break
        kept = candidate
    if not kept:
        kept = text[: room + 1].rsplit(" ", 1)[0].rstrip(",;:–— ")
    ending = " …" if kept.endswith((".", "!", "?", "…")) else "…"
    return kept + ending, True


def summarise_records(
    records: Iterable[dict],
    locale: str = "da",
    *,
    theme: str | None = None,
    filters: Mapping | None = None,
) -> dict:
    """Summarise classify-output records and return a JSON-able dict with headings in `locale`.

    Each record is one line of `flask nlp classify` output: {"id", "lang", "redacted" (or
    "text"), "themes": [{"theme", "score"}, …], "sentiment"}, optionally "quotable" (bool),
    "lemmas", "municipality" and "stakeholder" (keys). A record without "quotable" counts as quotable (True): the CLI works on files the
    team exported for analysis, and consent is the caller's filter there — the web side passes
    each response's quote consent instead. The result is `Summary.to_dict(locale)` plus "text",
    the plain-text rendering.
    """
    items = (_record_item(record) for record in records)
    summary = summarise(items, theme=theme, filters=filters)
    data = summary.to_dict(locale)
    data["text"] = render_text(summary, locale)
    return data


def _record_item(record: dict) -> SummaryItem:
    """Return the SummaryItem of one classify-output record."""
    themes = record.get("themes") or []
    confidence = 1.0
    if themes and isinstance(themes[0], dict):
        ranked = [t for t in sorted(themes, key=lambda t: -float(t.get("score") or 0.0)) if t["theme"] != NONE]
        slugs = tuple(str(t["theme"]) for t in ranked)
        if ranked and ranked[0].get("score") is not None:
            confidence = float(ranked[0]["score"])
    else:
        slugs = tuple(str(t) for t in themes)
    slugs = tuple(slug for slug in slugs if slug != NONE)  # "none" is the absence of a theme
    text = record.get("redacted")
    if text is None:
        text = record.get("text") or ""
    lemmas = record.get("lemmas")
    return SummaryItem(
        id=str(record.get("id", "")),
        text=str(text),
        lang=str(record.get("lang") or "da"),
        themes=slugs,
        sentiment=_sentiment(record.get("sentiment")),
        quotable=bool(record.get("quotable", True)),
        lemmas=tuple(lemmas) if lemmas is not None else None,
        municipality=record.get("municipality") or None,
        stakeholder=record.get("stakeholder") or None,
        confidence=confidence,
    )
