"""Translated names of roles, states and job kinds for the staff pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from engage.dashboard.filters import Filters
from engage.jobs.queue import is_stalled
from engage.models import Job, User

ROLE_NAMES = {
    "admin": _l("Administrator"),
    "analyst": _l("Analyst (region)"),
    "municipality_editor": _l("Municipality editor"),
}
STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed")}
JOB_KIND_NAMES = {
    "analyse": _l("Analysis of answers"),
    "summaries": _l("Summaries"),
    "export": _l("Export"),
    "retrain": _l("Retraining"),
    "discover": _l("Theme discovery"),
}
SOURCE_NAMES = {
    "model": _l("model"),
    "rule": _l("keyword rule"),
    "encoder": _l("sentence encoder"),
    "consultation": _l("learned from this consultation"),
    "citizen": _l("confirmed by the citizen"),
    "human": _l("reviewer"),
}
JOB_STATE_NAMES = {
    "queued": _l("Waiting for a worker"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
    "stalled": _l("Stopped responding"),
}
SENTIMENT_NAMES = {"negative": _l("Negative"), "neutral": _l("Neutral"), "positive": _l("Positive")}
LANGUAGE_NAMES = {"da": _l("Danish"), "en": _l("English"), "other": _l("Other language")}


def municipality_name(slug: str | None) -> str:
    """Return a municipality's name in the page's language (the slug if unknown)."""
    from engage.core.i18n import current_lang
    from engage.surveys.services import municipality_names

    names = municipality_names().get(slug or "")
    if names is None:
        return str(LANGUAGE_NAMES["other"]) if slug == "unknown" else (slug or "")
    return names[0] if current_lang() == "da" else names[1]


def role_name(user: User) -> str:
    """Return the translated name of `user`'s role."""
    return str(ROLE_NAMES.get(user.role, user.role))


def job_state_name(job: Job) -> str:
    """Return the translated state of `job`, saying when a running job has stopped responding."""
    return str(JOB_STATE_NAMES["stalled" if is_stalled(job) else job.state])


ERROR_MESSAGES = {
    "name": _l("Enter a name."),
    "long": _l("The name is too long: at most 120 characters."),
    "colour": _l("Choose a colour written as #RRGGBB."),
    "slug": _l("Use 2–41 lower-case letters, digits and hyphens, starting with a letter."),
    "taken": _l("There is already a theme with this short name."),
    "keywords": _l("Give at least one keyword."),
    "decided": _l("This candidate has already been decided."),
    "title": _l("Enter a title."),
    "conflict": _l("Someone saved a newer version while you were editing. Your text is kept here: copy it, "
                   "open the section again and add your changes."),
    "no_summary": _l("There is no summary for that theme in this selection yet."),
}


def error_message(error: Exception) -> str:
    """Return the translated message of a ThemeError or DraftError."""
    return str(ERROR_MESSAGES.get(str(error), error))


def theme_name(slug: str) -> str:
    """Return a theme's name in the page's language (the slug if unknown)."""
    from sqlalchemy import select

    from engage.core.extensions import db
    from engage.core.i18n import current_lang
    from engage.models import Theme

    names = db.session.execute(select(Theme.name_da, Theme.name_en).where(Theme.slug == slug)).first()
    if names is None:
        return slug
    return names[0] if current_lang() == "da" else names[1]


def _iso_datetime(value: str) -> Any:
    """Return a datetime from ISO text (e.g. a model's created_at), or None."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def template_helpers() -> dict[str, Any]:
    """Return the helpers the dashboard templates use."""
    from engage.dashboard import presenters
    from engage.dashboard.drafts import render_markdown

    return {
        "markdown": render_markdown,
        "error_message": error_message,
        "role_name": role_name,
        "status_name": lambda status: str(STATUS_NAMES.get(status, status)),
        "job_kind_name": lambda kind: str(JOB_KIND_NAMES.get(kind, kind)),
        "job_state_name": job_state_name,
        "SENTIMENT_NAMES": SENTIMENT_NAMES,
        "ANSWER_LANGUAGES": LANGUAGE_NAMES,
        "source_name": lambda source: str(SOURCE_NAMES.get(source, source)),
        "iso_datetime": _iso_datetime,
        "filters_args": lambda data: Filters.from_dict(data or {}).to_args(),
        "presenters": presenters,
        "municipality_name": municipality_name,
    }
