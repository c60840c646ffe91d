"""Unknown, draft, closed and not-yet-open surveys get clear translated pages, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engage.models.base import utcnow


@pytest.mark.parametrize("lang", ["da", "en"])
def test_unknown_survey_is_404_in_page_language(client, lang):
    """An unknown survey address shows a not-found page in the page's language."""
    page = client.get(f"/{lang}/s/no-such-survey")
    assert page.status_code == 404
    assert f'<html lang="{lang}">' in page.get_data(as_text=True)


def test_draft_survey_is_hidden(client, make_survey):
    """A draft survey is not reachable by citizens."""
    make_survey(status="draft")
    assert client.get("/en/s/test-survey").status_code == 404


def test_closed_survey_says_when_it_closed(client, make_survey):
    """A survey past its closing date explains that it is closed (410)."""
    make_survey(closes_at=utcnow() - timedelta(days=1))
    page = client.get("/en/s/test-survey")
    assert page.status_code == 410
    assert "“Test survey” closed on" in page.get_data(as_text=True)


def test_answer_sent_after_closing_is_refused(app, make_survey, respondent):
    """A respondent who sends after the survey closed gets the closed page; nothing is stored."""
    from sqlalchemy import func, select, update

    from engage.core.extensions import db
    from engage.models import Response, Survey

    slug = make_survey([{"key": "idea", "kind": "short_text"}])
    r = respondent(slug, "en")
    with app.app_context():
        db.session.execute(update(Survey).values(status="closed"))
        db.session.commit()
    page = r.send({"q_idea": "Flere træer"}, action="submit")
    assert page.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 0


def test_future_survey_says_when_it_opens(client, make_survey):
    """A survey that has not opened yet says when it opens."""
    make_survey(opens_at=utcnow() + timedelta(days=3))
    page = client.get("/en/s/test-survey")
    assert page.status_code == 403
    assert "This survey opens on" in page.get_data(as_text=True)


def test_list_shows_only_open_surveys(client, make_survey):
    """The survey list shows open surveys and hides closed ones."""
    make_survey(slug="open-one", title_en="Open one")
    make_survey(slug="closed-one", title_en="Closed one", status="closed")
    html = client.get("/en/").get_data(as_text=True)
    assert "Open one" in html and "Closed one" not in html


def test_missing_english_title_falls_back_visibly(client, make_survey):
    """A survey without an English title shows the Danish one, marked with lang="da"."""
    make_survey(title_en="")
    html = client.get("/en/").get_data(as_text=True)
    assert '<span lang="da" class="fallback-lang">Testundersøgelse</span>' in html


def test_oversized_request_gets_translated_413(client, make_survey):
    """A request body far beyond any answer is refused with a clear page, not a 500."""
    make_survey([{"key": "idea", "kind": "long_text"}])
    page = client.post("/da/s/test-survey", data={"q_idea": "x" * 400_000, "action": "submit"})
    assert page.status_code == 413
    assert "større, end vi kan modtage" in page.get_data(as_text=True)
