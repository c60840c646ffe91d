"""Role and municipality checks for every staff page, export and download."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from engage.models import User

F = TypeVar("F", bound=Callable[..., Any])

STAFF_ROLES = ("admin", "analyst", "municipality_editor")


def staff_required(*roles: str) -> Callable[[F], F]:
    """Require a logged-in staff member with one of `roles` (all staff roles when none given).

    Anonymous visitors are sent to the login page; a logged-in person without the role gets 403.
    """
    allowed = roles or STAFF_ROLES

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = allowed  # type: ignore[attr-defined]  (read by the route audit test)
        return wrapped  # type: ignore[return-value]

    return decorate


def may_see_raw(user: User, municipality_id: int | None) -> bool:
    """Return whether `user` may read raw answers of respondents in `municipality_id`.

    Regional staff see every answer; a municipality editor only those of their municipality
    (answers with no municipality are the region's).
    """
    if user.is_regional:
        return True
    return municipality_id is not None and municipality_id == user.municipality_id


def require_raw_access(user: User, municipality_id: int | None) -> None:
    """Abort with 404 (not 403: do not confirm the answer exists) when `user` may not read it."""
    if not may_see_raw(user, municipality_id):
        abort(404)
