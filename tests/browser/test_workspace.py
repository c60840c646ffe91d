"""The staff workspace in a real (laptop-sized) Chromium: login, summaries, comparison, exports, scope.

120 demo responses are stored through the real submit service and analyser before each test; the
demo accounts log in through the login form. Elements are found by id, name, role, class or data
from the database; the few UI strings checked are read from the catalogues through Babel, so a
test proves the page is translated without copying the translation. Every page is checked with axe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from engage.auth.services import DEMO_ACCOUNTS
from engage.core.extensions import db
from engage.models import Answer, Municipality, Question, Response, Survey

LANGS = ["da", "en"]
ACCOUNT = {spec["role"]: spec for spec in DEMO_ACCOUNTS}
N_RESPONSES = 120
#: The first load of a summary computes it in the request (JOBS_IMMEDIATE): allow for that.
COMPUTE_TIMEOUT = 30_000
#: An export column: "<position>. <question key>", then e.g. " (label)" in the file's language.
QUESTION_COLUMN = re.compile(r"^(\d+\. [a-z_]+)(?: \(.+\))?$")
ANSWER_LINK = re.compile(r"/dashboard/answers/(\d+)$")


# --- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workspace:
    """What was seeded, counted straight from the tables (not through the dashboard's queries)."""

    slug: str
    responses: int
    gentofte_responses: int
    texts: int
    gentofte_texts: int
    gentofte_english_texts: int
    gentofte_answer: int
    other_answer: int
    question_columns: list[str]


def _free_texts(survey_id: int, municipality: str | None = None, lang: str | None = None) -> int:
    """Return how many non-empty free-text answers the survey has (in a municipality, a language)."""
    query = (
        select(func.count(Answer.id))
        .join(Response, Answer.response_id == Response.id)
        .where(Response.survey_id == survey_id, Answer.text.is_not(None), Answer.text != "")
    )
    if municipality:
        query = query.join(Municipality, Response.municipality_id == Municipality.id).where(
            Municipality.slug == municipality
        )
    if lang:
        query = query.where(Answer.lang == lang)
    return db.session.scalar(query)


def _a_free_text_answer(survey_id: int, municipality: str) -> int:
    """Return the id of a free-text answer from a respondent in `municipality`."""
    return db.session.scalar(
        select(Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .join(Municipality, Response.municipality_id == Municipality.id)
        .where(
            Response.survey_id == survey_id,
            Municipality.slug == municipality,
            Answer.text.is_not(None),
        )
        .order_by(Answer.id)
        .limit(1)
    )


def answer_municipalities(app: Flask, answer_ids: set[int]) -> set[str | None]:
    """Return the municipalities of the respondents who gave `answer_ids`."""
    with app.app_context():
        found = set(
            db.session.scalars(
                select(Municipality.slug)
                .select_from(Answer)
                .join(Response, Answer.response_id == Response.id)
                .join(Municipality, Response.municipality_id == Municipality.id, isouter=True)
                .where(Answer.id.in_(answer_ids))
            )
        )
        db.session.remove()
    return found


@pytest.fixture
def workspace(app: Flask, demo_survey: str) -> Workspace:
    """Store 120 analysed demo responses and the three demo accounts; return what is there."""
    from engage.auth.services import ensure_demo_accounts
    from engage.demo.seed import seed_demo_data

    with app.app_context():
        seed_demo_data(n_responses=N_RESPONSES, analyser=app.extensions["engage.analyser"])
        ensure_demo_accounts(is_production=False)
        db.session.commit()
        survey = db.session.scalar(select(Survey).where(Survey.slug == demo_survey))
        responses = select(func.count(Response.id)).where(Response.survey_id == survey.id)
        gentofte = select(Municipality.id).where(Municipality.slug == "gentofte").scalar_subquery()
        questions = db.session.scalars(
            select(Question).where(Question.survey_id == survey.id).order_by(Question.position)
        ).all()
        seeded = Workspace(
            slug=demo_survey,
            responses=db.session.scalar(responses),
            gentofte_responses=db.session.scalar(
                responses.where(Response.municipality_id == gentofte)
            ),
            texts=_free_texts(survey.id),
            gentofte_texts=_free_texts(survey.id, "gentofte"),
            gentofte_english_texts=_free_texts(survey.id, "gentofte", "en"),
            gentofte_answer=_a_free_text_answer(survey.id, "gentofte"),
            other_answer=_a_free_text_answer(survey.id, "kobenhavn"),
            question_columns=[f"{n}. {q.key}" for n, q in enumerate(questions, start=1)],
        )
        db.session.remove()
    assert seeded.responses == N_RESPONSES
    # The filters below must change the numbers, or checking that they do proves nothing.
    assert seeded.texts > seeded.gentofte_texts > seeded.gentofte_english_texts > 0
    return seeded


# --- helpers ----------------------------------------------------------------------------------


def translated(app: Flask, lang: str, message: str, **variables: Any) -> str:
    """Return the catalogue's `message` in `lang` (what the page should show)."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(message, **variables)


def focused_matches(page: Page, selector: str) -> bool:
    """Return whether the focused element matches the CSS `selector`."""
    return page.evaluate(
        "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus (proves it is reachable by Tab)."""
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)"
    )
    assert focused_matches(page, selector), (
        f"{selector} not reached with {limit} Tab presses; focus is on {focused}"
    )


