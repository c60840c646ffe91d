"""How much one consultation's reviewed answers teach the engine: top-1 on the rest of it after
0, 25 and 50 reviewed answers (`nlp train --add`), written to docs/nlp.md.

    python scripts/learning_curve.py [--source nyc-cbbr]

The consultation is one source's answers in the real-text DEV half (never the test half), in a
fixed shuffled order: the first k are "reviewed" (their labels added with weight 3), and the same
last 50 are scored every time, on the batch path (with the sentence encoder). Each step trains a
model version into a temporary directory (not activated).
"""

from __future__ import annotations

import argparse
import json
import random
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
    args = parser.parse_args()
    consultation = [r for r in records("dev") if r["source"] == args.source]
    random.Random(7).shuffle(consultation)
    scored = consultation[-SCORED:]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in STEPS:
            reviewed = consultation[:k]
            added = Path(tmp) / f"reviewed-{k}.jsonl"
            added.write_text("".join(json.dumps({"id": r["id"], "text": r["text"], "lang": r["lang"],
                                                 "themes": r["themes"]}) + "\n" for r in reviewed), encoding="utf-8")
            out = Path(tmp) / f"models-{k}"
            result = train(None, out, added=[added] if k else [], weight=3.0, activate_new=False, log=lambda m: None)
            analyser = Analyser(result.path, result.version)
            report = evaluate(scored, analyser, refine=True)
            rows.append((k, report["top1_accuracy"], report["coverage"], report["micro"]["f1"]))
            print(f"{k} reviewed: top-1 {report['top1_accuracy']:.2f}, coverage {report['coverage']:.2f}", flush=True)
    table = "\n".join([f"Learning curve on `{args.source}` (real-text dev half; the same {SCORED} answers scored each "
                       f"time; `python scripts/learning_curve.py --source {args.source}`):", "",
                       "| reviewed answers added | top-1 | coverage | micro-F1 |", "|---:|---:|---:|---:|",
                       *[f"| {k} | {t:.2f} | {c:.2f} | {f:.2f} |" for k, t, c, f in rows], ""])
    doc = DOCS.read_text(encoding="utf-8")
    parts = doc.split(MARKER)
    if len(parts) != 3:
        sys.exit(f"docs/nlp.md needs two {MARKER} markers")
    DOCS.write_text(parts[0] + MARKER + "\n" + table + MARKER + parts[2], encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
