"""Themed summaries on real text: the figures of the summaries issue, before and after.

    python scripts/eval_summaries.py classify --half dev          # once: the engine's themes
    python scripts/eval_summaries.py measure --half dev [--rev REV] [--show]
    python scripts/eval_summaries.py dump --half dev --out FILE [--rev REV]
    python scripts/eval_summaries.py classify --source nyc-cbbr [--n 1500] [--skip 0]   # a whole consultation
    python scripts/eval_summaries.py measure --source nyc-cbbr [--rev REV]
    python scripts/eval_summaries.py civility [--rev REV]   # the filter on the held-out civility cases
    python scripts/eval_summaries.py quote-floor   # the lowest theme score a quote needs (dev half)

Each half of the real-text set (eval/realtext, see SOURCES.md) is summarised as two
consultations: its Danish answers and its English answers, classified by the active model on the
batch path (`classify` writes eval/realtext/classified-<half>.jsonl, git-ignored: it holds the
texts). `--source NAME` instead takes N answers of one source that are in neither half (a
real consultation large enough for sub-topics: nyc-cbbr, the NYC community boards' budget
requests; dkhate, Danish social-media comments, a test of civility; demo, the demo survey's
answers, written by the team). Every answer counts as quotable (the sources carry no consent; the measure is about what
the summary would quote). `--rev` summarises the same classified answers with `engage.nlp` as it
was at a git revision (a temporary worktree), for the before/after comparison.

Figures per run:
- common key phrases: share of each theme's top-10 key phrases whose every word is very common
  in the language (wordfreq Zipf >= 5.0 in the phrase's language, the answers' language where
  the phrase carries none);
- quoted texts flagged uncivil by `engage.nlp.civility` (the filter itself: see the held-out
  civility cases for how far to trust it), duplicated quoted texts within a theme (quotes and
  summary sentences; equal, or one inside the other), and quotes whose own top theme is another.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eval" / "realtext"
sys.path.insert(0, str(ROOT))

from scripts.eval_realtext import records  # noqa: E402  (the texts and the split)

ZIPF_COMMON = 5.0
KEY_PHRASES = 10


def classified_path(name: str) -> Path:
    """Return where the classified answers of a half or a source's consultation are kept."""
    return DATA / f"classified-{name}.jsonl"


def source_records(name: str, n: int) -> list[dict]:
    """Return `n` answers of source `name` that are in neither half (cleaned as for the set, in
    a fixed order by a hash of their id), from the snapshot under /work/.mirror."""
    import hashlib

    from scripts.build_realtext import BY_NAME, DEFAULT_MIRROR, clean

    if name == "demo":  # the answers `flask demo seed` gives the demo survey (authored by the team)
        path = ROOT / "engage" / "demo" / "data" / "answers.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return [{"id": f"demo:{i}", "text": r["text"], "lang": r["lang"], "source": "demo",
                 "municipality": r.get("municipality"), "stakeholder": r.get("stakeholder")}
                for i, r in enumerate(rows)][:n]
    source = BY_NAME[name]
    taken = {json.loads(line)["id"] for line in (DATA / "ids.jsonl").read_text(encoding="utf-8").splitlines()}
    seen, out = set(), []
    for key, raw in source.extract(source, DEFAULT_MIRROR):
        item_id, text = f"{name}:{key}", clean(raw)
        if item_id in taken or len(text.split()) < 4 or text.lower() in seen:
            continue
        seen.add(text.lower())
        out.append({"id": item_id, "text": text, "lang": source.lang, "source": name})
    out.sort(key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
    return out[:n]


def classify(name: str, recs: list[dict]) -> None:
    """Classify `recs` with the active model (batch path, encoder included) and keep them."""
    from engage.nlp.analyse import Analyser

    analyser = Analyser.load(ROOT / "instance" / "models")
    analyses = analyser.analyse_many(((r["text"], r["lang"]) for r in recs), refine=True)
    with classified_path(name).open("w", encoding="utf-8") as out:
        for rec, analysis in zip(recs, analyses, strict=True):
            out.write(json.dumps({
                "id": rec["id"], "lang": analysis.lang, "source": rec["source"], "source_lang": rec["lang"],
                "redacted": analysis.redacted,
                "themes": [{"theme": t.theme, "score": round(t.score, 4)} for t in analysis.themes],
                "sentiment": round(analysis.sentiment, 4),
                "municipality": rec.get("municipality"), "stakeholder": rec.get("stakeholder"),
            }, ensure_ascii=False) + "\n")
    print(f"classified {len(recs)} answers ({name}) with {analyser.model_version}")


def consultations(name: str) -> dict[str, list[dict]]:
    """Return {"da": records, "en": records} of a classified half or consultation (by the
    source's language; one of them is empty for a consultation)."""
    path = classified_path(name)
    if not path.is_file():
        sys.exit(f"{path} is missing: run this script's classify first")
    out: dict[str, list[dict]] = {"da": [], "en": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        out[rec["source_lang"]].append(rec)
    return {lang: recs for lang, recs in out.items() if recs}


_RUN = """
import json, sys
from engage.nlp.summarise import summarise_records
consultations = json.load(sys.stdin)
json.dump({lang: summarise_records(recs, lang) for lang, recs in consultations.items()}, sys.stdout)
"""


def summaries(name: str, rev: str | None) -> dict[str, dict]:
    """Return {lang: summary dict} made by the code at `rev` (None: this tree)."""
    payload = json.dumps(consultations(name))
    if rev is None:
        return _run(ROOT, payload)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
                       check=True, capture_output=True)
        try:
            return _run(tree, payload)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def _run(tree: Path, payload: str) -> dict[str, dict]:
    """Run the summariser of the source tree `tree` over `payload` in a child process."""
    done = subprocess.run([sys.executable, "-c", _RUN], input=payload, capture_output=True, text=True,
                          cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, check=False)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout)


