"""Building surveys in the browser: settings, questions, conditions, translations, publishing and
question versions.

Every change is checked as a whole before anything is touched: a `BuilderError` maps each form field
that is wrong to a translated message, and nothing is changed. Functions add and flush, record an
audit event (who, what) and leave the commit to the caller.

Versions: once a question has answers, an edit that changes what those answers mean (another kind,
a removed option, other scale bounds) retires the question's row and adds a new version with the
same key; answers keep pointing at the version they answered, so they still display as given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from engage.core import audit
from engage.core.extensions import db
from engage.models import Answer, Municipality, Question, Response, Survey, User
from engage.models.base import utcnow
from engage.models.survey import SURVEY_MODES
from engage.surveys.kinds import KINDS, LIKERT_LABELS, PARTNER_SLUGS, STAKEHOLDER_TYPES, parse_int

LANGS = ("da", "en")
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,78}[a-z0-9]")
KEY = re.compile(r"[a-z0-9_]{1,64}")
#: Kinds whose answers are option keys (a condition "is one of" can test them).
CHOICE_KINDS = ("single_choice", "multi_choice", "likert", "stakeholder_type", "municipality")
#: Kinds whose options the survey defines.
OPTION_KINDS = ("single_choice", "multi_choice", "ranking")
FREE_TEXT_KINDS = ("short_text", "long_text")
MAX_TEXT_LIMIT = 20000
#: The kinds as the editor names them.
KIND_NAMES = {
    "single_choice": _l("One choice (radio buttons)"),
    "multi_choice": _l("Several choices (check boxes)"),
    "likert": _l("Agreement scale (5 points)"),
    "scale": _l("Number scale"),
    "ranking": _l("Ranking"),
    "short_text": _l("Short text"),
    "long_text": _l("Long text (analysed for themes)"),
    "municipality": _l("Municipality"),
    "stakeholder_type": _l("Respondent type"),
    "consent": _l("Consent (check box)"),
}
#: Blank option rows offered under the filled ones.
SPARE_OPTION_ROWS = 2


class BuilderError(ValueError):
    """A change that cannot be saved: `errors` maps each form field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NeedsNewVersion(Exception):
    """Saving changes what `answers` given answers mean: ask, then save with `new_version=True`."""

    def __init__(self, reasons: list[str], answers: int):
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.answers = answers


# --- who may edit ----------------------------------------------------------------------------


def may_edit(user: User, survey: Survey) -> bool:
    """Return whether `user` may edit `survey`: regional staff any, an editor their municipality's."""
    return user.is_regional or (survey.owner_id is not None and survey.owner_id == user.municipality_id)


def editable_surveys(user: User, archived: bool = False) -> list[Survey]:
    """Return the surveys `user` may edit, newest first (archived ones only when asked)."""
    query = select(Survey).where(Survey.archived_at.is_not(None) if archived else Survey.archived_at.is_(None))
    if not user.is_regional:
        query = query.where(Survey.owner_id == user.municipality_id)
    return list(db.session.scalars(query.order_by(Survey.id.desc())))


def owner_choices(user: User) -> list[tuple[str, str, str]]:
    """Return (slug, Danish name, English name) of the owners `user` may give a survey ("" = the region)."""
    rows = db.session.scalars(select(Municipality).where(Municipality.slug.in_(PARTNER_SLUGS))
                              .order_by(Municipality.name_da))
    owners = [(m.slug, m.name_da, m.name_en) for m in rows]
    if not user.is_regional:
        return [o for o in owners if o[0] == (user.municipality.slug if user.municipality else None)]
    return [("", "Region Hovedstaden", "Capital Region of Denmark"), *owners]


# --- times -----------------------------------------------------------------------------------


def local_input(value: datetime | None) -> str:
    """Return a stored UTC time as a `datetime-local` field value in Copenhagen time."""
    return value.astimezone(LOCAL_TIME).strftime("%Y-%m-%dT%H:%M") if value else ""


def parse_local(value: str) -> datetime | None:
    """Return a `datetime-local` value (Copenhagen time) as UTC; raise ValueError when malformed."""
    value = (value or "").strip()
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TIME)
    return parsed.astimezone(ZoneInfo("UTC"))


# --- survey settings -------------------------------------------------------------------------

