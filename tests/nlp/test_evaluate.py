"""Evaluation reports, and the shipped corpus's held-out numbers for a model that never saw them."""

from __future__ import annotations

from engage.nlp.analyse import Analyser
from engage.nlp.evaluate import evaluate, format_report
from engage.nlp.pipeline import read_meta, training_config
from engage.nlp.train import default_data_paths, read_records, stratified_split, train

LABELLED = [
    {"text": "Flere cykelstier tak", "lang": "da", "themes": ["mobility"]},
    {"text": "Huslejen er for høj og busserne er forsinkede", "lang": "da",
     "themes": ["housing", "mobility"]},
    {"text": "Tak for nu", "lang": "da", "themes": []},
    {"text": "More trees in the parks", "lang": "en", "themes": ["environment"]},
    {"text": "Good luck", "lang": "en", "themes": []},
    {"text": "The rent is too high", "lang": "en", "themes": ["safety"]},
]


def test_report_has_per_theme_micro_macro_top1_and_no_theme_per_language():
    """The report gives P/R/F1 per theme, micro and macro, top-1 and no-theme accuracy, per language."""
    report = evaluate(LABELLED, Analyser.load(None))
    assert report["n"] == 6 and set(report["languages"]) == {"da", "en"}
    assert report["per_theme"]["mobility"]["recall"] == 1.0
    assert report["per_theme"]["safety"]["recall"] == 0.0
    assert report["no_theme_accuracy"] == 1.0
    assert 0 < report["top1_accuracy"] < 1
    assert report["languages"]["en"]["n"] == 3
    text = format_report(report)
    assert "micro" in text and "top-1 acc" in text and "en P/R/F1" in text


def test_trained_model_on_held_out_split_it_never_saw(tmp_path, capsys):
    """The shipped corpus's model, scored on its untouched held-out split, beats the lexicon alone."""
    paths = default_data_paths()
    result = train(paths, tmp_path, seed=0)
    meta = read_meta(tmp_path, result.version)
    records = read_records(paths)
    rest, held = stratified_split(records, training_config()["test_share"], seed=0)
    assert not {(r["lang"], r["text"]) for r in rest} & {(r["lang"], r["text"]) for r in held}
    trained_on = sum(s["train"] for s in meta["sizes"].values())
    assert trained_on == len(rest) and meta["metrics"]["n"] == len(held)
    report = evaluate(held, Analyser(result.path, result.version))
    assert report["micro"] == meta["metrics"]["micro"]
    with capsys.disabled():
        print("\n" + format_report(report))
    assert report["micro"]["f1"] > 0.7
    assert report["micro"]["f1"] > meta["lexicon_only_metrics"]["micro"]["f1"]
    assert report["no_theme_accuracy"] > 0.8
