"""Pipelines from config: trained state survives to_disk/from_disk; the Analyser's contract."""

from __future__ import annotations

from engage.nlp.analyse import Analyser
from engage.nlp.components import TEXTCAT, combiner_of, lexicon_of
from engage.nlp.pipeline import build_pipeline, load_pipeline
from engage.nlp.train import predict_cats, theme_slugs, train_textcat

TINY = [
    ("Flere cykelstier og bedre busser", ["mobility"]),
    ("Toget er altid forsinket", ["mobility"]),
    ("Metroen skal udvides til Brønshøj", ["mobility"]),
    ("Huslejen er alt for høj", ["housing"]),
    ("Byg flere almene boliger", ["housing"]),
    ("Vi har ikke råd til en lejlighed", ["housing"]),
    ("Lægen har for lang ventetid", ["health"]),
    ("Ældreplejen mangler hænder", ["health"]),
    ("Hospitalet er for langt væk", ["health"]),
    ("Tak for nu", []),
    ("Ved ikke", []),
    ("Ingen kommentarer", []),
]
PROBES = ["Cyklerne og busserne", "Husleje og boliger", "Lægen og hospitalet", "Hej med dig"]
CFG = {"epochs": 30, "dropout": 0.0, "batch_start": 4, "batch_stop": 4, "learn_rate": 0.05}


def _overfit():
    nlp = build_pipeline("da")
    docs = [lexicon_of(nlp)(nlp.get_pipe("engage_lemmas")(nlp.make_doc(t))) for t, _ in TINY]
    train_textcat(nlp, docs, [g for _, g in TINY], theme_slugs(), CFG, seed=1)
    params = {t: {"bias": -3.0, "model": 1.0, "lex": 2.0, "strong": 1.0, "threshold": 0.45}
              for t in theme_slugs()}
    combiner_of(nlp).set_params(params, uses_model=True)
    lexicon_of(nlp).set_lexicon({"housing": {"keywords": ["lejebolig", "husleje"]}})
    return nlp


def _predict(nlp):
    docs = list(nlp.pipe(PROBES))
    return ([d.cats for d in docs], [[(t.theme, t.score, t.triggers) for t in d._.themes] for d in docs])


def test_trained_components_predict_the_same_after_save_and_reload(tmp_path):
    """A trained textcat, its combiner thresholds and an edited lexicon survive to_disk/load."""
    nlp = _overfit()
    cats, themes = _predict(nlp)
    assert themes[0][0][0] == "mobility" and themes[1][0][0] == "housing"
    assert themes[3] == []
    nlp.to_disk(tmp_path / "da")
    reloaded = load_pipeline(tmp_path / "da")
    cats2, themes2 = _predict(reloaded)
    assert themes2 == themes
    for a, b in zip(cats, cats2, strict=True):
        assert a.keys() == b.keys()
        assert all(abs(a[k] - b[k]) < 1e-6 for k in a)
    assert combiner_of(reloaded).params("mobility")["threshold"] == 0.45
    assert "lejebolig" in lexicon_of(reloaded).lexicon.to_dict()["housing"]["keywords"]
    assert predict_cats(reloaded, [reloaded.make_doc("x")]).shape == (1, len(theme_slugs()))


def test_pipeline_is_built_from_the_config_file():
    """The pipeline has the documented components in order, on a blank Danish base."""
    nlp = build_pipeline("da")
    assert nlp.lang == "da"
    assert nlp.pipe_names == ["engage_lemmas", "engage_lexicon", TEXTCAT,
                              "engage_combiner", "engage_sentiment"]
    assert TEXTCAT not in build_pipeline("en", with_model=False).pipe_names


def test_lexicon_only_analyser_redacts_and_explains():
    """Without a model, themes come from the lexicon ("rule"), after personal data is removed."""
    analyser = Analyser.load(None)
    result = analyser.analyse("Ring til mig på 22 33 44 55 om cykelstien", "da")
    assert result.model_version == "lexicon-only"
    assert "22 33 44 55" not in result.redacted and result.redactions
    assert [t.theme for t in result.themes] == ["mobility"]
    assert result.themes[0].source == "rule" and result.themes[0].triggers == ("cykelstien",)
    assert analyser.analyse("Tak for nu", "da").themes == ()


def test_analyse_many_keeps_order_and_routes_languages():
    """Batch analysis returns one result per answer, in order, each in its own language."""
    items = [("Flere busser tak", "da"), ("More bike lanes please", "da"),
             ("Wir brauchen mehr Radwege in der Stadt", "en"), ("", None)]
    results = list(Analyser.load(None).analyse_many(items, batch_size=2))
    assert [r.lang for r in results] == ["da", "en", "other", "other"]
    assert [r.themes[0].theme if r.themes else None for r in results][:2] == ["mobility", "mobility"]