SURVEY_TEXTS = ("title", "intro", "thanks")


def read_settings(form: Any, user: User, survey: Survey | None = None) -> dict[str, Any]:
    """Return the survey settings posted in `form`, checked; raise BuilderError naming each bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    slug = (form.get("slug") or "").strip().lower()
    if survey is not None and survey.status != "draft":
        slug = survey.slug  # the address is fixed once citizens may have it
    if not SLUG.fullmatch(slug):
        errors["slug"] = _("Give the survey an address of 3–80 characters: small letters a–z, digits and "
                           "hyphens (e.g. “mobility-2027”).")
    elif db.session.scalar(select(Survey.id).where(Survey.slug == slug, Survey.id != (survey.id if survey else -1))):
        errors["slug"] = _("Another survey already has the address “%(slug)s”. Choose another.", slug=slug)
    values["slug"] = slug
    languages = [lang for lang in LANGS if form.get(f"lang_{lang}")]
    if not languages:
        errors["lang_da"] = _("Offer the survey in at least one language.")
    values["languages"] = ",".join(languages or LANGS)
    for field in SURVEY_TEXTS:
        for lang in LANGS:
            values[f"{field}_{lang}"] = (form.get(f"{field}_{lang}") or "").strip()
    first = (languages or ["da"])[0]
    if not values[f"title_{first}"]:
        errors[f"title_{first}"] = _("Give the survey a title.")
    for lang in LANGS:
        if len(values[f"title_{lang}"]) > 200:
            errors[f"title_{lang}"] = _("The title is too long: at most %(max)d characters.", max=200)
    privacy = (form.get("privacy_url") or "").strip()
    if privacy and not re.fullmatch(r"https?://[^\s<>\"]{3,490}", privacy):
        errors["privacy_url"] = _("Give the full address of the privacy notice, starting with https://.")
    values["privacy_url"] = privacy or None
    for name in ("opens_at", "closes_at"):
        try:
            values[name] = parse_local(form.get(name, ""))
        except ValueError:
            errors[name] = _("Give a date and time such as 2027-03-01 09:00.")
    if values.get("opens_at") and values.get("closes_at") and values["closes_at"] <= values["opens_at"]:
        errors["closes_at"] = _("The closing time must be after the opening time.")
    modes = form.get("modes", "both")
    if modes not in SURVEY_MODES:
        errors["modes"] = _("Choose how people can answer.")
    values["modes"] = modes
    owners = {slug for slug, _da, _en in owner_choices(user)}
    owner = form.get("owner", "")
    if owner not in owners:
        errors["owner"] = _("You can only choose a municipality you work for.")
    values["owner_id"] = db.session.scalar(select(Municipality.id).where(Municipality.slug == owner)) if owner else None
    values["allow_quotes"] = bool(form.get("allow_quotes"))
    if form.get("embed") == "some":
        chosen = [slug for slug in form.getlist("embed_municipality") if slug in PARTNER_SLUGS]
        if not chosen:
            errors["embed"] = _("Choose the municipalities that may embed the survey, or allow all of them.")
        values["embed_municipalities"] = chosen
    else:
        values["embed_municipalities"] = None
    if errors:
        raise BuilderError(errors)
    return values


def _changed(obj: Any, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def create_survey(form: Any, user: User) -> Survey:
    """Create a draft survey from the settings form (the questions come next)."""
    values = read_settings(form, user)
    survey = Survey(status="draft", **values)
    db.session.add(survey)
    db.session.flush()
    audit.record("survey_create", f"survey:{survey.id}", user_id=user.id, slug=survey.slug)
    return survey


def update_settings(survey: Survey, form: Any, user: User) -> list[str]:
    """Save the settings form; return the names of the fields that changed."""
    changed = _changed(survey, read_settings(form, user, survey))
    if changed:
        db.session.flush()
        audit.record("survey_edit", f"survey:{survey.id}", user_id=user.id, slug=survey.slug, fields=changed)
    return changed


def free_slug(base: str) -> str:
    """Return `base`, or `base-2`, `base-3` … whichever no survey has."""
    taken = set(db.session.scalars(select(Survey.slug).where(Survey.slug.like(f"{base[:70]}%"))))
    slug, n = base[:70], 2
    while slug in taken:
        slug, n = f"{base[:70]}-{n}", n + 1
    return slug


def duplicate_survey(survey: Survey, user: User) -> Survey:
    """Copy `survey` and its current questions as a new draft (answers are not copied)."""
    copy = Survey(slug=free_slug(f"{survey.slug}-copy"), status="draft", owner_id=survey.owner_id,
                  **{name: getattr(survey, name) for name in (
                      "intro_da", "intro_en", "thanks_da", "thanks_en", "privacy_url", "languages", "modes",
                      "allow_quotes", "embed_municipalities", "faq", "opens_at", "closes_at")})
    copy.title_da = f"{survey.title_da} (kopi)" if survey.title_da else ""
    copy.title_en = f"{survey.title_en} (copy)" if survey.title_en else ""
    for q in survey.questions:
        copy.questions.append(Question(**_question_values(q), key=q.key, position=q.position))
    db.session.add(copy)
    db.session.flush()
    audit.record("survey_duplicate", f"survey:{copy.id}", user_id=user.id, slug=copy.slug, source=survey.slug)
    return copy


def set_archived(survey: Survey, archived: bool, user: User) -> None:
    """Archive a survey (it closes and leaves the list) or bring it back (as it was, closed)."""
    survey.archived_at = utcnow() if archived else None
    if archived and survey.status == "open":
        survey.status = "closed"
    db.session.flush()
    audit.record("survey_archive" if archived else "survey_unarchive", f"survey:{survey.id}",
                 user_id=user.id, slug=survey.slug)


# --- questions -------------------------------------------------------------------------------

QUESTION_FIELDS = ("kind", "section", "is_required", "text_da", "text_en", "help_da", "help_en",
                   "options", "settings", "show_if")


def _question_values(question: Question) -> dict[str, Any]:
    return {name: getattr(question, name) for name in QUESTION_FIELDS}


def make_key(text: str, taken: set[str]) -> str:
    """Return a question key made from its text ("Hvor bor du?" -> "hvor_bor_du"), not in `taken`."""
    text = unicodedata.normalize("NFKD", text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    base = "_".join(re.findall(r"[a-z0-9]+", text)[:5])[:40] or "question"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def option_rows(form: Any) -> list[dict[str, str]]:
    """Return the option rows posted in `form` (option_key-N, option_da-N, option_en-N), blank rows left out."""
    rows = []
    indexes = sorted({int(m.group(1)) for name in form for m in [re.fullmatch(r"option_(?:key|da|en)-(\d{1,3})", name)] if m})
    for i in indexes:
        row = {part: (form.get(f"option_{part}-{i}") or "").strip() for part in ("key", "da", "en")}
        if any(row.values()):
            rows.append(row)
    return rows


def ordered(survey: Survey) -> list[Question]:
    """Return the survey's current questions in the order they are asked (section, then position)."""
    return sorted(survey.questions, key=lambda q: (q.section, q.position))


