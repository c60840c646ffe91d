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
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "eval/realtext/items.jsonl" in ignored and "eval/realtext/extra/items.jsonl" in ignored
    assert all("text" not in r for r in realtext.read_jsonl(DATA / "ids.jsonl"))
    assert all("text" not in r for r in realtext.read_jsonl(realtext.EXTRA / "ids.jsonl"))


def test_the_answers_to_learn_from_are_apart_from_the_evaluation_set():
    """The extra answers carry final labels from two passes and the adjudication, and none of them
    is an evaluation answer."""
    extra = realtext.read_jsonl(realtext.EXTRA / "ids.jsonl")
    evaluation = {r["id"] for r in realtext.read_jsonl(DATA / "ids.jsonl")}
    assert extra and not {r["id"] for r in extra} & evaluation
    labels = {r["id"]: r["themes"] for r in realtext.read_jsonl(realtext.EXTRA / "labels.jsonl")}
    assert labels == realtext.final_labels(realtext.read_jsonl(realtext.EXTRA / "labels_passA.jsonl"),
                                           realtext.read_jsonl(realtext.EXTRA / "labels_passB.jsonl"),
                                           realtext.read_jsonl(realtext.EXTRA / "adjudicated.jsonl"))
    assert list(labels) == [r["id"] for r in extra]


def test_the_encoder_learns_from_dev_and_extra_answers_only_and_ships_no_text():
    """The theme head's real-text examples are the dev half's and the extra answers' vectors and
    final labels: no text, nothing of the test half."""
    import numpy as np

    from engage.nlp import encoder

    data = np.load(encoder.REALTEXT_FILE)
    assert set(data.files) == {"vectors", "themes", "lang", "source", "id", "set"}
    dev = json.loads((DATA / "split.json").read_text(encoding="utf-8"))["dev"]
    extra = {r["id"]: r["themes"] for r in realtext.read_jsonl(realtext.EXTRA / "labels.jsonl")}
    ids = data["id"].tolist()
    assert sorted(i for i, s in zip(ids, data["set"], strict=True) if s == "dev") == dev
    assert sorted(i for i, s in zip(ids, data["set"], strict=True) if s == "extra") == sorted(extra)
    labels = {**realtext.load_labels(), **extra}
    assert all(str(themes).split() == labels[i] for i, themes in zip(ids, data["themes"], strict=True))
    assert data["vectors"].shape == (len(dev) + len(extra), 384) and data["vectors"].dtype == np.float16
    norms = np.linalg.norm(data["vectors"].astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=0.01)  # unit vectors, as encoder.embed gives
    vectors, golds = encoder.realtext_examples(["mobility", "health"])  # only the themes asked for
    assert len(golds) == len(ids) and {t for g in golds for t in g} == {"mobility", "health"}
    nyc = int((data["source"] == "nyc-cbbr").sum())
    assert nyc and len(encoder.realtext_examples(["mobility"], without_sources=["nyc-cbbr"])[1]) == len(ids) - nyc
