"""Receipts: a respondent sees what they answered and can delete it for good."""

from __future__ import annotations

from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Response

FREE_TEXT = [{"key": "idea", "kind": "long_text", "text_da": "Din idé", "text_en": "Your idea"}]


def submit(respondent, slug, lang="en", text="Flere cykelstier"):
    r = respondent(slug, lang)
    page = r.send({"q_idea": text}, action="submit")
    assert page.status_code == 303
    return page.headers["Location"]


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count(m.id))) for m in (Response, Answer, AnswerTheme))


def test_receipt_shows_answers_and_deletion_really_deletes(app, client, make_survey, respondent, read_hidden):
    """The receipt lists the answer; after confirming deletion nothing of the response is left."""
    slug = make_survey(FREE_TEXT)
    location = submit(respondent, slug)
    page = client.get(location)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Flere cykelstier" in html
    assert page.headers["Cache-Control"] == "no-store"
    assert counts(app)[0] == 1
    token = location.split("/receipt/")[1].split("?")[0]

    confirm = client.get(f"/en/receipt/{token}/delete")
    assert confirm.status_code == 200
    csrf = read_hidden(confirm.get_data(as_text=True))["csrf_token"]
    done = client.post(f"/en/receipt/{token}/delete", data={"csrf_token": csrf})
    assert done.status_code == 303
    assert counts(app) == (0, 0, 0)
    assert client.get(f"/en/receipt/{token}").status_code == 404


def test_receipt_in_danish_and_english(client, make_survey, respondent):
    """The receipt page speaks the language of its URL."""
    slug = make_survey(FREE_TEXT)
    token = submit(respondent, slug).split("/receipt/")[1].split("?")[0]
    da = client.get(f"/da/receipt/{token}").get_data(as_text=True)
    en = client.get(f"/en/receipt/{token}").get_data(as_text=True)
    assert '<html lang="da">' in da and "Dine svar" in da and "Din idé" in da
    assert '<html lang="en">' in en and "Your answers" in en and "Your idea" in en


def test_unknown_receipt_token_is_404(client):
    """A made-up receipt link says that no answers were found."""
    page = client.get("/en/receipt/not-a-real-token")
    assert page.status_code == 404
    assert "There are no answers for this receipt link" in page.get_data(as_text=True)


def test_receipt_token_is_not_stored(app, make_survey, respondent):
    """Only a hash of the receipt token is in the database."""
    slug = make_survey(FREE_TEXT)
    token = submit(respondent, slug).split("/receipt/")[1].split("?")[0]
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert token not in (response.receipt_hash, response.submission_hash)
        assert len(response.receipt_hash) == 64
