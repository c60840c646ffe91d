"""Strategy drafts: sections with version history, evidence blocks citing answers, and exports
to Word (DOCX) and Markdown with an appendix of every cited answer. Functions add and flush."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import abort
from markupsafe import Markup
from sqlalchemy import select

from engage.core import audit
from engage.core.extensions import db
from engage.dashboard import summaries
from engage.dashboard.filters import Filters
from engage.models import Answer, Response, Theme, User
from engage.models.base import utcnow
from engage.models.strategy import DraftSection, DraftSectionVersion, EvidenceBlock, StrategyDraft

MAX_QUOTES = 5


class DraftError(ValueError):
    """A draft edit that cannot be saved; `field` names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def require_writer(user: User) -> None:
    """Drafts are the regional strategy team's: admins and analysts."""
    if not user.is_regional:
        abort(403)


def render_markdown(text: str) -> Markup:
    """Return Markdown as HTML; raw HTML in the text is escaped, never passed through."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(text or ""))


# --- drafts and sections -----------------------------------------------------------------------


def drafts() -> list[StrategyDraft]:
    """Return every draft, most recently changed first."""
    return list(db.session.scalars(select(StrategyDraft).order_by(StrategyDraft.updated_at.desc())))


def get_draft(draft_id: int) -> StrategyDraft:
    """Return draft `draft_id` or 404."""
    draft = db.session.get(StrategyDraft, draft_id)
    if draft is None:
        abort(404)
    return draft


def get_section(draft: StrategyDraft, section_id: int) -> DraftSection:
    """Return section `section_id` of `draft` or 404."""
    section = db.session.get(DraftSection, section_id)
    if section is None or section.draft_id != draft.id:
        abort(404)
    return section


def create_draft(title: str, user: User) -> StrategyDraft:
    """Create an empty draft."""
    require_writer(user)
    title = (title or "").strip()
    if not title:
        raise DraftError("title", "title")
    draft = StrategyDraft(title=title[:200], created_by_id=user.id)
    db.session.add(draft)
    db.session.flush()
    return draft


def _theme_slugs(values: Iterable[str]) -> list[str]:
    """Return the given slugs that are themes, in order."""
    known = set(db.session.scalars(select(Theme.slug)))
    return [v for v in dict.fromkeys(values) if v in known]


def add_section(draft: StrategyDraft, title: str, themes: Sequence[str], user: User) -> DraftSection:
    """Add a section at the end of `draft`, linked to `themes`."""
    require_writer(user)
    title = (title or "").strip()
    if not title:
        raise DraftError("title", "title")
    section = DraftSection(draft=draft, position=len(draft.sections) + 1, title=title[:200],
                           themes=_theme_slugs(themes), body="", version=1)
    db.session.add(section)
    db.session.flush()
    db.session.add(DraftSectionVersion(section_id=section.id, number=1, title=section.title, body="", user_id=user.id))
    draft.updated_at = utcnow()
    db.session.flush()
    return section


def save_section(section: DraftSection, title: str, body: str, themes: Sequence[str], user: User,
                 *, base_version: int | None = None) -> bool:
    """Save a new version of a section; return False when nothing changed.

    `base_version` is the version the editor started from: saving over someone else's newer
    version is refused (DraftError "conflict") instead of silently losing their text.
    """
    require_writer(user)
    title = (title or "").strip()
    if not title:
        raise DraftError("title", "title")
    if base_version is not None and base_version != section.version:
        raise DraftError("body", "conflict")
    themes = _theme_slugs(themes)
    if title == section.title and body == section.body and themes == section.themes:
        return False
    section.title, section.body, section.themes = title[:200], body, themes
    section.version += 1
    db.session.add(DraftSectionVersion(section_id=section.id, number=section.version, title=section.title,
                                       body=body, user_id=user.id))
    section.draft.updated_at = utcnow()
    db.session.flush()
    return True


# --- evidence ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceOption:
    """A theme's latest summary, offered next to a section for citing."""

    theme: str
    title: dict[str, str]
    count: int
    total: int
    share: float
    key_phrases: list[str]
    quotes: list[dict[str, Any]]
    computed_at: datetime | None
    summary: dict[str, str] = field(default_factory=dict)  # the generated summary per language


