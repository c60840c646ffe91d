"""Benchmark: learning from a consultation's own answers (engage/nlp/adapt.py) for 100,000 answers.

The answers are generated from the training corpus as in bench_pipeline and analysed on the
form-submit path first (not timed: that is bench_pipeline's subject). Then, timed:

- learning: content lemmas of every answer, the cue words per theme, and the unthemed answers they
  could fill (`adapt.candidates`) — the adaptation's own cost (target: 100,000 answers < 30 s);
- the gate, where the encoder's scores are not at hand (the analyse job over stored answers; `nlp
  classify` keeps them from the batch path and pays nothing here): the sentence encoder embeds only
  the candidates to decide which are on topic. Its rate is measured on a sample of candidates and
  the time for all of them is projected from it (the encoder's full rate is bench_encoder's subject).

Run standalone: `.venv/bin/python -m bench.bench_adapt [ANSWERS]`.
"""

from __future__ import annotations

import sys
import time

from bench.bench_pipeline import _model_dir, answers

ANSWERS = 100_000
GATE_SAMPLE = 300
TARGET_SECONDS = 30.0
SEED = 41


def run(n: int = ANSWERS) -> dict:
    """Run the measurements and return them with the target."""
    from engage.nlp import adapt, encoder
    from engage.nlp.analyse import Analyser

    analyser = Analyser.load(_model_dir())
    analyser.warm_up()
    analyses = list(analyser.analyse_many(answers(n, SEED), batch_size=256))
    vocabularies = analyser.vocabularies()
    started = time.perf_counter()
    learned, found = adapt.candidates(analyses, vocabularies)
    learn_seconds = time.perf_counter() - started
    result = {
        "title": "Learning from a consultation's own answers",
        "command": ".venv/bin/python -m bench.bench_adapt",
        "model_version": analyser.model_version,
        "answers": n,
        "answers_with_a_theme_(seeds)": sum(bool(a.themes) for a in analyses),
        "cue_words_learned": sum(len(words) for by_theme in learned.values() for words in by_theme.values()),
        "candidates_(unthemed_answers_with_a_cue)": len(found),
        "learning_seconds": round(learn_seconds, 2),
        "target_learning_seconds_for_100000": TARGET_SECONDS,
    }
    if encoder.available() and found:
        sample = [analyses[i].redacted for i in sorted(found)[:GATE_SAMPLE]]
        encoder.embed(["warm up"])
        started = time.perf_counter()
        encoder.gate_head().predict(encoder.embed(sample))
        rate = len(sample) / (time.perf_counter() - started)
        result["job_path_gate_candidates_per_second_(sample)"] = round(rate, 1)
        result["job_path_gate_seconds_for_all_candidates_(projected)"] = round(len(found) / rate, 1)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else ANSWERS), indent=1))
