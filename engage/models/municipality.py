"""The partner municipalities and the region."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.extensions import db


class Municipality(db.Model):
    """A partner municipality (or the region itself, kind "region")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_da: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(
        String(16), default="municipality", server_default="municipality"
    )
    #: Origins allowed to embed the widget for this municipality (CSP frame-ancestors), e.g.
    #: ["https://www.gentofte.dk"]. None or empty: no site may frame it.
    embed_origins: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"
