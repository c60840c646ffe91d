"""Shared fixtures: an app on a real database built by the migrations, and small factories.

The database is a SQLite file, or PostgreSQL when ENGAGE_TEST_DATABASE_URL is set
(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test). Tables are emptied after each test;
the reference rows seeded by the migrations (municipalities, themes) stay.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from engage import PROJECT_ROOT, create_app
from engage.core.extensions import db
from engage.models import Question, Survey

TEST_DATABASE_URL = os.environ.get("ENGAGE_TEST_DATABASE_URL", "")
MODEL_DIR = PROJECT_ROOT / "instance" / "models"
#: Tables emptied after each test, children first.
TRANSIENT_TABLES = ("evidence_block", "draft_section_version", "draft_section", "strategy_draft",
                    "theme_candidate", "answer_theme", "answer", "response", "question", "survey", "audit_event",
                    "job", "summary_snapshot", "user_account")


def reset_postgres(url: str) -> None:
    """Drop everything in the public schema of the PostgreSQL database at `url`."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of an empty test database."""
    if TEST_DATABASE_URL:
        reset_postgres(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'engage-test.sqlite3'}"


def make_app(database_url: str, **overrides: Any) -> Flask:
    """Return an app configured for tests on `database_url`."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "NLP_MODEL_DIR": str(MODEL_DIR),
        "SERVER_NAME": None,
        "JOBS_IMMEDIATE": True,
        "EXPORT_DIR": str(Path(tempfile.gettempdir()) / "engage-test-exports"),
        "TAXONOMY_REFRESH_SECONDS": 0,
        # One client address sends every test's posts: the limits have their own tests.
        "SUBMIT_RATE_LIMIT": "100000 per minute",
        "CHAT_RATE_LIMIT": "100000 per minute",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    """Return the app, with the schema built by running the migrations once."""
    from flask_migrate import upgrade

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty the transient tables after every test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        for table in TRANSIENT_TABLES:
            db.session.execute(sa.text(f"DELETE FROM {table}"))
        db.session.commit()
        db.session.remove()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """Forget the rate limiter's counts after every test that used the app.

    Every test client and the browser's live server share one client address, so without this the
    session's 21st login POST (LOGIN_RATE_LIMIT) is refused with 429, whichever test sends it.
    """
    yield
    if "app" not in request.fixturenames:
        return
    from engage.core.extensions import limiter

    with request.getfixturevalue("app").app_context():
        limiter.reset()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """Push an app context (for tests that use the session directly)."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client (cookies kept between requests, like a browser)."""
    return app.test_client()


QUESTION_DEFAULTS: dict[str, Any] = {"text_da": "Spørgsmål", "text_en": "Question"}


@pytest.fixture
def make_survey(app: Flask):
    """Return a factory: make_survey(questions=[{...}], **survey_overrides) -> slug."""

    def factory(questions: list[dict[str, Any]] | None = None, **overrides: Any) -> str:
        fields = {"slug": "test-survey", "title_da": "Testundersøgelse", "title_en": "Test survey",
                  "intro_da": "Intro", "intro_en": "Intro", "status": "open"}
        fields.update(overrides)
        with app.app_context():
            survey = Survey(**fields)
            for position, spec in enumerate(questions or [], start=1):
                survey.questions.append(Question(position=position, **(QUESTION_DEFAULTS | spec)))
            db.session.add(survey)
            db.session.commit()
            slug = survey.slug
            db.session.remove()
        return slug

    return factory


@pytest.fixture
def demo_survey(app: Flask) -> str:
    """Create the demo survey (no responses) and return its slug."""
    from engage.demo.seed import ensure_demo_survey

    with app.app_context():
        slug = ensure_demo_survey().slug
        db.session.commit()
        db.session.remove()
    return slug


HIDDEN = re.compile(r'name="(csrf_token|state)"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="(csrf_token|state)"')


def hidden_fields(html: str) -> dict[str, str]:
    """Return the csrf_token and state hidden fields of a survey page."""
    found: dict[str, str] = {}
    for match in HIDDEN.finditer(html):
        name = match.group(1) or match.group(4)
        found[name] = match.group(2) if match.group(1) else match.group(3)
    return found


class Respondent:
    """Walks a survey through the test client as a browser would: keeps the hidden fields."""

    def __init__(self, client: FlaskClient, slug: str, lang: str = "da"):
        self.client, self.slug, self.lang = client, slug, lang
        self.url = f"/{lang}/s/{slug}"
        self.page = client.get(self.url)
        self.hidden = hidden_fields(self.page.get_data(as_text=True))

    @property
    def html(self) -> str:
        """Return the current page's HTML."""
        return self.page.get_data(as_text=True)

    def send(self, answers: dict[str, Any], action: str = "next", url: str | None = None):
        """Post `answers` (field name → value or list) with the current hidden fields."""
        data = {**self.hidden, **answers, "action": action}
        self.page = self.client.post(url or self.url, data=data)
        if self.page.status_code < 300 or self.page.status_code == 422:
            self.hidden = hidden_fields(self.html) or self.hidden
        return self.page


@pytest.fixture
def respondent(client: FlaskClient):
    """Return a factory: respondent(slug, lang) -> Respondent."""
    return lambda slug, lang="da": Respondent(client, slug, lang)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database the run uses."""
    return f"engage test database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite file'}"



@pytest.fixture
def read_hidden():
    """Return the function that reads csrf_token and state hidden fields from HTML."""
    return hidden_fields


# --- staff accounts ---------------------------------------------------------------------------

PASSWORD = "a-long-test-password-2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """Return the first CSRF token in a page."""
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD, lang: str = "da"):
    """Log in through the form, as a browser would; return the response."""
    page = client.get(f"/{lang}/dashboard/login")
    token = csrf_token(page.get_data(as_text=True))
    return client.post(f"/{lang}/dashboard/login",
                       data={"email": email, "password": password, "csrf_token": token, "next": ""})


@pytest.fixture
def make_user(app: Flask):
    """Return a factory: make_user(role, municipality=None, email=None) -> email."""

    def factory(role: str, municipality: str | None = None, email: str | None = None) -> str:
        from engage.auth.services import create_user

        email = email or f"{role}-{municipality or 'region'}@example.test"
        with app.app_context():
            create_user(email, PASSWORD, role, municipality)
            db.session.commit()
            db.session.remove()
        return email

    return factory


@pytest.fixture
def staff_client(app: Flask, make_user):
    """Return a factory: staff_client(role, municipality=None) -> a logged-in test client."""

    def factory(role: str, municipality: str | None = None) -> FlaskClient:
        client = app.test_client()
        page = log_in(client, make_user(role, municipality))
        assert page.status_code == 303, page.get_data(as_text=True)[:500]
        return client

    return factory
