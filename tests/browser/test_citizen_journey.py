"""A citizen's journey through the demo survey in a real (phone-sized) Chromium, in both languages.

Elements are found by name, id, role or survey content from the database, never by UI strings (the
Danish catalogue may lag behind). Every page on the way is checked with axe (WCAG 2.1 A/AA).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from engage.core.extensions import db
from engage.demo.seed import QUESTIONS
from engage.models import Response

LANGS = ["da", "en"]
OTHER = {"da": "en", "en": "da"}
TITLE = {"da": "Smart Greater Copenhagen – dine behov", "en": "Smart Greater Copenhagen – your needs"}
QUESTION = {q["key"]: q for q in QUESTIONS}
OPTION = {q["key"]: {o["key"]: o for o in q.get("options", [])} for q in QUESTIONS}
ORGANISATION = "Grøn Cykel ApS"
PRIORITIES = {
    "da": "Flere cykelstier og bedre busser om aftenen.",
    "en": "More cycle paths and better buses in the evening.",
}
IDEAS = {
    "da": "Digitale løsninger skal også virke for ældre uden smartphone.",
    "en": "Digital services must also work for older people without a smartphone.",
}
AREA = {"da": "Grønt og roligt", "en": "Green and quiet"}
#: Places given in the ranking question (option key → place), and the order they mean.
RANKS = {"transit": 2, "green_energy": 1, "digital": 4, "housing": 3}
RANKED = sorted(RANKS, key=RANKS.get)


# --- helpers ----------------------------------------------------------------------------------


def response_count(app: Flask) -> int:
    """Return how many responses the database holds."""
    with app.app_context():
        n = db.session.scalar(select(func.count(Response.id)))
        db.session.remove()
        return n


def html_lang(page: Page) -> str:
    """Return the page's <html lang>."""
    return page.evaluate("() => document.documentElement.lang")


def field(page: Page, name: str, value: str | None = None):
    """Return the input(s) called `name` (and with `value`, the one with that value)."""
    return page.locator(f'[name="{name}"]' + (f'[value="{value}"]' if value is not None else ""))


def tap_label(page: Page, name: str, value: str | None = None) -> None:
    """Tap the label of a radio button or check box, as a person on a phone does."""
    target = field(page, name, value)
    input_id = target.get_attribute("id")
    page.locator(f'label[for="{input_id}"]').click()
    expect(target).to_be_checked()


def press_button(page: Page, action: str, expect_status: int = 200) -> None:
    """Click the form button with name=action and `action` as value; wait for the next page."""
    with page.expect_navigation() as navigation:
        page.locator(f'form button[name="action"][value="{action}"]').click()
    assert navigation.value is not None and navigation.value.status == expect_status, (
        f"after {action!r} expected HTTP {expect_status}, got "
        f"{navigation.value.status if navigation.value else 'no response'} at {page.url}"
    )


