"""Benchmark: per-answer analysis against the tokenizer-only ceiling, and single-answer latency.

In one run, on answers generated from the training corpus (one to four examples of one language
recombined, with typos, numbers and case changes so that most answers bring unseen words, as real
text does):

- ceiling: `nlp.make_doc` alone over a set of answers (words/s);
- full path (measured alternately with the ceiling, in 5 rounds on fresh answers; the ratio is the
  median of the rounds' ratios, which keeps a busy neighbour from skewing one side): `Analyser.analyse_many` (language detection + redaction + lemmas + lexicon + textcat +
  combiner + sentiment, nlp.pipe in batches of 256) over a different set of the same kind; its
  words/s and the ratio to the ceiling (target ≥ 0.25);
- latency: `Analyser.analyse` on single ~100-word answers, p50 and p95 (target p95 ≤ 20 ms).

The trained model is the active one in NLP_MODEL_DIR (env `ENGAGE_NLP_MODEL_DIR`, default
`instance/models`); if there is none, it is trained first (as `make install` does).

Run standalone: `.venv/bin/python -m bench.bench_pipeline [ANSWERS]`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = 20_000
#: The ceiling and the full path are measured alternately in this many rounds.
ROUNDS = 5
LATENCY_SAMPLES = 400
TARGET_RATIO = 0.25
TARGET_P95_MS = 20.0
SEED = 11


def _corpus() -> dict[str, list[str]]:
    from engage.nlp.train import default_data_paths, read_records

    texts: dict[str, list[str]] = {"da": [], "en": []}
    for rec in read_records(default_data_paths()):
        texts[rec["lang"]].append(rec["text"])
    return texts


def _noisy(word: str, rng: random.Random) -> str:
    roll = rng.random()
    if len(word) > 3 and roll < 0.08:  # swap two letters: a typo
        i = rng.randrange(len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if len(word) > 4 and roll < 0.12:  # an invented compound or inflection
        return word + rng.choice(["erne", "s", "ing", "en", "forbindelsen", "området"])
    if roll < 0.14:
        return str(rng.randrange(1, 3000))
    if roll < 0.17:
        return word.capitalize()
    return word


def answers(n: int, seed: int, min_words: int = 0) -> list[tuple[str, str]]:
    """Return n (text, survey locale) answers recombined from the corpus, with noise."""
    rng = random.Random(seed)
    corpus = _corpus()
    out = []
    for _ in range(n):
        lang = "da" if rng.random() < 0.6 else "en"
        parts = rng.sample(corpus[lang], rng.randint(1, 4))
        words = " ".join(parts).split()
        while len(words) < min_words:
            words += rng.choice(corpus[lang]).split()
        if min_words:
            words = words[:min_words]
        text = " ".join(_noisy(w, rng) for w in words)
        out.append((text, "da" if rng.random() < 0.8 else "en"))
    return out


def _model_dir() -> Path:
    return Path(os.environ.get("ENGAGE_NLP_MODEL_DIR", ROOT / "instance" / "models"))


def run(n: int = ANSWERS) -> dict:
    """Run the three measurements and return them with the targets."""
    from engage.nlp.analyse import Analyser
    from engage.nlp.pipeline import active_version
    from engage.nlp.train import train

    model_dir = _model_dir()
    if active_version(model_dir) is None:
        train(None, model_dir, if_missing=True)
    analyser = Analyser.load(model_dir)
    started = time.perf_counter()
    analyser.warm_up()
    load_seconds = time.perf_counter() - started

    # The two measurements alternate in rounds on fresh answers (so neither gets a warmer cache
    # or a quieter machine): the ratio is the median of the rounds' ratios.
    nlps = {lang: analyser.pipeline(lang) for lang in ("da", "en")}
    per_round = max(1, n // ROUNDS)
    ceiling_words = full_words = themed = 0
    ceiling_seconds = full_seconds = 0.0
    ratios = []
    for r in range(ROUNDS):
        ceiling_set = answers(per_round, SEED + 10 * r)
        full_set = answers(per_round, SEED + 10 * r + 1)
        c_words = sum(len(t.split()) for t, _ in ceiling_set)
        f_words = sum(len(t.split()) for t, _ in full_set)
        started = time.perf_counter()
        for text, locale in ceiling_set:
            nlps[locale].make_doc(text)
        c_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for analysis in analyser.analyse_many(full_set, batch_size=256):
            themed += bool(analysis.themes)
        f_seconds = time.perf_counter() - started
        ratios.append((f_words / f_seconds) / (c_words / c_seconds))
        if os.environ.get("BENCH_VERBOSE"):
            print(f"round {r}: ceiling {c_words / c_seconds:,.0f} w/s, full {f_words / f_seconds:,.0f} w/s",
                  file=sys.stderr)
        ceiling_words += c_words
        full_words += f_words
        ceiling_seconds += c_seconds
        full_seconds += f_seconds
    n = per_round * ROUNDS

    singles = answers(LATENCY_SAMPLES + 50, SEED + 2, min_words=100)
    for text, locale in singles[:50]:
        analyser.analyse(text, locale)
    latencies = []
    for text, locale in singles[50:]:
        t0 = time.perf_counter()
        analyser.analyse(text, locale)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]

    ceiling_wps = ceiling_words / ceiling_seconds
    full_wps = full_words / full_seconds
    return {
        "name": "pipeline",
        "title": "Per-answer analysis (language + redaction + themes + sentiment)",
        "command": ".venv/bin/python -m bench.bench_pipeline",
        "model_version": analyser.model_version,
        "answers": n,
        "pipeline_load_seconds": round(load_seconds, 2),
        "ceiling_words": ceiling_words,
        "ceiling_words_per_second": round(ceiling_wps),
        "full_words": full_words,
        "full_answers_per_second": round(n / full_seconds),
        "full_words_per_second": round(full_wps),
        "ratio_to_ceiling": round(statistics.median(ratios), 3),
        "ratio_rounds": [round(x, 3) for x in ratios],
        "target_ratio": TARGET_RATIO,
        "answers_with_a_theme": round(themed / n, 3),
        "latency_100_words_p50_ms": round(statistics.median(latencies), 2),
        "latency_100_words_p95_ms": round(p95, 2),
        "target_p95_ms": TARGET_P95_MS,
        "meets_targets": statistics.median(ratios) >= TARGET_RATIO and p95 <= TARGET_P95_MS,
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else ANSWERS), indent=1))
