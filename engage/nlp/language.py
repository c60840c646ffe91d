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


# From this many words on, lingua's low-accuracy mode (trigrams only, ~4x faster) is as good:
# it is only weak on very short text.
LOW_ACCURACY_WORDS = 8


@lru_cache(maxsize=2)
def detector(low_accuracy: bool = False) -> LanguageDetector:
    """Return the process-wide lingua detector over all candidate languages (built once, ~1 s)."""
    with _lock:
        builder = LanguageDetectorBuilder.from_languages(*_LANGUAGES).with_preloaded_language_models()
        return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


@lru_cache(maxsize=2)
def _binary_detector(low_accuracy: bool = False) -> LanguageDetector:
    """Return the Danish-versus-English detector used once "other" has been ruled out."""
    with _lock:
        builder = LanguageDetectorBuilder.from_languages(
            Language.DANISH, Language.ENGLISH
        ).with_preloaded_language_models()
        return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def warm_up() -> None:
    """Build every detector now (each loads its language models once, ~1 s in all)."""
    # lingua loads a language's n-gram models when a text could be in it: plain ASCII words
    # keep every candidate language in play (letters such as ø would rule most of them out).
    samples = ("the city needs more buses", "many more trees in the parks of the city please")
    for low_accuracy in (False, True):
        for sample in samples:
            detector(low_accuracy).compute_language_confidence_values(sample)
            _binary_detector(low_accuracy).compute_language_confidence(sample, Language.DANISH)


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


# Function words that, for answers of LOW_ACCURACY_WORDS+ words, settle Danish versus English
# without lingua (most answers are plainly one or the other); words that Swedish, Norwegian,
# German or Dutch use and Danish does not send the answer to lingua instead.
_DA_MARKERS = frozenset(
    "og jeg ikke er af til det der vi meget også skal har hvor hvad fordi eller efter mange mere "
    "være bliver vores kommunen kunne ville nogle noget kun".split()
)
_EN_MARKERS = frozenset(
    "the and is are of to that it with this we they would should have has not be there more our "
    "very what which because".split()
)
_OTHER_MARKERS = frozenset(
    "och jag inte är att för und ich nicht ist das wir het een niet zijn wij ikkje eg av å hva "
    "mye noe ble".split()
)
_TOKENS = re.compile(r"[^\W\d_]+")


def _by_function_words(text: str) -> str | None:
    """Return "da" or "en" when the function words leave no doubt, else None (ask lingua)."""
    da = en = 0
    for word in _TOKENS.findall(text.lower()):
        if word in _OTHER_MARKERS:
            return None
        if word in _DA_MARKERS:
            da += 1
        elif word in _EN_MARKERS:
            en += 1
    if da >= 3 and da >= 4 * en:
        return "da"
    if en >= 3 and en >= 4 * da:
        return "en"
    return None


def _looks_other(text: str, low_accuracy: bool) -> bool:
    """Return whether a language other than Danish or English clearly wins on `text`."""
    values = detector(low_accuracy).compute_language_confidence_values(text)
    top = values[0]
    if top.language in (Language.DANISH, Language.ENGLISH):
        return False
    conf = {cv.language: cv.value for cv in values}
    # Danish is often ranked as Norwegian: only "other" when Danish and English are far behind.
    return max(conf.get(Language.DANISH, 0.0), conf.get(Language.ENGLISH, 0.0)) < 0.3 * top.value


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
    fast = n_words >= LOW_ACCURACY_WORDS
    if fast and (decided := _by_function_words(text)):
        return decided
    if not short and _looks_other(text[:OTHER_CHARS], low_accuracy=fast):
        # The fast screen can be fooled; only the full model may call an answer "other".
        if not fast or _looks_other(text[:OTHER_CHARS], low_accuracy=False):
            return "other"
    p_da = _binary_detector(fast).compute_language_confidence(text, Language.DANISH)
    if short and prior is not None:
        # A short answer stays in the survey language unless the other language clearly wins.
        p_other = 1.0 - p_da if prior == "da" else p_da
        if p_other >= (PRIOR_OVERRIDE_ONE_WORD if n_words == 1 else PRIOR_OVERRIDE):
            return "en" if prior == "da" else "da"
        return prior
    if abs(p_da - 0.5) < 0.05 and prior is not None:
        return prior
    return "da" if p_da >= 0.5 else "en"
