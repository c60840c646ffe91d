"""Language detection for one answer: "da", "en" or "other".

lingua is restricted to Danish, English and the languages they are most often confused with
(Swedish, Norwegian Bokmål and Nynorsk, German, Dutch). Restricting it keeps it fast (~60 µs per
text) and accurate on three-word answers. Danish and Norwegian are close enough that lingua often
ranks Bokmål first on short Danish text ("bedre busser"), so a Nordic winner only becomes "other"
when Danish is clearly behind on a text long enough to tell. The survey locale (`prior`) decides
only when the text is too short or too ambiguous to decide on its own.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_LANGUAGES = (
    Language.DANISH,
    Language.ENGLISH,
    Language.SWEDISH,
    Language.BOKMAL,
    Language.NYNORSK,
    Language.GERMAN,
    Language.DUTCH,
)
_lock = threading.Lock()

# Below this many words a text is "short": the prior breaks near-ties.
SHORT_WORDS = 4
# How sure the detector must be before a short answer is not in the survey language.
PRIOR_OVERRIDE = 0.7
PRIOR_OVERRIDE_ONE_WORD = 0.9
# Longer answers are judged on their beginning: lingua's cost grows with the text.
MAX_CHARS = 200
# Ruling out a third language needs even less text.
OTHER_CHARS = 120


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """Return the process-wide lingua detector over all candidate languages (built once, ~1 s)."""
    with _lock:
        return (
            LanguageDetectorBuilder.from_languages(*_LANGUAGES)
            .with_preloaded_language_models()
            .build()
        )


@lru_cache(maxsize=1)
def _binary_detector() -> LanguageDetector:
    """Return the Danish-versus-English detector used once "other" has been ruled out."""
    with _lock:
        return (
            LanguageDetectorBuilder.from_languages(Language.DANISH, Language.ENGLISH)
            .with_preloaded_language_models()
            .build()
        )


def _normalise_prior(prior: str | None) -> str | None:
    if prior is None:
        return None
    prior = prior.lower()[:2]
    return prior if prior in ("da", "en") else None


_WORD = re.compile(r"\S+")
_SENTENCE_END = (".", "!", "?", ":")


def _without_names(text: str) -> str:
    """Drop capitalised words that do not start a sentence (place and product names such as
    Rejsekort or Brønshøj tip English answers towards Danish), if enough other words remain."""
    words = _WORD.findall(text)
    kept = [
        w
        for i, w in enumerate(words)
        if i == 0 or not w[:1].isupper() or words[i - 1].endswith(_SENTENCE_END) or w.isupper()
    ]
    return " ".join(kept) if len(kept) >= SHORT_WORDS - 1 and len(kept) < len(words) else text


def detect_language(text: str, prior: str | None = None) -> str:
    """Return "da", "en" or "other" for `text`; `prior` (the survey locale) decides unclear cases.

    Text without letters returns the prior, or "other" when there is none.
    """
    prior = _normalise_prior(prior)
    if not any(ch.isalpha() for ch in text):
        return prior or "other"
    n_words = len(text.split())
    short = n_words < SHORT_WORDS
    text = _without_names(text[:MAX_CHARS])
    if not short:
        values = detector().compute_language_confidence_values(text[:OTHER_CHARS])
        top = values[0]
        if top.language not in (Language.DANISH, Language.ENGLISH):
            conf = {cv.language: cv.value for cv in values}
            da, en = conf.get(Language.DANISH, 0.0), conf.get(Language.ENGLISH, 0.0)
            # Danish is often ranked as Norwegian: only "other" when Danish and English are far behind.
            if max(da, en) < 0.3 * top.value:
                return "other"
    p_da = _binary_detector().compute_language_confidence(text, Language.DANISH)
    if short and prior is not None:
        # A short answer stays in the survey language unless the other language clearly wins.
        p_other = 1.0 - p_da if prior == "da" else p_da
        if p_other >= (PRIOR_OVERRIDE_ONE_WORD if n_words == 1 else PRIOR_OVERRIDE):
            return "en" if prior == "da" else "da"
        return prior
    if abs(p_da - 0.5) < 0.05 and prior is not None:
        return prior
    return "da" if p_da >= 0.5 else "en"
