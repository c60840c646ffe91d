"""Build the unlabelled real-text evaluation sample for the theme classifier.

    python3 scripts/build_realtext.py [--mirror DIR] [--per-lang 400] [--seed S] [--out-dir DIR]
    python3 scripts/build_realtext.py --from-ids eval/realtext/ids.jsonl   # rebuild items.jsonl only
    python3 scripts/build_realtext.py --extra nyc-cbbr=150,us-wtp=150,lcc-da-mixed=250,dkhate=50 \
        --seed engage-realtext-extra-v1 --out-dir eval/realtext/extra       # more answers to learn from

Reads public third-party texts from git snapshots under --mirror (default /work/.mirror, one
directory per repository named "owner+name" holding "repo/" or "repo/.git"), at the pinned commits
listed in SOURCES below (see eval/realtext/SOURCES.md for licences and provenance). Extracts
candidate texts, cleans whitespace, filters (25-1200 characters, plausible language, not mostly
URLs/handles, no exact or near-exact duplicates) and samples deterministically, stratified across
the sources of each language. Writes

    eval/realtext/items.jsonl  {"id", "source", "lang", "text"}  (NOT committed: third-party text)
    eval/realtext/ids.jsonl    {"id", "source", "lang"}          (committed)

--extra samples further answers from the same sources to learn from (never to evaluate on): none
of the evaluation set's ids, and none whose word trigrams overlap an evaluation text's by 0.7 or
more (Jaccard), so no near-copy of a test answer is learned.

An id is "<source>:<key>" where <key> is the source's own row key (see each extractor), so the text
can be found again in the snapshot; --from-ids rebuilds items.jsonl from an ids.jsonl.
Standard library only (plus the git command line).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import html
import io
import json
import random
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "eval" / "realtext"
DEFAULT_MIRROR = Path("/work/.mirror")
DEFAULT_SEED = "engage-realtext-v1"
MIN_CHARS, MAX_CHARS = 25, 1200
NEAR_DUP_JACCARD = 0.7  # word-trigram Jaccard at or above this = near-duplicate

csv.field_size_limit(sys.maxsize)


# --------------------------------------------------------------------------- snapshot access


def git_dir(mirror: Path, repo: str) -> Path:
    """Return the git directory of the snapshot of `repo` ("owner/name") under `mirror`."""
    base = mirror / repo.replace("/", "+") / "repo"
    for cand in (base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    raise SystemExit(f"no snapshot of {repo} under {mirror} (expected {base}); fetch it first")


def git_show(mirror: Path, repo: str, commit: str, path: str) -> str:
    """Return the text of `path` at `commit` in the snapshot of `repo`."""
    gd = git_dir(mirror, repo)
    res = subprocess.run(
        ["git", f"--git-dir={gd}", "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    if res.returncode != 0:
        raise SystemExit(
            f"{repo}@{commit[:10]}:{path} not readable: {res.stderr.decode(errors='replace').strip()}"
        )
    return decode(res.stdout)


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode bytes that are not valid UTF-8 as Windows-1252 (one source mixes the two)."""
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("cp1252_fallback", _cp1252_fallback)


def decode(data: bytes) -> str:
    """UTF-8, with stray Windows-1252 bytes decoded as such."""
    return data.decode("utf-8", errors="cp1252_fallback")


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    name: str
    lang: str
    repo: str
    commit: str
    paths: tuple[str, ...]
    extract: Callable[[Source, Path], Iterator[tuple[str, str]]]  # yields (key, raw text)


def _csv_rows(text: str, **kw) -> Iterator[dict[str, str]]:
    """CSV rows as dicts; header names are stripped (one source has " number" as its first)."""
    reader = csv.DictReader(io.StringIO(text), **kw)
    reader.fieldnames = [(f or "").strip() for f in reader.fieldnames or []]
    yield from reader


def extract_cbbr(src: Source, mirror: Path) -> Iterator[tuple[str, str]]:
    """NYC Community Board budget requests FY2024: key "FY2024:<tracking_code>", text = explanation."""
    for row in _csv_rows(git_show(mirror, src.repo, src.commit, src.paths[0])):
        yield f"FY2024:{row['tracking_code'].strip()}", row.get("explanation") or ""


def extract_wtp(src: Source, mirror: Path) -> Iterator[tuple[str, str]]:
    """US 'We the People' petitions: key = petition short id, text = petition body ("content")."""
    for row in _csv_rows(git_show(mirror, src.repo, src.commit, src.paths[0])):
        yield row["id"].strip(), row.get("content") or ""


