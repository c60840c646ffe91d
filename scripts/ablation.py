"""What each knowledge source adds, on the real-text evaluation: an ablation written to docs/nlp.md.

    python scripts/ablation.py --half dev [--consultation 1500] [--write-docs]

Rows, each on the same answers of the half (coverage and top-1 over on-topic answers, `none`
accuracy over off-topic ones, per language):

- the lexicon alone (no trained model);
- the trained text classifier alone (the lexicon emptied through the team's override mechanism);
- lexicon + classifier, combined and calibrated: the form-submit path;
- the sentence encoder alone: its on-topic gate and its theme head, nothing else;
- lexicon + classifier + encoder: the batch path;
- with --consultation N, the batch path learning from each source as one consultation (its answers
  of the half plus N unlabelled ones; adapt.py).

The texts are rebuilt first: `python scripts/build_realtext.py --from-ids eval/realtext/ids.jsonl`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.eval_realtext import DOCS, records  # noqa: E402

FIELDS = ("keywords", "weak", "phrases", "stems", "heads")


def scores(recs: list[dict], predicted: list[list[str]]) -> dict[str, tuple[float, float, float]]:
    """Return {lang: (coverage, top-1, none accuracy)}."""
    out = {}
    for lang in ("da", "en"):
        pairs = [(r["themes"], p) for r, p in zip(recs, predicted, strict=True) if r["lang"] == lang]
        on = [(g, p) for g, p in pairs if g]
        off = [p for g, p in pairs if not g]
        out[lang] = (sum(bool(p) for _, p in on) / len(on), sum(bool(p) and p[0] in g for g, p in on) / len(on),
                     sum(not p for p in off) / len(off))
    return out


def empty_lexicon() -> dict:
    """Return the override that empties every theme's lexicon in both languages."""
    from engage.nlp.lexicon import shipped_spec

    return {lang: {theme: dict.fromkeys(FIELDS, []) for theme in shipped_spec(lang) if theme != "_meta"}
            for lang in ("da", "en")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("dev", "test"), required=True)
    parser.add_argument("--model", type=Path, default=ROOT / "instance" / "models")
    parser.add_argument("--consultation", type=int, default=0, metavar="N")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    from engage.nlp import encoder
    from engage.nlp.analyse import Analyser

    recs = records(args.half)
    items = [(r["text"], r["lang"]) for r in recs]

    def themes_of(analyses) -> list[list[str]]:
        return [[t.theme for t in a.themes] for a in analyses]

    model = Analyser.load(args.model)
    rows = [
        ("lexicon alone", themes_of(Analyser(None).analyse_many(items))),
        ("trained classifier alone (lexicon emptied)",
         themes_of(Analyser.load(args.model, lexicon_overrides=empty_lexicon()).analyse_many(items))),
        ("lexicon + classifier (form-submit path)", themes_of(model.analyse_many(items))),
    ]
    if model.encoder_ready():
        vectors = encoder.embed([a.redacted for a in model.analyse_many(items)])
        head = model.encoder_head
        probabilities = head.predict(vectors)
        on_topic = encoder.gate_head().predict(vectors)[:, 0]
        alone = [[t.theme for t in encoder.refine((), probabilities[i], float(on_topic[i]), head.themes)]
                 for i in range(len(recs))]
        rows.append(("sentence encoder alone (gate + theme head)", alone))
        rows.append(("lexicon + classifier + encoder (batch path)", themes_of(model.analyse_many(items, refine=True))))
        if args.consultation:
            from scripts.eval_summaries import source_records

            extra = []
            for source in sorted({r["source"] for r in recs}):
                extra += [{**r, "themes": None} for r in source_records(source, args.consultation)]
            everything = recs + extra
            analyses, _ = model.analyse_consultation([(r["text"], r["lang"]) for r in everything],
                                                     groups=[r["source"] for r in everything])
            rows.append((f"batch path + learning from the consultation ({args.consultation} more answers per source)",
                         themes_of(analyses[:len(recs)])))
    lines = [f"Ablation on the real-text {args.half} half, model `{model.model_version}` "
             f"(`python scripts/ablation.py --half {args.half}"
             f"{f' --consultation {args.consultation}' if args.consultation else ''}`):", "",
             "| knowledge used | da coverage | da top-1 | da `none` acc. | en coverage | en top-1 | en `none` acc. |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, predicted in rows:
        s = scores(recs, predicted)
        lines.append(f"| {name} | " + " | ".join(f"{v:.2f}" for lang in ("da", "en") for v in s[lang]) + " |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.write_docs:
        doc = DOCS.read_text(encoding="utf-8")
        marker = f"<!-- ablation-{args.half} -->"
        parts = doc.split(marker)
        if len(parts) != 3:
            sys.exit(f"docs/nlp.md needs two {marker} markers")
        DOCS.write_text(parts[0] + marker + "\n" + table + marker + parts[2], encoding="utf-8")


if __name__ == "__main__":
    main()
