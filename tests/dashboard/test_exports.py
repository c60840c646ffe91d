"""Answer exports: one row per response with the same columns for everyone, as CSV and Excel."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import delete, event, select

from engage.core.extensions import db
from engage.dashboard import exports
from engage.dashboard.exports import ExportTable, export_table, write_csv, write_xlsx
from engage.dashboard.filters import Filters
from engage.demo.seed import QUESTIONS
from engage.models import Answer, AnswerTheme, Municipality, Question, Theme
from engage.surveys.services import get_survey, submit_response

PHONE = "22 33 44 55"
#: A citizen who takes the bus and is confident online: organisation and digital_help are not shown.
COMMUTER: dict[str, Any] = {
    "municipality": "kobenhavn",
    "stakeholder": "citizen",
    "focus": ["mobility", "climate"],
    "transport": "public",
    "transit_ok": 2,
    "priorities": f"Flere busser og cykelstier i byen, tak. Ring til mig på {PHONE}.",
    "digital_confidence": 8,
    "invest": ["housing", "transit", "digital", "green_energy"],
    "quote_ok": True,
    "data_ok": True,
}
#: A business that drives and struggles online: organisation and digital_help are shown, transit_ok not.
DRIVER: dict[str, Any] = {
    "municipality": "gentofte",
    "stakeholder": "business",
    "organisation": "Cykelbud ApS",
    "focus": ["energy"],
    "transport": "car",
    "digital_confidence": 3,
    "invest": ["digital", "transit", "green_energy", "housing"],
    "digital_help": "maybe",
    "quote_ok": False,
    "data_ok": True,
}


def respond(
    app: Flask, slug: str, answers: dict[str, Any], token: str, locale: str = "da", **changes: Any
) -> int:
    """Submit one response (then set `changes` on it) and return its id."""
    with app.app_context():
        response = submit_response(
            get_survey(slug), answers, submission_token=token, locale=locale
        ).response
        for name, value in changes.items():
            setattr(response, name, value)
        db.session.commit()
        response_id = response.id
        db.session.remove()
    return response_id


def export(
    app: Flask,
    slug: str,
    lang: str = "en",
    filters: Filters | None = None,
    scope: int | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the export's headers in `lang` and its rows as {English header: cell}.

    Rows are keyed by the English headers so that a Danish export can be checked before the
    Danish catalogue translates the headers.
    """
    with app.app_context():
        survey = get_survey(slug)
        table = export_table(survey, filters or Filters(), lang, municipality_scope=scope)
        keys = export_table(survey, Filters(), "en", municipality_scope=None).headers
        rows = [dict(zip(keys, row, strict=True)) for row in table.rows]
        db.session.remove()
    return table.headers, rows


def english_headers(app: Flask, slug: str) -> list[str]:
    """Return the English headers of the export of `slug`."""
    return export(app, slug, "en")[0]


def written(app: Flask, slug: str, lang: str, writer: str) -> bytes:
    """Return the export of `slug` written as "csv" or "xlsx" for a reader in `lang`."""
    out = io.BytesIO()
    with app.app_context():
        table = export_table(get_survey(slug), Filters(), lang, municipality_scope=None)
        if writer == "csv":
            write_csv(table, out, lang)
        else:
            write_xlsx(table, out)
        db.session.remove()
    return out.getvalue()


def translated(app: Flask, message: str, lang: str) -> str:
    """Return the UI message in `lang`, as the export's `_()` call sees it."""
    with app.test_request_context(), force_locale(lang):
        return _(message)


def municipality_id(app: Flask, slug: str) -> int:
    """Return the id of the municipality `slug`."""
    with app.app_context():
        return db.session.scalar(select(Municipality.id).where(Municipality.slug == slug))


def set_analysis(
    app: Flask,
    response_id: int,
    key: str,
    *,
    lang: str = "da",
    themes: list[tuple[str, float, str]] | None = None,
    sentiment: float | None = None,
) -> None:
    """Store what the analysis found on the answer to `key`: its language, (slug, score, source)
    themes and sentiment (fixed values, so the export is checked independently of the model)."""
    with app.app_context():
        answer = db.session.scalar(
            select(Answer)
            .join(Question)
            .where(Answer.response_id == response_id, Question.key == key)
        )
        db.session.execute(delete(AnswerTheme).where(AnswerTheme.answer_id == answer.id))
        ids = dict(db.session.execute(select(Theme.slug, Theme.id)).all())
        for slug, score, source in themes or []:
            db.session.add(
                AnswerTheme(answer_id=answer.id, theme_id=ids[slug], score=score, source=source)
            )
        answer.lang, answer.sentiment = lang, sentiment
        db.session.commit()
        db.session.remove()


