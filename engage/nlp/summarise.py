"""Themed summaries of a set of answers: counts, shares, sentiment, key phrases, quotes, extracts.

The caller chooses the set (one survey, municipality, stakeholder group, date range …) and passes
the redacted, classified answers as `SummaryItem`s; `summarise` returns plain dataclasses that
the web side stores as `ThemeSummary` rows and the CLI writes as JSON. Headings and numbers are
rendered in Danish or English through Babel; quotes and extract sentences stay in the language
they were written in and carry a language tag.

Quotes and extract sentences are verbatim citizen text, so both are taken only from answers whose
respondent allowed quoting (`quotable=True`).
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

import numpy as np
import scipy.sparse as sp
from babel import Locale
from babel.numbers import format_decimal, format_percent

from engage.nlp.keyphrases import (
    Corpus,
    KeyPhrase,
    centroid,
    distinctive_phrases,
    select_diverse,
)

log = logging.getLogger(__name__)

NONE = "none"  # the bucket of answers without a confident theme
NEUTRAL_BAND = 0.05  # |sentiment| <= this counts as neutral (answer sentiment is in [-1, 1])
MAX_QUOTES = 5
MAX_KEY_PHRASES = 10
SUMMARY_SENTENCES = 3
QUOTE_WORDS = (6, 60)  # preferred quote length in words; shorter or longer only if too few
SENTENCE_WORDS = (5, 40)
RELEVANCE_FLOOR = 0.3  # extract sentences need this share of the most central one's centrality
CANDIDATE_POOL = 60  # most central quotable answers considered for quotes and extracts
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}

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
        "none": "No theme",
    },
}
_SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True)
class SummaryItem:
    """One redacted, classified free-text answer to summarise.

    `themes` are theme slugs, highest score first, empty when no theme is confident;
    `sentiment` is in [-1, 1]; `quotable` says whether the respondent allowed quoting;
    `lemmas` may carry precomputed lemmas (then the text is only read for quotes and wording).
    """

    id: str
    text: str
    lang: str
    themes: tuple[str, ...]
    sentiment: float
    quotable: bool = False
    lemmas: tuple[str, ...] | None = None


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
    """A representative answer, verbatim, in its own language (`lang`), with its answer id."""

    id: str
    text: str
    lang: str
    centrality: float  # cosine to the theme's TF-IDF centroid

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {
            "id": self.id,
            "text": self.text,
            "lang": self.lang,
            "centrality": round(self.centrality, 4),
        }


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of an extractive summary, in its own language, with the answer it came from."""

    id: str
    text: str
    lang: str

    def to_dict(self) -> dict:
        """Return a JSON-able dict."""
        return {"id": self.id, "text": self.text, "lang": self.lang}


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
    summary: tuple[SummarySentence, ...] = ()

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
            "quotes": [q.to_dict() for q in self.quotes],
            "summary": [s.to_dict() for s in self.summary],
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
    singular, plural = _LABELS[_lang_of(locale)]["answers"]
    number = format_decimal(count, locale=_babel_locale(locale))
    return f"{number} {singular if count == 1 else plural}"


def _lang_of(locale: str) -> str:
    """Return "da" or "en" for a locale such as "da", "da_DK" or "en-GB"."""
    return "en" if locale.lower().startswith("en") else "da"


