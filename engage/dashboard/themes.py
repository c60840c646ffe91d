"""Theme management: edit names, descriptions and keywords in both languages; discover candidate
themes among unthemed answers; adopt, merge or dismiss them. Functions add and flush."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from flask import abort
from sqlalchemy import exists, select

from engage.core import audit
from engage.core.extensions import db
from engage.jobs.queue import Progress
from engage.models import Answer, AnswerTheme, Job, Response, Theme, User
from engage.models.base import utcnow
from engage.models.strategy import ThemeCandidate
from engage.nlp.lexicon import shipped_spec

EDITABLE = ("name_da", "name_en", "description_da", "description_en", "colour")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


class ThemeError(ValueError):
    """A theme edit that cannot be saved; `field` names the form field, the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def require_editor(user: User) -> None:
    """Allow admins and regional analysts; municipality editors get 403."""
    if not user.is_regional:
        abort(403)


def shipped_keywords(slug: str, lang: str) -> list[str]:
    """Return the shipped lexicon's keywords of theme `slug` in `lang` (empty for a new theme)."""
    return list((shipped_spec(lang).get(slug) or {}).get("keywords") or [])


def effective_keywords(theme: Theme, lang: str) -> list[str]:
    """Return the keywords the analyser uses for `theme` in `lang`: the team's, else the shipped."""
    own = theme.keywords_da if lang == "da" else theme.keywords_en
    return list(own) if own else shipped_keywords(theme.slug, lang)


def parse_keywords(raw: str) -> list[str]:
    """Return keywords from text with one per line (or separated by commas), trimmed, lower-case,
    without duplicates, in order."""
    words = (w.strip().lower() for w in re.split(r"[\n,;]+", raw or ""))
    return list(dict.fromkeys(w for w in words if w and len(w) <= 80))


def update_theme(theme: Theme, form: Mapping[str, str], user: User) -> None:
    """Save names, descriptions, colour, active flag and keywords of `theme`; audit the change.

    Keywords equal to the shipped list are stored as "no override", so the theme keeps following
    the shipped lexicon.
    """
    require_editor(user)
    values: dict[str, Any] = {name: (form.get(name) or "").strip() for name in EDITABLE}
    for name in ("name_da", "name_en"):
        if not values[name]:
            raise ThemeError(name, "name")
        if len(values[name]) > 120:
            raise ThemeError(name, "long")
    if not COLOUR_RE.match(values["colour"]):
        raise ThemeError("colour", "colour")
    for lang in ("da", "en"):
        words = parse_keywords(form.get(f"keywords_{lang}", ""))
        shipped = parse_keywords("\n".join(shipped_keywords(theme.slug, lang)))
        values[f"keywords_{lang}"] = [] if words == shipped else words
    values["is_active"] = form.get("is_active") in ("1", "on", "true", "y")
    before = {k: getattr(theme, k) for k in values}
    for key, value in values.items():
        setattr(theme, key, value)
    theme.updated_at = utcnow()
    db.session.flush()
    changed = {k: {"from": before[k], "to": values[k]} for k in values if before[k] != values[k]}
    audit.record("theme_edit", f"theme:{theme.slug}", user_id=user.id, changed=sorted(changed))


def slugify(label: str) -> str:
    """Return a theme slug made from a label ("Legepladser og byrum" -> "legepladser-og-byrum")."""
    text = unicodedata.normalize("NFKD", label.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "theme"


# --- discovery ---------------------------------------------------------------------------------


def unthemed_items() -> list[Any]:
    """Return the analysed answers with no machine or human theme, as summary items."""
    from engage.nlp.summarise import SummaryItem

    has_theme = exists().where(AnswerTheme.answer_id == Answer.id)
    rows = db.session.execute(
        select(Answer.id, Answer.text, Answer.lang, Answer.sentiment, Response.quote_consent)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.text.is_not(None), Answer.text != "", Answer.analysis_state == "done",
               Response.is_test.is_(False), ~has_theme)
        .order_by(Answer.id)
    )
    return [SummaryItem(id=str(i), text=t, lang=lang or "da", themes=(), sentiment=s or 0.0, quotable=bool(q))
            for i, t, lang, s, q in rows]


