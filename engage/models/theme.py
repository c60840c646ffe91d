"""Themes of the strategy taxonomy and the themes found on answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.extensions import db
from engage.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engage.models.response import Answer

THEME_SOURCES = ("model", "rule", "encoder", "consultation", "human", "citizen")


class Theme(db.Model):
    """A theme of the taxonomy, named and described in both languages; editable by the team."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_da: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    keywords_da: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    colour: Mapped[str] = mapped_column(String(7), default="#1f6fb2")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    #: When names or keywords last changed: analysers in other processes reload the taxonomy.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


class AnswerTheme(db.Model):
    """One theme on one answer, with its score and where it came from."""

    __table_args__ = (UniqueConstraint("answer_id", "theme_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[str | None] = mapped_column(String(64))
    #: The words that triggered the theme (the explanation shown to the team).
    triggers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answer: Mapped[Answer] = relationship(back_populates="themes")
    theme: Mapped[Theme] = relationship()

    def __repr__(self) -> str:
        return f"<AnswerTheme answer={self.answer_id} theme={self.theme_id} {self.score:.2f}>"