def _in_both(labels: dict[str, Any]) -> list[tuple[str, str, str]]:
    from flask_babel import force_locale

    rows = []
    for key, label in labels.items():
        texts = []
        for lang in LANGS:
            with force_locale(lang):
                texts.append(str(label))
        rows.append((key, *texts))
    return rows


def choice_values(question: Question) -> list[tuple[str, str, str]]:
    """Return (value, Danish label, English label) a condition on `question` can test."""
    if question.kind in ("single_choice", "multi_choice"):
        return [(o["key"], o.get("da", ""), o.get("en", "")) for o in question.options or []]
    if question.kind == "likert":
        return _in_both(LIKERT_LABELS)
    if question.kind == "stakeholder_type":
        return _in_both(STAKEHOLDER_TYPES)
    if question.kind == "municipality":
        from engage.surveys.services import municipality_names

        names = municipality_names()
        return [(slug, *names.get(slug, (slug, slug))) for slug in PARTNER_SLUGS]
    return []


def describe_condition(survey: Survey, question: Question, lang: str) -> str:
    """Return the question's condition as a sentence ("Shown when “transport” is: Bus, Train")."""
    condition = question.show_if or {}
    if not condition:
        return ""
    source = next((q for q in survey.questions if q.key == condition.get("question")), None)
    if source is None:
        return _("Shown when “%(key)s” … (that question no longer exists)", key=condition.get("question", ""))
    if "in" in condition:
        labels = {value: (da if lang == "da" else en) or value for value, da, en in choice_values(source)}
        return _("Shown when “%(key)s” is: %(values)s", key=source.key,
                 values=", ".join(labels.get(str(v), str(v)) for v in condition["in"]))
    if "min" in condition and "max" in condition:
        return _("Shown when “%(key)s” is from %(low)s to %(high)s", key=source.key, low=condition["min"], high=condition["max"])
    if "min" in condition:
        return _("Shown when “%(key)s” is at least %(low)s", key=source.key, low=condition["min"])
    return _("Shown when “%(key)s” is at most %(high)s", key=source.key, high=condition["max"])