def log_in(page: Page, lang: str, role: str) -> None:
    """Log in with the demo account of `role` through the login form; wait for the workspace."""
    account = ACCOUNT[role]
    page.goto(f"/{lang}/dashboard/login")
    page.locator("#email").fill(account["email"])
    page.locator("#password").fill(account["password"])
    with page.expect_navigation():
        page.locator('form[action$="/dashboard/login"] button[type="submit"]').click()
    page.wait_for_url(f"**/{lang}/dashboard/")
    expect(page.locator(".engage-who")).to_contain_text(account["email"])


def query(page: Page) -> dict[str, str]:
    """Return the page address's query string as {name: value} (empty values left out)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def shown_answer_count(page: Page) -> int:
    """Return the number of free-text answers the summary says it is computed from."""
    meta = page.locator(".engage-snapshot-meta")
    expect(meta).to_be_visible()
    number = re.match(r"\s*([\d.,\u00a0]+)", meta.inner_text())
    assert number, meta.inner_text()
    return int(re.sub(r"\D", "", number.group(1)))


def show_filtered(page: Page) -> None:
    """Press the filter form's button and wait for the filtered page."""
    with page.expect_navigation(timeout=COMPUTE_TIMEOUT) as navigation:
        page.locator("form.engage-filters button[type=submit]").click()
    assert navigation.value is not None and navigation.value.status == 200, page.url


def open_summaries(page: Page, lang: str, slug: str) -> None:
    """Follow the overview's link to the survey's summaries (computed on first load)."""
    page.goto(f"/{lang}/dashboard/")
    page.locator(f'main a[href$="/dashboard/summaries?survey={slug}"]').click()
    page.wait_for_url(f"**/{lang}/dashboard/summaries?survey={slug}", timeout=COMPUTE_TIMEOUT)
    expect(page.locator(".engage-snapshot-meta")).to_be_visible()


def cited_answers(page: Page) -> set[int]:
    """Return the ids of the answers the page quotes or cites."""
    hrefs = page.locator('main a[href*="/dashboard/answers/"]').evaluate_all(
        "links => links.map(a => a.href)"
    )
    return {int(ANSWER_LINK.search(href).group(1)) for href in hrefs}


