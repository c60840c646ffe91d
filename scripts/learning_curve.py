"""How much one consultation's reviewed answers teach the engine: top-1 on the rest of it after
0, 25 and 50 reviewed answers (`nlp train --add`), written to docs/nlp.md.

    python scripts/learning_curve.py [--source nyc-cbbr] [--rounds 5]

The consultation is one source's answers in the real-text DEV half (never the test half). Each
round shuffles it with its own seed: the first k are "reviewed" (their labels added with weight 3),
and the last 50 are scored at every step, on the batch path (with the sentence encoder). With 50
scored answers one answer is 2 points, so one round is mostly noise: the table gives each round and
the mean over rounds. Each step trains a model version into a temporary directory (not activated);
step 0 is one model trained without additions. The encoder head of every step leaves out the
source's shipped real-text dev answers (`train(realtext_without=...)`): the consultation is one the
engine has never seen, as it would be in use.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_realtext import DOCS, records  # noqa: E402

from engage.nlp.analyse import Analyser  # noqa: E402
from engage.nlp.evaluate import evaluate  # noqa: E402
from engage.nlp.train import train  # noqa: E402

STEPS = (0, 25, 50)
SCORED = 50
MARKER = "<!-- learning-curve -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="nyc-cbbr")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    consultation = [r for r in records("dev") if r["source"] == args.source]
    top1: dict[int, list[float]] = {k: [] for k in STEPS}
    coverage: dict[int, list[float]] = {k: [] for k in STEPS}
    with tempfile.TemporaryDirectory() as tmp:
        base = train(None, Path(tmp) / "models-0", weight=3.0, activate_new=False, log=lambda m: None,
                     realtext_without=[args.source])
        for r in range(args.rounds):
            order = list(consultation)
            random.Random(7 + r).shuffle(order)
            scored = order[-SCORED:]
            for k in STEPS:
                if k:
                    added = Path(tmp) / f"reviewed-{r}-{k}.jsonl"
                    added.write_text("".join(json.dumps({"id": x["id"], "text": x["text"], "lang": x["lang"],
                                                         "themes": x["themes"]}) + "\n" for x in order[:k]),
                                     encoding="utf-8")
                    result = train(None, Path(tmp) / f"models-{r}-{k}", added=[added], weight=3.0,
                                   activate_new=False, log=lambda m: None, realtext_without=[args.source])
                else:
                    result = base
                report = evaluate(scored, Analyser(result.path, result.version), refine=True)
                top1[k].append(report["top1_accuracy"])
                coverage[k].append(report["coverage"])
                print(f"round {r + 1}, {k} reviewed: top-1 {top1[k][-1]:.2f}, coverage {coverage[k][-1]:.2f}", flush=True)
    rows = [f"| {k} | {' / '.join(f'{t:.2f}' for t in top1[k])} | **{statistics.mean(top1[k]):.3f}** | "
            f"{statistics.mean(coverage[k]):.3f} |" for k in STEPS]
    table = "\n".join([f"Learning curve on `{args.source}` (real-text dev half; {args.rounds} rounds, each a different "
                       f"{SCORED} answers scored and the others reviewed in a different order; "
                       f"`python scripts/learning_curve.py --source {args.source} --rounds {args.rounds}`):", "",
                       "| reviewed answers added | top-1 per round | mean top-1 | mean coverage |",
                       "|---:|---|---:|---:|", *rows, ""])
    doc = DOCS.read_text(encoding="utf-8")
    parts = doc.split(MARKER)
    if len(parts) != 3:
        sys.exit(f"docs/nlp.md needs two {MARKER} markers")
    DOCS.write_text(parts[0] + MARKER + "\n" + table + MARKER + parts[2], encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
