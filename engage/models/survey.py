"""Surveys and their questions. Texts are stored in Danish and English."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.extensions import db
from engage.models.base import UTCDateTime, utcnow
from engage.models.municipality import Municipality

SURVEY_STATUSES = ("draft", "open", "closed")
SURVEY_MODES = ("form", "chat", "both")


class Survey(db.Model):
    """A bilingual survey or consultation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_da: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    intro_da: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    modes: Mapped[str] = mapped_column(String(8), default="both", server_default="both")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    allow_quotes: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Chat mode's answers to citizens' questions, per topic and language:
    #: {"timeline": {"da": "…", "en": "…"}, …}; topics not given use the defaults.
    faq: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    #: Shown on the receipt page after a submission.
    thanks_da: Mapped[str] = mapped_column(Text, default="", server_default="")
    thanks_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The owner's privacy notice for this consultation (https://…), linked from every page.
    privacy_url: Mapped[str | None] = mapped_column(String(500))
    #: The languages the survey is offered in, e.g. "da,en" or "da": a text is required in each.
    languages: Mapped[str] = mapped_column(String(8), default="da,en", server_default="da,en")
    #: Slugs of the municipalities whose sites may embed the survey; None: every partner.
    embed_municipalities: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    #: Archived surveys leave the staff list (they stay readable in summaries and exports).
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[Municipality | None] = relationship()
    #: The questions as they are asked now (a question replaced by a newer version is retired).
    questions: Mapped[list[Question]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan",
        primaryjoin="and_(Survey.id == Question.survey_id, Question.retired_at.is_(None))",
    )
    #: Every version of every question, also retired ones that answers still point at.
    all_questions: Mapped[list[Question]] = relationship(
        order_by="(Question.position, Question.version)", viewonly=True,
    )

    def is_open(self, now: datetime | None = None) -> bool:
        """Return whether the survey accepts answers at `now`."""
        now = now or utcnow()
        if self.status != "open":
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    @property
    def language_list(self) -> list[str]:
        """Return the languages the survey is offered in, Danish first."""
        offered = set((self.languages or "da,en").split(","))
        return [lang for lang in ("da", "en") if lang in offered] or ["da", "en"]

    def may_embed(self, municipality: str | None) -> bool:
        """Return whether the municipality `municipality` (a slug) may embed this survey."""
        return self.embed_municipalities is None or municipality in self.embed_municipalities

    @property
    def sections(self) -> list[int]:
        """Return the section numbers in order."""
        return sorted({q.section for q in self.questions})

    def __repr__(self) -> str:
        return f"<Survey {self.slug} {self.status}>"


class Question(db.Model):
    """One question of a survey; `kind` names an entry of the question-kind registry."""

    __table_args__ = (UniqueConstraint("survey_id", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    section: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    kind: Mapped[str] = mapped_column(String(32))
    text_da: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    help_da: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Choices as [{"key": "bus", "da": "Bus", "en": "Bus"}, …] for choice and ranking kinds.
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Kind-specific settings, e.g. {"min": 0, "max": 10} for a scale or {"max_length": 500}.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Show only when an earlier answer matches: {"question": "key", "in": ["a", "b"]}.
    show_if: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    #: An edit that changes what an answered question means (a removed option, another kind)
    #: retires this row and adds version + 1 with the same key; answers keep their version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    survey: Mapped[Survey] = relationship(back_populates="questions")

    def option_keys(self) -> list[str]:
        """Return the keys of this question's options, in order."""
        return [o["key"] for o in self.options or []]

    def __repr__(self) -> str:
        return f"<Question {self.key} {self.kind}>"