def _words(text: str) -> list[str]:
    from engage.nlp.keyphrases import TOKEN_RE

    return [w for w in TOKEN_RE.findall(text.lower()) if w[0].isalpha() and w[0] != "["]


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("…", " ").split())


def measure(summary_by_lang: dict[str, dict], themes_of: dict[str, list[str]]) -> dict:
    """Return the figures of one run (see the module docstring)."""
    from engage.nlp.civility import incivility
    from engage.nlp.text import zipf

    phrases = common = quotes = uncivil = duplicated = off_theme = themes = 0
    examples: dict[str, list[str]] = {"common": [], "uncivil": [], "duplicated": [], "off_theme": []}
    for lang, summary in summary_by_lang.items():
        for theme in summary["themes"]:
            if theme["theme"] == "none":
                continue
            themes += 1
            for phrase in theme["key_phrases"][:KEY_PHRASES]:
                words = _words(phrase["text"])
                phrases += 1
                if words and all(zipf(w, phrase.get("lang") or lang) >= ZIPF_COMMON for w in words):
                    common += 1
                    examples["common"].append(phrase["text"])
            cited = [(q["text"], "quote", q) for q in theme["quotes"]]
            cited += [(s["text"], "summary", s) for s in theme.get("summary", []) if s.get("id")
                      and not s.get("ids")]  # extract sentences (before); generated claims quote nobody
            seen: list[str] = []
            for text, kind, record in cited:
                key = _normal(text)
                if any(key in other or other in key for other in seen):
                    duplicated += 1
                    examples["duplicated"].append(text)
                seen.append(key)
                if kind != "quote":
                    continue
                quotes += 1
                if incivility(text, record.get("lang") or lang):
                    uncivil += 1
                    examples["uncivil"].append(text)
                own = themes_of.get(str(record["id"])) or []
                if not own or own[0] != theme["theme"]:
                    off_theme += 1
                    examples["off_theme"].append(f"{record['id']} ({theme['theme']} vs {own[:1]})")
    return {
        "themes": themes, "key_phrases": phrases, "common_phrases": common,
        "common_share": round(common / phrases, 3) if phrases else 0.0,
        "quotes": quotes, "uncivil_quotes": uncivil, "duplicated_texts": duplicated,
        "off_theme_quotes": off_theme, "examples": examples,
    }


def themes_by_id(name: str) -> dict[str, list[str]]:
    """Return {answer id: its themes, strongest first} from a classified half or consultation."""
    out = {}
    for line in classified_path(name).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        ranked = sorted(rec["themes"], key=lambda t: -t["score"])
        out[rec["id"]] = [t["theme"] for t in ranked if t["theme"] != "none"]
    return out


