"""Analyse free-text answers: language, redaction, themes with triggers, sentiment.

    analyser = Analyser.load(model_dir)          # None, or no active model: lexicon only
    analysis = analyser.analyse("Flere cykelstier tak", lang_hint="da")
    for analysis in analyser.analyse_many(((text, locale) for ...), batch_size=256): ...

Pipelines load lazily, once per Analyser, under a lock (safe for gunicorn threads; a spaCy
pipeline may be shared by threads for inference). Redaction runs before the pipeline sees the text,
so themes, triggers and quotes never contain the personal data that was removed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from engage.nlp.adapt import Adaptation, Vocabulary
from engage.nlp.components import _EXT_MARGIN, _EXT_SENTENCES, _EXT_SENTIMENT, _EXT_THEMES
from engage.nlp.language import detect_language
from engage.nlp.language import warm_up as warm_up_language
from engage.nlp.pipeline import (
    LEXICON_ONLY,
    active_version,
    build_pipeline,
    load_pipeline,
)
from engage.nlp.text import LANGUAGES
from engage.nlp.types import Analysis, Redaction

if TYPE_CHECKING:
    from engage.nlp.encoder import EncoderHead

logger = logging.getLogger(__name__)


def _batches(iterator: Iterator[Analysis], size: int) -> Iterator[list[Analysis]]:
    while batch := list(islice(iterator, size)):
        yield batch


def _redact(text: str, lang: str) -> Redaction:
    from engage.nlp.redact import redact  # written alongside; imported lazily

    return redact(text, lang)


class Analyser:
    """Per-answer analysis with one pipeline per language, loaded on first use."""

    def __init__(
        self,
        model_path: Path | None = None,
        version: str = LEXICON_ONLY,
        lexicon_overrides: Mapping[str, Mapping] | None = None,
    ):
        self.model_path = model_path
        self.model_version = version
        self.lexicon_overrides = {k: dict(v) for k, v in (lexicon_overrides or {}).items()}
        self._pipelines: dict[str, Language] = {}
        self._lock = threading.Lock()
        self._head = None  # the encoder head: None = not looked for yet, False = none

    @classmethod
    def load(
        cls,
        model_dir: Path | str | None = None,
        lexicon_overrides: Mapping[str, Mapping] | None = None,
    ) -> Analyser:
        """Return an Analyser for the active model in `model_dir` (lexicon-only if there is none).

        `lexicon_overrides` maps a language to {theme: fields} edited by the team; they replace
        the matching fields of the shipped or trained lexicon.
        """
        version = active_version(model_dir)
        if version is None:
            if model_dir is not None:
                logger.info("no active model in %s; analysing with the lexicon only", model_dir)
            return cls(None, LEXICON_ONLY, lexicon_overrides)
        return cls(Path(model_dir) / version, version, lexicon_overrides)

    @property
    def uses_model(self) -> bool:
        """Return True when a trained model (not only the lexicon) classifies themes."""
        return self.model_path is not None

    def pipeline(self, lang: str) -> Language:
        """Return the pipeline for "da" or "en", loading it on first use."""
        nlp = self._pipelines.get(lang)
        if nlp is not None:
            return nlp
        with self._lock:
            nlp = self._pipelines.get(lang)
            if nlp is None:
                overrides = self.lexicon_overrides.get(lang)
                if self.model_path is not None and (self.model_path / lang).is_dir():
                    nlp = load_pipeline(self.model_path / lang, overrides)
                else:
                    nlp = build_pipeline(lang, with_model=False, lexicon_overrides=overrides)
                self._pipelines[lang] = nlp
        return nlp

    def set_lexicon_overrides(self, overrides: Mapping[str, Mapping] | None) -> None:
        """Apply the team's keyword edits ({lang: {theme: fields}}) to loaded and future pipelines."""
        from engage.nlp.components import lexicon_of

        with self._lock:
            self.lexicon_overrides = {k: dict(v) for k, v in (overrides or {}).items()}
            for lang, nlp in self._pipelines.items():
                lexicon_of(nlp).reset_overrides(self.lexicon_overrides.get(lang))

    def warm_up(self) -> None:
        """Load both pipelines and the language detector now (e.g. at worker start)."""
        for lang in LANGUAGES:
            self.pipeline(lang).make_doc("x")
        warm_up_language()

    # --- analysis -----------------------------------------------------------------------------

    @staticmethod
    def _route(text: str, lang_hint: str | None) -> tuple[str, str]:
        """Return (detected language, pipeline language)."""
        lang = detect_language(text, prior=lang_hint)
        if lang in LANGUAGES:
            return lang, lang
        hint = (lang_hint or "da").lower()[:2]
        return lang, hint if hint in LANGUAGES else "da"

    @staticmethod
    def _result(lang: str, redaction: Redaction, doc: Doc, version: str) -> Analysis:
        # doc._.themes etc., read from where spaCy keeps them (no Underscore object per read)
        values = doc.user_data
        return Analysis(
            lang=lang,
            redacted=redaction.text,
            redactions=dict(redaction.counts),
            themes=tuple(values.get(_EXT_THEMES) or ()),
            sentiment=float(values.get(_EXT_SENTIMENT) or 0.0),
            sentences=tuple(values.get(_EXT_SENTENCES) or ()),
            model_version=version,
            margin=values.get(_EXT_MARGIN),
        )

    def analyse(self, text: str, lang_hint: str | None = None) -> Analysis:
        """Analyse one answer; `lang_hint` is the survey locale (a prior, not the answer)."""
        lang, pipe_lang = self._route(text, lang_hint)
        redaction = _redact(text, pipe_lang)
        if not redaction.text.strip():
            return self._empty(lang, redaction)
        doc = self.pipeline(pipe_lang)(redaction.text)
        return self._result(lang, redaction, doc, self.model_version)

    def _empty(self, lang: str, redaction: Redaction) -> Analysis:
        """Return the analysis of an answer with no words (the classifier cannot take an empty doc)."""
        return Analysis(lang=lang, redacted=redaction.text, redactions=dict(redaction.counts), themes=(),
                        sentiment=0.0, sentences=(), model_version=self.model_version)

    def encoder_ready(self) -> bool:
        """Return whether this model can refine themes with the sentence encoder (see encoder.py)."""
        from engage.nlp import encoder

        if self._head is None:
            head = encoder.EncoderHead.load(self.model_path / encoder.HEAD_FILE) if self.model_path else None
            self._head = head if head is not None and encoder.gate_head() is not None and encoder.available() else False
        return bool(self._head)

    @property
    def encoder_head(self) -> EncoderHead | None:
        """Return the model's encoder head when the encoder runs here (see `encoder_ready`)."""
        return self._head if self.encoder_ready() else None

    def analyse_many(
        self, items: Iterable[tuple[str, str | None]], batch_size: int = 256, refine: bool = False
    ) -> Iterator[Analysis]:
        """Analyse (text, lang_hint) pairs lazily, in order, batching each language through nlp.pipe.

        With `refine` (batch paths) the sentence encoder has its say on each answer's themes that it
        can change (`encoder.needs_encoder`), when the model has an encoder head and the encoder runs
        here."""
        yield from self._analyse_many_scored(items, batch_size, refine, None)

    def _analyse_many_scored(self, items: Iterable[tuple[str, str | None]], batch_size: int, refine: bool,
                             scores: list | None) -> Iterator[Analysis]:
        """As `analyse_many`; with the encoder, append each answer's (on-topic probability, theme
        probabilities) to `scores` when it is a list (None for an answer the encoder did not read:
        empty, or sure of its themes without it)."""
        if refine and self.encoder_ready():
            for batch in _batches(self._analyse_many(items, batch_size), batch_size):
                yield from self._refine(batch, scores)
            return
        yield from self._analyse_many(items, batch_size)

    def analyse_consultation(
        self, items: Iterable[tuple[str, str | None]], batch_size: int = 256, adapt: bool = True,
        groups: Sequence[Hashable] | None = None,
    ) -> tuple[list[Analysis], Adaptation | None]:
        """Analyse the answers of a consultation as the batch path does and, with `adapt` and the
        sentence encoder, fill answers with no theme from the words the consultation's own
        confident answers teach (adapt.py). `groups` (one key per answer, known once `items` is
        consumed) splits the input into several consultations that learn separately. Returns the
        analyses in order and what was learned (None when nothing could be)."""
        scores: list[tuple[float, np.ndarray]] = []
        analyses = list(self._analyse_many_scored(items, batch_size, True, scores))
        if not adapt or not self.encoder_ready():
            return analyses, None
        members: dict[Hashable, list[int]] = {}
        for i, key in enumerate(groups if groups is not None else [None] * len(analyses)):
            members.setdefault(key, []).append(i)
        cues: dict[str, dict[str, list[str]]] = {}
        filled = 0
        for indices in members.values():
            adapted, learned = self.adapt([analyses[i] for i in indices], [scores[i] for i in indices])
            for i, analysis in zip(indices, adapted, strict=True):
                analyses[i] = analysis
            filled += learned.filled
            for lang, by_theme in learned.cues.items():
                for theme, words in by_theme.items():
                    merged = cues.setdefault(lang, {}).setdefault(theme, [])
                    merged.extend(w for w in words if w not in merged)
        return analyses, Adaptation(cues, filled)

    def adapt(self, analyses: Sequence[Analysis], scores: Sequence[tuple[float, np.ndarray]] | None = None
              ) -> tuple[list[Analysis], Adaptation]:
        """Return one consultation's `analyses` with the gaps its own words fill (see adapt.py);
        needs the encoder (`encoder_ready()`): its gate decides which answers are on topic. `scores`
        are the encoder's (on-topic, theme probabilities) per answer where the caller has them;
        the other candidates are embedded here."""
        from engage.nlp import adapt, encoder

        cues, found = adapt.candidates(analyses, self.vocabularies())
        out = list(analyses)
        order = sorted(found)
        scored = {i: scores[i] for i in order if scores is not None and scores[i] is not None}
        unread = [i for i in order if i not in scored]
        if unread:
            scored.update(zip(unread, self._encoder_scores([analyses[i].redacted for i in unread]), strict=True))
        themes = self._head.themes
        for i in order:
            on_topic_i, probabilities_i = scored[i]
            if on_topic_i >= encoder.GATE:
                out[i] = adapt.fill(analyses[i], found[i], dict(zip(themes, probabilities_i.tolist(), strict=True)))
        filled = sum(a is not b for a, b in zip(out, analyses, strict=True))
        return out, adapt.Adaptation(cues, filled)

    def vocabularies(self) -> dict[str, Vocabulary]:
        """Return what the engine knows in each language (lexicon words, stop words): the words a
        consultation cannot teach it (adapt.py)."""
        from engage.nlp.adapt import known_words
        from engage.nlp.components import lexicon_of

        vocabularies = {}
        for lang in LANGUAGES:
            nlp = self.pipeline(lang)
            known = known_words(lexicon_of(nlp).lexicon.to_dict())
            vocabularies[lang] = Vocabulary(lang, frozenset(known), frozenset(nlp.Defaults.stop_words))
        return vocabularies

    def _encoder_scores(self, texts: Sequence[str]) -> list[tuple[float, np.ndarray]]:
        """Return (on-topic probability, theme probabilities) per text from the encoder."""
        from engage.nlp import encoder

        vectors = encoder.embed(texts)
        on_topic = encoder.gate_head().predict(vectors)[:, 0]
        return list(zip(on_topic.tolist(), self._head.predict(vectors), strict=True))

    def _refine(self, analyses: list[Analysis], scores: list | None = None) -> list[Analysis]:
        from dataclasses import replace

        from engage.nlp import encoder

        themes = self._head.themes
        need = [i for i, a in enumerate(analyses) if a.redacted.strip() and encoder.needs_encoder(a.themes)]
        scored = dict(zip(need, self._encoder_scores([analyses[i].redacted for i in need]), strict=True))
        if scores is not None:
            scores.extend(scored.get(i) for i in range(len(analyses)))
        return [replace(a, themes=encoder.refine(a.themes, scored[i][1], scored[i][0], themes)) if i in scored else a
                for i, a in enumerate(analyses)]

    def _analyse_many(self, items: Iterable[tuple[str, str | None]], batch_size: int) -> Iterator[Analysis]:
        iterator = iter(items)
        while True:
            batch = list(islice(iterator, batch_size))
            if not batch:
                return
            routed = []
            by_lang: dict[str, list[int]] = {}
            for i, (text, hint) in enumerate(batch):
                lang, pipe_lang = self._route(text, hint)
                redaction = _redact(text, pipe_lang)
                routed.append((lang, redaction))
                if redaction.text.strip():
                    by_lang.setdefault(pipe_lang, []).append(i)
            docs: list[Doc | None] = [None] * len(batch)
            for pipe_lang, indices in by_lang.items():
                texts = (routed[i][1].text for i in indices)
                nlp = self.pipeline(pipe_lang)
                for i, doc in zip(indices, nlp.pipe(texts, batch_size=batch_size), strict=True):
                    docs[i] = doc
            for (lang, redaction), doc in zip(routed, docs, strict=True):
                if doc is None:
                    yield self._empty(lang, redaction)
                else:
                    yield self._result(lang, redaction, doc, self.model_version)
