"""Answer exports for the staff dashboard: one row per response, as CSV or an Excel workbook.

Every respondent gets the same columns whatever path they took through the `show_if` conditions:
one group of columns per question, in survey order. A question that was not shown to a respondent
says so ("not shown"); a question shown but left unanswered is an empty cell.

`export_table` builds the table (rows are streamed from the database in batches, so the caller
must consume them inside the app context); `write_csv` and `write_xlsx` write it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import IO, Any, Literal
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Row, Select, select

from engage.core.extensions import db
from engage.core.i18n import other_lang, pick
from engage.dashboard.filters import Filters, apply_filters
from engage.models import Answer, AnswerTheme, Municipality, Question, Response, Survey, Theme
from engage.surveys.kinds import LIKERT_LABELS, STAKEHOLDER_TYPES, kind_of
from engage.surveys.services import OTHER_MUNICIPALITY, is_visible

#: Submission times are shown as wall-clock time where the strategy team works.
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
#: Responses loaded per query; their answers and themes come in a few more queries per batch.
BATCH_SIZE = 1000
#: Response ids per IN (…) list when loading answers (well within every database's parameter limit).
IN_CHUNK = 500
#: Joins multiple keys or labels in one cell (a comma would clash with the English CSV delimiter
#: and with option labels that contain commas).
JOINER = "; "
#: A text cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit on the characters in one cell.
XLSX_CELL_LIMIT = 32767
#: Rows looked at to choose the workbook's column widths (the rest are streamed unseen).
WIDTH_SAMPLE = 200

ColumnKind = Literal["text", "number", "datetime"]
Cell = int | float | str | datetime | None


@dataclass
class ExportTable:
    """A table of responses ready for a writer.

    `rows` is a single-pass iterable (streamed from the database); `column_kinds` says which
    columns hold numbers or datetimes, so writers can format them; `sheet_name` is already in the
    reader's language.
    """

    headers: list[str]
    rows: Iterable[list[Cell]]
    column_kinds: list[ColumnKind]
    sheet_name: str = "Answers"


# --- what is translated once ------------------------------------------------------------------


@dataclass
class _Context:
    """The labels an export needs, translated once before the rows are streamed (the row
    generator runs after `force_locale` has ended)."""

    lang: str
    not_shown: str
    yes: str
    no: str
    stakeholders: dict[str, str]
    likert: dict[str, str]
    #: Municipality name by slug (for the municipality question) and by id (for the response).
    municipalities: dict[str, str]
    municipality_names: dict[int, str]
    #: (slug, name) by theme id.
    themes: dict[int, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, lang: str) -> _Context:
        """Return the labels in `lang` (call inside `force_locale(lang)`)."""
        municipalities = db.session.scalars(select(Municipality)).all()
        themes = db.session.scalars(select(Theme)).all()
        return cls(
            lang=lang,
            not_shown=_("not shown"),
            yes=_("Yes"),
            no=_("No"),
            stakeholders={key: str(label) for key, label in STAKEHOLDER_TYPES.items()},
            likert={key: str(label) for key, label in LIKERT_LABELS.items()},
            municipalities={m.slug: pick(m, "name", lang)[0] for m in municipalities}
            | {OTHER_MUNICIPALITY: _("Other municipality / none")},
            municipality_names={m.id: pick(m, "name", lang)[0] for m in municipalities},
            themes={t.id: (t.slug, pick(t, "name", lang)[0]) for t in themes},
        )

    def yes_no(self, value: Any) -> str | None:
        """Return "yes" or "no" in the reader's language (None when there is no value)."""
        return None if value is None else (self.yes if value else self.no)


def _label_header(base: str) -> str:
    """Return the header of the label column beside the key column `base`."""
    return _("%(column)s (label)", column=base)


# --- one group of columns per question ---------------------------------------------------------


@dataclass
class _Stored:
    """One stored answer as the export reads it: plain values, not an ORM object."""

    value: Any
    text: str | None
    lang: str | None
    sentiment: float | None
    #: (theme id, score) of every theme found on the answer, from any source.
    themes: list[tuple[int, float]] = field(default_factory=list)


def _keys(value: Any) -> list[str]:
    """Return a stored choice value as a list of keys."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _number(value: Any) -> int | float | str | None:
    """Return a stored number as int or float (a non-number is kept as text, never dropped)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() else number


