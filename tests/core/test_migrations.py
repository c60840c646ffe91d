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


def test_answers_survive_the_migrations_that_rebuild_tables(migration_app):
    """Rebuilding `question` (0006, a batch migration on SQLite) keeps every answer pointing at it,
    up and down again: SQLite's DROP TABLE would otherwise cascade to the answers."""
    upgrade(revision="0005")
    statements = [
        "INSERT INTO survey (id, slug, title_da, title_en, intro_da, intro_en, status, modes, allow_quotes, is_demo, "
        "created_at) VALUES (901, 'kept', 'a', 'b', '', '', 'open', 'both', TRUE, FALSE, '2026-01-01')",
        "INSERT INTO question (id, survey_id, key, position, section, kind, text_da, text_en, help_da, help_en, "
        "is_required, options, settings) VALUES (901, 901, 'q', 1, 1, 'short_text', 'x', 'y', '', '', FALSE, '[]', '{}')",
        "INSERT INTO response (id, survey_id, channel, locale, submitted_at, receipt_hash, submission_hash, "
        "quote_consent, is_test, is_demo) VALUES (901, 901, 'web', 'da', '2026-01-01', 'r', 's', FALSE, FALSE, FALSE)",
        "INSERT INTO answer (id, response_id, question_id, text, analysis_state) VALUES (901, 901, 901, 'hej', 'none')",
    ]
    for statement in statements:
        db.session.execute(sa.text(statement))
    db.session.commit()
    db.session.remove()
    upgrade()
    assert db.session.execute(sa.text("SELECT count(*) FROM answer WHERE question_id = 901")).scalar() == 1
    assert db.session.execute(sa.text("SELECT version FROM question WHERE id = 901")).scalar() == 1
    db.session.remove()
    downgrade(revision="0005")
    assert db.session.execute(sa.text("SELECT count(*) FROM answer WHERE question_id = 901")).scalar() == 1
