"""One source of truth for the taxonomy: the database's themes are the engine's themes, and the
team's keyword edits in the database change what the analyser finds."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Theme
from engage.nlp.lexicon import shipped_spec
from engage.nlp.pipeline import active_version
from engage.surveys.analysis import SpacyAnswerAnalyser


def test_engine_slugs_equal_database_slugs(app):
    """The seeded themes, the engine's theme file, both lexicons and the trained model agree."""
    with app.app_context():
        database = set(db.session.scalars(select(Theme.slug)))
    engine = {t["slug"] for t in json.loads(resources.files("engage.nlp").joinpath("data/themes.json").read_text())}
    lexicons = {lang: {k for k in shipped_spec(lang) if not k.startswith("_")} for lang in ("da", "en")}
    assert database == engine == lexicons["da"] == lexicons["en"]
    version = active_version(app.config["NLP_MODEL_DIR"])
    assert version, "make install trains the model"
    for lang in ("da", "en"):
        cfg = Path(app.config["NLP_MODEL_DIR"]) / version / lang / "textcat_multilabel" / "cfg"
        assert set(json.loads(cfg.read_text(encoding="utf-8"))["labels"]) == database


def test_keyword_edit_in_the_database_changes_the_analysis(app):
    """A word the shipped lexicon does not know becomes evidence once the team adds it to a theme."""
    analyser = SpacyAnswerAnalyser(app.config["NLP_MODEL_DIR"], refresh_seconds=0)
    text = "Vi ønsker flere zorbakugler i byen."
    with app.app_context():
        before = {t.theme for t in analyser.analyse(text, "da").themes}
        theme = db.session.scalar(select(Theme).where(Theme.slug == "education"))
        theme.keywords_da = ["zorbakugle", "zorbakugler"]
        db.session.commit()
        try:
            after = analyser.analyse(text, "da")
            assert "education" not in before
            assert "education" in {t.theme for t in after.themes}
            assert any("zorbakugler" in trig for t in after.themes for trig in t.triggers)
        finally:
            theme.keywords_da = []
            db.session.commit()
        restored = {t.theme for t in analyser.analyse(text, "da").themes}
        assert "education" not in restored


def test_inactive_theme_is_not_stored_and_is_reported_once(app, caplog):
    """A theme switched off in the database is not stored on answers; the skip is logged once."""
    from engage.models import Answer
    from engage.surveys.analysis import apply_analysis

    analyser = SpacyAnswerAnalyser(app.config["NLP_MODEL_DIR"], refresh_seconds=0)
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.slug == "mobility"))
        theme.is_active = False
        db.session.commit()
        try:
            analysis = analyser.analyse("Flere busser og cykelstier, tak.", "da")
            assert "mobility" in {t.theme for t in analysis.themes}
            answer = Answer()
            apply_analysis(answer, analysis, analyser.theme_ids(), analyser)
            apply_analysis(answer, analysis, analyser.theme_ids(), analyser)
            assert all(at.theme_id != theme.id for at in answer.themes)
            assert caplog.text.count("'mobility'") == 1
        finally:
            db.session.rollback()
            theme.is_active = True
            db.session.commit()
