"""Surveys as files: the JSON Schema, export → import → export byte-identical, and import errors
that name the exact field, through the service and the `flask surveys` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engage import PROJECT_ROOT
from engage.core.extensions import db
from engage.models import Question, Survey
from engage.surveys.files import SCHEMA_PATH, SurveyFileError, export_survey, import_survey


def test_the_schema_in_docs_is_the_one_the_code_uses():
    assert (PROJECT_ROOT / "docs" / "survey.schema.json").read_text() == SCHEMA_PATH.read_text()


def test_every_question_kind_is_in_the_schema():
    from engage.surveys.files import schema
    from engage.surveys.kinds import KINDS

    assert set(schema()["$defs"]["question"]["properties"]["kind"]["enum"]) == set(KINDS)


def test_demo_survey_round_trips_byte_identical(app, demo_survey):
    with app.app_context():
        first = export_survey(db.session.scalar(select(Survey).where(Survey.slug == demo_survey)))
        document = json.loads(first)
        document["slug"] = "demo-copy"
        imported = import_survey(json.dumps(document, ensure_ascii=False))
        db.session.commit()
        again = export_survey(imported)
        assert again == first.replace(f'"slug": "{demo_survey}"', '"slug": "demo-copy"')
        assert [q.key for q in imported.questions] == [d["key"] for d in document["questions"]]
        db.session.remove()


def test_cli_export_then_import_on_another_instance(app, demo_survey, tmp_path: Path, database_url):
    from tests.conftest import make_app

    runner = app.test_cli_runner()
    out = tmp_path / "survey.json"
    result = runner.invoke(args=["surveys", "export", demo_survey, "-o", str(out)])
    assert result.exit_code == 0, result.output
    other = make_app(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.app_context():
        from flask_migrate import upgrade

        upgrade()
    result = other.test_cli_runner().invoke(args=["surveys", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert "imported with 14 questions" in result.output
    again = other.test_cli_runner().invoke(args=["surveys", "export", demo_survey])
    assert again.output == out.read_text(encoding="utf-8")
    with other.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("change,where", [
    (lambda d: d["questions"][0].update(kind="essay"), "$.questions[0].kind"),
    (lambda d: d["title"].update(da=""), "$.title.da"),
    (lambda d: d["questions"][4].update(options=[{"key": "a", "da": "", "en": "A"}, {"key": "b", "da": "B", "en": "B"}]),
     "$.questions[4].options[0].da"),
    (lambda d: d["questions"][1].update(show_if={"question": "data_ok", "in": ["y"]}), "$.questions[1].show_if.question"),
    (lambda d: d["questions"][2].update(key=d["questions"][1]["key"]), "$.questions[2].key"),
    (lambda d: d.update(opens_at="2027-02-01T00:00:00+00:00", closes_at="2027-01-01T00:00:00+00:00"), "$.closes_at"),
    (lambda d: d.update(slug="x"), "$.slug"),
])
def test_a_bad_file_names_the_exact_field_and_adds_nothing(app, demo_survey, change, where):
    with app.app_context():
        document = json.loads(export_survey(db.session.scalar(select(Survey).where(Survey.slug == demo_survey))))
        document["slug"] = "copy-under-test" if document["slug"] == demo_survey else document["slug"]
        change(document)
        before = db.session.scalar(select(func.count(Question.id)))
        with pytest.raises(SurveyFileError) as caught:
            import_survey(json.dumps(document))
        db.session.rollback()
        assert where in [p.where for p in caught.value.problems], caught.value.problems
        assert db.session.scalar(select(func.count(Question.id))) == before
        db.session.remove()


def test_not_json_and_an_existing_slug_are_refused(app, demo_survey):
    from flask_babel import force_locale

    with app.app_context(), force_locale("en"):
        with pytest.raises(SurveyFileError) as caught:
            import_survey("{not json")
        assert caught.value.problems[0].where == "$"
        assert "not valid JSON" in caught.value.problems[0].message
        text = export_survey(db.session.scalar(select(Survey).where(Survey.slug == demo_survey)))
        with pytest.raises(SurveyFileError) as caught:
            import_survey(text)
        assert [p.where for p in caught.value.problems] == ["$.slug"]
        db.session.rollback()
        db.session.remove()
