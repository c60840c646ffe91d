"""Configuration defaults, one comment per key.

Order of precedence (last wins): these defaults → `ENGAGE_*` environment variables (values are
parsed as JSON where possible, e.g. `ENGAGE_SESSION_COOKIE_SECURE=true`) and `DATABASE_URL` →
the mapping passed to `create_app(config)` (tests use this).
"""

from __future__ import annotations

import os

#: The development secret key. The app refuses to start with it when ENGAGE_ENV=production.
INSECURE_SECRET_KEY = "dev-insecure-change-me"


class Defaults:
    """Settings that suit a laptop demo; production overrides them through the environment."""

    #: "development" or "production"; production turns on HSTS and secure cookies and refuses the
    #: default secret key.
    ENV = "development"
    #: Signs sessions, CSRF tokens, form state and receipt tokens. Set ENGAGE_SECRET_KEY in production.
    SECRET_KEY = INSECURE_SECRET_KEY
    #: SQLAlchemy URL. Empty means a SQLite file `engage.sqlite3` in the instance folder.
    #: DATABASE_URL (e.g. postgresql+psycopg://user@host/db) overrides it.
    SQLALCHEMY_DATABASE_URI = ""
    #: Pool pre-ping avoids errors from connections the database server has closed.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    #: Danish first; English complete.
    LANGUAGES = ("da", "en")
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    #: CSRF tokens expire after this many seconds (a long survey may take a while).
    WTF_CSRF_TIME_LIMIT = 4 * 3600
    #: Longest free-text answer accepted, in characters.
    MAX_LONG_TEXT = 5000
    #: Longest short-text answer accepted, in characters.
    MAX_SHORT_TEXT = 200
    #: Largest request body in bytes; a survey answer is far smaller.
    MAX_CONTENT_LENGTH = 256 * 1024
    #: Where trained NLP models live (`<dir>/<version>/`, `<dir>/ACTIVE`). Empty: instance/models.
    NLP_MODEL_DIR = ""
    #: Analyse free-text answers at submit time (redaction always happens before storage).
    NLP_ANALYSE_ON_SUBMIT = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False


def database_url_from_env() -> str | None:
    """Return DATABASE_URL normalised to the psycopg 3 driver, or None when it is unset."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
