"""The app factory, configuration, locale handling and security headers."""

from __future__ import annotations

import pytest

from engage import create_app


def test_factory_does_not_touch_the_database(tmp_path):
    """Creating the app with an unreachable database works: nothing connects at start-up."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith(":1/none")


def test_production_refuses_default_secret_key():
    """In production the app will not start with the development secret key."""
    with pytest.raises(RuntimeError, match="ENGAGE_SECRET_KEY"):
        create_app({"ENV": "production"})


def test_production_with_real_secret_sets_secure_cookies():
    """A production app with a proper key starts and marks its cookies Secure."""
    app = create_app({"ENV": "production", "SECRET_KEY": "x" * 48})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_variables_override_defaults(monkeypatch):
    """ENGAGE_* variables and DATABASE_URL configure the app."""
    monkeypatch.setenv("ENGAGE_MAX_LONG_TEXT", "1234")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/engage")
    app = create_app()
    assert app.config["MAX_LONG_TEXT"] == 1234
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/engage"


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    """Without configuration the database is a SQLite file in the instance folder."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/engage.sqlite3")


@pytest.mark.parametrize(("accept", "target"), [("da-DK,da;q=0.9", "/da/"), ("en-GB,en;q=0.9", "/en/")])
def test_root_sends_browser_to_its_language(client, accept, target):
    """The front page follows the browser's language preference."""
    page = client.get("/", headers={"Accept-Language": accept})
    assert page.status_code == 302
    assert page.headers["Location"].endswith(target)


def test_root_offers_language_choice(client):
    """Without a usable preference the front page offers both languages."""
    page = client.get("/", headers={"Accept-Language": "fr"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="/da/"' in html and 'href="/en/"' in html


@pytest.mark.parametrize("lang", ["da", "en"])
def test_language_switch_links_to_same_page(client, lang):
    """Every page links to the same page in the other language, and <html lang> is right."""
    other = "en" if lang == "da" else "da"
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert f'href="/{other}/" hreflang="{other}"' in html


def test_security_headers(client):
    """Pages carry a strict CSP and the other protective headers."""
    page = client.get("/en/")
    headers = page.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"


def test_liveness_answers_without_the_database(client):
    """/healthz says only that the process answers (the database is the readiness probe's)."""
    page = client.get("/healthz")
    assert page.status_code == 200
    assert page.get_json() == {"status": "ok"}


def test_danish_number_and_date_formatting(app):
    """Dates are formatted by Babel in the page's language."""
    from datetime import datetime

    from flask_babel import format_date, format_decimal

    with app.test_request_context("/da/"):
        app.preprocess_request()
        assert format_decimal(1234.5) == "1.234,5"
        assert "november" in format_date(datetime(2026, 11, 27), "long")
    with app.test_request_context("/en/"):
        app.preprocess_request()
        assert format_decimal(1234.5) == "1,234.5"
        assert "November" in format_date(datetime(2026, 11, 27), "long")


def test_null_analyser_from_the_environment(monkeypatch):
    """ENGAGE_ANALYSER=null (parsed as JSON null) selects the redaction-only analyser."""
    from engage.surveys.analysis import NullAnswerAnalyser

    monkeypatch.setenv("ENGAGE_ANALYSER", "null")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert isinstance(app.extensions["engage.analyser"], NullAnswerAnalyser)
