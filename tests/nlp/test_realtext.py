"""The real-text evaluation set's bookkeeping: final labels from two passes and the adjudication,
a split that halves every stratum, and a test half that has not changed since it was frozen."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "eval" / "realtext"
spec = importlib.util.spec_from_file_location("eval_realtext", ROOT / "scripts" / "eval_realtext.py")
realtext = importlib.util.module_from_spec(spec)
spec.loader.exec_module(realtext)


def test_final_labels_take_agreement_or_the_adjudication():
    first = [{"id": "a", "themes": ["waste"]}, {"id": "b", "themes": []}, {"id": "c", "themes": ["health"]}]
    second = [{"id": "a", "themes": ["waste"]}, {"id": "b", "themes": ["safety"]}, {"id": "c", "themes": ["health"]}]
    assert realtext.final_labels(first, second, [{"id": "b", "themes": []}]) == {"a": ["waste"], "b": [], "c": ["health"]}
    with pytest.raises(ValueError):
        realtext.final_labels(first, second, [])


def test_the_committed_labels_and_split_are_consistent_and_the_test_half_is_frozen():
    ids = realtext.read_jsonl(DATA / "ids.jsonl")
    labels = realtext.load_labels()
    assert labels == realtext.final_labels(realtext.read_jsonl(DATA / "labels_passA.jsonl"),
                                           realtext.read_jsonl(DATA / "labels_passB.jsonl"),
                                           realtext.read_jsonl(DATA / "adjudicated.jsonl"))
    halves = json.loads((DATA / "split.json").read_text(encoding="utf-8"))
    assert halves == realtext.split(ids, labels)  # reproducible from ids and labels alone
    assert not set(halves["dev"]) & set(halves["test"]) and len(halves["dev"]) + len(halves["test"]) == len(ids) == 800
    for source in {r["source"] for r in ids}:
        for on_topic in (True, False):
            stratum = [r["id"] for r in ids if r["source"] == source and bool(labels[r["id"]]) == on_topic]
            in_test = sum(i in set(halves["test"]) for i in stratum)
            assert abs(2 * in_test - len(stratum)) <= 1
    recorded = (DATA / "test.sha256").read_text(encoding="utf-8").strip()
    assert realtext.half_hash(halves["test"], labels) == recorded
    assert recorded in (ROOT / "docs" / "nlp.md").read_text(encoding="utf-8")


def test_the_texts_are_not_in_the_repository():
    assert "eval/realtext/items.jsonl" in (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert all("text" not in r for r in realtext.read_jsonl(DATA / "ids.jsonl"))