def condition_problem(survey: Survey, question: Question | None, position: tuple[int, int],
                      condition: dict[str, Any] | None) -> str | None:
    """Return why `condition` cannot hold for a question at `position` (section, position), or None.

    A condition may only test an earlier question, with values that question can take: otherwise
    the question could never be shown (and a required question could never be answered).
    """
    if not condition:
        return None
    by_key = {q.key: q for q in survey.questions if question is None or q.id != question.id}
    return _condition_problem(by_key, position, condition)


def _condition_problem(by_key: dict[str, Question], position: tuple[int, int], condition: dict[str, Any]) -> str | None:
    source = by_key.get(condition.get("question", ""))
    if source is None:
        return _("The question the condition refers to does not exist.")
    if (source.section, source.position) >= position:
        return _("A condition can only refer to an earlier question.")
    if "in" in condition:
        allowed = {value for value, _da, _en in choice_values(source)}
        if source.kind not in CHOICE_KINDS or not allowed:
            return _("Choose a question with options to test.")
        if not condition["in"]:
            return _("Choose at least one answer that shows the question.")
        if not set(map(str, condition["in"])) <= allowed:
            return _("The condition tests an answer the question “%(key)s” no longer has.", key=source.key)
        return None
    if source.kind != "scale":
        return _("Only a scale question can be tested with “at least” or “at most”.")
    low, high = int(source.settings.get("min", 0)), int(source.settings.get("max", 10))
    cmin, cmax = condition.get("min", low), condition.get("max", high)
    if not (low <= cmin <= high and low <= cmax <= high and cmin <= cmax):
        return _("The condition's numbers must lie on the scale (%(low)d–%(high)d), the lowest first.", low=low, high=high)
    return None


def read_condition(form: Any) -> dict[str, Any] | None:
    """Return the condition posted in `form` (cond_question, cond_op, cond_in-<key>, cond_number)."""
    source = form.get("cond_question") or ""
    if not source:
        return None
    op = form.get("cond_op", "in")
    if op == "in":
        return {"question": source, "in": form.getlist(f"cond_in-{source}")}
    number = parse_int(form.get("cond_number", ""))
    if op not in ("min", "max") or number is None:
        raise BuilderError({"cond_number": _("Give a whole number for the condition.")})
    return {"question": source, op: number}