def evidence_options(section: DraftSection, filters: Filters, user: User) -> list[EvidenceOption]:
    """Return the latest summary of each of the section's themes for `filters` (computed if missing)."""
    from engage.dashboard.services import summaries_view

    view = summaries_view(filters, user)
    if view.snapshot is None:
        return []
    by_slug = {t["theme"]: t for t in view.themes}
    out = []
    for slug in section.themes:
        theme = by_slug.get(slug)
        if theme is None:
            continue
        out.append(EvidenceOption(slug, theme["title"], theme["count"], view.data.get("total", 0), theme["share"],
                                  [p["text"] for p in theme.get("key_phrases", [])][:8], theme.get("quotes", []),
                                  view.snapshot.computed_at,
                                  {lang: " ".join(c["text"] for c in claims)
                                   for lang, claims in theme.get("narrative", {}).items()}))
    return out


def insert_evidence(section: DraftSection, filters: Filters, theme: str, quote_ids: Sequence[str],
                    user: User) -> EvidenceBlock:
    """Add an evidence block: the theme's numbers, key phrases and the chosen quotes, with the
    answer ids they cite and the date of the data."""
    require_writer(user)
    option = next((o for o in evidence_options(section, filters, user) if o.theme == theme), None)
    if option is None:
        raise DraftError("theme", "no_summary")
    chosen = [q for q in option.quotes if q["id"] in set(quote_ids)][:MAX_QUOTES]
    snapshot = summaries.get_snapshot(filters)
    theme_data = next(t for t in snapshot.data["themes"] if t["theme"] == theme)
    block = EvidenceBlock(
        section_id=section.id, position=len(section.evidence) + 1, theme=theme, filters=filters.to_dict(),
        numbers={"count": option.count, "total": option.total, "share": round(option.share, 4),
                 "sentiment": theme_data.get("sentiment", {}), "title": option.title, "summary": option.summary},
        key_phrases=option.key_phrases,
        quotes=[{"id": q["id"], "text": q["text"], "lang": q.get("lang"), "municipality": q.get("municipality")}
                for q in chosen],
        data_as_of=snapshot.computed_at, created_by_id=user.id,
    )
    db.session.add(block)
    section.draft.updated_at = utcnow()
    db.session.flush()
    return block


@dataclass(frozen=True)
class EvidenceState:
    """How an evidence block compares with today's data."""

    block: EvidenceBlock
    withdrawn: set[str]
    current_count: int | None
    current_total: int | None

    @property
    def changed(self) -> bool:
        """Return whether newer data gives different numbers for the same selection."""
        return self.current_count is not None and (
            self.current_count != self.block.numbers.get("count") or self.current_total != self.block.numbers.get("total"))


def evidence_states(blocks: Sequence[EvidenceBlock]) -> dict[int, EvidenceState]:
    """Return, per block, which cited answers are gone and what the latest numbers are."""
    cited = [str(i) for b in blocks for i in b.cited_ids()]
    alive = summaries.existing_answer_ids(cited)
    out = {}
    for block in blocks:
        snapshot = summaries.get_snapshot(Filters.from_dict(block.filters))
        count = total = None
        if snapshot is not None:
            theme = next((t for t in snapshot.data.get("themes", []) if t["theme"] == block.theme), None)
            count, total = (theme["count"] if theme else 0), snapshot.data.get("total", 0)
        withdrawn = {str(i) for i in block.cited_ids() if str(i) not in alive}
        out[block.id] = EvidenceState(block, withdrawn, count, total)
    return out


