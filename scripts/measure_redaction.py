"""Redaction recall and precision per case batch and language (tests/nlp/data/pii_cases.jsonl).

    python scripts/measure_redaction.py [--rev GIT-REVISION] [--time] [--pending]
    python scripts/measure_redaction.py --realtext GIT-REVISION [--show]
    python scripts/measure_redaction.py --time-against GIT-REVISION

Batches are line ranges of the case file (see tests/nlp/data/README.md): 1–491 the first three
batches, 492–640 batch four, 641–769 batch five, 770–899 batch six, 900–1029 batch seven,
1030–1159 batch eight, 1160–1289 batch nine, 1290–1419 batch ten, 1420–1549 batch eleven,
1550–1679 batch twelve, 1680–1809 batch thirteen, 1810–1939 batch fourteen, 1940–2069 batch
fifteen, 2070–2199 batch sixteen, 2200–2329 batch seventeen, 2330–2459 batch
eighteen, 2460–2589 batch nineteen, 2590–2719 batch twenty,
2720–2849 batch twenty-one, 2850–2979 batch twenty-two,
2980–3109 batch twenty-three, 3110–3239 batch twenty-four, 3240–3369 batch twenty-five,
3370–3499 batch twenty-six, 3500–3629 batch twenty-seven,
3630–3759 batch twenty-eight, 3760–3889 batch twenty-nine, 3890–4019 batch thirty,
4020–4149 batch thirty-one, 4150–4279 batch thirty-two,
4280–4409 batch thirty-three, 4410–4539 batch thirty-four,
4540–4669 batch thirty-five, 4670–4799 batch thirty-six,
4800–4929 batch thirty-seven, 4930–5059 batch thirty-eight,
5060–5189 batch thirty-nine, 5190–5319 batch forty,
5320–5449 batch forty-one, 5450–5579 batch forty-two,
5580–5709 batch forty-three, 5710–5839 batch forty-four,
5840–5969 batch forty-five, 5970–6099 batch forty-six,
6100–6229 batch forty-seven, 6230–6359 batch forty-eight, 6360–6489 batch fifty,
6490–6619 batch fifty-one (batches forty-nine and fifty-two wait in pii_cases_pending.jsonl, see
tests/nlp/data/README.md). With --rev, the
redactor of that revision (`git show REV:engage/nlp/redact.py`, with its name lists) is measured
instead of the working tree's, e.g. the redactor before the batch-four fixes: --rev 1328bb5~1. With --realtext REV, the real-text answers
(eval/realtext, rebuilt from the fetched sources) that the two redactors treat differently.
With --time-against REV, the working tree's redactor and REV's are timed on the same answers,
alternating answer by answer, so that a machine that slows down and speeds up (seen here: ±15 %
between runs of the same code) slows both alike: the cost of a change as a ratio.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCHES = {"batches 1-3": (1, 491), "batch 4": (492, 640), "batch 5": (641, 769), "batch 6": (770, 899),
           "batch 7": (900, 1029), "batch 8": (1030, 1159), "batch 9": (1160, 1289), "batch 10": (1290, 1419),
           "batch 11": (1420, 1549), "batch 12": (1550, 1679),
           "batch 13": (1680, 1809), "batch 14": (1810, 1939), "batch 15": (1940, 2069),
           "batch 16": (2070, 2199), "batch 17": (2200, 2329),
           "batch 18": (2330, 2459), "batch 19": (2460, 2589), "batch 20": (2590, 2719),
           "batch 21": (2720, 2849), "batch 22": (2850, 2979),
           "batch 23": (2980, 3109), "batch 24": (3110, 3239),
           "batch 25": (3240, 3369), "batch 26": (3370, 3499),
           "batch 27": (3500, 3629), "batch 28": (3630, 3759),
           "batch 29": (3760, 3889), "batch 30": (3890, 4019),
           "batch 31": (4020, 4149), "batch 32": (4150, 4279),
           "batch 33": (4280, 4409), "batch 34": (4410, 4539),
           "batch 35": (4540, 4669), "batch 36": (4670, 4799),
           "batch 37": (4800, 4929),
           "batch 38": (4930, 5059), "batch 39": (5060, 5189),
           "batch 40": (5190, 5319), "batch 41": (5320, 5449),
           "batch 42": (5450, 5579), "batch 43": (5580, 5709),
           "batch 44": (5710, 5839), "batch 45": (5840, 5969),
           "batch 46": (5970, 6099), "batch 47": (6100, 6229),
           "batch 48": (6230, 6359), "batch 50": (6360, 6489), "batch 51": (6490, 6619)}
#: The batches that wait outside the tested set, as line ranges of pii_cases_pending.jsonl (--pending).
PENDING_BATCHES = {"batch 49": (1, 130), "batch 52": (131, 260)}


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def redactor_at(rev: str):
    """Return the redactor module of git revision `rev`, reading the name lists (and lists of
    public numbers and addresses) of that revision."""
    source = subprocess.run(["git", "show", f"{rev}:engage/nlp/redact.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    tmp = Path(tempfile.mkdtemp())
    for folder in ("names", "numbers", "addresses"):
        files = subprocess.run(["git", "ls-tree", "--name-only", rev, f"engage/nlp/data/{folder}/"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.split()
        (tmp / "data" / folder).mkdir(parents=True)
        for name in files:
            (tmp / "data" / folder / Path(name).name).write_bytes(subprocess.run(
                ["git", "show", f"{rev}:{name}"], cwd=ROOT, check=True, capture_output=True).stdout)
    path = tmp / "redact.py"
    path.write_text(source.replace("Path(__file__).parent", f"Path({str(tmp)!r})"))
    return load_module(f"engage.nlp.redact_{rev}", path)


def compare_realtext(rev: str, show: bool) -> None:
    """Print how many of the real-text answers (the evaluation halves and the extra answers, rebuilt
    by scripts/build_realtext.py) the working tree's redactor redacts differently from `rev`'s."""
    from engage.nlp.redact import redact
    from scripts.eval_realtext import extra_records, records

    old = redactor_at(rev)
    answers = records("dev") + records("test") + extra_records()
    differ = 0
    for answer in answers:
        before, after = old.redact(answer["text"], answer["lang"]).text, redact(answer["text"], answer["lang"]).text
        if before != after:
            differ += 1
            print(answer["id"])
            if show:
                print(f"  {rev}: {before[:240]}\n  now: {after[:240]}")
    print(f"{differ} of {len(answers)} real-text answers redacted differently from {rev}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev")
    parser.add_argument("--pending", action="store_true",
                        help="measure the batches that wait outside the tested set (tests/nlp/data/pii_cases_pending.jsonl)")
    parser.add_argument("--time", action="store_true",
                        help="also time the redactor: µs per answer on bench_pipeline's 3,000 generated answers, best of 5")
    parser.add_argument("--realtext", metavar="REV",
                        help="instead: count the real-text answers redacted differently from REV's redactor")
    parser.add_argument("--show", action="store_true", help="--realtext: print both redactions")
    parser.add_argument("--time-against", metavar="REV",
                        help="instead: time this redactor against REV's, alternating answer by answer")
    args = parser.parse_args()
    if args.realtext:
        compare_realtext(args.realtext, args.show)
        return
    if args.time_against:
        from engage.nlp.redact import redact

        time_against(redact, redactor_at(args.time_against).redact, args.time_against)
        return
    if args.rev:
        import engage.nlp.redact as current

        old = redactor_at(args.rev)
        current.redact = old.redact  # the test's measure() calls engage.nlp.redact.redact
    tests = load_module("test_redact", ROOT / "tests" / "nlp" / "test_redact.py")
    if args.rev:
        tests.redact = old.redact
    path = ROOT / "tests" / "nlp" / "data" / ("pii_cases_pending.jsonl" if args.pending else "pii_cases.jsonl")
    cases = [json.loads(line) for line in path.read_text().splitlines()]
    batches = PENDING_BATCHES if args.pending else BATCHES
    for name, (first, last) in {**batches, "all": (1, len(cases))}.items():
        batch = cases[first - 1:last]
        for lang in ("da", "en"):
            sub = [c for c in batch if c["lang"] == lang]
            recall, precision, _misses = tests.measure(sub)
            look = [c for c in sub if c["kind"] == "lookalike"]
            kept = sum(tests.redact(c["text"], c["lang"]).text == c["text"] for c in look)
            print(f"{name:12} {lang}: recall {recall:.3f}, precision {precision:.3f}, look-alikes kept {kept}/{len(look)}")
    if args.time:
        print(f"redact: {time_redactor(tests.redact):.1f} µs per answer")


def time_redactor(redact) -> float:
    """Return the best of 5 mean times (µs) of `redact` over bench_pipeline's generated answers
    (the lemma tables loaded first, as the analysis pipeline has them)."""
    import time

    from bench.bench_pipeline import answers
    from engage.nlp.text import lemma_table

    lemma_table("da"), lemma_table("en")
    texts = answers(3000, seed=1)
    for text, lang in texts[:200]:
        redact(text, lang)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for text, lang in texts:
            redact(text, lang)
        best = min(best, (time.perf_counter() - started) / len(texts) * 1e6)
    return best


def time_against(redact, old_redact, rev: str, rounds: int = 5) -> None:
    """Print µs per answer of `redact` and `old_redact` on bench_pipeline's generated answers,
    measured answer by answer in turn (which goes first alternates), in `rounds` rounds, and the
    median of the rounds' ratios."""
    import statistics
    import time

    from bench.bench_pipeline import answers
    from engage.nlp.text import lemma_table

    lemma_table("da"), lemma_table("en")
    texts = answers(2000, seed=1)
    for text, lang in texts:  # both warm: caches filled, patterns compiled
        redact(text, lang), old_redact(text, lang)
    clock = time.perf_counter_ns
    ratios = []
    for r in range(rounds):
        now = before = 0
        for i, (text, lang) in enumerate(texts):
            first, second = (redact, old_redact) if i % 2 else (old_redact, redact)
            t0 = clock()
            first(text, lang)
            t1 = clock()
            second(text, lang)
            t2 = clock()
            now += t1 - t0 if first is redact else t2 - t1
            before += t2 - t1 if first is redact else t1 - t0
        ratios.append(now / before)
        print(f"round {r + 1}: {now / len(texts) / 1000:.0f} µs per answer, {rev}: {before / len(texts) / 1000:.0f} µs, "
              f"ratio {now / before:.3f}")
    print(f"median ratio to {rev}: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