def run_discovery(job: Job, progress: Progress) -> dict[str, Any]:
    """Do the work of a discovery job: cluster unthemed answers, replace the undecided candidates."""
    from engage.nlp.discover import discover

    progress(0, 2)
    items = unthemed_items()
    candidates = discover(items, seed=0)
    progress(1, 2)
    db.session.execute(ThemeCandidate.__table__.delete().where(ThemeCandidate.status == "new"))
    for c in candidates:
        db.session.add(ThemeCandidate(
            label=c.label[:200], key_phrases=[p.to_dict() for p in c.key_phrases], size=c.size,
            examples=[e.to_dict() for e in c.examples], answer_ids=[int(i) for i in c.ids if i.isdecimal()],
            status="new", job_id=job.id,
        ))
    db.session.flush()
    return {"candidates": len(candidates), "unthemed": len(items)}


def candidates(status: str = "new") -> list[ThemeCandidate]:
    """Return the candidates with `status`, largest first."""
    return list(db.session.scalars(
        select(ThemeCandidate).where(ThemeCandidate.status == status).order_by(ThemeCandidate.size.desc())))


def candidate_keywords(candidate: ThemeCandidate) -> list[str]:
    """Return the candidate's key phrases as keywords (the words people wrote)."""
    return parse_keywords("\n".join(str(p.get("text") or p.get("lemma") or "") for p in candidate.key_phrases))


def _decide(candidate: ThemeCandidate, status: str, user: User, theme: Theme | None = None) -> None:
    if candidate.status != "new":
        raise ThemeError("candidate", "decided")
    candidate.status = status
    candidate.theme_id = theme.id if theme else None
    candidate.decided_at = utcnow()
    candidate.decided_by_id = user.id


def adopt_candidate(candidate: ThemeCandidate, form: Mapping[str, str], user: User) -> Theme:
    """Create a theme from a candidate with the names and keywords given; it classifies at once
    through its keywords and joins the model at the next retrain."""
    require_editor(user)
    slug = (form.get("slug") or slugify(candidate.label)).strip()
    if not SLUG_RE.match(slug):
        raise ThemeError("slug", "slug")
    if db.session.scalar(select(Theme.id).where(Theme.slug == slug)) is not None:
        raise ThemeError("slug", "taken")
    names = {lang: (form.get(f"name_{lang}") or "").strip() for lang in ("da", "en")}
    for lang, name in names.items():
        if not name:
            raise ThemeError(f"name_{lang}", "name")
    keywords = {lang: parse_keywords(form.get(f"keywords_{lang}", "")) for lang in ("da", "en")}
    if not keywords["da"] and not keywords["en"]:
        raise ThemeError("keywords_da", "keywords")
    theme = Theme(slug=slug, name_da=names["da"][:120], name_en=names["en"][:120],
                  description_da=(form.get("description_da") or "").strip(),
                  description_en=(form.get("description_en") or "").strip(),
                  keywords_da=keywords["da"], keywords_en=keywords["en"], colour="#595959", is_active=True,
                  updated_at=utcnow())
    db.session.add(theme)
    db.session.flush()
    _decide(candidate, "adopted", user, theme)
    audit.record("theme_edit", f"theme:{slug}", user_id=user.id, created_from=f"candidate:{candidate.id}")
    return theme


def merge_candidate(candidate: ThemeCandidate, theme: Theme, user: User) -> None:
    """Add a candidate's keywords to an existing theme (in the candidate's main language)."""
    require_editor(user)
    langs = [e.get("lang") for e in candidate.examples]
    lang = "en" if langs.count("en") > langs.count("da") else "da"
    current = effective_keywords(theme, lang)
    merged = list(dict.fromkeys([*current, *candidate_keywords(candidate)]))
    setattr(theme, f"keywords_{lang}", merged)
    theme.updated_at = utcnow()
    _decide(candidate, "merged", user, theme)
    db.session.flush()
    audit.record("theme_edit", f"theme:{theme.slug}", user_id=user.id, merged=f"candidate:{candidate.id}")


def dismiss_candidate(candidate: ThemeCandidate, user: User) -> None:
    """Set a candidate aside."""
    require_editor(user)
    _decide(candidate, "dismissed", user)
    db.session.flush()


def theme_answer_counts() -> dict[int, int]:
    """Return {theme id: answers carrying it} (any source)."""
    from sqlalchemy import func

    rows = db.session.execute(select(AnswerTheme.theme_id, func.count(func.distinct(AnswerTheme.answer_id)))
                              .group_by(AnswerTheme.theme_id)).all()
    return dict(rows)


def all_themes() -> Sequence[Theme]:
    """Return every theme, active first."""
    return list(db.session.scalars(select(Theme).order_by(Theme.is_active.desc(), Theme.id)))