def withdraw_citations(answer_ids: Iterable[int]) -> int:
    """Remove the text of withdrawn answers from every evidence block that quotes them.

    Called when a respondent deletes their answers: the block keeps the id and says "answer
    withdrawn", the citizen's words are gone. Returns the number of blocks changed.
    """
    gone = {str(i) for i in answer_ids}
    if not gone:
        return 0
    changed = 0
    for block in db.session.scalars(select(EvidenceBlock)):
        if any(str(q.get("id")) in gone and q.get("text") for q in block.quotes):
            block.quotes = [({**q, "text": "", "withdrawn": True} if str(q.get("id")) in gone else q)
                            for q in block.quotes]
            changed += 1
    db.session.flush()
    return changed


# --- exports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitedAnswer:
    """An answer cited somewhere in a draft, for the appendix."""

    id: str
    text: str
    lang: str
    municipality: str
    survey: str
    submitted_at: datetime | None
    withdrawn: bool


def cited_answers(draft: StrategyDraft, lang: str = "da") -> list[CitedAnswer]:
    """Return every answer the draft's evidence cites, in order of first citation (names in `lang`)."""
    ids: list[int] = []
    for section in draft.sections:
        for block in section.evidence:
            ids.extend(i for i in block.cited_ids() if i not in ids)
    rows = {a.id: a for a in db.session.scalars(select(Answer).where(Answer.id.in_(ids)))} if ids else {}
    out = []
    for i in ids:
        answer = rows.get(i)
        if answer is None:
            out.append(CitedAnswer(str(i), "", "", "", "", None, True))
            continue
        response: Response = answer.response
        place = response.municipality
        out.append(CitedAnswer(str(i), answer.text or "", answer.lang or "",
                               (place.name_da if lang == "da" else place.name_en) if place else "",
                               (response.survey.title_da if lang == "da" else response.survey.title_en)
                               or response.survey.slug, response.submitted_at, False))
    return out


