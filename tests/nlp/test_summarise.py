"""Themed summaries: numbers, sentiment, key phrases, quotes and bilingual headings (the rules of
sub-topics, civility, quote cutting and the generated summaries: test_summary_rules.py)."""

from __future__ import annotations

import json
from itertools import combinations

import pytest

from engage.nlp.keyphrases import Corpus
from engage.nlp.summarise import (
    NONE,
    SentimentSplit,
    SummaryItem,
    ThemeSummary,
    format_share,
    render_text,
    summarise,
    summarise_records,
)

MOBILITY_DA = [
    "Der mangler flere cykelstier i byen, og busserne kører alt for sjældent om aftenen.",
    "Cykelstierne langs Amagerbrogade er alt for smalle og farlige for børn.",
    "Bussen til hospitalet kommer kun hver halve time, det er ikke godt nok.",
    "Parkeringspladserne forsvinder og trafikken står stille hver morgen på ringvejen.",
    "Metroen burde forlænges til Brønshøj, så vi kan lade bilen stå.",
    "Jeg cykler hver dag, men cykelstierne er fulde af huller og glasskår.",
    "Flere delebiler og ladestandere til elbiler i boligområderne, tak.",
    "S-togene er altid forsinkede, og der er ingen information på perronen.",
]
MOBILITY_EN = [
    "The bike lanes are too narrow and the buses are always late in the evening.",
    "Please extend the metro, commuting by car takes forever.",
    "More charging points for electric cars would help a lot.",
]
ENERGY_DA = [
    "Fjernvarmen er blevet alt for dyr, og regningen stiger hvert år.",
    "Sæt solceller på alle kommunens bygninger og skoler.",
    "Vi vil gerne have hjælp til at skifte oliefyret ud med en varmepumpe.",
    "Vindmøller ude på havet er fint, men elprisen skal ned for almindelige familier.",
    "Solceller på taget af boligforeningen ville sænke elregningen for os alle.",
    "Varmepumper bør have tilskud, så flere kan komme af med gasfyret.",
]
HOUSING_DA = [
    "Huslejen er steget så meget, at unge ikke kan bo i byen længere.",
    "Byg flere almene boliger i stedet for dyre ejerlejligheder ved havnen.",
    "Ventelisten til en almen bolig er over ti år, det er helt urimeligt.",
    "Nye boligområder skal have grønne gårde og plads til børnefamilier.",
    "Ældre mangler små boliger i deres eget kvarter, når huset bliver for stort.",
]
NO_THEME = ["Tak for muligheden for at svare.", "Ved ikke.", "Mit navn er [NAVN], hej."]


def _items(*, quotable=True) -> list[SummaryItem]:
    """Return a small bilingual set: mobility (da+en), energy, housing and no-theme answers."""
    items = []
    groups = [
        (MOBILITY_DA, "da", ("mobility",)),
        (MOBILITY_EN, "en", ("mobility",)),
        (ENERGY_DA, "da", ("energy",)),
        (HOUSING_DA, "da", ("housing",)),
        (NO_THEME, "da", ()),
    ]
    for texts, lang, themes in groups:
        for text in texts:
            items.append(
                SummaryItem(
                    id=f"a{len(items)}",
                    text=text,
                    lang=lang,
                    themes=themes,
                    sentiment=-0.3 if len(items) % 3 else 0.4,
                    quotable=quotable,
                )
            )
    return items


def test_counts_and_shares_add_up():
    """Each theme's share is its count over the whole set and primary counts add up to the total."""
    items = _items()
    items[0] = SummaryItem("a0", items[0].text, "da", ("mobility", "energy"), 0.1, True)
    summary = summarise(items)
    assert summary.total == len(items)
    assert sum(t.primary_count for t in summary.themes) == len(items)
    for theme in summary.themes:
        assert theme.share == pytest.approx(theme.count / len(items))
        assert theme.sentiment.total == theme.count
    assert summary.theme("mobility").count == len(MOBILITY_DA) + len(MOBILITY_EN)
    assert summary.theme("energy").count == len(ENERGY_DA) + 1  # the answer with two themes
    assert summary.theme("energy").primary_count == len(ENERGY_DA)
    assert summary.theme(NONE).count == len(NO_THEME)
    assert summary.themes[-1].theme == NONE


def test_sentiment_split():
    """Answers split into negative, neutral and positive around a small neutral band."""
    values = [-0.5, -0.04, 0.0, 0.3, 0.8]
    items = [
        SummaryItem(f"s{i}", "Flere cykelstier i byen.", "da", ("mobility",), v)
        for i, v in enumerate(values)
    ]
    split = summarise(items).theme("mobility").sentiment
    assert (split.negative, split.neutral, split.positive) == (1, 2, 2)
    assert split.mean == pytest.approx(sum(values) / len(values))
    assert split.shares() == {"negative": 0.2, "neutral": 0.4, "positive": 0.4}


