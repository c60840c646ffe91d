"""The staff workspace's records: the audit log, background jobs and precomputed summaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.extensions import db
from engage.models.base import UTCDateTime, utcnow
from engage.models.user import User

AUDIT_ACTIONS = (
    "login", "logout", "login_refused", "export", "deletion", "theme_edit", "model_activation",
    "user_created", "job_enqueued",
)
JOB_STATES = ("queued", "running", "done", "failed")


class AuditEvent(db.Model):
    """Who did what to which data, and when. Never holds answer text or personal data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: The staff member; None for the system (a job, a command) or a citizen deleting their own answers.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32), index=True)
    #: What it concerned, e.g. "survey:smart-greater-copenhagen" or "theme:mobility".
    target: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Structured details: filters of an export, row counts, old and new values of a theme edit.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.target}>"


class Job(db.Model):
    """One background job as the dashboard sees it: kind, progress and outcome.

    The queue (Huey) carries only the job's id; this row is what people read. A job is
    idempotent: it can be enqueued again with the same parameters and gives the same result.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    #: Parameters as JSON, e.g. {"filters": {...}} — never personal data.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Identifies equal work (kind + parameters); a queued or running job with the same key is reused.
    dedupe_key: Mapped[str] = mapped_column(String(80), index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", server_default="queued", index=True)
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: A short, non-personal message: what failed, or what the result is.
    message: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: What the job produced, e.g. {"file": "exports/12.xlsx", "rows": 200}.
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()

    @property
    def percent(self) -> float:
        """Return progress as a share in [0, 1] (0 while the total is unknown)."""
        if self.state == "done":
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"


class SummarySnapshot(db.Model):
    """The themed summary of one selection of answers, computed by a job and read by the page.

    `data` holds everything the summaries page and the comparison show (counts, shares,
    sentiment, key phrases, quotes with answer ids, summary sentences in both languages, the
    municipality × theme matrix, trends and structured-question results), so a page view
    reads one row.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Filters.key() of the selection; one snapshot per selection (replaced when recomputed).
    key: Mapped[str] = mapped_column(String(40), unique=True)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Free-text answers summarised, and the highest answer id seen: newer data makes it stale.
    answer_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_answer_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    model_version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seconds: Mapped[float | None] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<SummarySnapshot {self.key} n={self.answer_count}>"
