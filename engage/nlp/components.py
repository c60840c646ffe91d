"""spaCy components of Engage's pipelines, registered with `@Language.factory`.

Importing this module registers:

- `engage_lemmas`: sets `token.lemma_` from the lower-case `spacy-lookups-data` table (the
  built-in lookup lemmatiser misses capitalised forms: `Kommunen` -> `Kommunen`);
- `engage_lexicon`: theme evidence from the editable lexicon (`engage.nlp.lexicon`), on
  `doc._.lexicon` (theme -> weight, strong?, triggers); stateful (`lexicon.json`);
- `engage_combiner`: merges lexicon evidence and `textcat_multilabel` probabilities into calibrated
  scores (`doc._.theme_scores`) and the confident, ranked themes (`doc._.themes`, ThemeScore with
  triggers); stateful (`combiner.json`: per-theme coefficients and thresholds);
- `engage_sentiment`: `doc._.sentiment` and `doc._.sentence_sentiments` from AFINN;
- the architecture `engage.TextCatLemmaBOW.v1`: spaCy's bag-of-words text classifier over lemma
  n-grams instead of exact spellings, so `cyklerne` and `cykler` share evidence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, cast

import numpy
from spacy.attrs import IDX, IS_PUNCT, LEMMA, ORTH
from spacy.language import Language
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    Logistic,
    Model,
    SparseLinear_v2,
    chain,
    resizable,
    softmax_activation,
    with_cpu,
)
from thinc.layers.resizable import resize_linear_weighted
from thinc.types import Floats2d

from engage.nlp.lexicon import Lexicon, merge_spec, shipped_spec
from engage.nlp.sentiment import normalise, sentiment_lexicon
from engage.nlp.text import lemma_table
from engage.nlp.types import SentenceSentiment, ThemeScore

for _name, _default in (
    ("lexicon", None),
    ("theme_scores", None),
    ("themes", None),
    ("sentiment", 0.0),
    ("sentence_sentiments", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

TEXTCAT = "textcat_multilabel"
# Where spaCy keeps a Doc's extension values (Underscore._get_key): the components write and
# read them directly, which spares creating an Underscore object per access; doc._.<name>
# reads and writes the same entries.
_EXT_LEXICON = ("._.", "lexicon", None, None)
_EXT_THEME_SCORES = ("._.", "theme_scores", None, None)
_EXT_THEMES = ("._.", "themes", None, None)
_EXT_SENTIMENT = ("._.", "sentiment", None, None)
_EXT_SENTENCES = ("._.", "sentence_sentiments", None, None)
_EXT_MARGIN = ("._.", "theme_margin", None, None)
WORDS_KEY = "engage_words"
# The model "contributed" to a theme (ThemeScore.source == "model") when its own probability
# for the theme reached this level; otherwise the lexicon carried the decision ("rule").
MODEL_SOURCE_MIN = 0.3
# The model's log-odds are floored here before they are combined, so that a model trained on
# authored text cannot veto strong lexicon evidence in wording it has never seen (None: no floor).
MODEL_LOGIT_MIN: float | None = None


# --- textcat architecture --------------------------------------------------------------------


@registry.architectures("engage.TextCatLemmaBOW.v1")
def build_lemma_bow_text_classifier(
    exclusive_classes: bool,
    ngram_size: int,
    no_output_layer: bool,
    length: int = 262144,
    nO: int | None = None,
) -> Model[list[Doc], Floats2d]:
    """Build spaCy's sparse bag-of-n-grams classifier (as TextCatBOW.v3) over token lemmas."""
    from spacy.ml.models.textcat import NEG_VALUE, resize_and_set_ref

    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": 0, "W": 0}
    with Model.define_operators({">>": chain}):
        output_layer = None
        if not no_output_layer:
            fill_defaults["b"] = NEG_VALUE
            output_layer = softmax_activation() if exclusive_classes else Logistic()
        resizable_layer = resizable(
            sparse_linear,
            resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults),
        )
        model = extract_ngrams(ngram_size, attr=LEMMA) >> resizable_layer
        model = with_cpu(model, model.ops)
        if output_layer:
            model = model >> with_cpu(output_layer, output_layer.ops)
    if nO is not None:
        model.set_dim("nO", cast(int, nO))
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


# --- lemmas --------------------------------------------------------------------------------