def test_key_phrases_are_distinctive():
    """A phrase frequent in every theme is not a key phrase; each theme's own words are."""
    items = []
    common = "Kommunen burde lytte mere til borgerne."
    for theme, texts in (("mobility", MOBILITY_DA), ("energy", ENERGY_DA), ("housing", HOUSING_DA)):
        for text in texts:
            items.append(SummaryItem(f"k{len(items)}", f"{text} {common}", "da", (theme,), 0.0))
    summary = summarise(items)
    for theme in summary.themes:
        lemmas = {p.lemma for p in theme.key_phrases}
        assert not lemmas & {"kommune", "lytte", "borger", "kommunen"}, (theme.theme, lemmas)
    assert "cykelsti" in {p.lemma for p in summary.theme("mobility").key_phrases}
    assert "solcelle" in {p.lemma for p in summary.theme("energy").key_phrases}
    assert "almen bolig" in {p.lemma for p in summary.theme("housing").key_phrases}


def test_key_phrases_show_original_wording_and_skip_placeholders():
    """Key phrases read as the answers wrote them, and placeholders such as [NAVN] never count."""
    items = [
        SummaryItem(f"p{i}", f"Hej, jeg hedder [NAVN]. {text}", "da", ("mobility",), 0.0)
        for i, text in enumerate(MOBILITY_DA)
    ]
    items += [
        SummaryItem(f"q{i}", text, "da", ("energy",), 0.0) for i, text in enumerate(ENERGY_DA)
    ]
    mobility = summarise(items).theme("mobility")
    texts = {p.text for p in mobility.key_phrases}
    assert "cykelstierne" in texts or "cykelstier" in texts
    assert not any("navn" in p.lemma for p in mobility.key_phrases)


def test_quotes_only_from_quotable_answers_with_ids():
    """Quotes come only from answers allowed to be quoted, and keep their answer ids and text."""
    items = _items(quotable=False)
    allowed = {"a1", "a3", "a5", "a7", "a9"}
    items = [
        SummaryItem(it.id, it.text, it.lang, it.themes, it.sentiment, it.id in allowed)
        for it in items
    ]
    by_id = {it.id: it for it in items}
    mobility = summarise(items).theme("mobility")
    assert 3 <= len(mobility.quotes) <= 5
    for quote in mobility.quotes:
        assert quote.id in allowed
        assert quote.text == by_id[quote.id].text
    assert summarise(_items(quotable=False)).theme("mobility").quotes == ()


def test_quotes_are_not_near_duplicates():
    """Near-identical answers give at most one quote, and the 3–5 quotes differ from each other."""
    copies = [
        "Flere cykelstier i byen, tak!",
        "flere cykelstier i byen tak",
        "Flere cykelstier i byen, tak.",
        "FLERE CYKELSTIER I BYEN, TAK",
    ]
    items = [
        SummaryItem(f"d{i}", text, "da", ("mobility",), 0.0, True)
        for i, text in enumerate(copies * 3)
    ]
    items += [
        SummaryItem(f"m{i}", text, "da", ("mobility",), 0.0, True)
        for i, text in enumerate(MOBILITY_DA)
    ]
    quotes = summarise(items).theme("mobility").quotes
    assert 3 <= len(quotes) <= 5
    assert sum(q.id.startswith("d") for q in quotes) <= 1
    corpus = Corpus([q.text for q in quotes], ["da"] * len(quotes), min_df=1)
    similarity = (corpus.tfidf @ corpus.tfidf.T).toarray()
    for i, j in combinations(range(len(quotes)), 2):
        assert similarity[i, j] < 0.6, (quotes[i].text, quotes[j].text)


def test_language_tags_kept():
    """Quotes keep the language they were written in; the generated summary is in the reader's."""
    summary = summarise(_items())
    mobility = summary.theme("mobility")
    langs = {it.id: it.lang for it in _items()}
    assert all(q.lang == langs[q.id] for q in mobility.quotes)
    assert all(c.lang == "da" for c in mobility.summary("da"))
    assert all(c.lang == "en" for c in mobility.summary("en"))
    english = summarise([it for it in _items() if it.lang == "en"]).theme("mobility")
    assert english.quotes and all(q.lang == "en" for q in english.quotes)
    assert "[en]" in render_text(english, "da")


