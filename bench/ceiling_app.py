"""The web benchmark's ceilings: a bare Flask app with no Engage code in its request path.

- `GET /hello` answers "hello" (the framework and server alone);
- `POST /insert` inserts one row into `bench_ping(id, created_at, payload)` with SQLAlchemy Core,
  in its own transaction, on the same database as Engage (`DATABASE_URL`, read and normalised as
  Engage reads it, with Engage's engine options) — the least a request that writes can cost.

`combined()` mounts it under `/bench` next to Engage (werkzeug's DispatcherMiddleware), so both
run in the same gunicorn workers with the same settings:

    gunicorn -c gunicorn.conf.py 'bench.ceiling_app:combined()'

The combined app forwards attribute look-ups (`extensions`, `app_context`) to Engage's app, so
gunicorn.conf.py's `post_worker_init` warms the NLP pipelines exactly as for `wsgi:app`.
Engage's own code is not changed. `create_table(url)` makes the table (the benchmark calls it
once, before gunicorn starts, so workers never race to create it).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware

MOUNT = "/bench"
metadata = sa.MetaData()
bench_ping = sa.Table(
    "bench_ping",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
)


def database_url() -> str:
    """Return DATABASE_URL normalised as Engage normalises it (postgres:// → psycopg 3)."""
    from engage.core.config import database_url_from_env

    url = database_url_from_env()
    if not url:
        raise RuntimeError("DATABASE_URL is not set: the ceiling app writes to the benchmark's database")
    return url


def _engine(url: str) -> sa.Engine:
    from engage.core.config import Defaults

    return sa.create_engine(url, **dict(Defaults.SQLALCHEMY_ENGINE_OPTIONS))


def create_table(url: str) -> None:
    """Create `bench_ping` in the database at `url` (no-op when it exists)."""
    engine = _engine(url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


def create_ceiling_app(url: str | None = None) -> Flask:
    """Return the bare app: /hello and /insert."""
    app = Flask(__name__)
    engine = _engine(url or database_url())
    app.extensions["bench.engine"] = engine

    @app.get("/hello")
    def hello():
        return "hello", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.post("/insert")
    def insert():
        payload = request.form.get("payload", "")
        with engine.begin() as conn:
            result = conn.execute(bench_ping.insert().values(created_at=datetime.now(UTC), payload=payload))
            new_id = result.inserted_primary_key[0]
        return str(new_id), 201, {"Content-Type": "text/plain; charset=utf-8"}

    return app


class Combined(DispatcherMiddleware):
    """Engage at /, the ceiling app at /bench; attribute look-ups go to Engage's app."""

    def __init__(self, engage_app, ceiling_app) -> None:
        super().__init__(engage_app, {MOUNT: ceiling_app})
        self.engage = engage_app

    def __getattr__(self, name: str):
        # Only called for attributes the middleware does not have: gunicorn.conf.py's
        # post_worker_init reads `app.extensions` and calls `app.app_context()`.
        return getattr(self.__dict__["engage"], name)


def combined() -> Combined:
    """Return Engage (as `wsgi.py` builds it) with the ceiling app mounted at /bench."""
    from engage import create_app

    return Combined(create_app(), create_ceiling_app())


if __name__ == "__main__":  # pragma: no cover — a manual check: serve both on :8001
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", int(os.environ.get("PORT", "8001")), combined(), threaded=True)
