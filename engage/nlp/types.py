"""The dataclasses the analysis engine returns. Plain data: the web side stores them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Redaction:
    """Text with personal data replaced by typed placeholders, and what was replaced.

    `counts` maps a placeholder type (cpr, phone, email, url, address, name) to how many
    occurrences were replaced; it is empty when nothing was redacted.
    """

    text: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeScore:
    """One theme on one answer: its calibrated score, where the evidence came from, and the
    words in the answer that triggered it (shown to the strategy team as the explanation)."""

    theme: str
    score: float
    source: str  # "model" when the trained classifier contributed, "rule" for the lexicon alone
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentenceSentiment:
    """Sentiment of one sentence, in [-1, 1]."""

    start: int
    end: int
    sentiment: float


@dataclass(frozen=True)
class Analysis:
    """Everything the engine says about one free-text answer."""

    lang: str  # "da" | "en" | "other"
    redacted: str
    redactions: dict[str, int]
    themes: tuple[ThemeScore, ...]  # sorted by score, highest first; empty when none is confident
    sentiment: float  # [-1, 1]
    sentences: tuple[SentenceSentiment, ...]
    model_version: str
    #: The smallest distance between a theme's score and its threshold: how close the decision
    #: was (0 = on the edge). None when no theme was scored (an empty answer).
    margin: float | None = None
