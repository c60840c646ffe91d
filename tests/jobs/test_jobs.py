"""Background jobs: bookkeeping, deduplication, failures that leave nothing half-written, and a
real consumer process against Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from engage import PROJECT_ROOT
from engage.core.extensions import db
from engage.jobs import enqueue, run_job
from engage.jobs.queue import HANDLERS, handler
from engage.models import Answer, Job, Survey
from engage.models.base import utcnow

REDIS_URL = os.environ.get("ENGAGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def queued(app):
    """Turn off immediate mode for one test: jobs wait in the (SQLite) queue."""
    huey = app.extensions["engage.huey"]
    huey.immediate = False
    yield huey
    huey.immediate = True


@pytest.fixture
def failing_handler():
    """Register a job kind that writes a row and then fails."""

    @handler("test-fails")
    def fails(job, progress):
        db.session.add(Survey(slug="half-written", title_da="x", title_en="x"))
        db.session.flush()
        progress(1, 2)  # commits progress (and, by contract, only complete work)
        db.session.add(Survey(slug="never-committed", title_da="y", title_en="y"))
        db.session.flush()
        detail = "secret answer " + "text"  # a runtime value, like data in an exception message
        raise RuntimeError(detail)

    yield "test-fails"
    HANDLERS.pop("test-fails")


def test_equal_work_is_enqueued_once(app, queued):
    """Asking twice for the same work while it waits gives the same job."""
    with app.app_context():
        first = enqueue("analyse", {"survey": None, "all": False})
        second = enqueue("analyse", {"survey": None, "all": False})
        other = enqueue("analyse", {"survey": None, "all": True})
        assert first.id == second.id and other.id != first.id
        assert first.state == "queued"


def test_a_stalled_job_can_be_started_again(app, queued):
    """A running job whose worker stopped reporting is not reused: the work is enqueued anew."""
    with app.app_context():
        job = enqueue("analyse", {"survey": None, "all": False})
        job.state = "running"
        job.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOBS_STALLED_AFTER"] + 5)
        db.session.commit()
        again = enqueue("analyse", {"survey": None, "all": False})
        assert again.id != job.id


def test_a_failed_job_is_recorded_and_rolls_back(app, failing_handler, caplog):
    """A failing job is marked failed with the error type only; its uncommitted work is gone."""
    with app.app_context():
        job = enqueue(failing_handler, {})
        assert job.state == "failed"
        assert job.message == "RuntimeError"
        assert job.done == 1 and job.total == 2
        slugs = set(db.session.scalars(select(Survey.slug)))
        assert "never-committed" not in slugs
    assert "secret answer text" not in caplog.text


def test_a_done_job_is_not_run_twice(app):
    """Delivering a finished job again (a queue retry) does nothing."""
    with app.app_context():
        job = enqueue("analyse", {"survey": None, "all": False})
        assert job.state == "done"
        finished = job.finished_at
        run_job(job.id)
        db.session.refresh(job)
        assert job.finished_at == finished and job.attempts == 1


def test_summary_job_that_dies_keeps_the_previous_snapshot(app, demo_survey, failing_handler):
    """A summary snapshot is replaced only by a complete new one."""
    from engage.dashboard.filters import Filters
    from engage.dashboard.summaries import get_snapshot
    from engage.models import SummarySnapshot

    filters = Filters(survey=demo_survey)
    with app.app_context():
        job = enqueue("summaries", {"filters": filters.to_dict()})
        assert job.state == "done"
        before = get_snapshot(filters)
        computed = before.computed_at
        # a failing job in the same database does not touch it
        enqueue(failing_handler, {"x": 1})
        db.session.expire_all()
        after = db.session.scalar(select(SummarySnapshot).where(SummarySnapshot.key == filters.key()))
        assert after.computed_at == computed


def redis_available() -> bool:
    """Return whether the test Redis answers."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def test_a_real_worker_process_consumes_jobs_from_redis(app, database_url, make_survey, tmp_path):
    """`flask jobs worker` in its own process takes a job from Redis and analyses pending answers."""
    if not redis_available():
        if os.environ.get("ENGAGE_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    import uuid

    queue = f"engage-test-{uuid.uuid4().hex[:12]}"  # a queue of its own: no other run takes its job
    from engage.surveys.services import get_survey, submit_response
    from tests.conftest import MODEL_DIR, make_app

    slug = make_survey([{"key": "idea", "kind": "long_text", "text_da": "Idé", "text_en": "Idea"}])
    with app.app_context():
        submitted = submit_response(get_survey(slug), {"idea": "Flere cykelstier og hyppigere busser, tak."},
                                    submission_token="redis-1", locale="da")  # no analyser: pending
        db.session.commit()
        answer_id = submitted.response.answers[0].id
        assert db.session.get(Answer, answer_id).analysis_state == "pending"

    env = dict(os.environ, DATABASE_URL=database_url, ENGAGE_REDIS_URL=REDIS_URL,
               ENGAGE_NLP_MODEL_DIR=str(MODEL_DIR), ENGAGE_SECRET_KEY="worker-test-secret-key-0123456789abcdef",
               ENGAGE_JOBS_IMMEDIATE="false", ENGAGE_JOBS_QUEUE_NAME=queue)
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "engage", "jobs", "worker", "--workers", "1"],
                              cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        producer = make_app(database_url, REDIS_URL=REDIS_URL, JOBS_IMMEDIATE=False, JOBS_QUEUE_NAME=queue)
        with producer.app_context():
            job = enqueue("analyse", {"survey": slug, "all": False})
            job_id = job.id
            assert job.state == "queued"
            db.session.remove()
            db.engine.dispose()
        deadline = time.monotonic() + 300  # a loaded machine may take long to start the worker
        state = "queued"
        engine = sa.create_engine(database_url)
        while time.monotonic() < deadline and state not in ("done", "failed"):
            time.sleep(0.5)
            with engine.connect() as conn:
                state = conn.execute(sa.text("SELECT state FROM job WHERE id = :id"), {"id": job_id}).scalar()
        engine.dispose()
        if state != "done":
            worker.terminate()
            output, _ = worker.communicate(timeout=30)
            pytest.fail(f"job state {state!r} after 300 s; worker output:\n{output[-3000:]}")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=20)
        worker.stdout.close()
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        assert answer.analysis_state == "done"
        assert db.session.get(Job, job_id).result == {"answers": 1}