class LemmaComponent:
    """Set each token's lemma from the lower-case lookup table (cached per spelling)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.lang = nlp.lang
        self._cache: dict[int, tuple[str, str, int]] = {}

    def __call__(self, doc: Doc) -> Doc:
        table = lemma_table(self.lang)
        cache = self._cache
        strings = doc.vocab.strings
        words, lemmas, hashes = [], [], []
        # Work on ORTH hashes and write all lemmas with one from_array call: creating a Token
        # object per word costs more than the look-up itself.
        for orth in doc.to_array(ORTH).tolist():
            found = cache.get(orth)
            if found is None:
                low = strings[orth].lower()
                lemma = table.get(low) or low
                found = (low, lemma, strings.add(lemma))
                if len(cache) > 500_000:
                    cache.clear()
                cache[orth] = found
            words.append(found[0])
            lemmas.append(found[1])
            hashes.append(found[2])
        if hashes:
            doc.from_array([LEMMA], numpy.asarray(hashes, dtype="uint64").reshape(-1, 1))
        # later components read these lists instead of iterating the tokens again
        doc.user_data[WORDS_KEY] = (words, lemmas)
        return doc


@Language.factory(
    "engage_lemmas", assigns=["token.lemma"], default_config={}, retokenizes=False
)
def make_lemmas(nlp: Language, name: str) -> LemmaComponent:
    """Create the lower-case lookup lemmatiser."""
    return LemmaComponent(nlp, name)


# --- lexicon -------------------------------------------------------------------------------


def words_and_lemmas(doc: Doc) -> tuple[list[str], list[str]]:
    """Return the lower-case words and lemmas of `doc` (cached by the lemma component)."""
    cached = doc.user_data.get(WORDS_KEY)
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    return [t.lower_ for t in doc], [t.lemma_ or t.lower_ for t in doc]


class LexiconComponent:
    """Find theme evidence from the editable keyword lexicon; state: the lexicon mapping."""

    def __init__(self, nlp: Language, name: str, overrides: Mapping | None = None):
        self.name = name
        self.lang = nlp.lang
        self.base_spec = shipped_spec(self.lang)
        self.lexicon = Lexicon(self.lang, merge_spec(self.base_spec, overrides))

    def reset_overrides(self, overrides: Mapping | None) -> None:
        """Rebuild the lexicon as the shipped or trained one with `overrides` (theme -> fields) over it.

        Unlike `set_lexicon`, earlier overrides do not linger: a theme whose edit was undone gets
        its default cues back.
        """
        self.lexicon = Lexicon(self.lang, merge_spec(self.base_spec, overrides))

    def set_lexicon(self, spec: Mapping, merge: bool = True) -> None:
        """Replace the lexicon; with `merge`, `spec` (theme -> fields) overrides the current one."""
        base = self.lexicon.to_dict() if merge else {}
        self.lexicon = Lexicon(self.lang, merge_spec(base, spec) if merge else dict(spec))

    def __call__(self, doc: Doc) -> Doc:
        words, lemmas = words_and_lemmas(doc)
        if "[" in words:
            # redaction placeholders ([EMAIL], [TELEFON] ...) are not words of the answer
            words, lemmas = list(words), list(lemmas)
            for i in [i for i, w in enumerate(words) if w == "["]:
                if 0 < i + 1 < len(words) - 1 and words[i + 2] == "]" and doc[i + 1].is_upper:
                    words[i + 1] = lemmas[i + 1] = ""
        doc.user_data[_EXT_LEXICON] = self.lexicon.evidence(words, lemmas)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the lexicon mapping to `path/lexicon.json`."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "lexicon.json").write_text(
            json.dumps(self.lexicon.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LexiconComponent:
        """Read the lexicon mapping from `path/lexicon.json`."""
        spec = json.loads((Path(path) / "lexicon.json").read_text(encoding="utf-8"))
        self.base_spec = spec
        self.lexicon = Lexicon(self.lang, spec)
        return self


@Language.factory(
    "engage_lexicon",
    requires=["token.lemma"],
    assigns=["doc._.lexicon"],
    default_config={"overrides": None},
)
def make_lexicon(nlp: Language, name: str, overrides: dict | None) -> LexiconComponent:
    """Create the theme lexicon matcher (shipped lexicon, optionally with overrides)."""
    return LexiconComponent(nlp, name, overrides)


# --- combiner ------------------------------------------------------------------------------

# Lexicon-only defaults: one strong keyword or stem gives ~0.65, one weak word ~0.26, three weak
# words ~0.45; the default threshold 0.5 therefore needs one strong word or four weak ones.
DEFAULT_PARAMS = {"bias": -1.6, "model": 0.0, "lex": 2.2, "strong": 0.8, "threshold": 0.5}


def features(p_model: float | None, lex: tuple[float, bool, tuple[str, ...]] | None) -> list[float]:
    """Return the combiner's features for one theme: model logit, log1p(lexicon weight), strong."""
    if p_model is None:
        m = 0.0
    else:
        p = min(max(p_model, 1e-4), 1 - 1e-4)
        m = math.log(p / (1 - p))
        if MODEL_LOGIT_MIN is not None:
            m = max(m, MODEL_LOGIT_MIN)
    weight, strong = (lex[0], lex[1]) if lex else (0.0, False)
    return [m, math.log1p(weight), 1.0 if strong else 0.0]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


