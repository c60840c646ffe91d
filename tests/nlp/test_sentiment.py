"""Sentiment per answer and per sentence, in Danish and English."""

from __future__ import annotations

from engage.nlp.analyse import Analyser
from engage.nlp.sentiment import sentiment


def test_clear_danish_and_english_sentences_get_the_right_sign():
    """Praise is positive and complaints negative in both languages."""
    assert sentiment("Det er en fantastisk god idé, tak!", "da") > 0.3
    assert sentiment("Det er elendigt og helt uacceptabelt, jeg er meget skuffet", "da") < -0.3
    assert sentiment("I love the new park, it is great", "en") > 0.3
    assert sentiment("The buses are terrible and always delayed", "en") < -0.3
    assert sentiment("Bussen kører klokken 8", "da") == 0.0


def test_negation_flips_the_sign():
    """"ikke god" and "not good" read as negative."""
    assert sentiment("Det er ikke godt", "da") < 0
    assert sentiment("This is not good", "en") < 0


def test_topic_words_are_not_opinions():
    """Mentioning waste ("affald") or calling something expensive ("dyrt") is not praise."""
    assert sentiment("Affald skal sorteres", "da") == 0.0
    assert sentiment("Det er alt for dyrt", "da") < 0


def test_each_sentence_gets_its_own_score():
    """A mixed answer has a positive and a negative sentence with their character offsets."""
    text = "Parken er dejlig. Men stierne er farlige om natten."
    analysis = Analyser.load(None).analyse(text, "da")
    assert len(analysis.sentences) == 2
    first, second = analysis.sentences
    assert text[first.start : first.end] == "Parken er dejlig."
    assert first.sentiment > 0 > second.sentiment
