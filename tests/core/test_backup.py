"""A backup of a migrated, populated PostgreSQL database restores with every row (scripts/backup_restore_check.py).

Needs PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), or the server of
ENGAGE_TEST_DATABASE_URL; skipped otherwise. It never touches the suite's own test database: it
builds its own source database with the migrations and drops it, and the restored copy, afterwards.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from engage import PROJECT_ROOT
from engage.core.extensions import db
from engage.models import Answer, Question, Response, Survey

from ..conftest import make_app  # noqa: TID252

SCRIPT = PROJECT_ROOT / "scripts" / "backup_restore_check.py"
#: The server's maintenance database, on the suite's PostgreSQL server when one is configured.
SERVER_URL = (os.environ.get("ENGAGE_TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test").rsplit("/", 1)[0]
SOURCE_DB = f"engage_backup_src_{os.getpid()}"
RESTORED_DB = f"engage_backup_dst_{os.getpid()}"


def _reachable() -> bool:
    """Return whether the PostgreSQL server answers."""
    try:
        psycopg.connect(SERVER_URL.replace("postgresql+psycopg://", "postgresql://") + "/postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


pytestmark = pytest.mark.skipif(not _reachable(), reason=f"PostgreSQL is not reachable at {SERVER_URL}")


def _load_script() -> ModuleType:
    """Import scripts/backup_restore_check.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("backup_restore_check", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _drop(admin: sa.Engine, *names: str) -> None:
    with admin.connect() as conn:
        for name in names:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _populate() -> None:
    """Add a survey with two questions and three responses with answers, as the app stores them."""
    survey = Survey(slug="backup-survey", title_da="Backup", title_en="Backup", status="open")
    survey.questions.append(Question(key="mode", position=1, kind="single_choice", text_da="Hvordan?", text_en="How?",
                                     options=[{"key": "bus", "da": "Bus", "en": "Bus"}]))
    survey.questions.append(Question(key="idea", position=2, kind="long_text", text_da="Idé?", text_en="Idea?"))
    db.session.add(survey)
    db.session.flush()
    mode, idea = survey.questions
    for n in range(3):
        response = Response(survey=survey, locale="da", receipt_hash=f"{n:064x}", submission_hash=f"{n + 100:064x}")
        response.answers.append(Answer(question=mode, value=["bus"]))
        response.answers.append(Answer(question=idea, text=f"Flere cykelstier {n}", lang="da"))
        db.session.add(response)
    db.session.commit()


@pytest.fixture(scope="module")
def source_url() -> Iterator[str]:
    """Return the URL of a scratch database built by the migrations and holding a few answers."""
    admin = sa.create_engine(f"{SERVER_URL}/postgres", isolation_level="AUTOCOMMIT")
    _drop(admin, SOURCE_DB, RESTORED_DB)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{SOURCE_DB}"'))
    url = f"{SERVER_URL}/{SOURCE_DB}"
    app = make_app(url)
    try:
        with app.app_context():
            try:
                upgrade()
                _populate()
            finally:
                db.session.remove()
                db.engine.dispose()
        yield url
    finally:
        _drop(admin, SOURCE_DB, RESTORED_DB)
        admin.dispose()


def test_backup_restores_every_row(source_url: str):
    """The script dumps, restores into a fresh database, finds equal counts, exits 0 and drops its copy."""
    done = subprocess.run([sys.executable, str(SCRIPT), source_url, "--target", RESTORED_DB],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {table: (int(source), int(restored))
            for table, source, restored in re.findall(r"^(\w+)\s+(\d+)\s+(\d+)\s*$", done.stdout, flags=re.M)}
    assert rows["survey"] == (1, 1)
    assert rows["question"] == (2, 2)
    assert rows["response"] == (3, 3)
    assert rows["answer"] == (6, 6)
    assert rows["theme"][0] > 0 and rows["municipality"][0] > 0  # seeded by the migrations
    assert all(source == restored for source, restored in rows.values())
    assert re.search(r"^alembic_version \(revision\)\s+(\w+)\s+\1\s*$", done.stdout, flags=re.M), done.stdout
    assert "OK:" in done.stdout
    with psycopg.connect(SERVER_URL.replace("postgresql+psycopg://", "postgresql://") + "/postgres") as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (RESTORED_DB,)).fetchone()
    assert left == (0,), "the scratch database was not dropped"


def test_a_missing_row_is_reported(source_url: str):
    """A restored copy that lost a row is reported as different, naming the table."""
    script = _load_script()
    source = script.parse_target(source_url)
    out = io.StringIO()
    assert script.check(source, RESTORED_DB, keep=True, out=out)
    assert f"Kept the restored copy: database {RESTORED_DB}" in out.getvalue()
    restored = source.with_dbname(RESTORED_DB)
    with restored.connect() as conn:
        conn.execute("DELETE FROM answer WHERE id = (SELECT min(id) FROM answer)")
    found = script.differences(script.census_of(source), script.census_of(restored))
    assert found == ["answer: 6 rows in the source, 5 restored"]
    assert "<>" in script.format_report(script.census_of(source), script.census_of(restored))


def test_an_unreachable_source_fails(source_url: str, capsys: pytest.CaptureFixture[str]):
    """A source database that does not exist gives exit status 1 and says why."""
    script = _load_script()
    assert script.main([source_url.rsplit("/", 1)[0] + "/engage_no_such_database"]) == 1
    assert "FAILED" in capsys.readouterr().err