class CombinerComponent:
    """Merge lexicon and model evidence into calibrated theme scores and the confident themes.

    score(theme) = sigmoid(bias + model·logit(p_model) + lex·log1p(lexicon weight) + strong·[a
    strong trigger]), with per-theme coefficients fitted by logistic regression on out-of-fold
    predictions, and a per-theme threshold chosen on the same held-out predictions. Themes at or
    above their threshold are returned, highest first; none when nothing is confident.
    """

    def __init__(
        self, nlp: Language, name: str, themes: list[str] | None = None,
        lexicon_floor: float | None = None,
    ):
        self.name = name
        self.nlp = nlp
        self.cfg: dict[str, Any] = {
            "themes": list(themes or []),
            "params": {},
            "uses_model": False,
            "lexicon_floor": lexicon_floor,
        }

    @property
    def themes(self) -> list[str]:
        """Return the themes to score: those calibrated, then any the lexicon adds (a theme the
        team created, scored with the lexicon defaults until the next training)."""
        lexicon = self._lexicon()
        current = lexicon.lexicon if lexicon else None
        cached = getattr(self, "_themes_cache", None)
        if cached is not None and cached[0] is current and cached[1] is self.cfg["themes"]:
            return cached[2]
        known = list(current.themes) if current is not None else []
        calibrated = self.cfg["themes"]
        themes = [*calibrated, *(t for t in known if t not in set(calibrated))] if calibrated else known
        self._themes_cache = (current, calibrated, themes)
        return themes

    def _lexicon(self) -> LexiconComponent | None:
        for _, comp in self.nlp.pipeline:
            if isinstance(comp, LexiconComponent):
                return comp
        return None

    def params(self, theme: str) -> dict[str, float]:
        """Return the coefficients and threshold used for `theme`."""
        return self.cfg["params"].get(theme, DEFAULT_PARAMS)

    def set_params(self, params: Mapping[str, Mapping[str, float]], uses_model: bool) -> None:
        """Install fitted coefficients and thresholds (theme -> params)."""
        self.cfg["params"] = {t: dict(p) for t, p in params.items()}
        self.cfg["uses_model"] = uses_model
        self.cfg["themes"] = sorted(set(self.cfg["themes"]) | set(params))

    def _active(self, theme: str, use_model: bool) -> dict[str, float]:
        # A model-calibrated combiner falls back to the lexicon defaults when no model ran.
        if self.cfg["uses_model"] and not use_model:
            return DEFAULT_PARAMS
        return self.params(theme)

    def score(self, doc: Doc) -> dict[str, float]:
        """Return the calibrated score of every theme for `doc`."""
        use_model = self.cfg["uses_model"] and bool(doc.cats)
        return self._score(doc, doc.user_data.get(_EXT_LEXICON) or {}, use_model)[0]

    def _score(
        self, doc: Doc, lex: Mapping, use_model: bool
    ) -> tuple[dict[str, float], list[dict[str, float]]]:
        out = {}
        active = []
        cats = doc.cats
        for theme in self.themes:
            p = self._active(theme, use_model)
            active.append(p)
            m, lw, strong = features(cats.get(theme) if use_model else None, lex.get(theme))
            z = p["bias"] + p["model"] * m + p["lex"] * lw + p["strong"] * strong
            out[theme] = _sigmoid(z)
        return out, active

    def __call__(self, doc: Doc) -> Doc:
        user_data = doc.user_data
        lex = user_data.get(_EXT_LEXICON) or {}
        use_model = self.cfg["uses_model"] and bool(doc.cats)
        scores, active = self._score(doc, lex, use_model)
        user_data[_EXT_THEME_SCORES] = scores
        chosen = []
        floor = self.cfg.get("lexicon_floor")
        for (theme, score), params in zip(scores.items(), active, strict=True):
            threshold = params["threshold"]
            if floor is not None and score < threshold and theme in lex:
                weight, strong, _ = lex[theme]
                if strong and weight >= floor:
                    # Strong lexicon evidence is kept even when the model disagrees: the model
                    # learnt from authored text and is the weaker judge of unfamiliar wording.
                    score = threshold
            if score >= threshold:
                p_model = doc.cats.get(theme, 0.0) if use_model else 0.0
                source = "model" if use_model and p_model >= MODEL_SOURCE_MIN else "rule"
                triggers = lex[theme][2] if theme in lex else ()
                chosen.append(ThemeScore(theme, round(score, 4), source, tuple(triggers)))
        chosen.sort(key=lambda ts: -ts.score)
        user_data[_EXT_THEMES] = chosen
        user_data[_EXT_MARGIN] = (
            min(abs(s - p["threshold"]) for s, p in zip(scores.values(), active, strict=True)) if scores else None
        )
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write coefficients and thresholds to `path/combiner.json`."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "combiner.json").write_text(json.dumps(self.cfg, indent=1), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CombinerComponent:
        """Read coefficients and thresholds from `path/combiner.json`."""
        self.cfg = json.loads((Path(path) / "combiner.json").read_text(encoding="utf-8"))
        return self