def title_in(title: Mapping[str, str], locale: str) -> str:
    """Return the title in `locale`, falling back to the other language."""
    lang = _lang_of(locale)
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

    Quotes and extract sentences keep their own language, marked with a tag such as "[en]".
    """
    if isinstance(summary, ThemeSummary):
        return _render_theme(summary, locale)
    parts = [summary.headline(locale)]
    parts.extend(_render_theme(theme, locale) for theme in summary.themes)
    return "\n\n".join(parts)


def _render_theme(summary: ThemeSummary, locale: str) -> str:
    """Return the plain-text block of one theme."""
    labels = _LABELS[_lang_of(locale)]
    shares = summary.sentiment.shares()
    split = " · ".join(
        f"{labels[part]} {format_decimal(getattr(summary.sentiment, part), locale=_babel_locale(locale))}"
        f" ({format_share(shares[part], locale)})"
        for part in ("negative", "neutral", "positive")
    )
    lines = [title_in(summary.title, locale), summary.headline(locale), split]
    if summary.key_phrases:
        lines.append(f"{labels['key_phrases']}: " + ", ".join(p.text for p in summary.key_phrases))
    if summary.quotes:
        lines.append(f"{labels['quotes']}:")
        lines.extend(f"  [{q.lang}] “{q.text}” ({q.id})" for q in summary.quotes)
    if summary.summary:
        lines.append(f"{labels['summary']}:")
        lines.extend(f"  [{s.lang}] {s.text}" for s in summary.summary)
    return "\n".join(lines)


# --- summarising ----------------------------------------------------------------------------


def summarise(
    items: Iterable[SummaryItem],
    *,
    theme: str | None = None,
    filters: Mapping | None = None,
    titles: Mapping[str, Mapping[str, str]] | None = None,
) -> Summary:
    """Summarise a set of answers per theme (every theme present, plus "none"), or only `theme`.

    Key phrases, quotes and extracts of a theme are computed against all other answers in the
    set. `filters` (what the caller selected the set by) is echoed into the result; `titles`
    adds or overrides {slug: {"da": …, "en": …}} for themes outside the seeded taxonomy.
    """
    items = list(items)
    all_titles = {**theme_titles(), **{k: dict(v) for k, v in (titles or {}).items()}}
    total = len(items)
    sentiments = np.array([_sentiment(it.sentiment) for it in items], dtype=np.float64)
    overall = _split(sentiments)
    languages = dict(Counter(it.lang for it in items).most_common())

    memberships: dict[str, list[int]] = {}
    primary: Counter[str] = Counter()
    for row, item in enumerate(items):
        slugs = tuple(dict.fromkeys(item.themes)) or (NONE,)
        primary[slugs[0]] += 1
        for slug in slugs:
            memberships.setdefault(slug, []).append(row)
    if theme is not None:
        wanted = [theme]
    else:
        wanted = sorted(
            (s for s in memberships if s != NONE), key=lambda s: (-len(memberships[s]), s)
        )
        if NONE in memberships:
            wanted.append(NONE)

    corpus = (
        Corpus([it.text for it in items], [it.lang for it in items], [it.lemmas for it in items])
        if total
        else None
    )
    quotable = np.array([it.quotable for it in items], dtype=bool)
    word_counts = np.array([len(it.text.split()) for it in items], dtype=np.int32)

    summaries = []
    for slug in wanted:
        rows = np.asarray(memberships.get(slug, []), dtype=np.int64)
        members = np.zeros(total, dtype=bool)
        members[rows] = True
        key_phrases: tuple[KeyPhrase, ...] = ()
        quotes: tuple[Quote, ...] = ()
        extract: tuple[SummarySentence, ...] = ()
        if corpus is not None and len(rows):
            key_phrases = tuple(distinctive_phrases(corpus, members, limit=MAX_KEY_PHRASES))
            quotes, extract = _quotes_and_extract(corpus, items, rows, quotable, word_counts)
        summaries.append(
            ThemeSummary(
                theme=slug,
                title=dict(all_titles.get(slug, {"da": slug, "en": slug})),
                count=len(rows),
                share=len(rows) / total if total else 0.0,
                primary_count=primary.get(slug, 0),
                sentiment=_split(sentiments[rows]),
                languages=dict(Counter(items[r].lang for r in rows).most_common()),
                key_phrases=key_phrases,
                quotes=quotes,
                summary=extract,
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


def _quotes_and_extract(
    corpus: Corpus,
    items: list[SummaryItem],
    rows: np.ndarray,
    quotable: np.ndarray,
    word_counts: np.ndarray,
) -> tuple[tuple[Quote, ...], tuple[SummarySentence, ...]]:
    """Return 3–5 central, diverse quotes and a 2–3 sentence extract for the answers in `rows`.

    Centrality is the cosine between an answer's TF-IDF vector and the centroid of all the
    theme's answers; diversity is maximal marginal relevance with a near-duplicate cut-off.
    Only quotable answers are candidates; quotes prefer answers of QUOTE_WORDS length.
    """
    vectors = corpus.tfidf[rows]
    centre = centroid(vectors)
    candidates = rows[quotable[rows]]
    if len(candidates) == 0 or not centre.any():
        return (), ()
    cand_vectors = corpus.tfidf[candidates]
    relevance = cand_vectors @ centre
    lo, hi = QUOTE_WORDS
    sized = (word_counts[candidates] >= lo) & (word_counts[candidates] <= hi)
    pool_mask = sized if sized.sum() >= MAX_QUOTES else np.ones(len(candidates), dtype=bool)
    pool = np.flatnonzero(pool_mask & (relevance > 0))
    if len(pool) == 0:
        pool = np.flatnonzero(pool_mask)
    pool = pool[np.argsort(-relevance[pool], kind="stable")[:CANDIDATE_POOL]]
    picks = select_diverse(
        cand_vectors[pool],
        relevance[pool],
        limit=MAX_QUOTES,
        texts=[items[candidates[i]].text for i in pool],
    )
    quotes = tuple(
        Quote(
            id=items[row].id,
            text=items[row].text.strip(),
            lang=items[row].lang,
            centrality=float(relevance[i]),
        )
        for i in pool[picks]
        for row in [candidates[i]]
    )
    quoted = {q.id for q in quotes}

    # Extract: sentences of the most central quotable answers (any length), quoted ones last.
    central = np.argsort(-relevance, kind="stable")[:CANDIDATE_POOL]
    sentences: list[tuple[str, str, str]] = []
    lo, hi = SENTENCE_WORDS
    for i in central:
        item = items[candidates[i]]
        for sentence in _SENTENCE_RE.split(item.text.strip()):
            sentence = " ".join(sentence.split())
            if lo <= len(sentence.split()) <= hi:
                sentences.append((item.id, sentence, item.lang))
    if not sentences:
        return quotes, ()
    fresh = [s for s in sentences if s[0] not in quoted]
    if len(fresh) >= SUMMARY_SENTENCES:
        sentences = fresh
    sent_vectors = corpus.vectorise([s[1] for s in sentences], [s[2] for s in sentences])
    sent_relevance = sent_vectors @ centre
    # Sentences about something else ("Helt ærligt ved jeg det ikke.") never make the extract.
    keep = np.flatnonzero(sent_relevance >= RELEVANCE_FLOOR * float(sent_relevance.max()))
    keep = keep[sent_relevance[keep] > 0]
    if len(keep) == 0:
        return quotes, ()
    picks = select_diverse(
        sp.csr_matrix(sent_vectors[keep]),
        sent_relevance[keep],
        limit=SUMMARY_SENTENCES,
        texts=[sentences[i][1] for i in keep],
    )
    extract = tuple(
        SummarySentence(
            id=sentences[keep[p]][0], text=sentences[keep[p]][1], lang=sentences[keep[p]][2]
        )
        for p in picks
    )
    return quotes, extract


def summarise_records(
    records: Iterable[dict],
    locale: str = "da",
    *,
    theme: str | None = None,
    filters: Mapping | None = None,
) -> dict:
    """Summarise classify-output records and return a JSON-able dict with headings in `locale`.

    Each record is one line of `flask nlp classify` output: {"id", "lang", "redacted" (or
    "text"), "themes": [{"theme", "score"}, …], "sentiment"}, optionally "quotable" (bool) and
    "lemmas". A record without "quotable" counts as quotable (True): the CLI works on files the
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
    if themes and isinstance(themes[0], dict):
        ranked = sorted(themes, key=lambda t: -float(t.get("score") or 0.0))
        slugs = tuple(str(t["theme"]) for t in ranked)
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
    )