def read_question(form: Any, survey: Survey, question: Question | None) -> dict[str, Any]:
    """Return the question posted in `form`, checked; raise BuilderError naming each bad field."""
    errors: dict[str, str] = {}
    kind = form.get("kind", "")
    if kind not in KINDS:
        errors["kind"] = _("Choose a kind of question.")
    values: dict[str, Any] = {"kind": kind, "is_required": bool(form.get("is_required"))}
    section = parse_int(form.get("section", "1"))
    if section is None or not 1 <= section <= 50:
        errors["section"] = _("Give the page number as a whole number from 1 to 50.")
    values["section"] = section or 1
    for field in ("text", "help"):
        for lang in LANGS:
            values[f"{field}_{lang}"] = (form.get(f"{field}_{lang}") or "").strip()
    offered = survey.language_list
    if not any(values[f"text_{lang}"] for lang in offered):
        errors[f"text_{offered[0]}"] = _("Write the question.")
    # options
    options: list[dict[str, str]] = []
    if kind in OPTION_KINDS:
        taken: set[str] = set()
        for row in option_rows(form):
            if not (row["da"] or row["en"]):
                errors["options"] = _("Every option needs a text (option “%(key)s” has none).", key=row["key"])
                continue
            key = row["key"] or make_key(row["da"] or row["en"], taken)
            if not KEY.fullmatch(key):
                errors["options"] = _("An option's key may only use small letters a–z, digits and _ (“%(key)s”).", key=key)
            elif key in taken:
                errors["options"] = _("Two options have the key “%(key)s”.", key=key)
            taken.add(key)
            options.append({"key": key, "da": row["da"], "en": row["en"]})
        if len(options) < 2 and "options" not in errors:
            errors["options"] = _("Give at least two options.")
    values["options"] = options
    # kind settings
    settings: dict[str, Any] = {}
    if kind in FREE_TEXT_KINDS:
        limit = form.get("max_length", "").strip()
        if limit:
            number = parse_int(limit)
            if number is None or not 1 <= number <= MAX_TEXT_LIMIT:
                errors["max_length"] = _("Give the longest answer as a whole number from 1 to %(max)d.", max=MAX_TEXT_LIMIT)
            else:
                settings["max_length"] = number
        for lang in LANGS:
            if form.get(f"probe_{lang}", "").strip():
                settings[f"probe_{lang}"] = form[f"probe_{lang}"].strip()
        if form.get("no_probe"):
            settings["probe"] = False
    elif kind == "scale":
        low, high = parse_int(form.get("scale_min", "0")), parse_int(form.get("scale_max", "10"))
        if low is None or high is None or not (0 <= low < high <= 100) or high - low > 20:
            errors["scale_min"] = _("A scale runs from a lower to a higher whole number (0–100), with at most 21 points.")
        else:
            settings.update({"min": low, "max": high})
        for end in ("min", "max"):
            for lang in LANGS:
                label = (form.get(f"{end}_label_{lang}") or "").strip()
                if label:
                    settings[f"{end}_label_{lang}"] = label
    elif kind == "consent" and form.get("quote_consent"):
        settings["purpose"] = "quote"
    values["settings"] = settings
    # condition
    try:
        values["show_if"] = read_condition(form)
    except BuilderError as exc:
        errors.update(exc.errors)
        values["show_if"] = None
    if values["show_if"] and "section" not in errors:
        place = (values["section"], question.position if question else 10**6)
        problem = condition_problem(survey, question, place, values["show_if"])
        if problem:
            errors["cond_question"] = problem
    if question is not None and not errors:
        errors.update(_dependents_problems(survey, question, values))
    if errors:
        raise BuilderError(errors)
    return values


def _dependents(survey: Survey, question: Question) -> list[Question]:
    return [q for q in survey.questions if q.id != question.id and (q.show_if or {}).get("question") == question.key]


def _dependents_problems(survey: Survey, question: Question, values: dict[str, Any]) -> dict[str, str]:
    """Return problems an edit of `question` makes for the conditions that test it."""
    others = {q.key: q for q in survey.questions}
    others[question.key] = Question(key=question.key, position=question.position, **values)  # as edited
    for dependent in _dependents(survey, question):
        problem = _problem_with(others, dependent)
        if problem:
            return {"kind" if values["kind"] != question.kind else "options": _(
                "The question “%(key)s” shows only for some answers to this one: %(problem)s",
                key=dependent.key, problem=problem)}
    return {}


def _problem_with(by_key: dict[str, Question], dependent: Question) -> str | None:
    """Return why `dependent`'s condition cannot hold among the questions `by_key`, or None."""
    return _condition_problem(by_key, (dependent.section, dependent.position), dependent.show_if or {})


def answer_count(question: Question) -> int:
    """Return how many answers (test answers included) point at this version of `question`."""
    return db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == question.id)) or 0


def meaning_changes(question: Question, values: dict[str, Any]) -> list[str]:
    """Return how saving `values` would change what the answers already given mean."""
    reasons = []
    if values["kind"] != question.kind:
        reasons.append(_("the kind of question changes"))
    removed = [o["key"] for o in question.options or [] if o["key"] not in {n["key"] for n in values["options"]}]
    if removed and values["kind"] == question.kind:
        reasons.append(_("options are removed: %(keys)s", keys=", ".join(removed)))
    if question.kind == "scale" == values["kind"]:
        old, new = question.settings or {}, values["settings"]
        if (old.get("min", 0), old.get("max", 10)) != (new.get("min", 0), new.get("max", 10)):
            reasons.append(_("the scale's end points change"))
    return reasons


