"""The job queue: Huey set up from the app's config, the Job rows, and running a job."""

from __future__ import annotations

import hashlib
import json
import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import Job
from engage.models.base import utcnow

log = logging.getLogger(__name__)

#: What a job's handler gets to report progress: progress(done, total). It commits, so call it
#: only between complete units of work.
Progress = Callable[[int, int], None]
Handler = Callable[[Job, Progress], dict[str, Any] | None]

#: Job kinds and their handlers, filled by engage.jobs.tasks.
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work of jobs of `kind`."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def make_huey(app: Flask) -> Huey:
    """Return the Huey instance for the app's configuration."""
    config = app.config
    immediate = bool(config.get("JOBS_IMMEDIATE"))
    name = config.get("JOBS_QUEUE_NAME") or "engage"
    if config.get("REDIS_URL") and not immediate:
        return RedisHuey(name, url=config["REDIS_URL"], results=False)
    path = config.get("JOBS_SQLITE_PATH") or str(Path(app.instance_path) / "jobs.sqlite3")
    if not immediate:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=path, results=False, immediate=immediate)


def init_app(app: Flask) -> None:
    """Create the app's queue and its one task, which runs a Job row by id in an app context."""
    from engage.jobs import tasks  # noqa: F401  (registers the handlers)

    huey = make_huey(app)

    @huey.task(name="engage.run_job")
    def run(job_id: int) -> None:
        with app.app_context():
            try:
                run_job(job_id)
            finally:
                db.session.remove()

    app.extensions["engage.huey"] = huey
    app.extensions["engage.run_job_task"] = run


def dedupe_key(kind: str, params: dict[str, Any]) -> str:
    """Return the key that identifies equal work: the kind and a hash of its parameters."""
    raw = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return f"{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def is_stalled(job: Job, now: datetime | None = None) -> bool:
    """Return whether a running job has not reported progress for too long (its worker died)."""
    if job.state != "running":
        return False
    seconds = current_app.config.get("JOBS_STALLED_AFTER", 600)
    last = job.heartbeat_at or job.started_at or job.created_at
    return (now or utcnow()) - last > timedelta(seconds=seconds)


def enqueue(kind: str, params: dict[str, Any] | None = None, *, user_id: int | None = None) -> Job:
    """Record a job and hand its id to the queue; reuse a queued or running job doing the same work.

    Commits the Job row (a worker in another process must see it), so call it after the
    request's own commit. In immediate mode the job has run when this returns.
    """
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = params or {}
    key = dedupe_key(kind, params)
    waiting = db.session.scalars(
        select(Job).where(Job.dedupe_key == key, Job.state.in_(("queued", "running"))).order_by(Job.id.desc())
    ).first()
    if waiting is not None and not is_stalled(waiting):
        return waiting
    job = Job(kind=kind, params=params, dedupe_key=key, user_id=user_id, state="queued")
    db.session.add(job)
    db.session.commit()
    current_app.extensions["engage.run_job_task"](job.id)
    db.session.refresh(job)
    return job


def _progress(job: Job) -> Progress:
    """Return the progress reporter of `job`: it stores done/total and the heartbeat, and commits."""

    def report(done: int, total: int) -> None:
        job.done, job.total = int(done), int(total)
        job.heartbeat_at = utcnow()
        db.session.commit()

    return report


def run_job(job_id: int) -> None:
    """Run the Job with `job_id` once; a job already done is not run again (redelivery is safe).

    A failure rolls back the handler's uncommitted work and records the failure on the row
    (the exception's type only: messages can carry data). Handlers write their result at the
    end in one transaction, so a job killed halfway leaves nothing half-written.
    """
    job = db.session.get(Job, job_id)
    if job is None or job.state == "done":
        return
    handler_fn = HANDLERS[job.kind]
    now = utcnow()
    job.state, job.started_at, job.heartbeat_at = "running", now, now
    job.attempts += 1
    job.message = ""
    db.session.commit()
    try:
        result = handler_fn(job, _progress(job))
    except Exception as exc:  # noqa: BLE001 — recorded on the job; the worker carries on
        db.session.rollback()
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("job %s (%s) failed: %s\n%s", job_id, job.kind, type(exc).__name__, frames)
        job = db.session.get(Job, job_id)
        assert job is not None
        job.state = "failed"
        job.message = type(exc).__name__
        job.finished_at = utcnow()
        db.session.commit()
        return
    job.result = result or {}
    job.state = "done"
    job.finished_at = utcnow()
    if job.total and job.done < job.total:
        job.done = job.total
    db.session.commit()


def latest_runs() -> dict[str, datetime]:
    """Return {kind: when the last successful job of that kind finished}."""
    rows = db.session.execute(
        select(Job.kind, func.max(Job.finished_at)).where(Job.state == "done").group_by(Job.kind)
    )
    return {kind: finished for kind, finished in rows if finished is not None}