def test_one_column_group_per_question_in_survey_order_whatever_the_path(app, demo_survey):
    """Respondents who took different show_if paths get exactly the same columns, in survey order."""
    respond(app, demo_survey, COMMUTER, "a")
    respond(app, demo_survey, DRIVER, "b")
    citizen_headers, citizens = export(app, demo_survey, filters=Filters(stakeholder="citizen"))
    business_headers, businesses = export(app, demo_survey, filters=Filters(stakeholder="business"))
    assert len(citizens) == len(businesses) == 1
    assert citizen_headers == business_headers
    assert citizen_headers[:8] == [
        "Response ID",
        "Submitted (Copenhagen time)",
        "Municipality",
        "Channel",
        "Response language",
        "Stakeholder type",
        "Stakeholder type (label)",
        "Quote consent",
    ]
    question_columns = [h for h in citizen_headers if re.fullmatch(r"\d+\. \w+", h)]
    assert question_columns == [f"{n}. {q['key']}" for n, q in enumerate(QUESTIONS, start=1)]
    assert citizen_headers[citizen_headers.index("7. priorities") :][:4] == [
        "7. priorities",
        "7. priorities (language)",
        "7. priorities (themes)",
        "7. priorities (sentiment)",
    ]


def test_hidden_question_says_not_shown_and_unanswered_is_empty(app, demo_survey):
    """A question the respondent never saw says "not shown"; one they skipped is an empty cell."""
    respond(app, demo_survey, COMMUTER, "a")
    _headers, [row] = export(app, demo_survey, lang="en")
    for header in (
        "3. organisation",
        "3. organisation (language)",
        "3. organisation (themes)",
        "3. organisation (sentiment)",
        "12. digital_help",
        "12. digital_help (label)",
    ):
        assert row[header] == "not shown", header
    assert row["6. transit_ok"] == 2  # shown, because this respondent takes public transport
    for header in ("10. ideas", "10. ideas (themes)", "11. area"):
        assert row[header] is None, header

    respond(app, demo_survey, DRIVER, "b")
    _headers, [_commuter, driver] = export(app, demo_survey, lang="da")
    marker = translated(app, "not shown", "da")
    assert marker and driver["6. transit_ok"] == driver["6. transit_ok (label)"] == marker
    assert driver["3. organisation"] == "Cykelbud ApS" and driver["11. area"] is None


def test_choice_keys_stand_next_to_labels_in_danish_and_english(app, demo_survey):
    """Each choice column holds the option keys, and the column right after it their labels in the reader's language."""
    respond(app, demo_survey, COMMUTER, "a")
    headers, [en] = export(app, demo_survey, lang="en")
    _headers, [da] = export(app, demo_survey, lang="da")
    for key in ("1. municipality", "2. stakeholder", "4. focus", "5. transport", "6. transit_ok"):
        assert headers[headers.index(key) + 1] == f"{key} (label)"
    assert en["5. transport"] == da["5. transport"] == "public"
    assert en["5. transport (label)"] == "Public transport"
    assert da["5. transport (label)"] == "Kollektiv trafik"
    assert en["4. focus"] == da["4. focus"] == "mobility; climate"
    assert en["4. focus (label)"] == "Transport and mobility; Climate and cloudbursts"
    assert da["4. focus (label)"] == "Transport og mobilitet; Klima og skybrud"
    assert en["1. municipality"] == "kobenhavn" and en["1. municipality (label)"] == "Copenhagen"
    assert da["1. municipality (label)"] == "København"
    assert en["Municipality"] == "Copenhagen" and da["Municipality"] == "København"
    assert en["6. transit_ok (label)"] == "Disagree"
    assert en["2. stakeholder"] == "citizen" and en["2. stakeholder (label)"] == "Citizen"
    assert en["13. quote_ok"] == en["Quote consent"] == "Yes"


