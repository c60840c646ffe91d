"""Regression tests for the defects found by the reliability run (issue 6), one or more each.

Each test failed on the code before the fix. Gunicorn-level behaviour (request line, headers,
chunked bodies, control socket) is tested against a real gunicorn in tests/core/test_gunicorn.py.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Answer, Response
from tests.conftest import make_app

SECTION_1 = {"q_municipality": "gladsaxe", "q_stakeholder": "citizen"}
SECTION_2 = {"q_focus": ["mobility"], "q_transport": "bike", "q_priorities": "Flere cykelstier."}
SECTION_3 = {"q_digital_confidence": "8", "q_invest-transit": "1", "q_invest-green_energy": "2",
             "q_invest-digital": "3", "q_invest-housing": "4", "q_ideas": "", "q_area": "Grønt og roligt"}


def html_lang(page) -> str:
    match = re.search(r'<html lang="(\w+)"', page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)[:300]
    return match.group(1)


# 1. ?lang=… on any GET page ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/da/", "/en/dashboard/login", "/da/receipt/unknown-token", "/da/deleted"])
def test_lang_query_parameter_does_not_break_the_language_link(client, path):
    other = "en" if path.startswith("/da/") else "da"
    page = client.get(path + f"?lang={other}&x=1")
    assert page.status_code in (200, 404)
    html = page.get_data(as_text=True)
    link = re.search(rf'<a href="([^"]+)" hreflang="{other}"', html)
    assert link, html[:2000]
    assert link.group(1).startswith(f"/{other}/")
    assert "lang=" not in link.group(1)
    assert "x=1" in link.group(1)  # the rest of the query is kept


# 2. NUL bytes and lone surrogates in free text -------------------------------------------------


def test_nul_in_free_text_is_dropped_before_storage_and_receipt(app, demo_survey, respondent):
    r = respondent(demo_survey)
    r.send(SECTION_1)
    r.send({**SECTION_2, "q_priorities": "Flere\x00 cykelstier\x00."})
    r.send(SECTION_3)
    done = r.send({"q_quote_ok": "y", "q_data_ok": "y"}, action="submit")
    assert done.status_code == 303
    receipt = r.client.get(done.headers["Location"])
    assert receipt.status_code == 200
    assert "\x00" not in receipt.get_data(as_text=True)
    with app.app_context():
        texts = db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
        assert "Flere cykelstier." in texts
        assert not any("\x00" in t for t in texts)


def test_nul_in_a_survey_address_is_a_404_in_the_right_language(client, demo_survey):
    page = client.get(f"/en/s/{demo_survey}%00x")
    assert page.status_code == 404
    assert html_lang(page) == "en"


# 3. Non-ASCII digits in numeric fields ----------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "١", "7" * 5000, "-"])
def test_odd_digits_in_scale_and_ranking_are_refused_and_input_kept(demo_survey, respondent, value):
    r = respondent(demo_survey, "en")
    r.send(SECTION_1)
    r.send(SECTION_2)
    page = r.send({**SECTION_3, "q_digital_confidence": value, "q_invest-transit": value})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="error-summary"' in html
    assert 'value="Grønt og roligt"' in html  # the rest of the section is kept


def test_odd_digit_in_likert_is_refused(make_survey, respondent):
    slug = make_survey([{"key": "agree", "kind": "likert", "is_required": True},
                        {"key": "why", "kind": "short_text"}])
    r = respondent(slug, "en")
    page = r.send({"q_agree": "²", "q_why": "Because"}, action="submit")
    assert page.status_code == 422
    assert 'value="Because"' in page.get_data(as_text=True)


def test_ranking_with_arabic_indic_digits_is_not_accepted(make_survey, respondent, app):
    slug = make_survey([{"key": "rank", "kind": "ranking", "is_required": True,
                         "options": [{"key": "a", "da": "A", "en": "A"}, {"key": "b", "da": "B", "en": "B"}]}])
    r = respondent(slug, "en")
    page = r.send({"q_rank-a": "١", "q_rank-b": "٢"}, action="submit")
    assert page.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Response)) is None


# 4. Error pages follow the URL's language -------------------------------------------------------


@pytest.mark.parametrize("lang,other", [("en", "da"), ("da", "en")])
def test_unmatched_routes_answer_in_the_urls_language(client, lang, other):
    headers = {"Accept-Language": other}
    not_allowed = client.post(f"/{lang}/deleted", headers=headers)
    assert not_allowed.status_code == 405
    assert html_lang(not_allowed) == lang
    missing = client.get(f"/{lang}/no/such/page", headers=headers)
    assert missing.status_code == 404
    assert html_lang(missing) == lang


# 5. and 9. Oversized requests get the translated page (app level; gunicorn in test_gunicorn) ----


def post_chunked(app, path: str, body: bytes):
    """POST `body` as a chunked request (no Content-Length), as gunicorn passes it on."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    environ = EnvironBuilder(path=path, method="POST", input_stream=io.BytesIO(body),
                             headers={"Transfer-Encoding": "chunked",
                                      "Content-Type": "application/x-www-form-urlencoded"}).get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True
    chunks, status, headers = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0]), b"".join(chunks).decode()