class _Group:
    """The columns one question gets in every row, and how its answer fills them."""

    def __init__(self, question: Question, number: int, ctx: _Context) -> None:
        self.question = question
        self.ctx = ctx
        self.base = f"{number}. {question.key}"
        #: (header, kind) of each column, translated now (we are inside `force_locale`).
        self.columns = self.make_columns()

    def make_columns(self) -> list[tuple[str, ColumnKind]]:
        """Return (header, kind) of each column."""
        return [(self.base, "text")]

    def cells(self, answer: _Stored) -> list[Cell]:
        """Return the cells for a stored answer."""
        value = answer.value
        return [JOINER.join(_keys(value)) if isinstance(value, list) else value]


class _ChoiceGroup(_Group):
    """Choice keys, then their labels in the reader's language."""

    def __init__(self, question: Question, number: int, ctx: _Context) -> None:
        super().__init__(question, number, ctx)
        self.labels = self.option_labels()

    def option_labels(self) -> dict[str, str]:
        """Return {key: label} in the reader's language, falling back to the other language."""
        lang, other = self.ctx.lang, other_lang(self.ctx.lang)
        return {
            str(o["key"]): o.get(lang) or o.get(other) or str(o["key"])
            for o in self.question.options or []
        }

    def make_columns(self) -> list[tuple[str, ColumnKind]]:
        return [(self.base, "text"), (_label_header(self.base), "text")]

    def cells(self, answer: _Stored) -> list[Cell]:
        keys = _keys(answer.value)
        return [JOINER.join(keys), JOINER.join(self.labels.get(k, k) for k in keys)]


class _LikertGroup(_ChoiceGroup):
    """The point on the agreement scale as a number (so it can be averaged), then its label."""

    def option_labels(self) -> dict[str, str]:
        return self.ctx.likert

    def make_columns(self) -> list[tuple[str, ColumnKind]]:
        return [(self.base, "number"), (_label_header(self.base), "text")]

    def cells(self, answer: _Stored) -> list[Cell]:
        value = answer.value
        return [
            _number(value),
            self.labels.get(str(value), str(value)) if value is not None else None,
        ]


class _MunicipalityGroup(_ChoiceGroup):
    """The municipality's slug ("other" for none of the partners), then its name."""

    def option_labels(self) -> dict[str, str]:
        return self.ctx.municipalities


class _StakeholderGroup(_ChoiceGroup):
    """The stakeholder type's key, then its translated label."""

    def option_labels(self) -> dict[str, str]:
        return self.ctx.stakeholders


class _ScaleGroup(_Group):
    """The point chosen on the scale, as a number."""

    def make_columns(self) -> list[tuple[str, ColumnKind]]:
        return [(self.base, "number")]

    def cells(self, answer: _Stored) -> list[Cell]:
        return [_number(answer.value)]


class _RankingGroup(_ChoiceGroup):
    """The keys in ranked order, then "1. Label; 2. Label; …"."""

    def cells(self, answer: _Stored) -> list[Cell]:
        keys = _keys(answer.value)
        ranked = JOINER.join(f"{i}. {self.labels.get(k, k)}" for i, k in enumerate(keys, start=1))
        return [JOINER.join(keys), ranked]


class _ConsentGroup(_Group):
    """Yes or no in the reader's language."""

    def cells(self, answer: _Stored) -> list[Cell]:
        return [self.ctx.yes_no(answer.value)]


class _FreeTextGroup(_Group):
    """The redacted text, its detected language, its themes (best first) and its sentiment."""

    def make_columns(self) -> list[tuple[str, ColumnKind]]:
        base = self.base
        return [
            (base, "text"),
            (_("%(column)s (language)", column=base), "text"),
            (_("%(column)s (themes)", column=base), "text"),
            (_("%(column)s (sentiment)", column=base), "number"),
        ]

    def cells(self, answer: _Stored) -> list[Cell]:
        return [answer.text, answer.lang, self.themes(answer) or None, answer.sentiment]

    def themes(self, answer: _Stored) -> str:
        """Return "slug (Name); …", highest score first; a theme found by several sources once."""
        best: dict[int, float] = {}
        for theme_id, score in answer.themes:
            best[theme_id] = max(score, best.get(theme_id, score))
        named = [(self.ctx.themes[i], score) for i, score in best.items() if i in self.ctx.themes]
        named.sort(key=lambda item: (-item[1], item[0][0]))
        return JOINER.join(f"{slug} ({name})" for (slug, name), _score in named)


#: Question kind → its columns. Free-text kinds (see `QuestionKind.is_free_text`) all use
#: `_FreeTextGroup`; a kind missing here gets one plain column rather than being left out.
GROUPS: dict[str, type[_Group]] = {
    "single_choice": _ChoiceGroup,
    "multi_choice": _ChoiceGroup,
    "likert": _LikertGroup,
    "municipality": _MunicipalityGroup,
    "stakeholder_type": _StakeholderGroup,
    "scale": _ScaleGroup,
    "ranking": _RankingGroup,
    "consent": _ConsentGroup,
}


