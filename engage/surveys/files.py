"""Surveys as files: export a survey as a JSON document and import it on another instance.

The format is described by `schema/survey.schema.json` (copied to docs/survey.schema.json) and
checked with the `jsonschema` validator; what a schema cannot say (question keys unique, a
condition only on an earlier question, the slug free, the owner known) is checked here. Export is
deterministic (sorted keys, fixed layout), so export → import → export gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Municipality, Question, Survey

SCHEMA_PATH = Path(__file__).with_name("schema") / "survey.schema.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class FileProblem:
    """One problem in a survey file: where (a JSON path such as `$.questions[2].kind`) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class SurveyFileError(Exception):
    """The file cannot be imported; `problems` names each field that is wrong."""

    def __init__(self, problems: list[FileProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """Return the survey file's JSON Schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _texts(obj: Any, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") or "" for lang in ("da", "en")}


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def survey_document(survey: Survey) -> dict[str, Any]:
    """Return the survey as a JSON-ready document (format version 1)."""
    return {
        "engage_survey": FORMAT_VERSION,
        "slug": survey.slug,
        "title": _texts(survey, "title"),
        "intro": _texts(survey, "intro"),
        "thanks": _texts(survey, "thanks"),
        "privacy_url": survey.privacy_url or None,
        "languages": survey.language_list,
        "embed_municipalities": survey.embed_municipalities,
        "status": survey.status,
        "modes": survey.modes,
        "opens_at": _when(survey.opens_at),
        "closes_at": _when(survey.closes_at),
        "owner": survey.owner.slug if survey.owner else None,
        "allow_quotes": bool(survey.allow_quotes),
        "faq": survey.faq or None,
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "section": q.section,
                "required": bool(q.is_required),
                "text": _texts(q, "text"),
                "help": _texts(q, "help"),
                "options": list(q.options or []),
                "settings": dict(q.settings or {}),
                "show_if": q.show_if or None,
            }
            for q in survey.questions
        ],
    }


def export_survey(survey: Survey) -> str:
    """Return the survey file's text: UTF-8 JSON, sorted keys, two-space indent, final newline."""
    return json.dumps(survey_document(survey), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _path(error: Any) -> str:
    return error.json_path if hasattr(error, "json_path") else "$"


def validate_document(text: str) -> dict[str, Any]:
    """Return the parsed document, or raise SurveyFileError naming every field that is wrong."""
    from jsonschema import Draft202012Validator, FormatChecker

    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SurveyFileError([FileProblem("$", _("The file is not valid JSON (line %(line)d, column %(col)d).",
                                                  line=getattr(exc, "lineno", 1), col=getattr(exc, "colno", 1)))]) from exc
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: (list(e.absolute_path), e.message))
    if errors:
        raise SurveyFileError([FileProblem(_path(e), e.message) for e in errors])
    problems = []
    seen: dict[str, int] = {}
    for i, question in enumerate(document["questions"]):
        if question["key"] in seen:
            problems.append(FileProblem(f"$.questions[{i}].key", _("The key “%(key)s” is used by another question.",
                                                                   key=question["key"])))
        condition = question.get("show_if")
        if condition and condition["question"] not in seen:
            problems.append(FileProblem(f"$.questions[{i}].show_if.question",
                                        _("A condition can only refer to an earlier question.")))
        seen.setdefault(question["key"], i)
    problems.extend(_missing_texts(document))
    if document.get("opens_at") and document.get("closes_at") and document["closes_at"] <= document["opens_at"]:
        problems.append(FileProblem("$.closes_at", _("The closing time must be after the opening time.")))
    if problems:
        raise SurveyFileError(problems)
    return document


def _missing_texts(document: dict[str, Any]) -> list[FileProblem]:
    """Return the required texts an open or closed survey lacks in one of its languages."""
    if document["status"] == "draft":
        return []
    languages = document.get("languages") or ["da", "en"]
    places = [("$.title", document["title"])]
    for i, question in enumerate(document["questions"]):
        places.append((f"$.questions[{i}].text", question["text"]))
        places.extend((f"$.questions[{i}].options[{j}]", option) for j, option in enumerate(question.get("options") or []))
    message = _("An open or closed survey needs this text in each of its languages.")
    return [FileProblem(f"{where}.{lang}", message) for where, texts in places for lang in languages if not texts.get(lang)]


def _parse_when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def import_survey(text: str) -> Survey:
    """Create the survey described by `text` (added and flushed; the caller commits), or raise
    SurveyFileError — nothing is added then."""
    document = validate_document(text)
    problems = []
    if db.session.scalar(select(Survey.id).where(Survey.slug == document["slug"])) is not None:
        problems.append(FileProblem("$.slug", _("A survey with the address “%(slug)s” already exists.",
                                                 slug=document["slug"])))
    owner = None
    if document.get("owner"):
        owner = db.session.scalar(select(Municipality).where(Municipality.slug == document["owner"]))
        if owner is None:
            problems.append(FileProblem("$.owner", _("There is no municipality “%(slug)s”.", slug=document["owner"])))
    from engage.surveys.kinds import PARTNER_SLUGS

    for i, slug in enumerate(document.get("embed_municipalities") or []):
        if slug not in PARTNER_SLUGS:
            problems.append(FileProblem(f"$.embed_municipalities[{i}]", _("There is no municipality “%(slug)s”.", slug=slug)))
    if problems:
        raise SurveyFileError(problems)
    intro, thanks = document.get("intro") or {}, document.get("thanks") or {}
    survey = Survey(
        slug=document["slug"], title_da=document["title"]["da"], title_en=document["title"]["en"],
        intro_da=intro.get("da", ""), intro_en=intro.get("en", ""), status=document["status"],
        thanks_da=thanks.get("da", ""), thanks_en=thanks.get("en", ""), privacy_url=document.get("privacy_url"),
        languages=",".join(document.get("languages") or ["da", "en"]),
        embed_municipalities=document.get("embed_municipalities"),
        modes=document["modes"], opens_at=_parse_when(document.get("opens_at")),
        closes_at=_parse_when(document.get("closes_at")), owner=owner,
        allow_quotes=document.get("allow_quotes", True), faq=document.get("faq") or None,
    )
    for position, spec in enumerate(document["questions"], start=1):
        text_, help_ = spec["text"], spec.get("help") or {}
        survey.questions.append(Question(
            key=spec["key"], kind=spec["kind"], position=position, section=spec.get("section", 1),
            is_required=spec.get("required", False), text_da=text_["da"], text_en=text_["en"],
            help_da=help_.get("da", ""), help_en=help_.get("en", ""), options=spec.get("options") or [],
            settings=spec.get("settings") or {}, show_if=spec.get("show_if") or None,
        ))
    db.session.add(survey)
    db.session.flush()
    return survey
