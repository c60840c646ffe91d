"""Responses and answers. No IP address or user agent is ever stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.extensions import db
from engage.models.base import UTCDateTime, utcnow
from engage.models.municipality import Municipality
from engage.models.survey import Question, Survey

CHANNELS = ("web", "widget", "chat", "api")
ANALYSIS_STATES = ("none", "pending", "done", "failed")


class Response(db.Model):
    """One person's submitted answers to one survey."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="web", server_default="web")
    locale: Mapped[str] = mapped_column(String(8), default="da", server_default="da")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: SHA-256 of the receipt token; the token itself is only ever shown to the respondent.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 of the per-form idempotency token: a retried submission finds this row.
    submission_hash: Mapped[str] = mapped_column(String(64), unique=True)
    quote_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    stakeholder_type: Mapped[str | None] = mapped_column(String(32))
    is_test: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    survey: Mapped[Survey] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Response {self.id} survey={self.survey_id}>"


class Answer(db.Model):
    """The answer to one question. Free text is stored redacted, never raw."""

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    #: Choice keys, a number or a ranking, as JSON; None for free text.
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    #: Redacted free text.
    text: Mapped[str | None] = mapped_column(Text)
    #: Detected language of the free text: da | en | other.
    lang: Mapped[str | None] = mapped_column(String(8))
    #: What redaction replaced, e.g. {"phone": 1}.
    redactions: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    sentiment: Mapped[float | None] = mapped_column(Float)
    analysis_state: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    #: Indexed: every summaries page view asks for the latest analysis (its freshness check).
    analysed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    model_version: Mapped[str | None] = mapped_column(String(64))
    #: How close the engine's decision was: the smallest distance of a theme's score from its
    #: threshold (small = unsure). The review queue shows the smallest first.
    uncertainty: Mapped[float | None] = mapped_column(Float, index=True)
    #: When a person reviewed the themes (their labels then replace the engine's), and who.
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    themes: Mapped[list["AnswerTheme"]] = relationship(  # noqa: UP037
        back_populates="answer", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Answer {self.id} q={self.question_id}>"


from engage.models.theme import AnswerTheme  # noqa: E402  (mutual relationship)
