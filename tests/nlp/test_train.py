"""Training writes a versioned model with metrics and never activates a worse one."""

from __future__ import annotations

import json
import random

from engage.nlp.pipeline import active_version, read_meta
from engage.nlp.train import (
    default_data_paths,
    merge_records,
    read_records,
    stratified_split,
    train,
)


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


PICKLEBALL = [
    "More pickleball courts please, the pickleball club has a waiting list.",
    "Pickleball is great for older people, we need courts near the library.",
    "Our pickleball group plays in a car park because there are no courts.",
    "Could the council paint pickleball lines on the old tennis courts?",
    "Pickleball nets in the sports hall would get more people moving.",
    "A pickleball league for teenagers would keep them busy after school.",
    "Pickleball courts cost little and bring neighbours together.",
    "Please keep the pickleball courts open in the evenings in summer.",
]


def test_people_labels_replace_authored_ones_and_detect_a_missing_language(tmp_path):
    authored = tmp_path / "authored.jsonl"
    authored.write_text(json.dumps({"text": "Flere busser til Ballerup", "lang": "da", "themes": ["mobility"]}) + "\n",
                        "utf-8")
    human = tmp_path / "human.jsonl"
    human.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a1", "text": "flere  busser til Ballerup", "lang": None, "themes": []},
        {"id": "a2", "text": "The bins are never emptied on our street", "lang": None, "themes": ["waste"]},
        {"id": "a3", "text": "", "lang": "da", "themes": []},
        {"id": "a4", "text": "Hvad med solceller?", "lang": "da", "themes": ["astrology"]},
    ]) + "\n", "utf-8")
    skipped: list[str] = []
    people = read_records([human], skipped.append, weight=3, source="human")
    assert [(r["id"], r["lang"], r["themes"], r["weight"]) for r in people] == [
        ("a1", "da", [], 3), ("a2", "en", ["waste"], 3)]
    assert len(skipped) == 2 and "unknown themes" in skipped[1]
    merged = merge_records(read_records([authored]), people)
    assert [(r["text"], r["themes"], r["source"]) for r in merged] == [
        ("flere  busser til Ballerup", [], "human"), ("The bins are never emptied on our street", ["waste"], "human")]


def test_train_add_learns_from_people_and_classify_uses_the_new_version(app, tmp_path):
    """`nlp train --add … --output DIR --no-activate` saves a version that learned a word no lexicon
    entry knew (pickleball); `nlp classify --model` uses it; nothing is activated."""
    data = tmp_path / "small.jsonl"
    small_corpus(data, per_stratum=8)
    human = tmp_path / "reviewed.jsonl"
    human.write_text("".join(json.dumps({"id": f"p{i}", "text": t, "lang": "en", "themes": ["education"]}) + "\n"
                             for i, t in enumerate(PICKLEBALL)), "utf-8")
    runner = app.test_cli_runner()
    models = tmp_path / "models"
    result = runner.invoke(args=["nlp", "train", "--data", str(data), "--add", str(human), "--weight", "3",
                                 "--output", str(models), "--no-activate"])
    assert result.exit_code == 0, result.output
    assert "saved, not activated" in result.output
    assert active_version(models) is None
    [version] = [p.name for p in models.iterdir() if not p.name.startswith(".")]
    meta = read_meta(models, version)
    assert meta["human_answers"] == len(PICKLEBALL) and meta["added"][0]["weight"] == 3
    assert "pickleball" in meta["learned_cues"]["en"]["education"]
    question = tmp_path / "in.jsonl"
    question.write_text(json.dumps({"id": "q", "text": "We want a pickleball court by the station.", "lang": "en"}) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(args=["nlp", "classify", "--model", str(models / version), str(question), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [t["theme"] for t in json.loads(out.read_text())["themes"]][:1] == ["education"]
    # the shipped lexicon alone does not know the word
    from engage.nlp.analyse import Analyser

    shipped = Analyser(None).analyse("We want a pickleball court by the station.", "en")
    assert "education" not in [t.theme for t in shipped.themes]