def _group_for(question: Question, number: int, ctx: _Context) -> _Group:
    """Return the column group of `question` (the `number`th in the survey)."""
    if question.kind not in GROUPS and kind_of(question).is_free_text:
        return _FreeTextGroup(question, number, ctx)
    return GROUPS.get(question.kind, _Group)(question, number, ctx)


# --- the table ---------------------------------------------------------------------------------


def _fixed_columns() -> list[tuple[str, ColumnKind]]:
    """Return the columns about the response itself (call inside `force_locale`)."""
    stakeholder = _("Stakeholder type")
    return [
        (_("Response ID"), "number"),
        (_("Submitted (Copenhagen time)"), "datetime"),
        (_("Municipality"), "text"),
        (_("Channel"), "text"),
        (_("Response language"), "text"),
        (stakeholder, "text"),
        (_label_header(stakeholder), "text"),
        (_("Quote consent"), "text"),
    ]


#: What the export reads of a response (the rest of the row comes from its answers).
RESPONSE_COLUMNS = (
    Response.id,
    Response.submitted_at,
    Response.municipality_id,
    Response.channel,
    Response.locale,
    Response.stakeholder_type,
    Response.quote_consent,
)


def _responses_query(survey: Survey, filters: Filters, municipality_scope: int | None) -> Select:
    """Return the query for the survey's non-test responses selected by `filters` and the scope.

    The language and question filters select answers; a response is included when one of its
    answers matches, and then exported whole.
    """
    query = select(*RESPONSE_COLUMNS).where(
        Response.survey_id == survey.id, Response.is_test.is_(False)
    )
    query = apply_filters(query, filters.with_(lang=None, question=None), survey.id)
    if filters.lang or filters.question:
        matching = apply_filters(
            select(Answer.response_id).join(Response, Answer.response_id == Response.id),
            filters,
            survey.id,
        )
        query = query.where(Response.id.in_(matching))
    if municipality_scope is not None:
        # The reader's scope wins over any municipality filter: both must hold.
        query = query.where(Response.municipality_id == municipality_scope)
    return query


def _load_answers(response_ids: list[int]) -> dict[int, dict[int, _Stored]]:
    """Return {response id: {question id: answer}} with the answers' themes.

    Plain rows rather than ORM objects: building 100k instrumented objects costs several times
    more than the queries themselves. Two queries per `IN_CHUNK` responses, never one per response.
    """
    found: dict[int, dict[int, _Stored]] = {}
    by_id: dict[int, _Stored] = {}
    for start in range(0, len(response_ids), IN_CHUNK):
        chunk = response_ids[start : start + IN_CHUNK]
        answers = select(
            Answer.id,
            Answer.response_id,
            Answer.question_id,
            Answer.value,
            Answer.text,
            Answer.lang,
            Answer.sentiment,
        ).where(Answer.response_id.in_(chunk))
        for a in db.session.execute(answers):
            stored = _Stored(a.value, a.text, a.lang, a.sentiment)
            by_id[a.id] = stored
            found.setdefault(a.response_id, {})[a.question_id] = stored
        themes = (
            select(AnswerTheme.answer_id, AnswerTheme.theme_id, AnswerTheme.score)
            .join(Answer, AnswerTheme.answer_id == Answer.id)
            .where(Answer.response_id.in_(chunk))
        )
        for answer_id, theme_id, score in db.session.execute(themes):
            by_id[answer_id].themes.append((theme_id, score))
    return found


def _local(moment: datetime) -> datetime:
    """Return `moment` as naive Copenhagen wall-clock time to the second (spreadsheets have no zones)."""
    return moment.astimezone(LOCAL_TIME).replace(tzinfo=None, microsecond=0)


def _row(
    response: Row[Any], answers: dict[int, _Stored], groups: list[_Group], ctx: _Context
) -> list[Cell]:
    """Return one response as a row: the response's own columns, then each question's group."""
    given = {
        g.question.key: (a.text if a.value is None else a.value)
        for g in groups
        if (a := answers.get(g.question.id)) is not None
    }
    stakeholder = response.stakeholder_type
    row: list[Cell] = [
        response.id,
        _local(response.submitted_at),
        ctx.municipality_names.get(response.municipality_id),
        response.channel,
        response.locale,
        stakeholder,
        ctx.stakeholders.get(stakeholder, stakeholder) if stakeholder else None,
        ctx.yes_no(response.quote_consent),
    ]
    for group in groups:
        width = len(group.columns)
        answer = answers.get(group.question.id)
        if answer is not None:
            # A stored answer is exported even if the condition was edited after it was given.
            row.extend(group.cells(answer))
        elif not is_visible(group.question, given):
            row.extend([ctx.not_shown] * width)
        else:
            row.extend([None] * width)
    return row