def test_generated_summary_in_both_languages_cites_answers():
    """Each theme gets a 3–6 sentence summary in Danish and in English; every claim cites answers
    of the theme, and the dict keeps the older readers' "summary" list of {"id", "text", "lang"}."""
    summary = summarise(_items())
    mobility = summary.theme("mobility")
    members = {it.id for it in _items() if "mobility" in it.themes}
    for lang in ("da", "en"):
        claims = mobility.summary(lang)
        assert 2 <= len(claims) <= 6
        assert all(set(c.ids) <= members and c.ids for c in claims)
    data = mobility.to_dict("en")
    assert [c["text"] for c in data["summary"]] == [c.text for c in mobility.summary("en")]
    assert all({"id", "text", "lang"} <= set(c) for c in data["summary"])
    assert set(data["narrative"]) == {"da", "en"}


def test_headline_danish_and_english():
    """The headline reads "412 svar (23,4 %)" in Danish and "412 answers (23.4%)" in English."""
    theme = ThemeSummary(
        theme="mobility",
        title={"da": "Mobilitet og transport", "en": "Mobility and transport"},
        count=412,
        share=412 / 1761,
        primary_count=400,
        sentiment=SentimentSplit(),
        languages={"da": 412},
    )
    assert theme.headline("da") == "412 svar (23,4\u00a0%)"
    assert theme.headline("en") == "412 answers (23.4%)"
    assert theme.heading("da") == "Mobilitet og transport: 412 svar (23,4\u00a0%)"
    assert theme.heading("en").startswith("Mobility and transport: ")
    assert format_share(0.5, "da_DK") == "50,0\u00a0%"


def test_large_numbers_and_titles_in_both_languages():
    """Counts get the locale's thousands separator and each theme carries both titles."""
    items = [
        SummaryItem(f"n{i}", "Flere cykelstier.", "da", ("mobility",), 0.0) for i in range(1234)
    ]
    summary = summarise(items)
    assert summary.headline("da") == "1.234 svar"
    assert summary.headline("en") == "1,234 answers"
    assert summary.theme("mobility").title == {
        "da": "Mobilitet og transport",
        "en": "Mobility and transport",
    }
    assert "Mobilitet og transport" in render_text(summary, "da")
    assert "Mobility and transport" in render_text(summary, "en")


def test_one_theme_and_filters_echoed():
    """Asking for one theme summarises only it, with its share of the whole set and the filters."""
    summary = summarise(_items(), theme="energy", filters={"municipality": "frederiksberg"})
    assert [t.theme for t in summary.themes] == ["energy"]
    assert summary.themes[0].share == pytest.approx(len(ENERGY_DA) / len(_items()))
    assert summary.filters == {"municipality": "frederiksberg"}
    assert summary.to_dict()["filters"] == {"municipality": "frederiksberg"}


def test_precomputed_lemmas_are_used():
    """Answers that arrive with lemmas are summarised from them."""
    items = [
        SummaryItem(
            f"l{i}", "Noget helt andet.", "da", ("mobility",), 0.0, lemmas=("cykelsti", "bus")
        )
        for i in range(4)
    ]
    items += [
        SummaryItem(f"e{i}", "Noget helt andet.", "da", ("energy",), 0.0, lemmas=("solcelle",))
        for i in range(4)
    ]
    lemmas = {p.lemma for p in summarise(items).theme("mobility").key_phrases}
    assert lemmas in ({"cykelsti bus"}, {"cykelsti", "bus"})


def test_summarise_records_on_classify_output():
    """The CLI helper reads classify lines, treats missing "quotable" as True and returns JSON."""
    records = []
    for item in _items():
        themes = [{"theme": slug, "score": 0.9} for slug in item.themes]
        if item.themes == ("energy",):
            themes = [{"theme": "climate", "score": 0.3}, {"theme": "energy", "score": 0.8}]
        records.append(
            {
                "id": item.id,
                "lang": item.lang,
                "redacted": item.text,
                "themes": themes,
                "sentiment": item.sentiment,
            }
        )
    data = summarise_records(records, locale="en", filters={"survey": "smart-city"})
    json.dumps(data)
    assert data["total"] == len(records)
    assert data["headline"] == f"{len(records)} answers"
    assert data["filters"] == {"survey": "smart-city"}
    themes = {t["theme"]: t for t in data["themes"]}
    assert themes["energy"]["primary_count"] == len(ENERGY_DA)  # sorted by score, not file order
    assert themes["mobility"]["heading"].startswith("Mobility and transport: 11 answers (")
    assert themes["mobility"]["quotes"]  # quotable by default
    assert themes[NONE]["title"] == {"da": "Uden tema", "en": "No theme"}
    danish = summarise_records(records)
    assert danish["locale"] == "da" and danish["headline"] == f"{len(records)} svar"
    assert "Mobilitet og transport" in danish["text"]


def test_empty_set():
    """An empty set gives an empty summary rather than an error."""
    summary = summarise([])
    assert summary.total == 0 and summary.themes == ()
    assert summary.headline("da") == "0 svar"