def test_ranking_is_an_ordered_list(app, demo_survey):
    """A ranking reads "1. first; 2. second; …", with the keys in the same order beside it."""
    respond(app, demo_survey, COMMUTER, "a")
    _headers, [en] = export(app, demo_survey, lang="en")
    _headers, [da] = export(app, demo_survey, lang="da")
    assert en["9. invest"] == "housing; transit; digital; green_energy"
    assert (
        en["9. invest (label)"]
        == "1. Affordable housing; 2. Public transport; 3. Digital services; 4. Green energy"
    )
    assert (
        da["9. invest (label)"]
        == "1. Betalelige boliger; 2. Kollektiv trafik; 3. Digitale services; 4. Grøn energi"
    )


def test_free_text_is_redacted_with_language_themes_and_sentiment(app, demo_survey):
    """Free text appears redacted (no phone number), with its language, themes best first and a sentiment number."""
    response_id = respond(app, demo_survey, COMMUTER, "a")
    set_analysis(
        app,
        response_id,
        "priorities",
        themes=[
            ("climate", 0.3, "human"),
            ("mobility", 0.9, "model"),
            ("energy", 0.6, "rule"),
            ("energy", 0.2, "human"),
        ],
        sentiment=-0.25,
    )
    _headers, [en] = export(app, demo_survey, lang="en")
    _headers, [da] = export(app, demo_survey, lang="da")
    assert PHONE not in en["7. priorities"] and "Flere busser" in en["7. priorities"]
    assert "[TELEFON]" in en["7. priorities"]
    assert en["7. priorities (language)"] == "da"
    assert en["7. priorities (themes)"] == (
        "mobility (Mobility and transport); energy (Energy); climate (Climate and climate adaptation)"
    )
    assert da["7. priorities (themes)"] == (
        "mobility (Mobilitet og transport); energy (Energi); climate (Klima og klimatilpasning)"
    )
    assert en["7. priorities (sentiment)"] == -0.25
    assert PHONE.encode() not in written(app, demo_survey, "da", "csv")


def test_submission_time_is_copenhagen_local_time(app, demo_survey):
    """The submission time is the Danish wall-clock time (summer time included), not UTC."""
    respond(
        app, demo_survey, COMMUTER, "a", submitted_at=datetime(2025, 7, 1, 10, 5, 42, tzinfo=UTC)
    )
    respond(app, demo_survey, DRIVER, "b", submitted_at=datetime(2025, 1, 15, 23, 30, tzinfo=UTC))
    _headers, rows = export(app, demo_survey)
    assert [r["Submitted (Copenhagen time)"] for r in rows] == [
        datetime(2025, 7, 1, 12, 5, 42),
        datetime(2025, 1, 16, 0, 30),
    ]


def read_csv(data: bytes, delimiter: str) -> list[list[str]]:
    """Return the rows of CSV `data` after checking that it starts with a UTF-8 BOM."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_csv_for_danish_excel_uses_semicolons_and_decimal_commas(app, demo_survey):
    """The Danish CSV opens in Danish Excel: BOM, ";" between cells, decimal commas, readable dates."""
    answers = COMMUTER | {"area": 'Grønt; stille, "hyggeligt"\nmen mørkt om aftenen'}
    response_id = respond(
        app, demo_survey, answers, "a", submitted_at=datetime(2025, 7, 1, 10, 5, 42, tzinfo=UTC)
    )
    set_analysis(
        app, response_id, "priorities", themes=[("mobility", 0.9, "model")], sentiment=-0.25
    )
    header, row = read_csv(written(app, demo_survey, "da", "csv"), ";")
    cells = dict(zip(english_headers(app, demo_survey), row, strict=True))
    assert len(header) == len(row) > 40
    assert cells["7. priorities (sentiment)"] == "-0,25"
    assert cells["8. digital_confidence"] == "8"
    assert cells["5. transport (label)"] == "Kollektiv trafik"
    assert cells["9. invest"] == "housing; transit; digital; green_energy"
    assert cells["11. area"].startswith('Grønt; stille, "hyggeligt"\nmen')
    assert cells["10. ideas"] == ""
    assert cells["Submitted (Copenhagen time)"] == "2025-07-01 12:05"


def test_csv_in_english_uses_commas_and_decimal_points(app, demo_survey):
    """The English CSV has a BOM, "," between cells and decimal points."""
    response_id = respond(app, demo_survey, COMMUTER, "a")
    set_analysis(
        app, response_id, "priorities", themes=[("mobility", 0.9, "model")], sentiment=-0.25
    )
    header, row = read_csv(written(app, demo_survey, "en", "csv"), ",")
    cells = dict(zip(header, row, strict=True))
    assert cells["7. priorities (sentiment)"] == "-0.25"
    assert cells["5. transport (label)"] == "Public transport"
    assert cells["3. organisation"] == "not shown"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells["Submitted (Copenhagen time)"])


def test_xlsx_has_numeric_cells_dates_a_frozen_bold_header_and_a_named_sheet(app, demo_survey):
    """In Excel, numbers are numbers and dates are dates under a bold frozen header, on a sheet named in the reader's language."""
    response_id = respond(app, demo_survey, COMMUTER, "a")
    set_analysis(
        app, response_id, "priorities", themes=[("mobility", 0.9, "model")], sentiment=-0.25
    )
    headers, [expected] = export(app, demo_survey, lang="en")

    book = load_workbook(io.BytesIO(written(app, demo_survey, "en", "xlsx")))
    assert book.sheetnames == ["Answers"]
    sheet = book["Answers"]
    assert [c.value for c in sheet[1]] == headers
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    cells = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    assert cells["Response ID"].value == response_id and cells["Response ID"].data_type == "n"
    assert (
        cells["8. digital_confidence"].value == 8
        and cells["8. digital_confidence"].data_type == "n"
    )
    assert cells["6. transit_ok"].value == 2 and cells["6. transit_ok"].data_type == "n"
    assert cells["7. priorities (sentiment)"].value == -0.25
    submitted = cells["Submitted (Copenhagen time)"]
    assert submitted.is_date and submitted.value == expected["Submitted (Copenhagen time)"]
    assert cells["3. organisation"].value == "not shown"
    assert cells["10. ideas"].value is None
    assert sheet.column_dimensions["A"].width >= 8

    danish = load_workbook(io.BytesIO(written(app, demo_survey, "da", "xlsx")))
    assert danish.sheetnames == [translated(app, "Answers", "da")]
    row = [c.value for c in danish.worksheets[0][2]]
    assert "Kollektiv trafik" in row