def civility_cases() -> str:
    """Return, per held-out batch (tests/nlp/data/civility_cases*.jsonl) and language, how many
    civil answers the filter keeps and how many uncivil ones it catches."""
    from engage.nlp.civility import is_civil

    lines = ["| batch | civil kept, da | civil kept, en | uncivil caught, da | uncivil caught, en |",
             "|---|---|---|---|---|"]
    for path in sorted((ROOT / "tests" / "nlp" / "data").glob("civility_cases*.jsonl")):
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        cells = []
        for civil in (True, False):
            for lang in ("da", "en"):
                group = [c for c in cases if c["lang"] == lang and c["civil"] is civil]
                right = sum(is_civil(c["text"], lang) is civil for c in group)
                cells.append(f"{right}/{len(group)}")
        lines.append(f"| {path.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def civility_cases_at(rev: str) -> str:
    """Return civility_cases() as the code and word lists at git revision `rev` score this tree's
    case files (a temporary worktree; the cases are read from here, so a batch newer than `rev`
    is measured too)."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
                       check=True, capture_output=True)
        try:
            for path in (ROOT / "tests" / "nlp" / "data").glob("civility_cases*.jsonl"):
                (tree / "tests" / "nlp" / "data" / path.name).write_bytes(path.read_bytes())
            code = "import sys; sys.path.insert(0, '.'); from scripts.eval_summaries import civility_cases; print(civility_cases())"
            done = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=True)
            return done.stdout.strip()
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


FLOOR_PRECISION = 0.9  # a quote's theme must be right for 9 in 10 answers at the floor and above
FLOORS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def quote_floor() -> str:
    """Return, on the classified dev half (its final labels), how often the first theme of an
    answer with a theme is right at each score floor, and the lowest floor where it is right for
    FLOOR_PRECISION of them (both languages pooled): `summarise.QUOTE_MIN_SCORE`."""
    from scripts.eval_realtext import load_labels

    gold = load_labels()
    scored = []  # (score of the first theme, whether the labels hold it, language)
    for line in classified_path("dev").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        ranked = sorted((t for t in rec["themes"] if t["theme"] != "none"), key=lambda t: -t["score"])
        if ranked:
            scored.append((ranked[0]["score"], ranked[0]["theme"] in gold[rec["id"]], rec["source_lang"]))
    lines = ["| floor | da: answers, right | en: answers, right | both: answers, right |", "|---|---|---|---|"]
    chosen = None
    for floor in FLOORS:
        cells = []
        for lang in ("da", "en", None):
            above = [right for score, right, answer_lang in scored if score >= floor and lang in (None, answer_lang)]
            cells.append(f"{len(above)}, {sum(above) / len(above):.2f}" if above else "0, –")
            if lang is None and chosen is None and above and sum(above) / len(above) >= FLOOR_PRECISION:
                chosen = floor
        lines.append(f"| {floor:.2f} | " + " | ".join(cells) + " |")
    lines.append(f"\nlowest floor with {FLOOR_PRECISION:.0%} right (both languages): {chosen}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("classify", "measure", "dump", "civility", "quote-floor"))
    parser.add_argument("--half", choices=("dev", "test"), default="dev")
    parser.add_argument("--source", choices=("nyc-cbbr", "dkhate", "us-wtp", "lcc-da-mixed", "demo"),
                        help="a whole consultation of this source instead of a half")
    parser.add_argument("--n", type=int, default=1500, help="classify --source: how many answers")
    parser.add_argument("--skip", type=int, default=0,
                        help="--source: leave out the first SKIP answers (a fresh sample after one already read)")
    parser.add_argument("--rev", help="summarise with engage.nlp as at this git revision")
    parser.add_argument("--show", action="store_true", help="print the offending phrases and quotes")
    parser.add_argument("--out", type=Path, help="dump: where to write the summaries (JSON)")
    args = parser.parse_args()
    name = (f"{args.source}-{args.n}" + (f"-from-{args.skip}" if args.skip else "")) if args.source else args.half
    if args.command == "civility":
        print(civility_cases() if args.rev is None else civility_cases_at(args.rev))
        return
    if args.command == "quote-floor":
        print(quote_floor())
        return
    if args.command == "classify":
        recs = source_records(args.source, args.skip + args.n)[args.skip:] if args.source else records(args.half)
        classify(name, recs)
        return
    result = summaries(name, args.rev)
    if args.command == "dump":
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {args.out}")
        return
    figures = measure(result, themes_by_id(name))
    examples = figures.pop("examples")
    label = args.rev or "this tree"
    print(f"{name}, summaries by {label}: " + json.dumps(figures))
    if args.show:
        for kind, texts in examples.items():
            for text in texts:
                print(f"  {kind}: {text}")


if __name__ == "__main__":
    main()
