"""Language detection on short answers, and the survey locale as a prior."""

from __future__ import annotations

import pytest

from engage.nlp.language import detect_language

DANISH = ["mere cykelsti tak", "bedre busser", "flere træer", "sæt huslejen ned",
          "luk ikke biblioteket", "lyt til borgerne", "Rejsekort virker ikke", "for høj husleje"]
ENGLISH = ["more bike lanes", "fix the potholes", "cheaper rent please", "listen to citizens",
           "trains are late", "schools need money", "the S-tog is always late",
           "Please make the Rejsekort app work"]


@pytest.mark.parametrize("prior", [None, "da", "en"])
def test_three_word_answers_are_recognised_whatever_the_survey_language(prior):
    """A three-word Danish or English answer is recognised even on a survey in the other language."""
    assert [detect_language(t, prior) for t in DANISH] == ["da"] * len(DANISH)
    assert [detect_language(t, prior) for t in ENGLISH] == ["en"] * len(ENGLISH)


def test_prior_decides_ambiguous_one_word_answers():
    """"ok" or "super" counts as the survey's language, because the text alone cannot tell."""
    assert detect_language("ok", "da") == "da"
    assert detect_language("ok", "en") == "en"
    assert detect_language("super", "en") == "en"


def test_text_without_letters_gets_the_prior_or_other():
    """An answer of digits or punctuation is in the survey language, or "other" without one."""
    assert detect_language("123 !!", "en") == "en"
    assert detect_language("", None) == "other"


def test_other_languages_are_not_forced_into_danish_or_english():
    """German, Swedish and Norwegian sentences come back as "other" (Danish ones do not)."""
    assert detect_language("Wir brauchen mehr Radwege in der Stadt", "da") == "other"
    assert detect_language("Vi behöver fler cykelvägar i staden", "da") == "other"
    assert detect_language("Vi trenger flere sykkelveier i byen vår", "da") == "other"
    assert detect_language("Vi skal have flere cykelstier i byen", "en") == "da"