def focused_matches(page: Page, selector: str) -> bool:
    """Return whether the focused element matches the CSS `selector`."""
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus (proves it is reachable by Tab)."""
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    if not focused_matches(page, selector):
        focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
        raise AssertionError(f"{selector} not reached with {limit} Tab presses; focus is on {focused}")


def arrow_to(page: Page, name: str, value: str, limit: int = 15) -> None:
    """In a focused radio group, press the arrow key until the radio with `value` is checked."""
    for _ in range(limit):
        if focused_matches(page, f'[name="{name}"][value="{value}"]'):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")  # arrows already check; Space also covers the first radio
    expect(field(page, name, value)).to_be_checked()


def choose_place(page: Page, select_id: str, place: int) -> None:
    """Give a ranking option its place with the keyboard: focus its select, arrow down to it."""
    tab_to(page, f"#{select_id}")
    for _ in range(place):  # the first option is the empty "Place…"
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{select_id}")).to_have_value(str(place))


def open_demo_survey(page: Page, lang: str, slug: str) -> None:
    """Open the survey list in `lang` and follow the link to the demo survey."""
    page.goto(f"/{lang}/")
    page.get_by_role("link", name=TITLE[lang]).click()
    page.wait_for_url(f"**/{lang}/s/{slug}")
    expect(field(page, "q_municipality")).to_be_visible()


# --- the journey ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_citizen_completes_survey_then_deletes_answers(
    page: Page, app: Flask, demo_survey: str, axe_check: Any, lang: str
) -> None:
    """A phone user answers every question kind (one section by keyboard only), reads the receipt, deletes it."""
    # The survey list.
    response = page.goto(f"/{lang}/")
    assert response is not None and response.status == 200
    assert html_lang(page) == lang
    axe_check(page, f"{lang} survey list")
    page.get_by_role("link", name=TITLE[lang]).click()
    page.wait_for_url(f"**/{lang}/s/{demo_survey}")
    assert html_lang(page) == lang
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE[lang])

    # Section 1: the organisation question appears only for business/university/organisation.
    organisation = page.locator("#q_organisation-group")
    expect(organisation).to_be_hidden()
    axe_check(page, f"{lang} section 1")
    tap_label(page, "q_stakeholder", "business")
    expect(organisation).to_be_visible()
    field(page, "q_organisation").fill(ORGANISATION)

    # Next without a municipality: the page comes back with the error, keeping what was given.
    press_button(page, "next", expect_status=422)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator('a[href="#q_municipality-group"]')).to_have_count(1)
    expect(summary.locator('a[href="#q_municipality-group"]')).to_contain_text(QUESTION["municipality"][f"text_{lang}"])
    expect(page.locator("#q_municipality-error")).to_be_visible()
    expect(page.locator("#q_municipality-group")).to_have_class(re.compile(r"\bform-error\b"))
    expect(field(page, "q_municipality")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "q_municipality")).to_have_attribute("aria-describedby", re.compile(r"\bq_municipality-error\b"))
    expect(field(page, "q_stakeholder", "business")).to_be_checked()
    expect(organisation).to_be_visible()
    expect(field(page, "q_organisation")).to_have_value(ORGANISATION)
    assert html_lang(page) == lang
    axe_check(page, f"{lang} section 1 with an error")
    field(page, "q_municipality").select_option("gladsaxe")
    press_button(page, "next")

    # Section 2 (by touch): the likert question appears only for public transport.
    expect(field(page, "q_focus").first).to_be_visible()
    transit_ok = page.locator("#q_transit_ok-group")
    expect(transit_ok).to_be_hidden()
    tap_label(page, "q_focus", "mobility")
    tap_label(page, "q_focus", "climate")
    tap_label(page, "q_transport", "bike")
    expect(transit_ok).to_be_hidden()
    tap_label(page, "q_transport", "public")
    expect(transit_ok).to_be_visible()
    tap_label(page, "q_transit_ok", "4")
    field(page, "q_priorities").fill(PRIORITIES[lang])
    axe_check(page, f"{lang} section 2")
    press_button(page, "next")

    # Section 3 by keyboard only: scale radios, four ranking selects, long and short text.
    expect(field(page, "q_digital_confidence").first).to_be_visible()
    tab_to(page, '[name="q_digital_confidence"]')
    arrow_to(page, "q_digital_confidence", "3")
    for key, place in RANKS.items():
        choose_place(page, f"q_invest-{key}", place)
    tab_to(page, '[name="q_ideas"]')
    page.keyboard.type(IDEAS[lang])
    tab_to(page, '[name="q_area"]')
    page.keyboard.type(AREA[lang])
    expect(field(page, "q_ideas")).to_have_value(IDEAS[lang])
    expect(field(page, "q_area")).to_have_value(AREA[lang])
    axe_check(page, f"{lang} section 3")
    tab_to(page, 'form button[name="action"][value="next"]')
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value is not None and navigation.value.status == 200

    # Section 4 by keyboard only: "help" shows for confidence ≤ 4, then the two consents.
    expect(page.locator("#q_digital_help-group")).to_be_visible()
    tab_to(page, '[name="q_digital_help"]')
    arrow_to(page, "q_digital_help", "maybe")
    for name in ("q_quote_ok", "q_data_ok"):
        tab_to(page, f'[name="{name}"]')
        page.keyboard.press("Space")
        expect(field(page, name)).to_be_checked()
    axe_check(page, f"{lang} section 4")
    assert response_count(app) == 0
    tab_to(page, 'form button[name="action"][value="submit"]')
    page.keyboard.press("Enter")

    # The receipt lists the answers.
    page.wait_for_url(re.compile(rf"/{lang}/receipt/[^/?#]+\?new=1$"))
    receipt_url = page.url.split("?")[0]
    assert html_lang(page) == lang
    assert response_count(app) == 1
    answers = page.locator("dl.engage-answers")
    expect(answers).to_contain_text(PRIORITIES[lang])
    expect(answers).to_contain_text(IDEAS[lang])
    expect(answers).to_contain_text(AREA[lang])
    expect(answers).to_contain_text(OPTION["transport"]["public"][lang])
    expect(answers).to_contain_text(OPTION["focus"]["climate"][lang])
    ranking = "; ".join(f"{i}. {OPTION['invest'][k][lang]}" for i, k in enumerate(RANKED, start=1))
    expect(answers).to_contain_text(ranking)
    expect(answers).to_contain_text("3 / 10")
    axe_check(page, f"{lang} receipt")

    # Delete: confirmation page, then the "deleted" page; nothing is left.
    page.locator('a[href$="/delete"]').click()
    page.wait_for_url(re.compile(rf"/{lang}/receipt/[^/?#]+/delete$"))
    axe_check(page, f"{lang} confirm delete")
    page.locator('form[action$="/delete"] button[type="submit"]').click()
    page.wait_for_url(f"**/{lang}/deleted")
    assert html_lang(page) == lang
    axe_check(page, f"{lang} deleted")
    assert response_count(app) == 0
    gone = page.goto(receipt_url)
    assert gone is not None and gone.status == 404
    assert page.js_errors == []


# --- other pages ------------------------------------------------------------------------------


def test_language_choice_page_is_accessible(page: Page, app: Flask, axe_check: Any) -> None:
    """The language choice page (/?choose=1) offers both languages and passes axe."""
    response = page.goto("/?choose=1")
    assert response is not None and response.status == 200
    expect(page.locator('a[hreflang="da"][href="/da/"]')).to_be_visible()
    expect(page.locator('a[hreflang="en"][href="/en/"]')).to_be_visible()
    axe_check(page, "language choice")


@pytest.mark.parametrize("lang", LANGS)
def test_not_found_page_is_accessible(page: Page, app: Flask, axe_check: Any, lang: str) -> None:
    """An unknown survey gives a 404 page in the right language that passes axe."""
    response = page.goto(f"/{lang}/s/does-not-exist")
    assert response is not None and response.status == 404
    assert html_lang(page) == lang
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page, f"{lang} 404 page")


@pytest.mark.parametrize("lang", LANGS)
def test_closed_survey_page_is_accessible(page: Page, make_survey: Any, axe_check: Any, lang: str) -> None:
    """A closed survey shows a 410 page (no form) in the right language that passes axe."""
    slug = make_survey(slug="closed-survey", status="closed",
                       questions=[{"key": "q1", "kind": "short_text"}])
    response = page.goto(f"/{lang}/s/{slug}")
    assert response is not None and response.status == 410
    assert html_lang(page) == lang
    expect(page.locator("#survey-form")).to_have_count(0)
    axe_check(page, f"{lang} closed survey")


@pytest.mark.parametrize("lang", LANGS)
def test_language_switch_keeps_typed_answers(page: Page, demo_survey: str, axe_check: Any, lang: str) -> None:
    """Switching language on section 2 re-shows it in the other language with the typed text kept."""
    other = OTHER[lang]
    open_demo_survey(page, lang, demo_survey)
    field(page, "q_municipality").select_option("gladsaxe")
    tap_label(page, "q_stakeholder", "citizen")
    press_button(page, "next")
    tap_label(page, "q_focus", "energy")
    tap_label(page, "q_transport", "public")
    field(page, "q_priorities").fill(PRIORITIES[lang])

    switch = page.locator('header button[name="action"][value="stay"]')
    expect(switch).to_have_attribute("formaction", re.compile(rf"/{other}/s/{demo_survey}$"))
    with page.expect_navigation() as navigation:
        switch.click()
    assert navigation.value is not None and navigation.value.status == 200
    page.wait_for_url(f"**/{other}/s/{demo_survey}")
    assert html_lang(page) == other
    expect(page.locator("#q_priorities-group")).to_contain_text(QUESTION["priorities"][f"text_{other}"])
    expect(field(page, "q_priorities")).to_have_value(PRIORITIES[lang])
    expect(field(page, "q_focus", "energy")).to_be_checked()
    expect(field(page, "q_transport", "public")).to_be_checked()
    expect(page.locator("#q_transit_ok-group")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)
    axe_check(page, f"{lang} section 2 switched to {other}")
    # The switch back is offered the same way.
    expect(page.locator('header button[name="action"][value="stay"]')).to_have_attribute(
        "formaction", re.compile(rf"/{lang}/s/{demo_survey}$"))


@pytest.mark.parametrize("lang", LANGS)
def test_enter_in_a_text_field_goes_to_the_next_step(page: Page, demo_survey: str, lang: str) -> None:
    """Pressing Enter in a one-line text field submits with Next (not the language switch or Back)."""
    open_demo_survey(page, lang, demo_survey)
    field(page, "q_municipality").select_option("gladsaxe")
    tap_label(page, "q_stakeholder", "business")
    field(page, "q_organisation").fill(ORGANISATION)
    with page.expect_navigation():
        field(page, "q_organisation").press("Enter")
    assert html_lang(page) == lang, (
        "Enter in a one-line text field switched the page's language: the header's language button "
        "(form=survey-form, value=stay) is the form's first submit button in tree order, so it is "
        "the default button that implicit submission presses"
    )
    assert page.url.endswith(f"/{lang}/s/{demo_survey}")
    expect(field(page, "q_focus").first).to_be_visible()  # section 2, not section 1 again
