"""The survey builder's pages: create, edit, preview, publish and version surveys in the browser's
place (the test client), with the real database; what is refused keeps what was typed."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import Answer, AuditEvent, Question, Response, Survey

from ..conftest import csrf_token  # noqa: TID252

NEW = {"slug": "cykler-2027", "lang_da": "1", "lang_en": "1", "title_da": "Cykler i byen", "title_en": "Cycling in town",
       "intro_da": "Fortæl os om cykling.", "intro_en": "Tell us about cycling.", "modes": "both", "owner": "",
       "allow_quotes": "1", "embed": "all"}


def post(client, url, data):
    """Post `data` to the form on `url` with that page's CSRF token (the survey list's, for a
    button's action that has no page of its own)."""
    page = client.get(url)
    token = csrf_token((page if page.status_code == 200 else client.get("/da/dashboard/surveys")).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def create(client, **changes):
    return post(client, "/da/dashboard/surveys/new", {**NEW, **changes})


def add_question(client, slug, **fields):
    return post(client, f"/da/dashboard/surveys/{slug}/questions/new", fields)


def survey(slug):
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def test_create_a_survey_and_its_questions(app, staff_client):
    client = staff_client("analyst")
    page = create(client)
    assert page.status_code == 303, page.get_data(as_text=True)[:3000]
    assert page.headers["Location"].endswith("/da/dashboard/surveys/cykler-2027/edit")
    page = add_question(client, "cykler-2027", kind="single_choice", section="1", text_da="Hvor ofte cykler du?",
                        text_en="How often do you cycle?", **{"option_da-0": "Dagligt", "option_en-0": "Daily",
                                                             "option_da-1": "Sjældent", "option_en-1": "Rarely"})
    assert page.status_code == 303, page.get_data(as_text=True)[:3000]
    editor = client.get("/da/dashboard/surveys/cykler-2027/edit").get_data(as_text=True)
    assert "Hvor ofte cykler du?" in editor
    with app.app_context():
        q = survey("cykler-2027").questions[0]
        assert (q.key, q.options) == ("hvor_ofte_cykler_du", [{"key": "dagligt", "da": "Dagligt", "en": "Daily"},
                                                              {"key": "sjaeldent", "da": "Sjældent", "en": "Rarely"}])
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["survey_create", "question_add"]


def test_bad_settings_are_shown_at_each_field_and_the_typed_text_is_kept(app, staff_client):
    client = staff_client("analyst")
    create(client)
    page = create(client, title_da="", intro_da="Min lange introduktion <b>", closes_at="2020-01-01T10:00",
                  opens_at="2021-01-01T10:00")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="slug-error"' in html and "cykler-2027" in html  # taken address
    assert 'id="title_da-error"' in html and 'aria-invalid="true"' in html
    assert 'id="closes_at-error"' in html
    assert "Min lange introduktion &lt;b&gt;" in html  # kept, escaped
    assert html.count('href="#') >= 3 and "intet blev gemt" in html.lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(Survey.id))) == 1


