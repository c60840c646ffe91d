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
    #: Pool pre-ping avoids errors from connections the database server has closed; hidden
    #: parameters keep answer text out of database error messages (and so out of the logs).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
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
    #: Largest request body in bytes (also for chunked bodies); a survey answer is far smaller.
    #: Keep nginx's `client_max_body_size` at least this large so people see our page.
    MAX_CONTENT_LENGTH = 256 * 1024
    #: Longest request line (path and query) in bytes; longer gets the translated 414 page.
    #: gunicorn's own hard limit (gunicorn.conf.py) is higher, so ours answers first.
    MAX_URL_LENGTH = 4096
    #: Largest total size of the request headers in bytes; larger gets the translated 431 page.
    MAX_HEADER_BYTES = 16 * 1024
    #: Host names the site answers to, e.g. ["engage.gentofte.dk"] (None: any). Other Host headers
    #: get a 400, so links and redirects never point at a host an attacker chose.
    TRUSTED_HOSTS: list[str] | None = None
    #: How many reverse proxies (nginx, a load balancer) sit in front and set X-Forwarded-For,
    #: -Proto and -Host; 0 trusts none of those headers.
    PROXY_FIX_HOPS = 0
    #: Seconds a form page stays valid: older signed form state is refused ("this form is too
    #: old") so it cannot be replayed indefinitely. A survey may be left open over a weekend.
    FORM_STATE_MAX_AGE = 3 * 24 * 3600
    #: Where trained NLP models live (`<dir>/<version>/`, `<dir>/ACTIVE`). Empty: instance/models.
    NLP_MODEL_DIR = ""
    #: Training files for retraining from the dashboard; empty: the shipped corpus
    #: (engage/nlp/data/train/*.jsonl). The reviewed answers are always added.
    NLP_TRAIN_DATA: list[str] = []
    #: Where the reviewed answers are written as training files. Empty: instance/labels.
    LABELS_DIR = ""
    #: Analyse free-text answers at submit time (redaction always happens before storage).
    NLP_ANALYSE_ON_SUBMIT = True
    #: Redis URL (e.g. redis://127.0.0.1:6379/0). When set, background jobs and rate limits use
    #: Redis (many app instances and job workers); otherwise jobs use a SQLite file in the instance
    #: folder and rate limits are counted in memory per process.
    REDIS_URL = ""
    #: Where rate-limit counters live: memory (per process) unless REDIS_URL is set.
    RATELIMIT_STORAGE_URI = "memory://"
    #: Name of the job queue (Redis keys, SQLite table): several sites or test runs can share one
    #: Redis without taking each other's jobs.
    JOBS_QUEUE_NAME = "engage"
    #: Run background jobs in the requesting process as soon as they are enqueued (laptop demo, tests).
    JOBS_IMMEDIATE = False
    #: Huey's SQLite queue file when Redis is not configured. Empty: instance/jobs.sqlite3.
    JOBS_SQLITE_PATH = ""
    #: A running job whose last progress report is older than this many seconds counts as stalled
    #: (its worker died): the dashboard says so and the same work may be enqueued again.
    JOBS_STALLED_AFTER = 600
    #: Where finished exports are kept for download. Empty: instance/exports.
    EXPORT_DIR = ""
    #: Which analyser runs at submit time: "spacy" (the engine) or "null" (redaction only; the
    #: answers are analysed by a background job).
    ANALYSER = "spacy"
    #: Seconds between checks for theme edits made by other processes (names, keywords).
    TAXONOMY_REFRESH_SECONDS = 30
    #: Failed logins in a row that lock an account, and for how many minutes.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    #: Login attempts allowed per client (Flask-Limiter syntax); the client is a salted hash,
    #: never stored in the database.
    LOGIN_RATE_LIMIT = "20 per 10 minutes"
    #: Posts per client to a survey page and chat turns per client (Flask-Limiter syntax; counted
    #: under a daily-salted hash of the address, memory or Redis). A person answers far slower.
    SUBMIT_RATE_LIMIT = "60 per minute; 600 per hour"
    CHAT_RATE_LIMIT = "120 per minute; 1200 per hour"
    #: Where citizens can write with questions (the chat's FAQ and its "I don't know" answer).
    CONTACT_EMAIL = "smart@regionh.dk"
    #: Dashboards do not show a share computed from fewer answers than this (too noisy).
    MIN_ANSWERS_FOR_SHARE = 10
    #: Endpoint of the citizens' home page; core links to it without importing the feature.
    HOME_ENDPOINT = "surveys.index"
    #: Log format: "text" (one readable line) or "json" (one JSON object per line, for log shippers).
    #: Neither ever contains IP addresses, query strings or answer text.
    LOG_FORMAT = "text"
    LOG_LEVEL = "INFO"
    #: Log one line per request (method, endpoint, status, duration; no path or query).
    LOG_REQUESTS = False
    #: Bearer token for /metrics (Prometheus). Empty: /metrics answers only requests from the
    #: local machine (127.0.0.1/::1), e.g. a Prometheus agent next to gunicorn.
    METRICS_TOKEN = ""
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