@Language.factory(
    "engage_combiner",
    requires=["doc._.lexicon"],
    assigns=["doc._.theme_scores", "doc._.themes"],
    default_config={"themes": None, "lexicon_floor": None},
)
def make_combiner(
    nlp: Language, name: str, themes: list[str] | None, lexicon_floor: float | None
) -> CombinerComponent:
    """Create the evidence combiner (lexicon-only defaults until `set_params` or `from_disk`)."""
    return CombinerComponent(nlp, name, themes, lexicon_floor)


# --- sentiment -----------------------------------------------------------------------------


SENTENCE_END = frozenset(".!?…")


def sentence_bounds(
    words: list[str], candidates: Iterable[int] | None = None
) -> list[tuple[int, int]]:
    """Return (start, end) token ranges of the sentences: a sentence ends after a run of . ! ? …

    Cheaper than spaCy's sentencizer (no Token objects) and all the sentiment needs.
    `candidates`, if given, are the positions that may end a sentence, ascending (e.g. the
    punctuation tokens); the others are not looked at.
    """
    bounds, start, n = [], 0, len(words)
    for i in range(n) if candidates is None else candidates:
        word = words[i]
        if word[:1] in SENTENCE_END and SENTENCE_END.issuperset(word) and (
            i + 1 == n or not SENTENCE_END.issuperset(words[i + 1])
        ):
            bounds.append((start, i + 1))
            start = i + 1
    if start < n:
        bounds.append((start, n))
    return bounds


class SentimentComponent:
    """Score each sentence and the whole answer with the AFINN lexicon of the pipeline's language."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.lexicon = sentiment_lexicon(nlp.lang)

    def __call__(self, doc: Doc) -> Doc:
        words, lemmas = words_and_lemmas(doc)
        lexicon = self.lexicon
        keys, lemma_keys = lexicon.keys, lexicon.word_keys
        total = 0.0
        sentences = []
        array = doc.to_array([IDX, IS_PUNCT])
        starts = array[:, 0].tolist()
        # Only punctuation tokens can end a sentence (. ! ? … are all Unicode punctuation).
        punct = numpy.flatnonzero(array[:, 1]).tolist()
        # Most sentences hold no word of the sentiment lexicon: a test in C scores them 0.
        scored = not (keys.isdisjoint(words) and lemma_keys.isdisjoint(lemmas))
        for start, end in sentence_bounds(words, punct):
            if scored and not (
                keys.isdisjoint(words[start:end]) and lemma_keys.isdisjoint(lemmas[start:end])
            ):
                raw = lexicon.score_tokens(words[start:end], lemmas[start:end])
            else:
                raw = 0.0
            total += raw
            last = end - 1
            sentences.append(
                SentenceSentiment(starts[start], starts[last] + len(words[last]), round(normalise(raw), 4))
            )
        user_data = doc.user_data
        user_data[_EXT_SENTIMENT] = round(normalise(total), 4)
        user_data[_EXT_SENTENCES] = sentences
        return doc


@Language.factory(
    "engage_sentiment",
    requires=["token.lemma"],
    assigns=["doc._.sentiment", "doc._.sentence_sentiments"],
    default_config={},
)
def make_sentiment(nlp: Language, name: str) -> SentimentComponent:
    """Create the AFINN sentiment scorer for the pipeline's language."""
    return SentimentComponent(nlp, name)


def lexicon_of(nlp: Language) -> LexiconComponent:
    """Return the pipeline's lexicon component."""
    return cast(LexiconComponent, nlp.get_pipe("engage_lexicon"))


def combiner_of(nlp: Language) -> CombinerComponent:
    """Return the pipeline's combiner component."""
    return cast(CombinerComponent, nlp.get_pipe("engage_combiner"))