def add_question(survey: Survey, form: Any, user: User) -> Question:
    """Add a question at the end of its page."""
    values = read_question(form, survey, None)
    taken = {q.key for q in survey.all_questions}
    key = (form.get("key") or "").strip()
    if key and not KEY.fullmatch(key):
        raise BuilderError({"key": _("A key may only use small letters a–z, digits and _.")})
    if key in taken:
        raise BuilderError({"key": _("Another question already has the key “%(key)s”.", key=key)})
    key = key or make_key(values["text_da"] or values["text_en"], taken)
    question = Question(key=key, position=max((q.position for q in survey.questions), default=0) + 1, **values)
    survey.questions.append(question)
    renumber(survey)
    db.session.flush()
    audit.record("question_add", f"survey:{survey.id}", user_id=user.id, question=key, kind=question.kind)
    return question


def update_question(survey: Survey, question: Question, form: Any, user: User, new_version: bool = False) -> Question:
    """Save an edit; raise NeedsNewVersion when it changes what given answers mean and
    `new_version` is not set. Returns the question as it is now asked (perhaps a new version)."""
    values = read_question(form, survey, question)
    answered = answer_count(question)
    reasons = meaning_changes(question, values) if answered else []
    if reasons and not new_version:
        raise NeedsNewVersion(reasons, answered)
    if reasons:
        question.retired_at = utcnow()
        db.session.flush()
        successor = Question(survey_id=survey.id, key=question.key, position=question.position,
                             version=question.version + 1, **values)
        db.session.add(successor)
        db.session.flush()
        db.session.expire(survey, ["questions", "all_questions"])
        audit.record("question_version", f"survey:{survey.id}", user_id=user.id, question=question.key,
                     version=successor.version, answers=answered)
        renumber(survey)
        return successor
    changed = _changed(question, values)
    renumber(survey)
    if changed:
        db.session.flush()
        audit.record("question_edit", f"survey:{survey.id}", user_id=user.id, question=question.key, fields=changed)
    return question


def delete_question(survey: Survey, question: Question, user: User) -> bool:
    """Remove a question; one with answers is retired instead (its answers stay readable).

    Return whether it was retired. Raise BuilderError when a condition tests it."""
    dependents = _dependents(survey, question)
    if dependents:
        raise BuilderError({"question": _("The question “%(key)s” shows only for some answers to this one: change its "
                                          "condition first.", key=dependents[0].key)})
    answered = answer_count(question)
    if answered:
        question.retired_at = utcnow()
    else:
        survey.questions.remove(question)
    db.session.flush()
    db.session.expire(survey, ["questions", "all_questions"])
    renumber(survey)
    audit.record("question_delete", f"survey:{survey.id}", user_id=user.id, question=question.key,
                 retired=bool(answered), answers=answered)
    return bool(answered)


def renumber(survey: Survey) -> None:
    """Give the current questions positions 1…n in the order they are asked."""
    for position, question in enumerate(ordered(survey), start=1):
        question.position = position


def _check_order(questions: list[Question]) -> None:
    by_key = {q.key: q for q in questions}
    for question in questions:
        if question.show_if:
            problem = _problem_with(by_key, question)
            if problem:
                raise BuilderError({"question": _("“%(key)s” cannot come before the question its condition tests.",
                                                  key=question.key)})


def move_question(survey: Survey, question: Question, direction: str, user: User) -> None:
    """Move a question one place up or down; across a page boundary it joins the neighbouring page."""
    questions = ordered(survey)
    i = questions.index(question)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(questions):
        return
    neighbour = questions[j]
    if neighbour.section != question.section:
        question.section = neighbour.section  # first join the page, then the place
        question.position = neighbour.position + (0.5 if direction == "up" else -0.5)
    else:
        question.position, neighbour.position = neighbour.position, question.position
    _check_order(ordered(survey))
    renumber(survey)
    db.session.flush()
    audit.record("question_move", f"survey:{survey.id}", user_id=user.id, question=question.key, direction=direction)


