"""`flask jobs …`: run the worker, enqueue work, list recent jobs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

jobs_cli = AppGroup("jobs", help="Background jobs: the worker and the queue.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads in this process.")
@with_appcontext
def worker(workers: int) -> None:
    """Consume jobs until stopped (SQLite queue by default, Redis when ENGAGE_REDIS_URL is set)."""
    huey = current_app.extensions["engage.huey"]
    if huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is on: jobs run in the web process; no worker is needed.")
    click.echo(f"Job worker: {type(huey.storage).__name__}, {workers} thread(s).", err=True)
    huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()


@jobs_cli.command("enqueue")
@click.argument("kind", type=click.Choice(["analyse", "summaries"]))
@click.option("--survey", default=None, help="Survey slug (default: every survey).")
@click.option("--all", "everything", is_flag=True, help="analyse: every answer, not only pending ones.")
def enqueue_command(kind: str, survey: str | None, everything: bool) -> None:
    """Put a re-analysis or a region-wide summary on the queue."""
    from engage.dashboard.filters import Filters
    from engage.jobs import enqueue

    if kind == "analyse":
        job = enqueue("analyse", {"survey": survey, "all": everything})
    else:
        job = enqueue("summaries", {"filters": Filters(survey=survey).to_dict()})
    click.echo(f"Job {job.id} ({job.kind}): {job.state}")


@jobs_cli.command("list")
@click.option("--limit", default=20, show_default=True)
def list_jobs(limit: int) -> None:
    """Show the most recent jobs with their state and progress."""
    from engage.core.extensions import db
    from engage.models import Job

    for job in db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)):
        click.echo(f"{job.id:>6} {job.kind:<10} {job.state:<8} {job.done}/{job.total} {job.created_at:%Y-%m-%d %H:%M} {job.message}")
