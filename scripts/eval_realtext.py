"""The real-text evaluation: final labels, the frozen dev/test split, and the engine's figures on it.

    python scripts/eval_realtext.py labels            # merge the two passes and the adjudication
    python scripts/eval_realtext.py split             # (once) write the split, print the test hash
    python scripts/eval_realtext.py check             # the test half still has the recorded hash
    python scripts/eval_realtext.py evaluate --half dev [--model DIR] [--write-docs] [--no-refine]
    python scripts/eval_realtext.py evaluate --half dev --consultation 1500   # each source a consultation
    python scripts/eval_realtext.py agreement         # the two passes: exact agreement, kappa
    python scripts/eval_realtext.py labels --extra    # the same for the answers to learn from
    python scripts/eval_realtext.py agreement --extra

The texts are not ours to ship: `eval/realtext/items.jsonl` is rebuilt from the public sources by
`scripts/build_realtext.py --from-ids eval/realtext/ids.jsonl` (see eval/realtext/SOURCES.md);
the repository keeps only ids, the two labelling passes, the adjudication and the split.
Tune on the dev half only; the test half is reported at the end, and `check` proves it unchanged.

`eval/realtext/extra/` holds further answers of the same sources, labelled the same way, that the
encoder learns from and that are never scored (`scripts/build_realtext.py --extra`: none of them is
an evaluation answer or a near-copy of one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eval" / "realtext"
DOCS = ROOT / "docs" / "nlp.md"
BEGIN, END = "<!-- realtext:begin -->", "<!-- realtext:end -->"
#: SHA-256 of the test half (ids and final labels), recorded when the split was made.
TEST_HASH_FILE = DATA / "test.sha256"
#: Answers to learn from, never to evaluate on (labelled like the evaluation set).
EXTRA = DATA / "extra"


def read_jsonl(path: Path) -> list[dict]:
    """Return the records of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def final_labels(first: list[dict], second: list[dict], adjudicated: list[dict]) -> dict[str, list[str]]:
    """Return {id: themes}: the two passes where they agree, else the adjudicated label."""
    a = {r["id"]: sorted(r["themes"]) for r in first}
    b = {r["id"]: sorted(r["themes"]) for r in second}
    settled = {r["id"]: sorted(r["themes"]) for r in adjudicated}
    if set(a) != set(b):
        raise ValueError("the two passes label different items")
    labels = {}
    for item_id in a:
        if a[item_id] == b[item_id]:
            labels[item_id] = a[item_id]
        elif item_id in settled:
            labels[item_id] = settled[item_id]
        else:
            raise ValueError(f"{item_id}: the passes disagree and there is no adjudication")
    return labels


