"""Tokenisation and lemmas shared by every part of the analysis engine.

spaCy's blank pipelines and the `spacy-lookups-data` lemma tables are loaded once per process
(the Danish table has 553k entries and takes about two seconds), never at import time.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from functools import cache

import spacy
from spacy.language import Language
from spacy.lookups import Table, load_lookups

LANGUAGES = ("da", "en")
#: Zipf frequency (log10 of occurrences per billion words) from which a word counts as very common
#: in the language as a whole ("mulighed", "give", "år"; "high", "fix"): alone it says nothing.
ZIPF_COMMON = 5.0

_lock = threading.Lock()


def check_language(lang: str) -> str:
    """Return `lang` if the engine has a pipeline for it, else raise ValueError."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    return lang


@cache
def blank(lang: str) -> Language:
    """Return a cached blank spaCy pipeline (tokenizer only) for `lang`."""
    with _lock:
        return spacy.blank(check_language(lang))


@cache
def lemma_table(lang: str) -> Table:
    """Return the lower-case lookup lemma table for `lang` (keys are hashed; use `.get(word)`)."""
    with _lock:
        return load_lookups(check_language(lang), ["lemma_lookup"]).get_table("lemma_lookup")


def lemmatiser(lang: str) -> Callable[[str], str]:
    """Return a function mapping a word to its lemma (lower-cased; the tables are lower-case)."""
    table = lemma_table(lang)

    def lemma(word: str) -> str:
        low = word.lower()
        return table.get(low) or low

    return lemma


def stop_words(lang: str) -> frozenset[str]:
    """Return spaCy's stop words for `lang`."""
    return frozenset(blank(lang).Defaults.stop_words)


def lemmas(text: str, lang: str) -> list[str]:
    """Return the lemmas of the alphabetic tokens of `text`, lower-cased."""
    lemma = lemmatiser(lang)
    return [lemma(tok.text) for tok in blank(lang).make_doc(text) if tok.is_alpha]


@cache
def zipf_table(lang: str) -> dict[str, float]:
    """Return {word: Zipf frequency} of general `lang` from `wordfreq` (its bundled word lists:
    subtitles, Wikipedia, web text, books …); a word it lacks is rarer than its smallest entry.

    Loaded once per process (about 0.2 s for English's 321,000 words), never at import time.
    """
    from wordfreq import get_frequency_dict  # imports regex, ftfy and langcodes: only when needed

    with _lock:
        freqs = get_frequency_dict(check_language(lang))
    return {word: math.log10(freq) + 9.0 for word, freq in freqs.items()}


def zipf(word: str, lang: str) -> float:
    """Return the Zipf frequency of a lower-case `word` in `lang` (0.0 when unknown)."""
    return zipf_table(lang).get(word, 0.0) if lang in LANGUAGES else 0.0