def export_xlsx(
    page: Page, lang: str, slug: str, folder: Path
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Ask for an Excel export on the exports page, follow to its job page, download and open it;
    return the header row and the data rows."""
    page.goto(f"/{lang}/dashboard/exports")
    page.locator("#survey").select_option(slug)
    page.locator('label[for="format-xlsx"]').click()
    expect(page.locator("#format-xlsx")).to_be_checked()
    page.locator(f'label[for="file-lang-{lang}"]').click()
    with page.expect_navigation():
        page.locator('form[action$="/dashboard/exports"] button[type="submit"]').click()
    page.wait_for_url(re.compile(rf"/{lang}/dashboard/jobs/\d+$"))
    link = page.locator('main a[href$="/download"]')
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    path = folder / download.suggested_filename
    download.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return [str(h) for h in rows[0]], rows[1:]


# --- the tests --------------------------------------------------------------------------------


def test_analyst_logs_in_with_the_keyboard_after_a_wrong_password(
    desktop_page: Page, app: Flask, workspace: Workspace, axe_check: Any
) -> None:
    """A wrong password shows a Danish error and keeps the typed e-mail; the right one opens the workspace."""
    page, account = desktop_page, ACCOUNT["analyst"]
    page.goto("/da/dashboard/login")
    tab_to(page, "#email")
    page.keyboard.type(account["email"])
    page.keyboard.press("Tab")
    assert focused_matches(page, "#password")
    page.keyboard.type("not-the-password-2026")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == 422

    message = "The e-mail address or the password is not right."
    danish = translated(app, "da", message)
    assert danish != message, "the login error has no Danish translation"
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(danish)
    expect(page.locator("#email")).to_have_value(account["email"])
    expect(page.locator("#password")).to_have_value("")
    axe_check(page, "da login with an error")

    tab_to(page, "#password")
    page.keyboard.type(account["password"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/da/dashboard/")
    expect(page.locator(".engage-who")).to_contain_text(account["email"])
    expect(page.locator("#error-summary")).to_have_count(0)
    assert page.js_errors == []


def test_analyst_filters_summaries_by_municipality_and_language(
    desktop_page: Page, app: Flask, workspace: Workspace
) -> None:
    """The summaries have charts and quotes; filtering to Gentofte, then English answers, narrows them."""
    page = desktop_page
    log_in(page, "da", "analyst")
    open_summaries(page, "da", workspace.slug)
    expect(page.locator('main svg[role="img"]').first).to_be_visible()
    # Themes, sentiment, the heat map and the closed questions each have a chart.
    assert page.locator('main svg[role="img"]').count() >= 5
    expect(page.locator("#chart-heat")).to_be_visible()
    expect(page.locator("blockquote.engage-quote").first).to_be_visible()
    assert shown_answer_count(page) == workspace.texts
    # Each theme's generated summary is in Danish, counts the selection's answers and cites some.
    claim = page.locator(".engage-summary .engage-claim").first
    expect(claim).to_be_visible()
    said = re.match(r"([\d.]+) af ([\d.]+) svar \(\d+\u00a0%\) handler om »", claim.inner_text())
    assert said, claim.inner_text()
    assert int(said.group(2).replace(".", "")) == workspace.texts
    expect(page.locator('.engage-summary .engage-cite a[href*="/dashboard/answers/"]').first).to_be_visible()
    lead = page.locator("main p.font-lead")
    expect(lead).to_contain_text(translated(app, "da", "The whole region"))

    page.locator("#municipality").select_option("gentofte")
    show_filtered(page)
    assert query(page) == {"survey": workspace.slug, "municipality": "gentofte"}
    expect(lead).to_contain_text("Gentofte")
    expect(lead).not_to_contain_text(translated(app, "da", "The whole region"))
    expect(page.locator("#municipality")).to_have_value("gentofte")
    assert shown_answer_count(page) == workspace.gentofte_texts
    # One municipality: no municipality × theme map.
    expect(page.locator("#chart-heat")).to_have_count(0)
    expect(page.locator('main svg[role="img"]').first).to_be_visible()
    expect(page.locator(".engage-quote-figure figcaption").first).to_contain_text("Gentofte")

    page.locator("#language").select_option("en")
    show_filtered(page)
    assert query(page) == {"survey": workspace.slug, "municipality": "gentofte", "language": "en"}
    expect(lead).to_contain_text("Gentofte")
    expect(lead).to_contain_text(translated(app, "da", "English"))
    expect(page.locator("#language")).to_have_value("en")
    assert shown_answer_count(page) == workspace.gentofte_english_texts
    quotes = page.locator("blockquote.engage-quote")
    assert quotes.count() > 0
    assert set(quotes.evaluate_all("qs => qs.map(q => q.lang)")) == {"en"}
    assert page.js_errors == []


def test_comparison_withholds_shares_below_the_minimum(
    desktop_page: Page, app: Flask, workspace: Workspace
) -> None:
    """Gentofte against the region: each column shows shares only if it has the minimum number of answers."""
    page, minimum = desktop_page, app.config["MIN_ANSWERS_FOR_SHARE"]
    log_in(page, "en", "analyst")
    open_summaries(page, "en", workspace.slug)
    page.locator('main .engage-actions a[href*="/dashboard/compare"]').click()
    page.wait_for_url(re.compile(r"/en/dashboard/compare\?"))
    page.locator("#a").select_option("gentofte")
    page.locator("#b").select_option("region")
    show_filtered(page)
    assert query(page) == {"survey": workspace.slug, "a": "gentofte", "b": "region"}
    # Gentofte's few answers (9 in the demo) are below the minimum, the region's far above it:
    # both ways of showing a column are checked below.
    assert workspace.gentofte_texts < minimum <= workspace.texts

    table = page.locator("table.engage-compare")
    expect(table.locator("caption")).to_contain_text("Gentofte")
    headers = table.locator("thead th")
    expect(headers.nth(1)).to_contain_text(f"{workspace.gentofte_texts} ")
    expect(headers.nth(2)).to_contain_text(f"{workspace.texts:,} ")
    rows = table.locator("tbody tr")
    assert rows.count() > 3
    totals = {1: workspace.gentofte_texts, 2: workspace.texts}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        for column, total in totals.items():
            cell = cells.nth(column - 1)
            text = cell.inner_text()
            if total < minimum:
                withheld = cell.locator(".engage-too-few").count() == 1 and "%" not in text
                assert withheld, (column, text)
            else:
                assert cell.locator(".engage-too-few").count() == 0, (column, text)
                share, count = re.match(r"(\d+)\s?% \((\d+)\)", text).groups()
                assert int(share) == round(int(count) / total * 100), (column, text)
        difference = cells.nth(2).inner_text().strip()
        assert (difference == "–") == (min(totals.values()) < minimum), difference
    # The shares line up on the right of their columns.
    aligns = table.locator("td.engage-num").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c).textAlign)"
    )
    assert set(aligns) == {"right"}, aligns
    assert page.js_errors == []


def test_analyst_downloads_an_excel_export_with_every_response(
    desktop_page: Page, workspace: Workspace, tmp_path: Path
) -> None:
    """The Excel export has one column group per question in survey order and one row per response."""
    page = desktop_page
    log_in(page, "en", "analyst")
    headers, rows = export_xlsx(page, "en", workspace.slug, tmp_path)
    expect(page.locator('main a[href$="/download"]')).to_contain_text(str(workspace.responses))

    first = next(i for i, h in enumerate(headers) if QUESTION_COLUMN.match(h))
    assert first > 0, "the response's own columns (id, time, municipality…) come first"
    assert all(QUESTION_COLUMN.match(h) for h in headers[first:]), headers[first:]
    groups = [key for key, _ in groupby(QUESTION_COLUMN.match(h).group(1) for h in headers[first:])]
    assert groups == workspace.question_columns
    assert len(rows) == workspace.responses
    ids = [row[0] for row in rows]
    assert len(set(ids)) == len(ids) and all(isinstance(i, int) for i in ids)
    municipalities = {row[headers.index("1. municipality")] for row in rows}
    assert "gentofte" in municipalities and len(municipalities) > 5


def test_municipality_editor_sees_only_their_municipality(
    desktop_page: Page, new_page: Any, app: Flask, workspace: Workspace, tmp_path: Path
) -> None:
    """The Gentofte editor's quotes, answer pages and export are Gentofte's only; others' answers are 404."""
    analyst = desktop_page
    log_in(analyst, "da", "analyst")
    # The answer exists (the analyst reads it), so the editor's 404 below is the scope at work.
    seen = analyst.goto(f"/da/dashboard/answers/{workspace.other_answer}")
    assert seen is not None and seen.status == 200

    editor = new_page()  # a browser context of its own: its own session cookie
    log_in(editor, "da", "municipality_editor")
    open_summaries(editor, "da", workspace.slug)
    captions = editor.locator(".engage-quote-figure figcaption")
    assert captions.count() > 0, (
        "the editor sees no quote at all, so the check below proves nothing"
    )
    for caption in captions.all():
        expect(caption).to_contain_text("Gentofte")
    assert answer_municipalities(app, cited_answers(editor)) == {"gentofte"}

    hidden = editor.goto(f"/da/dashboard/answers/{workspace.other_answer}")
    assert hidden is not None and hidden.status == 404
    own = editor.goto(f"/da/dashboard/answers/{workspace.gentofte_answer}")
    assert own is not None and own.status == 200

    headers, rows = export_xlsx(editor, "da", workspace.slug, tmp_path)
    assert len(rows) == workspace.gentofte_responses
    assert {row[headers.index("1. municipality")] for row in rows} == {"gentofte"}
    assert editor.js_errors == [] and analyst.js_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_login_page_is_accessible(page: Page, app: Flask, axe_check: Any, lang: str) -> None:
    """The staff login page (phone size) is in the page's language and passes axe."""
    response = page.goto(f"/{lang}/dashboard/login")
    assert response is not None and response.status == 200
    assert page.evaluate("() => document.documentElement.lang") == lang
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(app, lang, "Staff login"))
    axe_check(page, f"{lang} login")


