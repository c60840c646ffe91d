"""Staff accounts: authenticate with throttling, create users, the demo accounts.

Functions add and flush; the view or command commits once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from engage.core import audit
from engage.core.extensions import db
from engage.models import Municipality, User
from engage.models.base import utcnow
from engage.models.user import ROLES

log = logging.getLogger(__name__)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12

#: The demo accounts `flask demo seed` creates (refused when ENGAGE_ENV=production).
DEMO_ACCOUNTS = (
    {"email": "admin@engage.demo", "password": "demo-admin-2026", "role": "admin", "municipality": None},
    {"email": "analyst@engage.demo", "password": "demo-analyst-2026", "role": "analyst", "municipality": None},
    {"email": "gentofte@engage.demo", "password": "demo-gentofte-2026", "role": "municipality_editor",
     "municipality": "gentofte"},
)


class AccountError(ValueError):
    """A user could not be created; the message says why (for the command line)."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: the user, or why not ("invalid", "locked", "demo_refused")."""

    user: User | None
    reason: str = ""


def find_user(email: str) -> User | None:
    """Return the user with `email` (case-insensitive), or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str, *, max_failures: int, lock_minutes: int,
                 is_production: bool) -> LoginResult:
    """Check a login; count failures and lock the account after `max_failures` in a row.

    The same reason ("invalid") is given for an unknown e-mail and a wrong password, so the
    form does not reveal who has an account. A locked account says so.
    """
    user = find_user(email) if email else None
    now = utcnow()
    if user is None or not user.is_active:
        return LoginResult(None, "invalid")
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, "locked")
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            audit.record("login_refused", f"user:{user.id}", user_id=user.id, reason="locked")
            return LoginResult(None, "locked")
        return LoginResult(None, "invalid")
    if user.is_demo and is_production:
        audit.record("login_refused", f"user:{user.id}", user_id=user.id, reason="demo account in production")
        return LoginResult(None, "demo_refused")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", f"user:{user.id}", user_id=user.id)
    return LoginResult(user)


def load_user(session_id: str, *, is_production: bool) -> User | None:
    """Return the active user for a Flask-Login session id ("<id>:<password fingerprint>")."""
    id_part, _, fingerprint = session_id.partition(":")
    if not id_part.isdecimal():
        return None
    user = db.session.get(User, int(id_part))
    if user is None or not user.is_active or user.get_id() != session_id:
        return None
    if user.is_demo and is_production:
        return None
    return user


def create_user(email: str, password: str, role: str, municipality: str | None = None,
                *, is_demo: bool = False, created_by: int | None = None) -> User:
    """Create a staff account; raise AccountError with a readable reason when it cannot be made."""
    email = email.strip()
    if not EMAIL_RE.match(email):
        raise AccountError(f"not an e-mail address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user(email) is not None:
        raise AccountError(f"there is already an account for {email}")
    municipality_id = None
    if role == "municipality_editor":
        if not municipality:
            raise AccountError("a municipality editor needs --municipality (e.g. gentofte)")
        municipality_id = db.session.scalar(select(Municipality.id).where(Municipality.slug == municipality))
        if municipality_id is None:
            raise AccountError(f"no municipality with slug {municipality!r}")
    elif municipality:
        raise AccountError("only municipality editors belong to one municipality")
    user = User(email=email, role=role, municipality_id=municipality_id, is_demo=is_demo)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", f"user:{user.id}", user_id=created_by, role=role, municipality=municipality)
    return user


def ensure_demo_accounts(*, is_production: bool) -> list[dict[str, Any]]:
    """Create the three demo accounts if missing (reset their passwords if present); return them.

    Refused in production: demo passwords are printed in the README.
    """
    if is_production:
        raise AccountError("demo accounts are not created when ENGAGE_ENV=production")
    for spec in DEMO_ACCOUNTS:
        user = find_user(spec["email"])
        if user is None:
            create_user(spec["email"], spec["password"], spec["role"], spec["municipality"], is_demo=True)
        else:
            user.set_password(spec["password"])
            user.is_demo, user.is_active, user.failed_logins, user.locked_until = True, True, 0, None
    db.session.flush()
    return [dict(spec) for spec in DEMO_ACCOUNTS]