def test_municipality_scope_hides_other_municipalities_whatever_the_filters(app, demo_survey):
    """A municipality's editor sees only their own municipality's responses, even when asking for another's."""
    respond(app, demo_survey, COMMUTER, "a")  # København
    respond(app, demo_survey, COMMUTER | {"municipality": "gladsaxe"}, "b")
    respond(app, demo_survey, COMMUTER | {"municipality": "gladsaxe"}, "c")
    respond(app, demo_survey, DRIVER, "d")  # Gentofte
    respond(app, demo_survey, COMMUTER | {"municipality": "other"}, "e")
    gladsaxe = municipality_id(app, "gladsaxe")

    _headers, own = export(app, demo_survey, scope=gladsaxe)
    _headers, asked_for_other = export(
        app, demo_survey, filters=Filters(municipality="gentofte"), scope=gladsaxe
    )
    _headers, region_wide = export(app, demo_survey, filters=Filters(municipality="gentofte"))
    _headers, everything = export(app, demo_survey)
    assert [r["1. municipality"] for r in own] == ["gladsaxe", "gladsaxe"]
    assert asked_for_other == []
    assert [r["1. municipality"] for r in region_wide] == ["gentofte"]
    assert len(everything) == 5


def test_test_responses_are_left_out(app, demo_survey):
    """Responses marked as tests do not appear in the export."""
    kept = respond(app, demo_survey, COMMUTER, "a")
    respond(app, demo_survey, DRIVER, "b", is_test=True)
    _headers, rows = export(app, demo_survey)
    assert [r["Response ID"] for r in rows] == [kept]


def test_language_filter_exports_whole_responses_with_text_in_that_language(app, demo_survey):
    """Filtering by answer language keeps the responses that wrote in it, with all their columns."""
    danish = respond(app, demo_survey, COMMUTER, "a")
    english_answers = {k: v for k, v in DRIVER.items() if k != "organisation"} | {
        "area": "A quiet suburb, but the buses run far too rarely in the evening and at weekends."
    }
    english = respond(app, demo_survey, english_answers, "b", locale="en")
    set_analysis(app, danish, "priorities", lang="da")
    set_analysis(app, english, "area", lang="en")
    respond(
        app, demo_survey, {"municipality": "gladsaxe", "stakeholder": "citizen"}, "c"
    )  # no free text
    _headers, in_danish = export(app, demo_survey, filters=Filters(lang="da"))
    _headers, in_english = export(app, demo_survey, filters=Filters(lang="en"))
    assert [r["Response ID"] for r in in_danish] == [danish]
    assert [r["Response ID"] for r in in_english] == [english]
    assert in_english[0]["5. transport"] == "car" and in_english[0]["11. area (language)"] == "en"


