"""Staff login: hashed passwords, throttled attempts, demo accounts, the create-user command."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import AuditEvent, User

from ..conftest import PASSWORD, csrf_token, log_in  # noqa: TID252


def test_password_is_stored_hashed(app, make_user):
    """The database holds a salted hash, never the password."""
    email = make_user("analyst")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


@pytest.mark.parametrize(("lang", "message"), [("da", "adgangskoden er ikke rigtig"), ("en", "password is not right")])
def test_wrong_password_is_refused_in_the_pages_language_and_keeps_the_email(client, make_user, lang, message):
    """A wrong password re-shows the form with a translated error and the e-mail still filled in."""
    email = make_user("analyst")
    page = log_in(client, email, "wrong-password", lang=lang)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert message in html
    assert f'value="{email}"' in html
    assert client.get(f"/{lang}/dashboard/").status_code == 302  # still logged out


def test_account_locks_after_repeated_failures(app, client, make_user):
    """After the configured number of wrong passwords even the right one is refused for a while."""
    email = make_user("analyst")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        log_in(client, email, "wrong-password", lang="en")
    page = log_in(client, email, PASSWORD, lang="en")
    assert page.status_code == 422
    assert "locked" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_refused")) is not None


def test_login_goes_to_the_page_asked_for_but_never_off_site(client, make_user):
    """After login the person lands where they were going; an outside address is ignored."""
    email = make_user("analyst")
    first = client.get("/en/dashboard/jobs")
    assert "next=/en/dashboard/jobs" in first.headers["Location"]
    token = csrf_token(client.get("/en/dashboard/login").get_data(as_text=True))
    page = client.post("/en/dashboard/login", data={"email": email, "password": PASSWORD,
                                                    "csrf_token": token, "next": "/en/dashboard/jobs"})
    assert page.headers["Location"] == "/en/dashboard/jobs"
    client.post("/en/dashboard/logout", data={"csrf_token": csrf_token(client.get("/en/dashboard/").get_data(as_text=True))})
    token = csrf_token(client.get("/en/dashboard/login").get_data(as_text=True))
    page = client.post("/en/dashboard/login", data={"email": email, "password": PASSWORD,
                                                    "csrf_token": token, "next": "//evil.example/x"})
    assert page.headers["Location"] == "/en/dashboard/"


def test_login_without_csrf_token_is_refused(client, make_user):
    """A login post without the form's CSRF token does not log anyone in."""
    email = make_user("analyst")
    page = client.post("/en/dashboard/login", data={"email": email, "password": PASSWORD})
    assert page.status_code in (400, 422)
    assert client.get("/en/dashboard/").status_code == 302


def test_demo_accounts_are_refused_in_production(app, database_url):
    """Demo accounts cannot be created, and cannot log in, when ENGAGE_ENV=production."""
    from engage.auth.services import AccountError, authenticate, ensure_demo_accounts

    with app.app_context():
        with pytest.raises(AccountError):
            ensure_demo_accounts(is_production=True)
        accounts = ensure_demo_accounts(is_production=False)
        db.session.commit()
        admin = accounts[0]
        refused = authenticate(admin["email"], admin["password"], max_failures=5, lock_minutes=15, is_production=True)
        allowed = authenticate(admin["email"], admin["password"], max_failures=5, lock_minutes=15, is_production=False)
        db.session.rollback()
    assert refused.user is None and refused.reason == "demo_refused"
    assert allowed.user is not None


def test_create_user_command(app):
    """`flask auth create-user` makes an account with a hashed password; bad input is explained."""
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["auth", "create-user", "editor@gentofte.test", "--role", "municipality_editor",
                             "--municipality", "gentofte", "--password-stdin"], input=PASSWORD + "\n")
    assert ok.exit_code == 0, ok.output
    short = runner.invoke(args=["auth", "create-user", "x@y.test", "--role", "analyst", "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    missing = runner.invoke(args=["auth", "create-user", "z@y.test", "--role", "municipality_editor",
                                  "--password-stdin"], input=PASSWORD + "\n")
    assert missing.exit_code != 0 and "--municipality" in missing.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "editor@gentofte.test"))
        assert user.role == "municipality_editor" and user.municipality.slug == "gentofte"


def test_changing_the_password_ends_other_sessions(app, staff_client):
    """A session stops working once the password has been changed elsewhere."""
    client = staff_client("analyst")
    assert client.get("/en/dashboard/").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.role == "analyst"))
        user.set_password("another-long-password-2026")
        db.session.commit()
    assert client.get("/en/dashboard/").status_code == 302