def split(ids: list[dict], labels: dict[str, list[str]]) -> dict[str, list[str]]:
    """Return {"dev": [...], "test": [...]}: half of every (source, on-topic or not) stratum each,
    by a hash of the id (deterministic, independent of file order)."""
    strata: dict[tuple[str, bool], list[str]] = {}
    for rec in ids:
        strata.setdefault((rec["source"], bool(labels[rec["id"]])), []).append(rec["id"])
    halves: dict[str, list[str]] = {"dev": [], "test": []}
    for members in strata.values():
        ordered = sorted(members, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
        for n, item_id in enumerate(ordered):
            halves["dev" if n % 2 == 0 else "test"].append(item_id)
    return {half: sorted(members) for half, members in halves.items()}


def half_hash(members: list[str], labels: dict[str, list[str]]) -> str:
    """Return the SHA-256 of a half: its ids and their final labels, canonical JSON."""
    canonical = json.dumps([[i, labels[i]] for i in sorted(members)], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_labels() -> dict[str, list[str]]:
    """Return the final labels (eval/realtext/labels.jsonl)."""
    return {r["id"]: r["themes"] for r in read_jsonl(DATA / "labels.jsonl")}


def records(half: str) -> list[dict]:
    """Return the labelled records of `half` with their texts (items.jsonl must be rebuilt)."""
    items_path = DATA / "items.jsonl"
    if not items_path.is_file():
        sys.exit("eval/realtext/items.jsonl is missing: python scripts/build_realtext.py --from-ids "
                 "eval/realtext/ids.jsonl (needs the source snapshots; see eval/realtext/SOURCES.md)")
    texts = {r["id"]: r for r in read_jsonl(items_path)}
    labels = load_labels()
    members = json.loads((DATA / "split.json").read_text(encoding="utf-8"))[half]
    return [{"id": i, "text": texts[i]["text"], "lang": texts[i]["lang"], "source": texts[i]["source"],
             "themes": labels[i]} for i in members]


def extra_records() -> list[dict]:
    """Return the labelled answers to learn from (eval/realtext/extra) with their texts, or [] when
    they are not labelled; their items.jsonl is rebuilt like the evaluation set's."""
    if not (EXTRA / "labels.jsonl").is_file():
        return []
    items_path = EXTRA / "items.jsonl"
    if not items_path.is_file():
        sys.exit("eval/realtext/extra/items.jsonl is missing: python scripts/build_realtext.py --from-ids "
                 "eval/realtext/extra/ids.jsonl --out-dir eval/realtext/extra")
    texts = {r["id"]: r for r in read_jsonl(items_path)}
    return [{"id": r["id"], "text": texts[r["id"]]["text"], "lang": texts[r["id"]]["lang"],
             "source": texts[r["id"]]["source"], "themes": r["themes"]} for r in read_jsonl(EXTRA / "labels.jsonl")]


def agreement(data: Path = DATA) -> str:
    """Return how well the two labelling passes agree: exact set agreement (overall, per language),
    on-topic-vs-none agreement and Cohen's kappa per theme."""
    ids = read_jsonl(data / "ids.jsonl")
    a = {r["id"]: set(r["themes"]) for r in read_jsonl(data / "labels_passA.jsonl")}
    b = {r["id"]: set(r["themes"]) for r in read_jsonl(data / "labels_passB.jsonl")}
    n = len(ids)
    lines = [f"exact agreement {sum(a[r['id']] == b[r['id']] for r in ids) / n:.3f}, "
             f"on-topic vs none {sum(bool(a[r['id']]) == bool(b[r['id']]) for r in ids) / n:.3f}, "
             f"disagreements {sum(a[r['id']] != b[r['id']] for r in ids)}"]
    for lang in ("da", "en"):
        sub = [r["id"] for r in ids if r["lang"] == lang]
        lines.append(f"{lang}: exact agreement {sum(a[i] == b[i] for i in sub) / len(sub):.3f}")
    kappas = []
    for theme in sorted(set().union(*a.values(), *b.values())):
        x = [theme in a[r["id"]] for r in ids]
        y = [theme in b[r["id"]] for r in ids]
        observed = sum(p == q for p, q in zip(x, y, strict=True)) / n
        pa, pb = sum(x) / n, sum(y) / n
        expected = pa * pb + (1 - pa) * (1 - pb)
        kappas.append(f"{theme} {(observed - expected) / (1 - expected) if expected < 1 else 1.0:.2f}")
    lines.append("kappa: " + ", ".join(kappas))
    return "\n".join(lines)


def table(report: dict) -> str:
    """Return the per-source and per-language figures as a Markdown table."""
    rows = ["| set | answers | on-topic | coverage | top-1 | micro-F1 | `none` accuracy |",
            "|---|---:|---:|---:|---:|---:|---:|"]

    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    sections = [*report.get("sources", {}).items(), *[(f"all {k}", v) for k, v in report["languages"].items()],
                ("all", report)]
    for name, sec in sections:
        rows.append(f"| {name} | {sec['n']} | {sec['n_with_theme']} | {fmt(sec['coverage'])} | "
                    f"{fmt(sec['top1_accuracy'])} | {fmt(sec['micro']['f1'])} | {fmt(sec['no_theme_accuracy'])} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("labels", "agreement"):
        sub.add_parser(name).add_argument("--extra", action="store_true", help="the answers to learn from")
    sub.add_parser("split")
    sub.add_parser("check")
    ev = sub.add_parser("evaluate")
    ev.add_argument("--half", choices=("dev", "test"), required=True)
    ev.add_argument("--model", type=Path, default=ROOT / "instance" / "models")
    ev.add_argument("--write-docs", action="store_true")
    ev.add_argument("--no-refine", action="store_true", help="as the form-submit path: without the encoder")
    ev.add_argument("--consultation", type=int, metavar="N",
                    help="each source is one consultation: its labelled answers plus N unlabelled answers of the "
                         "same source (in neither half), learning its own words (adapt.py); only the labelled are scored")
    args = parser.parse_args()

    if args.command == "labels":
        data = EXTRA if args.extra else DATA
        labels = final_labels(read_jsonl(data / "labels_passA.jsonl"), read_jsonl(data / "labels_passB.jsonl"),
                              read_jsonl(data / "adjudicated.jsonl"))
        order = [r["id"] for r in read_jsonl(data / "ids.jsonl")]
        (data / "labels.jsonl").write_text("".join(json.dumps({"id": i, "themes": labels[i]}) + "\n" for i in order),
                                           encoding="utf-8")
        print(f"{len(labels)} labels; {sum(not t for t in labels.values())} with no theme")
    elif args.command == "split":
        if (DATA / "split.json").exists():
            sys.exit("the split exists already and is frozen; delete it only to start a new evaluation set")
        labels = load_labels()
        halves = split(read_jsonl(DATA / "ids.jsonl"), labels)
        (DATA / "split.json").write_text(json.dumps(halves, indent=1) + "\n", encoding="utf-8")
        digest = half_hash(halves["test"], labels)
        TEST_HASH_FILE.write_text(digest + "\n", encoding="utf-8")
        print(f"dev {len(halves['dev'])}, test {len(halves['test'])}; test half sha256 {digest}")
    elif args.command == "agreement":
        print(agreement(EXTRA if args.extra else DATA))
    elif args.command == "check":
        halves = json.loads((DATA / "split.json").read_text(encoding="utf-8"))
        digest = half_hash(halves["test"], load_labels())
        recorded = TEST_HASH_FILE.read_text(encoding="utf-8").strip()
        print(f"test half sha256 {digest}: {'unchanged' if digest == recorded else 'CHANGED (recorded ' + recorded + ')'}")
        sys.exit(0 if digest == recorded else 1)
    else:
        sys.path.insert(0, str(ROOT))
        from engage.nlp.analyse import Analyser
        from engage.nlp.evaluate import evaluate

        analyser = Analyser.load(args.model)
        recs = records(args.half)
        if args.consultation:
            from scripts.eval_summaries import source_records

            for source in sorted({r["source"] for r in recs}):
                recs += [{**r, "themes": None} for r in source_records(source, args.consultation)]
        report = evaluate(recs, analyser, refine=not args.no_refine, adapt=bool(args.consultation))
        path = "batch path, with the sentence encoder" if report["refined"] else "submit path, without the encoder"
        flag = " --no-refine" if args.no_refine else ""
        suffix = "-submit" if args.no_refine else ""
        if args.consultation:
            filled = report["adapted"]["answers_filled"] if report["adapted"] else 0
            path += (f", each source one consultation of its labelled answers and {args.consultation} more "
                     f"(unlabelled) that learns its own words ({filled} answers filled in all)")
            flag += f" --consultation {args.consultation}"
            suffix = "-consultation"
        text = (f"Real-text {args.half} half, {path}, model `{report['model_version']}` "
                f"(`python scripts/eval_realtext.py evaluate --half {args.half}{flag}`):\n\n{table(report)}\n")
        print(text)
        if report.get("adapted"):
            for lang, by_theme in sorted(report["adapted"]["learned_cues"].items()):
                for theme, words in sorted(by_theme.items()):
                    print(f"learned ({lang}, {theme}): {', '.join(words)}")
        if args.write_docs:
            doc = DOCS.read_text(encoding="utf-8")
            start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
            marker = f"<!-- {args.half}{suffix} -->"
            block = doc[start:end]
            parts = block.split(marker)
            if len(parts) != 3:
                sys.exit(f"docs/nlp.md needs two {marker} markers inside the realtext block")
            DOCS.write_text(doc[:start] + parts[0] + marker + "\n" + text + marker + parts[2] + doc[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
