"""Staff accounts for the dashboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from engage.core.extensions import db
from engage.models.base import UTCDateTime, utcnow
from engage.models.municipality import Municipality

ROLES = ("admin", "analyst", "municipality_editor")


class User(db.Model):
    """A member of staff: the strategy team or a municipality's editor."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32), default="analyst")
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Failed logins since the last success; reaching the limit locks the account for a while.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Demo accounts (made by the demo seed) are refused when ENGAGE_ENV=production.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The dashboard's language for this person (da or en).
    locale: Mapped[str] = mapped_column(String(8), default="da", server_default="da")

    municipality: Mapped[Municipality | None] = relationship()

    @property
    def is_regional(self) -> bool:
        """Return whether this person may see every municipality's raw answers."""
        return self.role in ("admin", "analyst")

    @property
    def scope_municipality_id(self) -> int | None:
        """Return the municipality this person's raw-answer access is limited to (None: all)."""
        return None if self.is_regional else self.municipality_id

    # Flask-Login's user interface
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Return the session identifier: the id and a fingerprint of the password hash, so that
        changing the password ends every other session."""
        return f"{self.id}:{self.password_hash[-12:]}"

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password`."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Return whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
