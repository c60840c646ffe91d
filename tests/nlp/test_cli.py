"""The `flask nlp` command-line contract (DESIGN.md §6)."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from engage.nlp.cli import nlp_cli


@pytest.fixture()
def runner(tmp_path):
    """Return a CLI runner for a minimal app whose model directory is empty (lexicon only)."""
    app = Flask("t")
    app.config["NLP_MODEL_DIR"] = str(tmp_path / "models")
    app.cli.add_command(nlp_cli)
    return app.test_cli_runner()


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_classify_preserves_ids_and_order_and_gives_empty_themes(runner, tmp_path):
    """Each input line gives one output line with the same id, in order; no theme gives []."""
    infile = _write(tmp_path / "in.jsonl", [
        json.dumps({"id": "b", "text": "Flere cykelstier og busser tak", "lang": "da"}),
        json.dumps({"id": "a", "text": "Tak for nu", "lang": None}),
        json.dumps({"id": 3, "text": "Call me on +45 22 33 44 55 about the rent", "lang": "da"}),
    ])
    result = runner.invoke(args=["nlp", "classify", str(infile)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in rows] == ["b", "a", 3]
    assert rows[0]["themes"][0]["theme"] == "mobility" and rows[0]["lang"] == "da"
    assert rows[1]["themes"] == []
    assert rows[2]["lang"] == "en" and "22 33 44 55" not in rows[2]["redacted"]
    assert set(rows[0]) == {"id", "lang", "redacted", "themes", "sentiment"}
    scores = [t["score"] for t in rows[0]["themes"]]
    assert scores == sorted(scores, reverse=True)


def test_malformed_lines_are_reported_with_line_numbers_and_skipped(runner, tmp_path):
    """A broken line is named on stderr by its number and the run carries on."""
    infile = _write(tmp_path / "in.jsonl", [
        json.dumps({"id": 1, "text": "Flere træer"}),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": "Bedre skoler"}),
    ])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(args=["nlp", "classify", str(infile), "-o", str(out)])
    assert result.exit_code == 0
    assert "line 2" in result.stderr and "line 3" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [1, 4]


def test_evaluate_prints_the_report_and_json(runner, tmp_path):
    """`nlp evaluate` prints the table, and the full report with --json."""
    infile = _write(tmp_path / "gold.jsonl", [
        json.dumps({"text": "Flere cykelstier", "themes": ["mobility"], "lang": "da"}),
        json.dumps({"text": "Tak", "themes": []}),
    ])
    result = runner.invoke(args=["nlp", "evaluate", str(infile)])
    assert result.exit_code == 0 and "micro" in result.stdout
    as_json = runner.invoke(args=["nlp", "evaluate", str(infile), "--json"])
    assert json.loads(as_json.stdout)["per_theme"]["mobility"]["f1"] == 1.0


def test_summarise_writes_json_for_unclassified_lines(runner, tmp_path):
    """`nlp summarise` classifies lines without themes and writes one JSON summary."""
    infile = _write(tmp_path / "in.jsonl", [
        json.dumps({"id": i, "text": t, "lang": "da"})
        for i, t in enumerate(["Flere cykelstier tak", "Busserne er altid forsinkede",
                               "Cykelstierne er for smalle", "Tak for nu"])
    ])
    out = tmp_path / "summary.json"
    result = runner.invoke(args=["nlp", "summarise", str(infile), "-o", str(out), "--locale", "en"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(out.read_text(encoding="utf-8")), dict)


def test_empty_and_blank_texts_give_an_empty_result_not_a_crash(runner, tmp_path):
    """An empty or blank answer yields [] themes and sentiment 0, and the run goes on."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": "a", "text": "", "lang": null}\n{"id": "b", "text": "   ", "lang": "da"}\n'
        '{"id": "c", "text": "flere busser og cykelstier", "lang": null}\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["nlp", "classify", str(src)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[0]["themes"] == [] and rows[0]["sentiment"] == 0.0
    assert rows[2]["themes"][0]["theme"] == "mobility"
