"""The audit log: who exported, deleted, edited themes or activated a model, and when.

`record` adds a row to the current session (flush, no commit): it lands in the same
transaction as the action it records, so an action that rolls back leaves no audit line, and
an action that commits always has one. Details never hold answer text or personal data.
"""

from __future__ import annotations

from typing import Any

from engage.core.extensions import db
from engage.models import AuditEvent


def record(action: str, target: str = "", *, user_id: int | None = None, **details: Any) -> AuditEvent:
    """Add an audit event for `action` on `target` by `user_id` (None: the system)."""
    event = AuditEvent(action=action, target=target[:200], user_id=user_id, details=details)
    db.session.add(event)
    db.session.flush()
    return event