def test_staff_pages_are_accessible(
    desktop_page: Page, workspace: Workspace, axe_check: Any, tmp_path: Path
) -> None:
    """The analyst's overview, summaries (Danish and English), comparison, exports, job and answer pages pass axe."""
    page = desktop_page
    log_in(page, "da", "analyst")
    axe_check(page, "da overview")
    for lang in LANGS:
        page.goto(f"/{lang}/dashboard/summaries?survey={workspace.slug}", timeout=COMPUTE_TIMEOUT)
        expect(page.locator(".engage-snapshot-meta")).to_be_visible()
        axe_check(page, f"{lang} summaries")
    page.goto(f"/en/dashboard/summaries?survey={workspace.slug}&municipality=gentofte&language=en")
    axe_check(page, "en summaries of Gentofte's English answers")
    page.goto(f"/da/dashboard/compare?survey={workspace.slug}&a=gentofte&b=region")
    expect(page.locator("table.engage-compare")).to_be_visible()
    axe_check(page, "da compare")
    page.goto(f"/da/dashboard/exports?survey={workspace.slug}")
    axe_check(page, "da exports")
    export_xlsx(page, "da", workspace.slug, tmp_path)
    axe_check(page, "da export job")
    page.goto(f"/da/dashboard/answers/{workspace.other_answer}")
    axe_check(page, "da answer")
    page.goto("/da/dashboard/jobs")
    axe_check(page, "da jobs")
    for lang in LANGS:  # the widget's snippet page, with its live preview (a same-origin frame)
        page.goto(f"/{lang}/dashboard/embed?survey={workspace.slug}&mode=chat")
        expect(page.frame_locator("iframe.engage-preview").locator("#chat-form")).to_be_visible()
        axe_check(page, f"{lang} widget snippet")
        page.goto(f"/{lang}/dashboard/surveys")
        page.locator("#file").set_input_files(files=[{"name": "broken.json", "mimeType": "application/json",
                                                      "buffer": b'{"engage_survey": 1}'}])
        page.locator('form[action$="/surveys/import"] button[type=submit]').click()
        expect(page.locator("#error-summary")).to_be_visible()
        axe_check(page, f"{lang} surveys with an import error")
    assert page.js_errors == []


def test_admin_audit_log_is_accessible(
    desktop_page: Page, new_page: Any, workspace: Workspace, axe_check: Any
) -> None:
    """The admin's audit log lists the logins and passes axe; an analyst may not open it."""
    page = desktop_page
    log_in(page, "da", "admin")
    response = page.goto("/da/dashboard/audit")
    assert response is not None and response.status == 200
    expect(
        page.locator("main table tbody tr td", has_text=ACCOUNT["admin"]["email"]).first
    ).to_be_visible()
    axe_check(page, "da audit log")

    analyst = new_page()
    log_in(analyst, "da", "analyst")
    expect(analyst.locator('nav a[href$="/dashboard/audit"]')).to_have_count(0)
    refused = analyst.goto("/da/dashboard/audit")
    assert refused is not None and refused.status == 403
