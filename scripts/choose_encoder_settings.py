"""How the encoder's settings were chosen: a grid on the real-text DEV half.

    python scripts/choose_encoder_settings.py

The on-topic gate and the theme head are both cross-validated on the dev half (5 folds: fitted on
the authored corpus and four fifths of dev, scoring the fifth they did not see), so dev answers are
never scored by an encoder part that saw them. The gate weighs dev answers 5 (GATE_DEV_WEIGHT); the
head is tried with dev answers left out (0, as before stop 20) and weighted 2 to 20. A last block
holds out a whole source instead of a fifth (the head fitted on the authored corpus and the other
sources' dev answers): how far real answers of one kind help with another kind. The labelled
answers to learn from (eval/realtext/extra, never scored) join every fit with the dev answers'
weight — except a held-out source's own — and one row shows the chosen settings without them.
Prints coverage,
top-1, micro-F1 and `none` accuracy per language as the batch path decides (answers the form-submit
path is sure of keep their themes, encoder.needs_encoder). Needs eval/realtext/items.jsonl (see
eval/realtext/SOURCES.md); never reads the test half.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_realtext import extra_records, records  # noqa: E402

from engage.nlp import encoder  # noqa: E402
from engage.nlp.analyse import Analyser  # noqa: E402
from engage.nlp.train import default_data_paths, read_records, theme_slugs  # noqa: E402

FOLDS = 5
GATE_DEV_WEIGHT = 5.0
HEAD_DEV_WEIGHTS = (0.0, 2.0, 5.0, 10.0, 20.0)


def metrics(dev: list[dict], predicted: list[list[str]], members: list[int]) -> str:
    covered = top = on_topic = none_ok = none_n = tp = fp = fn = 0
    for i in members:
        gold, pred = set(dev[i]["themes"]), predicted[i]
        if gold:
            on_topic += 1
            covered += bool(pred)
            top += bool(pred) and pred[0] in gold
        else:
            none_n += 1
            none_ok += not pred
        tp += len(gold & set(pred))
        fp += len(set(pred) - gold)
        fn += len(gold - set(pred))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return (f"coverage {covered / on_topic:.2f} top-1 {top / on_topic:.2f} micro-F1 {f1:.2f} "
            f"none {none_ok / max(none_n, 1):.2f}")


def held_out(vectors: np.ndarray, golds: list[list[str]], dev_vectors: np.ndarray, dev_golds: list[list[str]],
             groups: np.ndarray, themes: list[str], weight: float, balanced: bool,
             extra: tuple[np.ndarray, list[list[str]], np.ndarray] | None = None) -> np.ndarray:
    """Return, for every dev answer, the probabilities of a head fitted on the authored corpus and
    the dev answers of the other groups (weighted `weight`; none with 0), and the extra answers
    (vectors, labels, groups) not of its group, weighted the same."""
    if not weight:  # no dev answers: one head for all groups
        return encoder.EncoderHead.fit(vectors, golds, themes, balanced=balanced).predict(dev_vectors)
    out = np.zeros((len(dev_golds), len(themes)))
    extra_vectors, extra_golds, extra_groups = extra if extra else (np.zeros((0, vectors.shape[1])), [], np.array([]))
    for group in np.unique(groups):
        seen = np.flatnonzero(groups != group)
        also = np.flatnonzero(extra_groups != group)
        head = encoder.EncoderHead.fit(
            np.vstack([vectors, dev_vectors[seen], extra_vectors[also]]),
            golds + [dev_golds[i] for i in seen] + [extra_golds[i] for i in also], themes,
            [1.0] * len(golds) + [weight] * (len(seen) + len(also)), balanced=balanced)
        out[groups == group] = head.predict(dev_vectors[groups == group])
    return out


def main() -> None:
    themes = theme_slugs()
    authored = read_records(default_data_paths())
    vectors = encoder.embed([r["text"] for r in authored])
    dev = records("dev")
    dev_vectors = encoder.embed([r["text"] for r in dev])
    dev_golds = [r["themes"] for r in dev]
    folds = np.random.RandomState(0).randint(0, FOLDS, len(dev))
    extra = extra_records()
    extra_vectors = encoder.embed([r["text"] for r in extra])
    extra_golds = [r["themes"] for r in extra]
    in_every_fold = np.full(len(extra), -1)  # no fold is an extra answer's: they join every fit

    def gate_probabilities(use_extra: bool) -> np.ndarray:
        return held_out(vectors, [["on_topic"] if r["themes"] else [] for r in authored], dev_vectors,
                        [["on_topic"] if g else [] for g in dev_golds], folds, ["on_topic"], GATE_DEV_WEIGHT,
                        balanced=False,
                        extra=(extra_vectors, [["on_topic"] if g else [] for g in extra_golds], in_every_fold)
                        if use_extra else None)[:, 0]

    on_topic = gate_probabilities(True)
    print(f"{len(dev)} dev answers scored cross-validated; {len(extra)} extra answers join every fit")
    analyser = Analyser.load(ROOT / "instance" / "models")
    base = [list(a.themes) for a in analyser.analyse_many([(r["text"], r["lang"]) for r in dev])]
    langs = {lang: [i for i, r in enumerate(dev) if r["lang"] == lang] for lang in ("da", "en")}

    def report(name: str, probabilities: np.ndarray, gate_at: float, fill_at: float,
               gate_probabilities: np.ndarray = on_topic) -> None:
        predicted = [[t.theme for t in (encoder.refine(b, probabilities[i], gate_probabilities[i], themes, gate_at,
                                                       fill_at)
                                        if encoder.needs_encoder(b) else b)] for i, b in enumerate(base)]
        print(f"{name:38}", " | ".join(f"{lang} {metrics(dev, predicted, m)}" for lang, m in langs.items()))

    print(f"{'without the encoder':38}", " | ".join(
        f"{lang} {metrics(dev, [[t.theme for t in b] for b in base], m)}" for lang, m in langs.items()))
    authored_golds = [r["themes"] for r in authored]
    if extra:
        probabilities = held_out(vectors, authored_golds, dev_vectors, dev_golds, folds, themes,
                                 encoder.REALTEXT_WEIGHT, balanced=True)
        report(f"without extra, head dev×{encoder.REALTEXT_WEIGHT:g} gate {encoder.GATE} fill {encoder.FILL}",
               probabilities, encoder.GATE, encoder.FILL, gate_probabilities(False))
    for weight in HEAD_DEV_WEIGHTS:
        probabilities = held_out(vectors, authored_golds, dev_vectors, dev_golds, folds, themes, weight, balanced=True,
                                 extra=(extra_vectors, extra_golds, in_every_fold))
        for gate_at in (0.5, 0.6, 0.7):
            for fill_at in (0.5, 0.6, 0.7):
                report(f"head dev×{weight:g} gate {gate_at} fill {fill_at}", probabilities, gate_at, fill_at)
    sources = np.array([r["source"] for r in dev])
    extra_sources = np.array([r["source"] for r in extra])
    for weight in HEAD_DEV_WEIGHTS:
        probabilities = held_out(vectors, authored_golds, dev_vectors, dev_golds, sources, themes, weight,
                                 balanced=True, extra=(extra_vectors, extra_golds, extra_sources))
        report(f"source held out, head dev×{weight:g} fill 0.5", probabilities, encoder.GATE, 0.5)


if __name__ == "__main__":
    main()