def test_bad_question_keeps_options_and_texts(app, staff_client):
    client = staff_client("analyst")
    create(client)
    page = add_question(client, "cykler-2027", kind="single_choice", text_da="Hvilken vej?", text_en="",
                        **{"option_da-0": "Strandvejen", "option_key-1": "tom"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'value="Strandvejen"' in html and 'value="tom"' in html and "Hvilken vej?" in html
    assert 'id="options-error"' in html
    more = post(client, "/da/dashboard/surveys/cykler-2027/questions/new",
                {"kind": "single_choice", "text_da": "Hvilken vej?", "option_da-0": "A", "action": "more"})
    assert more.status_code == 200 and more.get_data(as_text=True).count('name="option_da-') == 6
    with app.app_context():
        assert survey("cykler-2027").questions == []


def test_editing_an_answered_question_warns_then_makes_a_version(app, staff_client, respondent):
    client = staff_client("analyst")
    create(client)
    add_question(client, "cykler-2027", kind="single_choice", text_da="Hvor ofte?", text_en="How often?",
                 **{"option_key-0": "daily", "option_da-0": "Dagligt", "option_en-0": "Daily",
                    "option_key-1": "weekly", "option_da-1": "Ugentligt", "option_en-1": "Weekly",
                    "option_key-2": "never", "option_da-2": "Aldrig", "option_en-2": "Never"})
    assert post(client, "/da/dashboard/surveys/cykler-2027/status", {"status": "open"}).status_code == 303
    with app.app_context():
        question_id = survey("cykler-2027").questions[0].id
    walk = respondent("cykler-2027")
    assert walk.send({"q_hvor_ofte": "never"}, action="submit").status_code == 303
    receipt = client.get(walk.page.headers["Location"]).get_data(as_text=True)
    assert "Aldrig" in receipt
    url = f"/da/dashboard/surveys/cykler-2027/questions/{question_id}"
    edit = {"kind": "single_choice", "section": "1", "text_da": "Hvor tit?", "text_en": "How often?",
            "option_key-0": "daily", "option_da-0": "Dagligt", "option_en-0": "Daily",
            "option_key-1": "weekly", "option_da-1": "Ugentligt", "option_en-1": "Weekly"}
    page = post(client, url, edit)
    html = page.get_data(as_text=True)
    assert page.status_code == 409 and "never" in html and 'name="new_version"' in html
    assert "Hvor tit?" in html  # the typed change is still in the form
    page = post(client, url, edit | {"new_version": "1"})
    assert page.status_code == 303
    editor = client.get("/da/dashboard/surveys/cykler-2027/edit").get_data(as_text=True)
    assert "Hvor tit?" in editor and "version 2" in editor
    with app.app_context():
        old = db.session.get(Question, question_id)
        answer = db.session.scalar(select(Answer).where(Answer.question_id == question_id))
        assert old.retired_at is not None and answer.value == "never"
        receipt_question = answer.question
        assert receipt_question.text_da == "Hvor ofte?" and "never" in receipt_question.option_keys()
    # the citizen's receipt still shows the answer as it was given, with the old question's words
    again = client.get(walk.page.headers["Location"].replace("?new=1", "")).get_data(as_text=True)
    assert "Aldrig" in again and "Hvor ofte?" in again


def test_a_municipality_editor_edits_only_their_own_surveys(app, staff_client):
    analyst = staff_client("analyst")
    create(analyst, owner="albertslund")
    editor = staff_client("municipality_editor", "gentofte")
    assert editor.get("/da/dashboard/surveys/cykler-2027/edit").status_code == 404
    assert editor.get("/da/dashboard/surveys/cykler-2027/preview").status_code == 404
    assert editor.get("/da/dashboard/preview/s/cykler-2027").status_code == 404
    page = create(editor, slug="gentofte-cykler", owner="albertslund")
    assert page.status_code == 422 and 'id="owner-error"' in page.get_data(as_text=True)
    assert create(editor, slug="gentofte-cykler", owner="gentofte").status_code == 303
    listing = editor.get("/da/dashboard/surveys").get_data(as_text=True)
    assert "gentofte-cykler" in listing and "cykler-2027" not in listing


def test_preview_shows_a_draft_to_staff_only_and_stores_nothing(app, staff_client, client):
    analyst = staff_client("analyst")
    create(analyst, thanks_da="Tak fordi du deltog!", privacy_url="https://www.example.dk/privatliv")
    add_question(analyst, "cykler-2027", kind="long_text", text_da="Hvad mangler?", text_en="What is missing?")
    assert client.get("/da/s/cykler-2027").status_code == 404  # a draft is not public
    assert client.get("/da/dashboard/preview/s/cykler-2027").status_code == 302  # to the login page
    page = analyst.get("/da/dashboard/surveys/cykler-2027/preview?in=en&mode=chat")
    assert page.status_code == 200 and "/en/dashboard/preview/s/cykler-2027/chat" in page.get_data(as_text=True)
    frame = analyst.get("/da/dashboard/preview/s/cykler-2027")
    html = frame.get_data(as_text=True)
    assert frame.status_code == 200 and "Hvad mangler?" in html and "https://www.example.dk/privatliv" in html
    assert "frame-ancestors 'self'" in frame.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in frame.headers
    from ..conftest import hidden_fields  # noqa: TID252
    done = analyst.post("/da/dashboard/preview/s/cykler-2027",
                        data={**hidden_fields(html), "q_hvad_mangler": "Flere cykelstier", "action": "submit"})
    assert done.status_code == 200 and "Tak fordi du deltog!" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 0
        assert db.session.scalar(select(func.count(Answer.id))) == 0


def test_publishing_lists_what_is_missing_and_the_widget_respects_the_chosen_municipalities(app, staff_client, client):
    analyst = staff_client("analyst")
    create(analyst, title_en="", embed="some", embed_municipality=["gentofte"])
    add_question(analyst, "cykler-2027", kind="short_text", text_da="Hvor?", text_en="Where?")
    page = post(analyst, "/da/dashboard/surveys/cykler-2027/status", {"status": "open"})
    assert page.status_code == 303
    editor = analyst.get(page.headers["Location"]).get_data(as_text=True)
    assert re.search(r"Titel.{0,40}engelsk|Title.{0,40}English", editor, re.S | re.I), editor[:3000]
    with app.app_context():
        assert survey("cykler-2027").status == "draft"
    settings = {**NEW, "title_en": "Cycling", "embed": "some", "embed_municipality": "gentofte"}
    assert post(analyst, "/da/dashboard/surveys/cykler-2027/settings", settings).status_code == 303
    assert post(analyst, "/da/dashboard/surveys/cykler-2027/status", {"status": "open"}).status_code == 303
    with app.app_context():
        assert survey("cykler-2027").status == "open"
    assert client.get("/embed/da/s/cykler-2027?m=gentofte").status_code == 200
    assert client.get("/embed/da/s/cykler-2027?m=albertslund").status_code == 404
    assert client.get("/da/s/cykler-2027").status_code == 200


def test_reorder_endpoint_saves_the_dragged_order(app, staff_client):
    analyst = staff_client("analyst")
    create(analyst)
    for text in ("Første", "Anden", "Tredje"):
        add_question(analyst, "cykler-2027", kind="short_text", text_da=text, text_en=text)
    page = post(analyst, "/da/dashboard/surveys/cykler-2027/questions/order", {"order": "tredje,foerste,anden"})
    assert page.status_code == 200 and page.get_json()["order"] == ["tredje", "foerste", "anden"]
    page = post(analyst, "/da/dashboard/surveys/cykler-2027/questions/order", {"order": "tredje"})
    assert page.status_code == 422 and page.get_json()["error"]
