"""Background jobs: re-analysis, summaries, exports — on Huey.

    job = enqueue("summaries", {"filters": {...}}, user_id=current_user.id)   # after your commit

The queue carries only a `Job` row's id; the row is what the dashboard reads (state, progress,
result, the time of the last successful run). Storage: a SQLite file in the instance folder by
default (no extra server), Redis when REDIS_URL is set (many workers), or in-process and
immediate when JOBS_IMMEDIATE is true (laptop demo, tests). `flask jobs worker` consumes.
"""

from engage.jobs.queue import enqueue, init_app, latest_runs, run_job

__all__ = ["enqueue", "init_app", "latest_runs", "run_job"]
