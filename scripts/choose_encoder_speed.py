"""How much of each answer the encoder reads, and which answers: speed against the real-text DEV half.

    python scripts/choose_encoder_speed.py

The encoder is the batch path's slowest stage by far (docs/benchmarks.md): its cost grows with the
tokens it reads, and it reads the answers the form-submit path is not sure of
(`encoder.needs_encoder`, below CONFIDENT). For each cut (the characters read, MAX_CHARS) the head
and the gate are fitted again on vectors of that cut and cross-validated on the dev half exactly as
`choose_encoder_settings.py` does (the authored corpus plus four fifths of dev and all labelled extra
answers; the fifth not seen is scored). For each cut and each CONFIDENT it prints the dev figures
per language and for both languages pooled (a Danish answer moves the
Danish figures three points: the pooled ones rest on the whole half), the share of dev answers and of the benchmark's answers given to the encoder, the
encoder's measured rate on the benchmark's answers at that cut, and what that projects for 100,000
benchmark answers (the rest of the batch path measured once in the same run). The projection only
ranks the settings; `python -m bench.bench_encoder` measures the chosen one. Never reads the test half.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from choose_encoder_settings import FOLDS, GATE_DEV_WEIGHT, held_out, metrics  # noqa: E402
from eval_realtext import extra_records, records  # noqa: E402

from bench.bench_pipeline import answers  # noqa: E402
from engage.nlp import encoder  # noqa: E402
from engage.nlp.analyse import Analyser  # noqa: E402
from engage.nlp.train import default_data_paths, read_records, theme_slugs  # noqa: E402

CUTS = (600, 400, 300, 200, 150)
CONFIDENCES = (0.9, 0.8, 0.7, 0.6, 0.5)
BENCH_ANSWERS = 1_500
SEED = 23


def main() -> None:
    themes = theme_slugs()
    authored = read_records(default_data_paths())
    dev = records("dev")
    extra = extra_records()
    folds = np.random.RandomState(0).randint(0, FOLDS, len(dev))
    in_every_fold = np.full(len(extra), -1)
    analyser = Analyser.load(ROOT / "instance" / "models")
    analyser.warm_up()
    base = [list(a.themes) for a in analyser.analyse_many([(r["text"], r["lang"]) for r in dev])]
    langs = {lang: [i for i, r in enumerate(dev) if r["lang"] == lang] for lang in ("da", "en")}
    langs["both"] = list(range(len(dev)))
    bench = answers(BENCH_ANSWERS, SEED)
    started = time.perf_counter()
    bench_base = list(analyser.analyse_many(bench, batch_size=256))
    rest_seconds = (time.perf_counter() - started) / len(bench)
    bench_top = np.array([max((t.score for t in a.themes), default=0.0) for a in bench_base])
    dev_top = np.array([max((t.score for t in b), default=0.0) for b in base])
    print(f"{len(dev)} dev answers scored cross-validated; {len(extra)} extra answers join every fit; "
          f"{len(bench)} benchmark answers, batch path without the encoder {1000 * rest_seconds:.2f} ms each")
    print(f"{'without the encoder':44}", " | ".join(
        f"{lang} {metrics(dev, [[t.theme for t in b] for b in base], m)}" for lang, m in langs.items()))
    for cut in CUTS:
        encoder.MAX_CHARS = cut
        vectors = encoder.embed([r["text"] for r in authored])
        dev_vectors = encoder.embed([r["text"] for r in dev])
        extra_vectors = encoder.embed([r["text"] for r in extra])
        extra_golds = [r["themes"] for r in extra]
        to_encode = [t for (t, _), top in zip(bench, bench_top, strict=True) if top < max(CONFIDENCES)]
        started = time.perf_counter()
        encoder.embed(to_encode)
        per_answer = (time.perf_counter() - started) / len(to_encode)
        dev_golds = [r["themes"] for r in dev]
        on_topic = held_out(vectors, [["on_topic"] if r["themes"] else [] for r in authored], dev_vectors,
                            [["on_topic"] if g else [] for g in dev_golds], folds, ["on_topic"], GATE_DEV_WEIGHT,
                            balanced=False,
                            extra=(extra_vectors, [["on_topic"] if g else [] for g in extra_golds],
                                   in_every_fold))[:, 0]
        probabilities = held_out(vectors, [r["themes"] for r in authored], dev_vectors, dev_golds, folds, themes,
                                 encoder.REALTEXT_WEIGHT, balanced=True,
                                 extra=(extra_vectors, extra_golds, in_every_fold))
        for confident in CONFIDENCES:
            predicted = [[t.theme for t in (encoder.refine(b, probabilities[i], on_topic[i], themes)
                                            if not b or dev_top[i] < confident else b)] for i, b in enumerate(base)]
            share = float(np.mean(bench_top < confident))
            minutes = 100_000 * (rest_seconds + share * per_answer) / 60
            print(f"cut {cut:4} confident {confident}: encoder reads dev {np.mean(dev_top < confident):.2f} "
                  f"bench {share:.2f} at {1 / per_answer:5.1f}/s → 100k {minutes:5.1f} min")
            print(f"{'':44}", " | ".join(f"{lang} {metrics(dev, predicted, m)}" for lang, m in langs.items()))


if __name__ == "__main__":
    main()