def extract_dkhate(src: Source, mirror: Path) -> Iterator[tuple[str, str]]:
    """DKHATE (OffensEval 2020 Danish) TSVs: key "<split>:<id>", text = comment."""
    for path in src.paths:
        split = "test" if "test" in path.rsplit("/", 1)[-1] else "train"
        text = git_show(mirror, src.repo, src.commit, path)
        for row in _csv_rows(text, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield f"{split}:{row['id'].strip()}", row.get("tweet") or ""


def extract_lcc(src: Source, mirror: Path) -> Iterator[tuple[str, str]]:
    """Leipzig Corpora Collection, Danish mixed-web 2014 sentences: key = sentence number."""
    for row in _csv_rows(git_show(mirror, src.repo, src.commit, src.paths[0])):
        yield row["number"].strip(), row.get("text") or ""


SOURCES: tuple[Source, ...] = (
    Source(
        "nyc-cbbr",
        "en",
        "NYCPlanning/db-cbbr",
        "6cee1fd5c91e95cd5bc91f24d9e9b4b7ac37af72",
        ("cbbr_build/output/FY2024/cbbr_export.csv",),
        extract_cbbr,
    ),
    Source(
        "us-wtp",
        "en",
        "shivashankarrs/Petitions",
        "8b28ae15c3b55373fe4a50fb5820afaef393621c",
        ("WTP_dataset_1K.csv",),
        extract_wtp,
    ),
    Source(
        "dkhate",
        "da",
        "AndersGiovanni/worker_vs_gpt",
        "7af9edea6a10afc5a9ad59e8cebb24060b16bbef",
        (
            "data/hate-speech/oe20da_data/offenseval-da-training-v1.tsv",
            "data/hate-speech/oe20da_data/offenseval-da-test-v1.tsv",
        ),
        extract_dkhate,
    ),
    Source(
        "lcc-da-mixed",
        "da",
        "fnielsen/lcc-sentiment",
        "7d3237742ebf07f54e0347963eaacc82d039aeb6",
        ("dan_mixed_2014_10K-sentences.csv",),
        extract_lcc,
    ),
)
BY_NAME = {s.name: s for s in SOURCES}


# --------------------------------------------------------------------------- cleaning and filters

_WS = re.compile(r"\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"(?<!\w)[@#]\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

DA_STOP = frozenset(
    """og at det er en til på de som med har for ikke der af den vi jeg kan skal så men et om
    fra også vil var hvis når eller mig du han hun bliver blive være været alle nogle meget mere
    efter hvad hvor kun sig jo nu her dem os min mit mine sin sit sine deres hans
    hendes man må får fik ingen noget nogen andre anden andet selv lige bare godt helt hele
    mange mod uden mellem igen altid aldrig hvorfor fordi derfor både blev havde kunne skulle
    ville ud op ind ned hos før dig jer dette disse dag år""".split()
)
SV_MARK = frozenset("och inte är jag vilket mycket också kanske".split())
EN_STOP = frozenset(
    """the and to of a in is that for it on with as are this be was have not by at or from we an
    they you he she will would can could should our their his her its which who what when where
    there been has had do does did but if so no all more also about into than them these those
    us my your only other some such very any each most many just over after before because
    while were being through between against during without""".split()
)


def clean(text: str) -> str:
    """Unescape HTML entities, normalise Unicode (NFC) and collapse all whitespace to single spaces."""
    text = unicodedata.normalize("NFC", html.unescape(text or ""))
    return _WS.sub(" ", text).strip()


def norm_key(text: str) -> str:
    """Key for exact / near-exact duplicates: lower-case letters only (case, digits, punctuation,
    spacing and URLs ignored)."""
    text = _URL.sub(" ", text.casefold())
    return "".join(ch for ch in text if ch.isalpha())


def mostly_urls_or_handles(text: str) -> bool:
    """True when URLs and @/# handles make up at least half of the non-space characters."""
    noise = sum(len(m) for m in _URL.findall(text)) + sum(len(m) for m in _HANDLE.findall(text))
    body = len(text.replace(" ", ""))
    return body == 0 or noise * 2 >= body


def lang_plausible(text: str, lang: str) -> bool:
    """Cheap stop-word test: the text looks more like `lang` than like the other language."""
    words = [w.casefold() for w in _WORD.findall(_URL.sub(" ", text))]
    if len(words) < 4:
        return False
    da = sum(w in DA_STOP for w in words) + 2 * sum(ch in "æøåÆØÅ" for ch in text)
    en = sum(w in EN_STOP for w in words)
    if lang == "da":  # reject Swedish (shares many function words with Danish)
        if any(ch in "äöÄÖ" for ch in text) or any(w in SV_MARK for w in words):
            return False
        return da >= 1 and da > en
    return en >= 1 and en > da


def reject_reason(text: str, lang: str) -> str | None:
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return "length"
    if "\ufffd" in text or "ï¿½" in text:
        return "encoding"
    if mostly_urls_or_handles(text):
        return "urls/handles"
    if not lang_plausible(text, lang):
        return "language"
    return None


def trigrams(text: str) -> frozenset[str]:
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < 3:
        return frozenset(words)
    return frozenset(" ".join(words[i : i + 3]) for i in range(len(words) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --------------------------------------------------------------------------- candidates and sampling


@dataclass
class Candidate:
    id: str
    source: str
    lang: str
    text: str


def candidates_for(src: Source, mirror: Path, stats: dict) -> list[Candidate]:
    """All filtered candidates of one source, sorted by id, exact/near-exact duplicates removed
    (the first id in sort order is kept)."""
    raw: dict[str, str] = {}
    for key, text in src.extract(src, mirror):
        full = f"{src.name}:{key}"
        if full in raw:  # a repeated key: keep the first occurrence
            stats["repeated_key"] += 1
            continue
        raw[full] = clean(text)
    stats["rows"] += len(raw)
    out: list[Candidate] = []
    for cid in sorted(raw):
        text = raw[cid]
        reason = reject_reason(text, src.lang)
        if reason:
            stats[f"drop_{reason}"] += 1
            continue
        out.append(Candidate(cid, src.name, src.lang, text))
    return out


def dedupe_exact(cands: list[Candidate], stats_by_source: dict[str, dict]) -> list[Candidate]:
    """Drop exact and near-exact (same letters-only key) duplicates across all sources of a language."""
    seen: set[str] = set()
    out = []
    for c in cands:
        key = norm_key(c.text)
        if key in seen:
            stats_by_source[c.source]["drop_duplicate"] += 1
            continue
        seen.add(key)
        out.append(c)
    return out


def sample_language(
    cands: list[Candidate], sources: list[str], n: int, seed: str
) -> list[Candidate]:
    """Stratified deterministic sample of up to `n` items: equal quotas per source, shortfalls
    redistributed to sources with candidates left; near-duplicates (trigram Jaccard) of an item
    already taken are skipped."""
    pools = {}
    for name in sources:
        pool = [c for c in cands if c.source == name]
        random.Random(f"{seed}:{name}").shuffle(pool)
        pools[name] = pool
    cursor = dict.fromkeys(sources, 0)
    taken: list[Candidate] = []
    grams: list[frozenset[str]] = []
    quota = dict.fromkeys(sources, 0)
    remaining = n
    active = [s for s in sources if pools[s]]
    while remaining > 0 and active:
        share, extra = divmod(remaining, len(active))
        for i, name in enumerate(active):
            quota[name] += share + (1 if i < extra else 0)
        remaining = 0
        for name in active:
            pool = pools[name]
            have = sum(1 for t in taken if t.source == name)
            while have < quota[name] and cursor[name] < len(pool):
                c = pool[cursor[name]]
                cursor[name] += 1
                g = trigrams(c.text)
                if any(jaccard(g, h) >= NEAR_DUP_JACCARD for h in grams):
                    continue
                taken.append(c)
                grams.append(g)
                have += 1
            if have < quota[name]:  # source exhausted: hand its shortfall back
                remaining += quota[name] - have
                quota[name] = have
        active = [s for s in active if cursor[s] < len(pools[s])]
    random.Random(f"{seed}:order").shuffle(taken)
    return taken


# --------------------------------------------------------------------------- output


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def build(args: argparse.Namespace) -> None:
    mirror = Path(args.mirror)
    out_dir = Path(args.out_dir)
    items: list[Candidate] = []
    report = []
    for lang in ("da", "en"):
        srcs = [s for s in SOURCES if s.lang == lang]
        stats = {
            s.name: {
                k: 0
                for k in (
                    "rows",
                    "repeated_key",
                    "drop_length",
                    "drop_urls/handles",
                    "drop_encoding",
                    "drop_language",
                    "drop_duplicate",
                )
            }
            for s in srcs
        }
        cands: list[Candidate] = []
        for s in srcs:
            cands.extend(candidates_for(s, mirror, stats[s.name]))
        cands = dedupe_exact(cands, stats)
        chosen = sample_language(cands, [s.name for s in srcs], args.per_lang, args.seed)
        items.extend(chosen)
        for s in srcs:
            n_cand = sum(1 for c in cands if c.source == s.name)
            n_take = sum(1 for c in chosen if c.source == s.name)
            report.append((lang, s.name, stats[s.name], n_cand, n_take))
    records = [{"id": c.id, "source": c.source, "lang": c.lang, "text": c.text} for c in items]
    write_jsonl(out_dir / "items.jsonl", records)
    write_jsonl(
        out_dir / "ids.jsonl", [{k: r[k] for k in ("id", "source", "lang")} for r in records]
    )
    for lang, name, st, n_cand, n_take in report:
        drops = ", ".join(f"{k[5:]}={v}" for k, v in st.items() if k.startswith("drop_") and v)
        print(f"{lang} {name}: rows={st['rows']} candidates={n_cand} sampled={n_take} ({drops})")
    print(f"wrote {len(records)} items to {out_dir / 'items.jsonl'} and {out_dir / 'ids.jsonl'}")


def build_extra(args: argparse.Namespace) -> None:
    """Sample `--extra SOURCE=N,…` further answers, away from the evaluation set (its ids and its
    near-copies), and write items.jsonl / ids.jsonl to --out-dir."""
    mirror = Path(args.mirror)
    quotas = {name: int(n) for name, n in (part.split("=") for part in args.extra.split(","))}
    held = {json.loads(line)["id"] for line in (DEFAULT_OUT / "ids.jsonl").read_text("utf-8").splitlines() if line}
    taken: list[Candidate] = []
    for lang in ("da", "en"):
        srcs = [s for s in SOURCES if s.lang == lang and s.name in quotas]
        if not srcs:
            continue
        stats = {s.name: defaultdict(int) for s in srcs}
        cands = [c for s in srcs for c in candidates_for(s, mirror, stats[s.name])]
        cands = dedupe_exact(cands, stats)
        held_grams = [trigrams(c.text) for c in cands if c.id in held]
        for s in srcs:
            pool = [c for c in cands if c.source == s.name and c.id not in held]
            random.Random(f"{args.seed}:{s.name}").shuffle(pool)
            chosen: list[Candidate] = []
            grams: list[frozenset[str]] = []
            for c in pool:
                if len(chosen) == quotas[s.name]:
                    break
                g = trigrams(c.text)
                if any(jaccard(g, h) >= NEAR_DUP_JACCARD for h in held_grams + grams):
                    stats[s.name]["drop_near_evaluation_or_taken"] += 1
                    continue
                chosen.append(c)
                grams.append(g)
            taken.extend(chosen)
            print(f"{lang} {s.name}: sampled {len(chosen)} of {len(pool)} not in the evaluation set "
                  f"({stats[s.name]['drop_near_evaluation_or_taken']} skipped as near-copies)")
    random.Random(f"{args.seed}:order").shuffle(taken)
    records = [{"id": c.id, "source": c.source, "lang": c.lang, "text": c.text} for c in taken]
    out_dir = Path(args.out_dir)
    write_jsonl(out_dir / "items.jsonl", records)
    write_jsonl(out_dir / "ids.jsonl", [{k: r[k] for k in ("id", "source", "lang")} for r in records])
    print(f"wrote {len(records)} items to {out_dir / 'items.jsonl'} and {out_dir / 'ids.jsonl'}")


def rebuild_from_ids(args: argparse.Namespace) -> None:
    """Re-extract the texts named in an ids.jsonl (same cleaning) and write items.jsonl."""
    mirror = Path(args.mirror)
    wanted = [
        json.loads(line) for line in Path(args.from_ids).read_text("utf-8").splitlines() if line
    ]
    texts: dict[str, str] = {}
    for name in sorted({w["source"] for w in wanted}):
        src = BY_NAME[name]
        for key, text in src.extract(src, mirror):
            texts.setdefault(f"{name}:{key}", clean(text))
    missing = [w["id"] for w in wanted if w["id"] not in texts]
    if missing:
        raise SystemExit(f"{len(missing)} ids not found in the snapshots, e.g. {missing[:3]}")
    records = [{**w, "text": texts[w["id"]]} for w in wanted]
    write_jsonl(Path(args.out_dir) / "items.jsonl", records)
    print(f"rebuilt {len(records)} items into {Path(args.out_dir) / 'items.jsonl'}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", default=str(DEFAULT_MIRROR), help="directory of fetched snapshots")
    ap.add_argument("--out-dir", default=str(DEFAULT_OUT), help="where items.jsonl / ids.jsonl go")
    ap.add_argument("--per-lang", type=int, default=400, help="items per language (default 400)")
    ap.add_argument("--seed", default=DEFAULT_SEED, help="sampling seed (default %(default)s)")
    ap.add_argument("--from-ids", help="rebuild items.jsonl for the ids in this ids.jsonl instead")
    ap.add_argument("--extra", help="SOURCE=N,…: sample answers to learn from, away from the evaluation set")
    args = ap.parse_args(argv)
    if args.from_ids:
        rebuild_from_ids(args)
    elif args.extra:
        build_extra(args)
    else:
        build(args)


if __name__ == "__main__":
    main()
