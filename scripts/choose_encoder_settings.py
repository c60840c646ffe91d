"""How the encoder's two settings (gate, fill) were chosen: a grid on the real-text DEV half.

    python scripts/choose_encoder_settings.py

The theme head is fitted on the authored corpus; the on-topic gate is cross-validated on the dev
half (5 folds: trained on the authored corpus and four fifths of dev, weight 5, scoring the fifth it
did not see), so dev answers are never scored by a gate that saw them. Prints coverage, top-1,
micro-F1 and `none` accuracy per language for the engine without the encoder and for each setting.
Needs eval/realtext/items.jsonl (see eval/realtext/SOURCES.md); never reads the test half.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_realtext import records  # noqa: E402

from engage.nlp import encoder  # noqa: E402
from engage.nlp.analyse import Analyser  # noqa: E402
from engage.nlp.train import default_data_paths, read_records, theme_slugs  # noqa: E402

FOLDS = 5
DEV_WEIGHT = 5.0


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


def main() -> None:
    themes = theme_slugs()
    authored = read_records(default_data_paths())
    vectors = encoder.embed([r["text"] for r in authored])
    head = encoder.EncoderHead.fit(vectors, [r["themes"] for r in authored], themes)
    dev = records("dev")
    dev_vectors = encoder.embed([r["text"] for r in dev])
    probabilities = head.predict(dev_vectors)
    on_topic = np.zeros(len(dev))
    folds = np.random.RandomState(0).randint(0, FOLDS, len(dev))
    for k in range(FOLDS):
        seen = folds != k
        gate = encoder.EncoderHead.fit(
            np.vstack([vectors, dev_vectors[seen]]),
            [["on_topic"] if r["themes"] else [] for r in authored] + [["on_topic"] if dev[i]["themes"] else []
                                                                       for i in np.flatnonzero(seen)],
            ["on_topic"], [1.0] * len(authored) + [DEV_WEIGHT] * int(seen.sum()), balanced=False)
        on_topic[~seen] = gate.predict(dev_vectors[~seen])[:, 0]
    analyser = Analyser.load(ROOT / "instance" / "models")
    base = [list(a.themes) for a in analyser.analyse_many([(r["text"], r["lang"]) for r in dev])]
    langs = {lang: [i for i, r in enumerate(dev) if r["lang"] == lang] for lang in ("da", "en")}

    def report(name: str, predicted: list[list[str]]) -> None:
        print(f"{name:22}", " | ".join(f"{lang} {metrics(dev, predicted, m)}" for lang, m in langs.items()))

    report("without the encoder", [[t.theme for t in b] for b in base])
    for gate_at in (0.4, 0.5, 0.6, 0.7):
        for fill_at in (0.5, 0.6, 0.7):
            refined = [[t.theme for t in encoder.refine(b, probabilities[i], on_topic[i], themes, gate_at, fill_at)]
                       for i, b in enumerate(base)]
            report(f"gate {gate_at} fill {fill_at}", refined)


if __name__ == "__main__":
    main()