def _rows(query: Select, groups: list[_Group], ctx: _Context) -> Iterator[list[Cell]]:
    """Yield rows in response order, loading responses, answers and themes a batch at a time."""
    last_id = 0
    while True:
        batch = db.session.execute(
            query.where(Response.id > last_id).order_by(Response.id).limit(BATCH_SIZE)
        ).all()
        if not batch:
            return
        answers = _load_answers([r.id for r in batch])
        for response in batch:
            yield _row(response, answers.get(response.id, {}), groups, ctx)
        last_id = batch[-1].id


def export_table(
    survey: Survey, filters: Filters, lang: str, *, municipality_scope: int | None
) -> ExportTable:
    """Return the survey's responses as a table for a reader in `lang`.

    `municipality_scope` is the municipality the reader may see (None for region-wide staff);
    responses from other municipalities are left out whatever `filters` ask for. `filters.survey`
    is not consulted: `survey` is the one exported. Consume `rows` inside the app context.
    """
    lang = lang if lang in ("da", "en") else "da"
    with force_locale(lang):
        ctx = _Context.load(lang)
        groups = [_group_for(q, n, ctx) for n, q in enumerate(survey.questions, start=1)]
        columns = _fixed_columns() + [c for g in groups for c in g.columns]
        sheet_name = _("Answers")
    return ExportTable(
        headers=[header for header, _kind in columns],
        rows=_rows(_responses_query(survey, filters, municipality_scope), groups, ctx),
        column_kinds=[kind for _header, kind in columns],
        sheet_name=sheet_name,
    )


# --- writers -----------------------------------------------------------------------------------


def _guard(text: str) -> str:
    """Return `text` so that no spreadsheet reads it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _decimal(number: float, danish: bool) -> str:
    """Return `number` in plain notation (no exponent), with a decimal comma for Danish."""
    if not math.isfinite(number):
        return ""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace(".", ",") if danish else text


def _csv_value(value: Cell, danish: bool) -> str:
    """Return one cell as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _decimal(value, danish)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return _guard(str(value))


def write_csv(table: ExportTable, fh: IO[bytes], lang: str) -> None:
    """Write `table` as UTF-8 CSV with a BOM, as a spreadsheet in `lang` expects it.

    Danish Excel separates list items with ";" and writes decimal commas; English uses "," and
    points. Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers
    (also negative ones) are written as numbers.
    """
    danish = lang == "da"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if danish else ",", lineterminator="\r\n")

    def flush() -> None:
        fh.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    fh.write("\ufeff".encode())
    writer.writerow([_guard(h) for h in table.headers])
    for count, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_value(v, danish) for v in row])
        if count % BATCH_SIZE == 0:
            flush()
    flush()


def _xlsx_text(value: str) -> str:
    """Return text an Excel cell can hold: no control characters, within the length limit."""
    return _guard(ILLEGAL_CHARACTERS_RE.sub("", value))[:XLSX_CELL_LIMIT]


def _xlsx_value(ws: WriteOnlyWorksheet, value: Cell) -> Any:
    """Return one cell for a write-only sheet: numbers and dates typed, text guarded."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    return _xlsx_text(str(value))


def _widths(table: ExportTable, sample: list[list[Cell]]) -> list[float]:
    """Return a width per column from its header and the first rows, between 8 and 60."""
    widths = []
    for index, (header, kind) in enumerate(zip(table.headers, table.column_kinds, strict=True)):
        if kind == "datetime":
            widths.append(17.0)
            continue
        longest = max(
            [len(header)]
            + [len(str(row[index]).split("\n", 1)[0]) for row in sample if row[index] is not None]
        )
        widths.append(float(min(max(longest + 2, 8), 60)))
    return widths


def _sheet_title(name: str) -> str:
    """Return `name` as a valid Excel sheet title."""
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31].strip("'")
    return title or "Sheet1"


def write_xlsx(table: ExportTable, path_or_fh: Any) -> None:
    """Write `table` as an Excel workbook (streamed; a file path or a binary file object).

    Numbers are numeric cells, datetimes real dates; the bold header row is frozen.
    """
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_sheet_title(table.sheet_name))
    rows = iter(table.rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    # A write-only sheet writes its layout before the first row: widths and panes go first.
    for index, width in enumerate(_widths(table, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in table.headers:
        cell = WriteOnlyCell(ws, value=_xlsx_text(header))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in chain(sample, rows):
        ws.append([_xlsx_value(ws, value) for value in row])
    workbook.save(path_or_fh)
