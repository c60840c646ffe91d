"""Extension objects, created once and bound to the app in `create_app`."""

import sqlite3

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()


def client_key() -> str:
    """Return a key for the requesting client: a salted hash of its address, rotated daily.

    Used only in the rate limiter's counters (memory or Redis, expiring); never stored in the
    database or written to a log.
    """
    import hashlib
    from datetime import UTC, datetime

    from flask import current_app, request

    day = datetime.now(UTC).strftime("%Y-%m-%d")
    salt = f"{current_app.config['SECRET_KEY']}:{day}".encode()
    return hashlib.blake2b((request.remote_addr or "-").encode(), key=salt[:64], digest_size=16).hexdigest()


limiter = Limiter(key_func=client_key, headers_enabled=False)


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """Make SQLite enforce foreign keys and ON DELETE CASCADE, as PostgreSQL does; use the
    write-ahead log (readers never wait for the writer) and wait up to 10 s for a busy writer
    instead of failing at once (several gunicorn workers share the file)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
