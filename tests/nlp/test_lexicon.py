"""The theme lexicon: compounds, phrases, exclusions and team edits."""

from __future__ import annotations

from engage.nlp.lexicon import Lexicon, evidence
from engage.nlp.text import blank, lemmatiser


def themes_of(text: str, lang: str = "da", lexicon: Lexicon | None = None) -> dict:
    """Return theme -> triggers for `text` (strong and weak evidence alike)."""
    lexicon = lexicon or Lexicon.load(lang)
    lemma = lemmatiser(lang)
    words = [t.lower_ for t in blank(lang).make_doc(text)]
    return {t: ev[2] for t, ev in evidence(lexicon.match(words, [lemma(w) for w in words])).items()}


def test_danish_compounds_count_for_their_theme():
    """A keyword stem inside a Danish compound triggers the theme, with the compound as trigger."""
    found = themes_of("Cykelstiforbindelsen er elendig og storskraldsaffaldet bliver ikke hentet")
    assert found["mobility"] == ("cykelstiforbindelsen",)
    assert found["waste"] == ("storskraldsaffaldet",)
    assert "mobility" in themes_of("Der mangler delebiler og ladestandere til elbilerne")


def test_capitalised_and_inflected_words_match_via_lemmas():
    """"Kommunen", "Busserne" and plural phrases match the lower-case lemma entries."""
    assert "mobility" in themes_of("Busserne kører for sjældent")
    assert "mobility" in themes_of("Den kollektive trafik er for dyr")


def test_exclusions_keep_look_alike_words_out():
    """Politics is not police, a stable economy is not a car, time wasted is not waste."""
    assert "safety" not in themes_of("Klimapolitikken og boligpolitikken er for svag")
    assert "mobility" not in themes_of("Økonomien er stabil")
    assert "waste" not in themes_of("Det er spild af tid at svare")
    assert "mobility" not in themes_of("Vi modtog brevet og deltog i mødet")


def test_hyphenated_words_match_part_by_part():
    """"MitID-appen" and "co2-udledningen" count for digital and climate."""
    found = themes_of("MitID-appen virker ikke, og co2-udledningen stiger")
    assert "digital" in found and "climate" in found


def test_team_can_add_keywords_through_an_override():
    """A keyword the team adds in the dashboard is matched without a code change."""
    assert "mobility" not in themes_of("Vi vil have en svævebane til Amager")
    edited = Lexicon.load("da", {"mobility": {"keywords": ["svævebane"]}})
    assert themes_of("Vi vil have en svævebane til Amager", lexicon=edited)["mobility"] == ("svævebane",)


def test_english_phrases_and_words():
    """English answers match phrases and inflected keywords, not the pronoun "it"."""
    found = themes_of("I don't feel safe walking home and the buses are late", "en")
    assert "safety" in found and "mobility" in found
    assert "digital" not in themes_of("It is what it is", "en")