def test_text_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(app, demo_survey):
    """An answer starting with "=" opens as text in Excel (leading apostrophe), in CSV and XLSX alike."""
    response_id = respond(app, demo_survey, COMMUTER | {"area": "=SUM(A1:A9)*10"}, "a")
    set_analysis(
        app, response_id, "priorities", themes=[("mobility", 0.9, "model")], sentiment=-0.25
    )
    with app.app_context():
        stored = db.session.scalar(select(Answer.text).join(Question).where(Question.key == "area"))
    assert stored.startswith("=")

    header, row = read_csv(written(app, demo_survey, "en", "csv"), ",")
    cells = dict(zip(header, row, strict=True))
    assert cells["11. area"] == "'" + stored
    assert cells["7. priorities (sentiment)"] == "-0.25"

    sheet = load_workbook(io.BytesIO(written(app, demo_survey, "en", "xlsx"))).worksheets[0]
    by_header = {c.value: i for i, c in enumerate(sheet[1])}
    area = sheet[2][by_header["11. area"]]
    assert area.value == "'" + stored and area.data_type == "s"
    assert sheet[2][by_header["7. priorities (sentiment)"]].value == -0.25


def test_writers_guard_every_formula_trigger_but_keep_negative_numbers():
    """Cells starting with =, +, -, @, tab or CR become text; negative numbers stay numbers."""
    risky = ["=1+1", "+45 tal", "-minus", "@SUM(1)", "\tfane", "\rretur", "helt almindelig"]
    table = ExportTable(
        headers=[f"c{i}" for i in range(len(risky))] + ["n", "x"],
        rows=[[*risky, -3, -0.5]],
        column_kinds=["text"] * len(risky) + ["number", "number"],
    )
    out = io.BytesIO()
    write_csv(table, out, "da")
    _header, row = read_csv(out.getvalue(), ";")
    assert row[: len(risky)] == ["'" + t for t in risky[:-1]] + ["helt almindelig"]
    assert row[-2:] == ["-3", "-0,5"]

    table.rows = [[*risky, -3, -0.5]]
    book = io.BytesIO()
    write_xlsx(table, book)
    cells = list(load_workbook(book).worksheets[0][2])
    # Depending on the XML parser (lxml or the standard library) a carriage return reads back as
    # itself or as a line feed; the apostrophe is what matters.
    assert [(c.value or "").replace("\r", "\n") for c in cells[: len(risky)]] == [
        "'" + t.replace("\r", "\n") for t in risky[:-1]
    ] + ["helt almindelig"]
    assert [(c.value, c.data_type) for c in cells[-2:]] == [(-3, "n"), (-0.5, "n")]


def count_queries(app: Flask, slug: str) -> tuple[int, int]:
    """Return (rows, SQL statements) for building and reading the whole export."""
    statements: list[str] = []
    with app.app_context():

        def count(conn, cursor, statement, *args: Any) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            table = export_table(get_survey(slug), Filters(), "en", municipality_scope=None)
            rows = list(table.rows)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
    return len(rows), len(statements)


def test_many_responses_take_no_more_queries_than_a_few(app, demo_survey):
    """Exporting ten times as many responses does not run more database queries (no query per response)."""
    for i in range(2):
        respond(app, demo_survey, COMMUTER if i % 2 else DRIVER, f"few-{i}")
    few = count_queries(app, demo_survey)
    for i in range(2, 20):
        respond(app, demo_survey, COMMUTER if i % 2 else DRIVER, f"many-{i}")
    many = count_queries(app, demo_survey)
    assert few[0] == 2 and many[0] == 20
    assert many[1] == few[1]


def test_rows_stream_in_batches_without_losing_or_repeating_any(app, demo_survey, monkeypatch):
    """With small batches every response is still exported exactly once, in submission order."""
    ids = [respond(app, demo_survey, COMMUTER if i % 2 else DRIVER, f"r-{i}") for i in range(5)]
    monkeypatch.setattr(exports, "BATCH_SIZE", 2)
    _headers, rows = export(app, demo_survey)
    assert [r["Response ID"] for r in rows] == ids
    assert [r["5. transport"] for r in rows] == ["car", "public", "car", "public", "car"]