def test_chunked_body_over_the_limit_gets_the_413_page(app, demo_survey):
    status, html = post_chunked(app, f"/en/s/{demo_survey}",
                                b"state=x&q_priorities=" + b"a" * (300 * 1024))
    assert status == 413
    assert "larger than we accept" in html


def test_chunked_body_under_the_limit_is_read_whole():
    from flask import Flask, request

    from engage.core import limits

    echo = Flask(__name__)
    echo.config.update(MAX_CONTENT_LENGTH=256 * 1024, MAX_URL_LENGTH=4096, MAX_HEADER_BYTES=16384)
    limits.init_app(echo)
    echo.post("/echo")(lambda: {"size": len(request.form["data"]), "clean": "\x00" not in request.form["data"]})
    status, body = post_chunked(echo, "/echo", b"data=" + b"a" * (200 * 1024) + b"%00b")
    assert status == 200
    assert body.strip() == '{"clean":true,"size":204801}'


def test_long_url_and_large_headers_get_translated_pages(client):
    long_url = client.get("/da/?q=" + "x" * 5000)
    assert long_url.status_code == 414
    assert "Adressen er for lang" in long_url.get_data(as_text=True)
    headers = client.get("/en/", headers={"X-Filler": "y" * 20000})
    assert headers.status_code == 431
    assert "cookies" in headers.get_data(as_text=True)


# 6. Consent is stored only for a real yes ---------------------------------------------------------


@pytest.mark.parametrize("value,expected", [("y", True), ("0", False), ("no", False), ("nej", False),
                                            ("false", False), ("", False)])
def test_consent_is_yes_only_for_a_yes(app, make_survey, respondent, value, expected):
    slug = make_survey([{"key": "quote_ok", "kind": "consent", "settings": {"purpose": "quote"}},
                        {"key": "say", "kind": "short_text"}])
    r = respondent(slug)
    done = r.send({"q_quote_ok": value, "q_say": "Hej"}, action="submit")
    assert done.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Response.quote_consent)) is expected


# 7. Trusted hosts --------------------------------------------------------------------------------


def test_untrusted_host_gets_a_400_page_and_is_never_reflected(database_url, app):
    trusted = make_app(database_url, TRUSTED_HOSTS=["engage.example.dk"])
    client = trusted.test_client()
    bad = client.get("/da/", headers={"Host": "evil.example"})
    assert bad.status_code == 400
    assert "evil.example" not in bad.get_data(as_text=True)
    assert "Location" not in bad.headers
    good = client.get("/", headers={"Host": "engage.example.dk", "Accept-Language": "da"})
    assert good.status_code == 302
    with trusted.app_context():
        db.engine.dispose()


# 8. The signed form state expires -----------------------------------------------------------------


def test_old_form_state_is_refused_with_a_clear_page(app, demo_survey, respondent, monkeypatch):
    import itsdangerous.timed

    r = respondent(demo_survey, "en")
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time",
                        lambda: real_time() + app.config["FORM_STATE_MAX_AGE"] + 60)
    page = r.send(SECTION_1)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "too old" in html
    assert f'href="/en/s/{demo_survey}"' in html  # a way to start again


# 10. Rough edges for a newcomer and in production -------------------------------------------------


def test_survey_address_with_trailing_slash_works(client, demo_survey):
    assert client.get(f"/da/s/{demo_survey}/").status_code == 200


def test_production_over_plain_http_gets_a_clear_page(database_url, app, demo_survey):
    config = {"ENV": "production", "SECRET_KEY": "p" * 48}
    plain = make_app(database_url, **config)
    page = plain.test_client().get(f"/en/s/{demo_survey}")
    assert page.status_code == 403
    assert "https://" in page.get_data(as_text=True)
    assert plain.test_client().get("/healthz").status_code == 200
    behind_proxy = make_app(database_url, PROXY_FIX_HOPS=1, **config)
    ok = behind_proxy.test_client().get(f"/en/s/{demo_survey}", headers={"X-Forwarded-Proto": "https"})
    assert ok.status_code == 200
    for each in (plain, behind_proxy):
        with each.app_context():
            db.engine.dispose()


def test_seeding_before_the_migrations_says_what_to_do(tmp_path):
    fresh = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    result = fresh.test_cli_runner().invoke(args=["demo", "seed", "--responses", "0"])
    assert result.exit_code != 0
    assert "db upgrade" in result.output
    assert "Traceback" not in result.output
    with fresh.app_context():
        db.engine.dispose()


def test_a_widget_address_that_matches_no_route_keeps_its_language(client):
    """Found by the fuzz test: an encoded "/" in a widget path matches no route; the 404 page still
    speaks the language of /embed/en/."""
    page = client.post("/embed/en/s/a%2Fb%00c?x=%ED%BF%BF")
    assert page.status_code == 404
    assert '<html lang="en">' in page.get_data(as_text=True)
