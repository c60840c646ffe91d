"""Form mode: walking the demo survey, show_if, validation that keeps input, idempotent submit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import Answer, Response

SECTION_1 = {"q_municipality": "gladsaxe", "q_stakeholder": "citizen"}
SECTION_2 = {"q_focus": ["mobility", "waste"], "q_transport": "bike",
             "q_priorities": "Flere cykelstier og bedre busser til Gladsaxe."}
SECTION_3 = {"q_digital_confidence": "8", "q_invest-transit": "1", "q_invest-green_energy": "2",
             "q_invest-digital": "3", "q_invest-housing": "4", "q_ideas": "", "q_area": "Grønt og roligt"}
SECTION_4 = {"q_quote_ok": "y", "q_data_ok": "y"}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def walk_to_last(r) -> None:
    for section in (SECTION_1, SECTION_2, SECTION_3):
        page = r.send(section)
        assert page.status_code == 200, page.get_data(as_text=True)[:2000]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_complete_demo_survey_creates_one_response(app, demo_survey, respondent, lang):
    """A respondent who answers every section gets a receipt; exactly one response is stored."""
    r = respondent(demo_survey, lang)
    assert r.page.status_code == 200
    assert f'<html lang="{lang}">' in r.html
    walk_to_last(r)
    done = r.send(SECTION_4, action="submit")
    assert done.status_code == 303
    assert f"/{lang}/receipt/" in done.headers["Location"]
    assert count(app, Response) == 1
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.municipality.slug == "gladsaxe"
        assert response.stakeholder_type == "citizen"
        assert response.quote_consent is True
        assert response.locale == lang
        keys = {a.question.key for a in response.answers}
        assert {"municipality", "focus", "transport", "priorities", "invest", "data_ok"} <= keys
        assert "transit_ok" not in keys  # its condition (public transport) did not hold
        ranking = next(a for a in response.answers if a.question.key == "invest")
        assert ranking.value == ["transit", "green_energy", "digital", "housing"]


def test_double_submit_yields_one_response_and_same_receipt(app, demo_survey, respondent, client):
    """Two identical final POSTs (a double click or a retry) store one response, same receipt."""
    r = respondent(demo_survey)
    walk_to_last(r)
    data = {**r.hidden, **SECTION_4, "action": "submit"}
    first = client.post(r.url, data=data)
    second = client.post(r.url, data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, Response) == 1


def test_missing_required_answer_shows_error_next_to_field_and_keeps_input(demo_survey, respondent):
    """Leaving a required question empty re-shows the page with a summary, the error, and the typed text."""
    r = respondent(demo_survey, "en")
    page = r.send({"q_stakeholder": "business", "q_organisation": "Grøn Cykel ApS"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="error-summary"' in html
    assert 'href="#q_municipality-group"' in html
    assert 'id="q_municipality-error"' in html
    assert 'value="Grøn Cykel ApS"' in html
    assert 'value="business" checked' in html


def test_too_long_text_is_refused_with_message_and_kept(demo_survey, respondent):
    """An over-long answer gets a clear message and is not cut or lost."""
    r = respondent(demo_survey, "en")
    r.send(SECTION_1)
    long_text = "cykelsti " * 700
    page = r.send({**SECTION_2, "q_priorities": long_text})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Your answer is too long: at most 5000 characters." in html
    assert long_text.strip() in html


def test_unknown_choice_is_refused_with_message(demo_survey, respondent):
    """A value that is not one of the options gets a translated message, not a 500."""
    r = respondent(demo_survey, "en")
    page = r.send({"q_municipality": "atlantis", "q_stakeholder": "citizen"})
    assert page.status_code == 422
    assert "Choose one of the options shown." in page.get_data(as_text=True)


def test_tampered_state_is_refused(demo_survey, respondent):
    """A changed hidden field is refused with a clear message (400)."""
    r = respondent(demo_survey, "en")
    r.hidden["state"] = r.hidden["state"][:-3] + "abc"
    page = r.send(SECTION_1)
    assert page.status_code == 400
    assert "Part of the form was changed or is missing" in page.get_data(as_text=True)


def test_ranking_rejects_repeated_places(demo_survey, respondent):
    """Giving two options the same place is explained, and the chosen places are kept."""
    r = respondent(demo_survey, "en")
    r.send(SECTION_1)
    r.send(SECTION_2)
    page = r.send({**SECTION_3, "q_invest-digital": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Each place can only be used once." in html


def test_show_if_on_earlier_section_asks_follow_up_only_when_it_applies(demo_survey, respondent):
    """Low digital confidence brings the follow-up question; high confidence skips it."""
    low = respondent(demo_survey, "en")
    low.send(SECTION_1)
    low.send(SECTION_2)
    page = low.send({**SECTION_3, "q_digital_confidence": "2"})
    assert 'name="q_digital_help"' in page.get_data(as_text=True)

    high = respondent(demo_survey, "en")
    high.send(SECTION_1)
    high.send(SECTION_2)
    page = high.send(SECTION_3)
    assert 'name="q_digital_help"' not in page.get_data(as_text=True)


def test_hidden_same_section_question_is_not_required_or_stored(app, make_survey, respondent):
    """A required question whose condition fails is neither validated nor stored."""
    slug = make_survey([
        {"key": "mode", "kind": "single_choice", "is_required": True,
         "options": [{"key": "bus", "da": "Bus", "en": "Bus"}, {"key": "bike", "da": "Cykel", "en": "Bike"}]},
        {"key": "bus_ok", "kind": "likert", "is_required": True, "show_if": {"question": "mode", "in": ["bus"]}},
    ])
    r = respondent(slug, "en")
    assert "data-show-if" in r.html
    page = r.send({"q_mode": "bike", "q_bus_ok": "5"}, action="submit")
    assert page.status_code == 303
    with app.app_context():
        keys = [a.question.key for a in db.session.scalars(select(Answer))]
    assert keys == ["mode"]

    r = respondent(slug, "en")
    page = r.send({"q_mode": "bus"}, action="submit")
    assert page.status_code == 422
    assert 'id="q_bus_ok-error"' in page.get_data(as_text=True)


def test_back_keeps_answers_of_both_sections(demo_survey, respondent):
    """Going back shows the earlier answers, and going forward again shows the later ones."""
    r = respondent(demo_survey, "en")
    r.send(SECTION_1)
    page = r.send({"q_priorities": "Bedre busser"}, action="back")
    html = page.get_data(as_text=True)
    assert 'selected value="gladsaxe"' in html
    page = r.send(SECTION_1)
    assert "Bedre busser" in page.get_data(as_text=True)


def test_language_switch_mid_survey_keeps_typed_text(demo_survey, respondent):
    """Switching language on a form page re-shows the same step in the other language with input kept."""
    r = respondent(demo_survey, "da")
    r.send(SECTION_1)
    page = r.send({"q_priorities": "Mere grønt"}, action="stay", url=f"/en/s/{demo_survey}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="en">' in html
    assert "What is the most important thing" in html
    assert "Mere grønt" in html


def test_honeypot_filled_is_refused(app, demo_survey, respondent):
    """A bot that fills the hidden website field stores nothing."""
    r = respondent(demo_survey, "en")
    page = r.send({**SECTION_1, "website": "http://spam.example"})
    assert page.status_code == 400
    assert count(app, Response) == 0


def test_expired_csrf_token_keeps_input_and_asks_to_send_again(app, demo_survey, respondent):
    """A stale or missing CSRF token re-shows the page with everything typed and a fresh token."""
    r = respondent(demo_survey, "en")
    r.hidden["csrf_token"] = "stale"
    page = r.send({**SECTION_1, "q_stakeholder": "business", "q_organisation": "Grøn Cykel ApS"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "please check your answers and send the page again" in html
    assert 'value="Grøn Cykel ApS"' in html
    assert count(app, Response) == 0
    page = r.send({**SECTION_1})
    assert page.status_code == 200
    assert 'name="q_transport"' in page.get_data(as_text=True)
