"""Operations: the readiness probe, Prometheus metrics, and logs without personal data."""

from __future__ import annotations

import json
import logging
import re

import pytest
import sqlalchemy as sa

from engage.core.extensions import db
from tests.conftest import make_app


def test_ready_when_database_migrations_and_model_are_there(client):
    page = client.get("/readyz")
    assert page.status_code == 200, page.get_json()
    assert page.get_json() == {"status": "ready", "database": "ok", "migrations": "at head",
                               "model": "not loaded yet"} or page.get_json()["model"] == "loaded"


def test_not_ready_when_the_schema_is_behind(tmp_path):
    """A database that was never migrated is reachable but not ready, and says what to do."""
    fresh = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with fresh.app_context():
        db.session.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        db.session.execute(sa.text("INSERT INTO alembic_version VALUES ('0001')"))
        db.session.commit()
    page = fresh.test_client().get("/readyz")
    assert page.status_code == 503
    assert page.get_json()["migrations"] == "behind: run flask db upgrade"
    with fresh.app_context():
        db.engine.dispose()


def test_not_ready_when_the_database_is_unreachable(tmp_path):
    gone = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    page = gone.test_client().get("/readyz")
    assert page.status_code == 503
    assert page.get_json()["database"] == "unreachable"
    with gone.app_context():
        db.engine.dispose()


def test_not_ready_without_a_model(database_url, app, tmp_path):
    no_model = make_app(database_url, NLP_MODEL_DIR=str(tmp_path / "models"))
    page = no_model.test_client().get("/readyz")
    assert page.status_code == 503
    assert page.get_json()["model"] == "missing"
    with no_model.app_context():
        db.engine.dispose()


def submissions_counted(client) -> float:
    text = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
    match = re.search(r'^engage_submissions_total\{channel="web",result="new"\} (\S+)$', text, re.M)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_requests_by_endpoint_and_submissions(app, client, demo_survey, respondent):
    from tests.core.test_defects import SECTION_1, SECTION_2, SECTION_3

    before = submissions_counted(client)  # the app is shared with earlier tests
    r = respondent(demo_survey)
    r.send(SECTION_1)
    r.send(SECTION_2)
    r.send(SECTION_3)
    done = r.send({"q_quote_ok": "y", "q_data_ok": "y"}, action="submit")
    receipt = done.headers["Location"]
    client.get(receipt)
    page = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert submissions_counted(client) == before + 1
    assert 'endpoint="surveys.take"' in text
    assert 'endpoint="surveys.receipt"' in text
    token = receipt.split("/receipt/")[1].split("?")[0]
    assert token not in text  # grouped by endpoint, never by path
    assert "receipt/" not in text


def test_metrics_need_the_token_or_the_local_machine(database_url, app):
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
    guarded = make_app(database_url, METRICS_TOKEN="s3cret-token")
    other = guarded.test_client()
    assert other.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 403
    ok = other.get("/metrics", headers={"Authorization": "Bearer s3cret-token"},
                   environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert ok.status_code == 200
    with guarded.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_database_error_is_logged_without_answer_text_ip_or_path(database_url, app, log_format):
    """The formatter withholds exception messages (SQL parameters), and the 500 page is sent."""
    from engage.core.observability import JsonFormatter, SafeFormatter

    secret = "Mit navn er Hemmelig Hansen"
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    app = make_app(database_url)

    @app.get("/_boom_" + log_format)
    def boom():
        db.session.execute(sa.text("INSERT INTO no_such_table (text) VALUES (:t)"), {"t": secret})

    handler = Keep()
    app.logger.addHandler(handler)
    try:
        page = app.test_client().get("/_boom_" + log_format + "?q=" + secret,
                                     environ_base={"REMOTE_ADDR": "198.51.100.7"})
    finally:
        app.logger.removeHandler(handler)
    assert page.status_code == 500
    formatter = JsonFormatter() if log_format == "json" else SafeFormatter("%(message)s")
    lines = [formatter.format(record) for record in records]
    assert lines, "the error was not logged"
    logged = "\n".join(lines)
    assert "OperationalError" in logged or "ProgrammingError" in logged
    assert secret not in logged
    assert "198.51.100.7" not in logged
    assert "_boom_" not in logged
    if log_format == "json":
        entry = json.loads(lines[0])
        assert entry["level"] == "ERROR" and "traceback" in entry
    with app.app_context():
        db.engine.dispose()