def _labels(lang: str) -> Mapping[str, str]:
    """Return the fixed texts of an exported draft in `lang` (the export's language)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with force_locale(lang):
        return {
            "evidence": _("Evidence"), "answers": _("answers"), "as_of": _("data as of"),
            "key_phrases": _("Key phrases"), "withdrawn": _("answer withdrawn"),
            "appendix": _("Appendix: cited answers"), "answer": _("Answer"), "municipality": _("Municipality"),
            "survey": _("Survey"), "submitted": _("Submitted"), "text": _("Text"),
            "changed": _("Newer data has changed these numbers"), "none": _("No answers are cited."),
        }


def _block_lines(block: EvidenceBlock, state: EvidenceState, lang: str) -> tuple[str, list[str], list[str]]:
    """Return (heading, lines, quotes) of an evidence block as plain text in `lang`."""
    from flask_babel import force_locale, format_date, format_decimal, format_percent

    labels = _labels(lang)
    numbers = block.numbers
    title = (numbers.get("title") or {}).get(lang) or block.theme
    with force_locale(lang):
        line = (f"{format_decimal(numbers.get('count', 0))} / {format_decimal(numbers.get('total', 0))} "
                f"{labels['answers']} ({format_percent(numbers.get('share', 0))}) · {labels['as_of']} "
                f"{format_date(block.data_as_of, 'long')}")
    lines = [line]
    if state.changed:
        lines.append(f"{labels['changed']}: {state.current_count} / {state.current_total}")
    summary = (numbers.get("summary") or {}).get(lang)
    if summary:
        lines.append(summary)
    if block.key_phrases:
        lines.append(f"{labels['key_phrases']}: " + ", ".join(block.key_phrases))
    quotes = []
    for q in block.quotes:
        if str(q.get("id")) in state.withdrawn or q.get("withdrawn") or not q.get("text"):
            quotes.append(f"[{labels['answer']} {q.get('id')}: {labels['withdrawn']}]")
        else:
            quotes.append(f"“{q['text']}” [{labels['answer']} {q['id']}]")
    return f"{labels['evidence']}: {title}", lines, quotes


def _nested_headings(markdown: str) -> str:
    """Return a section's Markdown with its headings moved below the section's own "##", at the
    levels the Word export gives them (# -> ####, ## and deeper -> #####): left as they were, a
    "## Goals" in the text would read as the next section."""
    return re.sub(r"(?m)^ {0,3}(#{1,6})(?=[ \t]|$)", lambda m: "#" * (min(len(m.group(1)) + 2, 4) + 1), markdown)


def export_markdown(draft: StrategyDraft, lang: str, user: User) -> str:
    """Return the draft as Markdown with evidence blocks and the appendix; audited."""
    labels = _labels(lang)
    states = evidence_states([b for s in draft.sections for b in s.evidence])
    parts = [f"# {draft.title}", ""]
    for section in draft.sections:
        parts += [f"## {section.title}", "", _nested_headings(section.body.strip()), ""]
        for block in section.evidence:
            heading, lines, quotes = _block_lines(block, states[block.id], lang)
            parts += [f"### {heading}", "", *[f"{line}  " for line in lines], "", *[f"> {q}\n" for q in quotes]]
    parts += [f"## {labels['appendix']}", ""]
    cited = cited_answers(draft, lang)
    if not cited:
        parts.append(labels["none"])
    for c in cited:
        text = labels["withdrawn"] if c.withdrawn else c.text.replace("\n", " ")
        parts.append(f"- **{labels['answer']} {c.id}** ({c.survey}, {c.municipality or '–'}, "
                     f"{c.submitted_at:%Y-%m-%d}): {text}" if c.submitted_at else f"- **{labels['answer']} {c.id}**: {text}")
    audit.record("export", f"draft:{draft.id}", user_id=user.id, format="md")
    return "\n".join(parts).rstrip() + "\n"


def _docx_body(document: Any, markdown: str) -> None:
    """Add Markdown text to a Word document: headings, bullet and numbered lists, paragraphs."""
    for raw in (markdown or "").splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        stripped = line.lstrip()
        if stripped.startswith("#"):
            level = min(len(stripped) - len(stripped.lstrip("#")), 3)
            document.add_heading(stripped.lstrip("#").strip(), level=min(level + 2, 4))
        elif stripped[:2] in ("- ", "* ", "+ "):
            document.add_paragraph(stripped[2:].strip(), style="List Bullet")
        elif stripped.split(" ", 1)[0].rstrip(".").isdigit() and stripped.split(" ", 1)[0].endswith("."):
            document.add_paragraph(stripped.split(" ", 1)[1] if " " in stripped else "", style="List Number")
        else:
            document.add_paragraph(stripped.replace("**", "").replace("__", ""))


def export_docx(draft: StrategyDraft, lang: str, user: User) -> bytes:
    """Return the draft as a Word document (python-docx) with evidence and the appendix; audited."""
    from docx import Document

    labels = _labels(lang)
    states = evidence_states([b for s in draft.sections for b in s.evidence])
    document = Document()
    document.core_properties.title = draft.title
    document.add_heading(draft.title, level=0)
    for section in draft.sections:
        document.add_heading(section.title, level=1)
        _docx_body(document, section.body)
        for block in section.evidence:
            heading, lines, quotes = _block_lines(block, states[block.id], lang)
            document.add_heading(heading, level=2)
            for line in lines:
                document.add_paragraph(line)
            for quote in quotes:
                document.add_paragraph(quote, style="Intense Quote")
    document.add_heading(labels["appendix"], level=1)
    cited = cited_answers(draft, lang)
    if not cited:
        document.add_paragraph(labels["none"])
    else:
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (labels["answer"], labels["survey"], labels["municipality"],
                                                    labels["submitted"], labels["text"]), strict=True):
            cell.text = text
        for c in cited:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = c.id, c.survey, c.municipality
            row[3].text = c.submitted_at.strftime("%Y-%m-%d") if c.submitted_at else ""
            row[4].text = labels["withdrawn"] if c.withdrawn else c.text
    buffer = io.BytesIO()
    document.save(buffer)
    audit.record("export", f"draft:{draft.id}", user_id=user.id, format="docx")
    return buffer.getvalue()
