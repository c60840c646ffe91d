"""Training writes a versioned model with metrics and never activates a worse one."""

from __future__ import annotations

import json
import random

from engage.nlp.pipeline import active_version, read_meta
from engage.nlp.train import default_data_paths, read_records, stratified_split, train


def small_corpus(path, per_stratum=12, shuffle_labels=False):
    """Write a small stratified sample of the shipped corpus to `path` and return it."""
    records = read_records(default_data_paths())
    taken: dict = {}
    sample = []
    for rec in records:
        key = (rec["lang"], (rec["themes"] or ["none"])[0])
        if taken.get(key, 0) < per_stratum:
            taken[key] = taken.get(key, 0) + 1
            sample.append(rec)
    if shuffle_labels:
        labels = [r["themes"] for r in sample]
        random.Random(3).shuffle(labels)
        sample = [{**r, "themes": lab} for r, lab in zip(sample, labels, strict=True)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample), "utf-8")
    return sample


def test_train_writes_version_meta_and_activates(tmp_path):
    """Training saves <version>/meta.json with per-theme and per-language metrics, and ACTIVE."""
    data = tmp_path / "small.jsonl"
    small_corpus(data)
    result = train([data], tmp_path / "models", seed=0)
    assert result.activated and not result.skipped
    assert active_version(tmp_path / "models") == result.version
    meta = read_meta(tmp_path / "models", result.version)
    assert meta["seed"] == 0 and meta["data_hash"]
    assert set(meta["metrics"]["languages"]) == {"da", "en"}
    assert "mobility" in meta["metrics"]["per_theme"]
    assert meta["sizes"]["da"]["test"] > 0
    assert (result.path / "da" / "engage_combiner" / "combiner.json").is_file()
    again = train([data], tmp_path / "models", seed=0, if_missing=True)
    assert again.skipped and again.version == result.version


def test_train_is_reproducible(tmp_path):
    """The same data and seed give the same held-out numbers."""
    data = tmp_path / "small.jsonl"
    small_corpus(data, per_stratum=8)
    first = train([data], tmp_path / "a", seed=0)
    second = train([data], tmp_path / "b", seed=0)
    assert first.version == second.version
    assert first.metrics["micro"] == second.metrics["micro"]


def test_a_worse_model_is_not_activated_unless_forced(tmp_path):
    """Retraining on scrambled labels keeps the better model active and says why; --force overrides."""
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    small_corpus(good)
    small_corpus(bad, shuffle_labels=True)
    models = tmp_path / "models"
    first = train([good], models)
    worse = train([bad], models)
    assert not worse.activated and "worse" in worse.reason
    assert active_version(models) == first.version
    forced = train([bad], models, force=True)
    assert forced.activated and active_version(models) == forced.version


def test_held_out_split_is_stratified_and_disjoint():
    """Every language × first-theme stratum is represented in the held-out split, with no overlap."""
    records = read_records(default_data_paths())
    rest, held = stratified_split(records, 0.2, seed=0)
    assert not {r["text"] for r in rest} & {r["text"] for r in held}
    assert len(rest) + len(held) == len(records)
    strata = {(r["lang"], (r["themes"] or ["none"])[0]) for r in records}
    assert strata == {(r["lang"], (r["themes"] or ["none"])[0]) for r in held}