def reorder(survey: Survey, keys: list[str], user: User) -> None:
    """Put the questions in the order of `keys` (each current key once); each keeps its page
    (the editor drags within a page; the move buttons cross pages)."""
    by_key = {q.key: q for q in survey.questions}
    if sorted(keys) != sorted(by_key):
        raise BuilderError({"question": _("The list of questions changed meanwhile. Reload the page and try again.")})
    for position, key in enumerate(keys, start=1):
        by_key[key].position = position
    _check_order(ordered(survey))
    renumber(survey)
    db.session.flush()
    audit.record("question_reorder", f"survey:{survey.id}", user_id=user.id, order=keys)


# --- translations and publishing -------------------------------------------------------------


@dataclass(frozen=True)
class MissingText:
    """A text that is not given in `lang` (while it is given, or required, in another): it blocks publishing."""

    where: str
    lang: str
    question_id: int | None = None


def translation_status(survey: Survey) -> list[MissingText]:
    """Return every text missing in one of the survey's languages, in the order they appear.

    The title, every question and every option are required; an optional text (intro, help,
    thank-you, probe, scale labels) is listed only once it is given in another language, and is
    then required too (a citizen would otherwise read it in the other language).
    """
    offered = survey.language_list
    missing: list[MissingText] = []

    def check(where: str, texts: dict[str, str], required: bool, question_id: int | None = None) -> None:
        given = any(texts.get(lang) for lang in offered)
        if not (required or given):
            return
        for lang in offered:
            if not texts.get(lang):
                missing.append(MissingText(where, lang, question_id))

    check(_("Title"), {lang: getattr(survey, f"title_{lang}") for lang in LANGS}, True)
    check(_("Introduction"), {lang: getattr(survey, f"intro_{lang}") for lang in LANGS}, False)
    check(_("Thank-you text"), {lang: getattr(survey, f"thanks_{lang}") for lang in LANGS}, False)
    for number, q in enumerate(ordered(survey), start=1):
        label = _("Question %(n)d (%(key)s)", n=number, key=q.key)
        check(_("%(question)s: text", question=label), {lang: getattr(q, f"text_{lang}") for lang in LANGS}, True, q.id)
        check(_("%(question)s: help text", question=label), {lang: getattr(q, f"help_{lang}") for lang in LANGS}, False, q.id)
        for option in q.options or [] if q.kind in OPTION_KINDS else []:
            check(_("%(question)s: option “%(key)s”", question=label, key=option["key"]), option, True, q.id)
        settings = q.settings or {}
        for prefix, name in (("probe_", _("follow-up question")), ("min_label_", _("label of the lowest point")),
                             ("max_label_", _("label of the highest point"))):
            texts = {lang: settings.get(f"{prefix}{lang}", "") for lang in LANGS}
            if any(texts.values()):
                check(f"{label}: {name}", texts, False, q.id)
    return missing


def publish_problems(survey: Survey) -> list[str]:
    """Return what must be fixed before the survey can open (empty: it can)."""
    problems = []
    if not survey.questions:
        problems.append(_("The survey has no questions."))
    for item in translation_status(survey):
        problems.append(_("%(where)s is missing in Danish.", where=item.where) if item.lang == "da"
                        else _("%(where)s is missing in English.", where=item.where))
    by_key = {q.key: q for q in survey.questions}
    for q in ordered(survey):
        if q.show_if:
            problem = _problem_with(by_key, q)
            if problem:
                problems.append(f"{q.key}: {problem}")
    if survey.closes_at and survey.closes_at <= utcnow():
        problems.append(_("The closing time has passed. Change it in the settings."))
    return problems


def set_status(survey: Survey, status: str, user: User) -> None:
    """Open (publish), close or reopen a survey; opening is refused while `publish_problems` lists any."""
    if status not in ("open", "closed", "draft") or survey.archived_at is not None:
        raise BuilderError({"status": _("This change of status is not possible.")})
    if status == "draft" and survey_has_responses(survey):
        raise BuilderError({"status": _("A survey with answers cannot go back to being a draft. Close it instead.")})
    if status == "open":
        problems = publish_problems(survey)
        if problems:
            raise BuilderError({"status": "\n".join(problems)})
    before, survey.status = survey.status, status
    db.session.flush()
    audit.record("survey_status", f"survey:{survey.id}", user_id=user.id, slug=survey.slug, before=before, after=status)


def survey_has_responses(survey: Survey) -> bool:
    """Return whether anyone (test answers included) has answered `survey`."""
    return db.session.scalar(select(Response.id).where(Response.survey_id == survey.id).limit(1)) is not None
