"""Strategy drafts: sections linked to themes, their version history, and evidence blocks that
cite the citizens' answers behind each claim."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.extensions import db
from engage.models.base import UTCDateTime, utcnow
from engage.models.user import User


class StrategyDraft(db.Model):
    """A strategy document being written by the team, e.g. one per indsatsområde set."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()
    sections: Mapped[list[DraftSection]] = relationship(
        back_populates="draft", order_by="DraftSection.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<StrategyDraft {self.id} {self.title!r}>"


class DraftSection(db.Model):
    """One section of a draft: a Markdown body linked to one or more themes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("strategy_draft.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200), default="")
    #: Theme slugs the section is about (its evidence panel shows their latest summaries).
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")
    #: The number of the latest version (1 for a new section); each save adds a version.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    draft: Mapped[StrategyDraft] = relationship(back_populates="sections")
    versions: Mapped[list[DraftSectionVersion]] = relationship(
        back_populates="section", order_by="DraftSectionVersion.number.desc()", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[EvidenceBlock]] = relationship(
        back_populates="section", order_by="EvidenceBlock.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<DraftSection {self.id} v{self.version}>"


class DraftSectionVersion(db.Model):
    """A saved state of a section's title and body (the history the team can read back)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("draft_section.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    section: Mapped[DraftSection] = relationship(back_populates="versions")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<DraftSectionVersion {self.section_id} v{self.number}>"


class EvidenceBlock(db.Model):
    """Numbers, key phrases and quotes from one theme's summary, frozen when inserted.

    `numbers` and `quotes` record what was cited (answer ids included) and `data_as_of` when the
    data was computed, so the block can say when newer data has changed its numbers and when a
    cited answer has been withdrawn.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("draft_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    theme: Mapped[str] = mapped_column(String(64))
    #: The selection the numbers come from (Filters.to_dict()).
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: {"count", "total", "share", "sentiment": {...}, "title": {"da", "en"}}
    numbers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    key_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: [{"id": answer id, "text", "lang", "municipality"}]
    quotes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    data_as_of: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    section: Mapped[DraftSection] = relationship(back_populates="evidence")

    def cited_ids(self) -> list[int]:
        """Return the answer ids this block cites."""
        return [int(q["id"]) for q in self.quotes if str(q.get("id", "")).isdecimal()]

    def __repr__(self) -> str:
        return f"<EvidenceBlock {self.id} {self.theme}>"


class ThemeCandidate(db.Model):
    """A candidate theme found by discovery among answers with no confident theme."""

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    #: The key phrases that name it ({"text", "lemma", ...}).
    key_phrases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    #: Example answer ids with their texts as discovery returned them.
    examples: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    answer_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: new | adopted | merged | dismissed
    status: Mapped[str] = mapped_column(String(16), default="new", server_default="new", index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<ThemeCandidate {self.id} {self.label!r} {self.status}>"
