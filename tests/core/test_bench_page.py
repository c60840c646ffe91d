"""docs/benchmarks.md is rewritten by bench/run.py: a benchmark's new run replaces its old section."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_run)

INFO = {"date": "2026-12-07 22:00 UTC", "cpus (nproc)": 2}


def page(results, keep=""):
    return bench_run.render(INFO, results, keep)


def test_a_run_replaces_the_section_its_failed_run_left():
    failed = page([("bench_adapt", {"error": "failed; see the run's stderr"}, 1.0)])
    assert "## bench_adapt" in failed

    again = page([("bench_adapt", {"title": "Learning", "cue_words": 5}, 2.0)], keep=failed)

    assert "## Learning" in again and "| cue_words | 5 |" in again
    assert "## bench_adapt" not in again and "failed" not in again


def test_a_failed_run_replaces_the_section_of_the_last_good_run():
    good = page([("bench_adapt", {"title": "Learning", "cue_words": 5}, 2.0)])

    failed = page([("bench_adapt", {"error": "failed; see the run's stderr"}, 1.0)], keep=good)

    assert "## bench_adapt" in failed and "## Learning" not in failed


def test_sections_of_benchmarks_not_run_now_are_kept():
    both = page([("bench_adapt", {"title": "Learning", "cue_words": 5}, 2.0),
                 ("bench_pipeline", {"title": "Per-answer", "ratio": 0.2}, 2.0)])

    rerun = page([("bench_pipeline", {"title": "Per-answer", "ratio": 0.3}, 2.0)], keep=both)

    assert "| cue_words | 5 |" in rerun and "| ratio | 0.3 |" in rerun and "| ratio | 0.2 |" not in rerun
