"""Migrations build the schema on SQLite and PostgreSQL, go down and up again, and match the models."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from engage.core.extensions import db

from ..conftest import make_app  # noqa: TID252


def fresh_database(tmp_path) -> str:
    """Return the URL of an empty database of the kind this run tests."""
    url = os.environ.get("ENGAGE_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS engage_migrations"))
        conn.execute(sa.text("CREATE DATABASE engage_migrations"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + "/engage_migrations"


@pytest.fixture
def migration_app(tmp_path):
    url = fresh_database(tmp_path)
    app = make_app(url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_upgrade_downgrade_upgrade(migration_app):
    """The migrations run up to head, all the way down, and up again, with seed data each time."""
    upgrade()
    assert db.session.execute(sa.text("SELECT count(*) FROM theme")).scalar() == 13
    assert db.session.execute(sa.text("SELECT count(*) FROM municipality")).scalar() == 13
    db.session.remove()
    downgrade(revision="base")
    assert "survey" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    assert db.session.execute(sa.text("SELECT count(*) FROM theme")).scalar() == 13


def test_models_and_migrations_do_not_drift(migration_app):
    """Autogenerate against the migrated schema finds no difference from the models."""
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
