"""Chat mode and the widget in a real Chromium: whole conversations in both languages (with and
without JavaScript), keyboard only, the live region, the widget in a cross-site iframe with
third-party cookies blocked, the framing allowlist, and axe on the chat and widget pages.

Every conversation ends in the database: the tests read the stored Response, its answers and the
citizen's theme labels (AnswerTheme rows with source "citizen"). Elements are found by id, name and
value; the few bot sentences checked are read from the catalogues through Babel. Each turn waits for
the signed state in the chat form to change (a fetch swap with JavaScript, a page load without).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from sqlalchemy import select

from engage.core.extensions import db
from engage.demo.seed import QUESTIONS
from engage.models import Answer, AnswerTheme, Municipality, Question, Response, Theme
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_MESSAGE,
    CSP_REPORTER,
    VIEWPORT,
    close_pages,
)

pytestmark = pytest.mark.browser

SLUG = "smart-greater-copenhagen"
QUESTION = {q["key"]: q for q in QUESTIONS}
STATE = '#chat-form input[name="state"]'
IFRAME = "iframe[data-engage-widget]"
SEND = '#chat-now button[name="action"][value="answer"]:not(.engage-default-action)'
RECEIPT = re.compile(r"/(da|en)/receipt/[^/?#]+\?new=1$")
#: A first answer short enough to get the one follow-up question, and the reply to it.
SHORT = {"da": "Busserne", "en": "Buses"}
PROBE_REPLY = {
    "da": "De kører for sjældent om aftenen, og cykelstierne er farlige.",
    "en": "They run too rarely in the evening and the cycle paths are dangerous.",
}
#: A free-text answer long and clear enough to be reflected at once (no follow-up).
PRIORITIES = {
    "da": "Flere sikre cykelstier langs Strandvejen og busser der kører oftere om aftenen.",
    "en": "More safe cycle paths along the coast road and buses that run more often in the evening.",
}
AREA = {"da": "Grønt og roligt", "en": "Green and quiet"}
RANKS = {"transit": "1", "green_energy": "2", "digital": "3", "housing": "4"}
#: The page a municipality puts on its site; {live} is Engage's address.
HOST_PAGE = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>{municipality} (test)</title>
<link rel="icon" href="data:,"></head>
<body><h1>Kommunens side</h1><p>Sig din mening:</p>
<script src="{live}/embed.js" data-survey="{slug}" data-municipality="{municipality}" data-lang="{lang}"
        data-mode="{mode}" async></script>
<p id="after-widget">Tak fordi du kiggede forbi.</p>
</body></html>
"""
#: Runs in the municipality's page: records the iframe's height when embed.js inserts it and at
#: every change, so a test can see the 640 px it starts with and the heights the widget reported.
FRAME_HEIGHTS = """
if (window.top === window) {
  window.engageFrameHeights = [];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes || []) {
        if (node.tagName === "IFRAME") { window.engageFrameHeights.push(node.style.height); }
      }
      if (record.type === "attributes" && record.target.tagName === "IFRAME") {
        window.engageFrameHeights.push(record.target.style.height);
      }
    }
  }).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ["style"]});
}
"""

# --- the database -----------------------------------------------------------------------------


def stored(app: Flask) -> list[dict[str, Any]]:
    """Return every stored response: channel, municipality, answers by key, citizen themes by key."""
    with app.app_context():
        found = []
        for response in db.session.scalars(select(Response).order_by(Response.id)):
            answers = {a.question.key: (a.text if a.text is not None else a.value) for a in response.answers}
            rows = db.session.execute(
                select(Question.key, Theme.slug)
                .select_from(AnswerTheme)
                .join(Answer, AnswerTheme.answer_id == Answer.id)
                .join(Question, Answer.question_id == Question.id)
                .join(Theme, AnswerTheme.theme_id == Theme.id)
                .where(Answer.response_id == response.id, AnswerTheme.source == "citizen")
            )
            citizen: dict[str, set[str]] = {}
            for key, slug in rows:
                citizen.setdefault(key, set()).add(slug)
            found.append({
                "channel": response.channel,
                "municipality": response.municipality.slug if response.municipality else None,
                "locale": response.locale,
                "quote_consent": response.quote_consent,
                "answers": answers,
                "citizen": citizen,
            })
        db.session.remove()
        return found


def reflected_themes(app: Flask, text: str, lang: str) -> list[str]:
    """Return the themes the chat reflects for `text`: the analyser's, active ones, at most three."""
    with app.app_context():
        from engage.surveys.analysis import submit_analyser

        active = set(db.session.scalars(select(Theme.slug).where(Theme.is_active)))
        analysis = submit_analyser().analyse(text, lang, refine=True)  # as a chat turn analyses
        db.session.remove()
    assert analysis is not None, "the test app's analyser left the answer for later: no reflection possible"
    return [t.theme for t in analysis.themes if t.theme in active][:3]


def theme_names(app: Flask, lang: str) -> dict[str, str]:
    """Return {slug: name in `lang`} of the active themes."""
    with app.app_context():
        rows = db.session.execute(select(Theme.slug, Theme.name_da, Theme.name_en).where(Theme.is_active)).all()
        db.session.remove()
    return {slug: (da if lang == "da" else en) for slug, da, en in rows}


def translated(app: Flask, lang: str, message: str, **variables: Any) -> str:
    """Return the catalogue's `message` in `lang` (what the page should show)."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(message, **variables)


# --- the conversation -------------------------------------------------------------------------
# `scope` is a Page or a FrameLocator (the widget's iframe): both find elements with .locator().


def asked(scope: Any, key: str):
    """Return the current question's group (its fieldset or form group) for question `key`."""
    return scope.locator(f"#chat-now #q_{key}-group")


def choice(scope: Any, key: str, value: str):
    """Return the answer button with `value` for question `key`."""
    return scope.locator(f'#chat-now button[name="q_{key}"][value="{value}"]')


def action(scope: Any, value: str):
    """Return the chat's button with name=action and `value` (answer, back, confirm, submit, …);
    not a hidden default button for Enter, should the form get one."""
    return scope.locator(f'#chat-now button[name="action"][value="{value}"]:not(.engage-default-action)')


def text_field(scope: Any, key: str):
    """Return the text area or text input of question `key` (also the one under a follow-up)."""
    return scope.locator(f'#chat-now [name="q_{key}"]')


def turn(scope: Any, press: Callable[[], None]) -> None:
    """Do `press` (a click or a key) and wait for the next turn: the signed state changes."""
    state = scope.locator(STATE)
    before = state.input_value()
    press()
    expect(state).not_to_have_value(before)


def click(scope: Any, button: Any) -> None:
    """Click `button` and wait for the next turn."""
    turn(scope, button.click)


def tick(scope: Any, selector: str, on: bool = True, by_label: bool = True) -> None:
    """Tick (or untick) the check box or radio matching `selector` by its label, as a person does
    (`by_label` False: on the box itself, where it lies over its label, as on the 0–10 scale)."""
    box = scope.locator(selector)
    if box.is_checked() != on:
        (scope.locator(f'label[for="{box.get_attribute("id")}"]') if by_label else box).click()
    if on:
        expect(box).to_be_checked()
    else:
        expect(box).not_to_be_checked()


def answer_text(scope: Any, key: str, text: str) -> None:
    """Type `text` as the answer to free-text question `key` (or its follow-up) and send it."""
    text_field(scope, key).fill(text)
    click(scope, action(scope, "answer"))


def rank(scope: Any, ranks: dict[str, str] = RANKS) -> None:
    """Give each option of the ranking question its place and send."""
    for key, place in ranks.items():
        scope.locator(f'#chat-now [name="q_invest-{key}"]').select_option(place)
    click(scope, action(scope, "answer"))


def expect_probe(app: Flask, scope: Any, lang: str) -> None:
    """The follow-up question is on screen: its text area and the default probe sentence."""
    expect(asked(scope, "priorities")).to_have_count(0)
    field = scope.locator("#chat-now textarea#q_priorities")
    expect(field).to_be_visible()
    expect(scope.locator('#chat-now label[for="q_priorities"]')).to_have_text(
        translated(app, lang, "Could you tell me a little more about what would make it better?"))


def expect_reflection(app: Flask, scope: Any, lang: str, themes: list[str]) -> None:
    """The bot reflects `themes` (by name) and offers confirm / correct / skip."""
    assert themes, "the answer should have been given at least one theme"
    prompt = scope.locator("#chat-now legend")
    names = theme_names(app, lang)
    for slug in themes:
        expect(prompt).to_contain_text(names[slug].lower())
    for value in ("confirm", "correct", "skip"):
        expect(action(scope, value)).to_be_visible()


def expect_review(scope: Any) -> None:
    """The review step: every answer with a Change button, and Send."""
    expect(scope.locator("#chat-now dl.engage-review")).to_be_visible()
    expect(action(scope, "submit")).to_be_visible()


def first_part(scope: Any, municipality: str, lang: str) -> None:
    """Answer municipality, stakeholder, focus and transport (bike), up to the free text."""
    expect(asked(scope, "municipality")).to_be_visible()
    click(scope, choice(scope, "municipality", municipality))
    expect(asked(scope, "stakeholder")).to_be_visible()
    click(scope, choice(scope, "stakeholder", "citizen"))
    expect(asked(scope, "focus")).to_be_visible()
    tick(scope, '#chat-now [name="q_focus"][value="mobility"]')
    click(scope, action(scope, "answer"))
    expect(asked(scope, "transport")).to_be_visible()
    click(scope, choice(scope, "transport", "bike"))
    expect(asked(scope, "priorities")).to_be_visible()


def last_part(scope: Any, lang: str, confidence: str = "8", quote: str = "y") -> None:
    """From digital_confidence (> 4: no digital_help) to the review."""
    expect(asked(scope, "digital_confidence")).to_be_visible()
    click(scope, choice(scope, "digital_confidence", confidence))
    expect(asked(scope, "invest")).to_be_visible()
    rank(scope)
    expect(asked(scope, "ideas")).to_be_visible()
    click(scope, action(scope, "answer"))  # optional: skipped by sending nothing
    expect(asked(scope, "area")).to_be_visible()
    answer_text(scope, "area", AREA[lang])
    expect(asked(scope, "quote_ok")).to_be_visible()
    click(scope, choice(scope, "quote_ok", quote))
    expect(asked(scope, "data_ok")).to_be_visible()
    click(scope, choice(scope, "data_ok", "y"))
    expect_review(scope)


# --- pages of our own -------------------------------------------------------------------------


def watch(page: Page) -> Page:
    """Collect the page's JavaScript errors and CSP violations, as conftest's pages do."""
    errors: list[str] = []
    violations: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: violations.append(f"{msg.text} (page {page.url})")
            if CSP_MESSAGE.search(msg.text) else None)
    page.js_errors = errors
    page.csp_violations = violations
    return page


@pytest.fixture
def context_page(browser: Any, live_server: str, artifacts: Path,
                 request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """Return context_page(**options): a phone-sized page in a new context made with `options`
    (e.g. java_script_enabled=False), under the real CSP; checked and closed after the test."""
    pages: list[Page] = []

    def factory(**options: Any) -> Page:
        context = browser.new_context(base_url=live_server, viewport=VIEWPORT, device_scale_factor=1,
                                      locale="da-DK", timezone_id="Europe/Copenhagen", **options)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_REPORTER)
        context.add_init_script(FRAME_HEIGHTS)
        pages.append(watch(context.new_page()))
        return pages[-1]

    try:
        yield factory
    finally:
        close_pages(pages, artifacts, request)


@pytest.fixture
def cookieless_page(browser: Any, live_server: str, tmp_path: Path, artifacts: Path,
                    request: pytest.FixtureRequest) -> Iterator[Page]:
    """Return a phone-sized page in a Chromium profile that blocks third-party cookies.

    Debian's Chromium blocks them under Playwright already; the profile preference
    `profile.cookie_controls_mode = 1` ("block third-party cookies") makes it explicit, so the test
    does not depend on a default that may change.
    """
    profile = tmp_path / "chromium-profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(
        json.dumps({"profile": {"cookie_controls_mode": 1}}), encoding="utf-8")
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        base_url=live_server, viewport=VIEWPORT, device_scale_factor=1, locale="da-DK",
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_REPORTER)
    context.add_init_script(FRAME_HEIGHTS)
    page = watch(context.new_page())
    try:
        yield page
    finally:
        for other in context.pages:
            if other is not page:
                other.close()
        close_pages([page], artifacts, request)


class _MunicipalityPage(BaseHTTPRequestHandler):
    """Serves the HTML pages given to its server (a municipality's website), nothing else."""

    def do_GET(self) -> None:  # noqa: N802 — the name http.server calls
        body = self.server.pages.get(self.path.split("?")[0])  # type: ignore[attr-defined]
        data = body.encode("utf-8") if body is not None else b"not found"
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — quiet
        pass


@pytest.fixture
def municipality_site(live_server: str) -> Iterator[Callable[..., str]]:
    """Return serve(host, municipality="gentofte", lang="da"): start a web server on `host` (another
    origin than Engage's 127.0.0.1) with /chat.html and /form.html embedding the widget; return its
    origin. Every server is stopped after the test."""
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(host: str, municipality: str = "gentofte", lang: str = "da") -> str:
        server = ThreadingHTTPServer((host, 0), _MunicipalityPage)
        server.pages = {  # type: ignore[attr-defined]
            f"/{mode}.html": HOST_PAGE.format(live=live_server, slug=SLUG, municipality=municipality,
                                              lang=lang, mode=mode)
            for mode in ("chat", "form")
        }
        thread = threading.Thread(target=server.serve_forever, name=f"site-{host}", daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://{host}:{server.server_port}"

    try:
        yield serve
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)


@pytest.fixture
def embed_origins(app: Flask) -> Iterator[Callable[[str, list[str] | None], None]]:
    """Return allow(municipality, origins): set who may frame its widget; restored after the test."""
    before: dict[str, Any] = {}

    def set_origins(slug: str, origins: list[str] | None) -> None:
        with app.app_context():
            municipality = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
            before.setdefault(slug, municipality.embed_origins)
            municipality.embed_origins = origins
            db.session.commit()
            db.session.remove()

    try:
        yield set_origins
    finally:
        for slug, origins in before.items():
            with app.app_context():
                municipality = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
                municipality.embed_origins = origins
                db.session.commit()
                db.session.remove()


# --- keyboard ---------------------------------------------------------------------------------


def focused_matches(page: Page, selector: str) -> bool:
    """Return whether the focused element (looking into no frame) matches the CSS `selector`."""
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus (proves it is reachable by Tab)."""
    for _ in range(limit):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    assert focused_matches(page, selector), f"{selector} not reached with {limit} Tab presses; focus is on {focused}"


def key_turn(page: Page, selector: str, key: str = "Enter") -> None:
    """Tab to the button matching `selector`, press `key` on it, wait for the next turn."""
    tab_to(page, selector)
    turn(page, lambda: page.keyboard.press(key))


# --- 1. whole conversations -------------------------------------------------------------------


def test_chat_in_danish_with_javascript_back_probe_reload_and_confirmed_themes(
    page: Page, app: Flask, demo_survey: str
) -> None:
    """Danish, JavaScript on: Back changes an answer, a short answer gets the follow-up, a reload in
    the middle keeps the place and the half-typed reply, the reflected themes are confirmed."""
    lang = "da"
    page.goto(f"/{lang}/s/{demo_survey}/chat")
    expect(asked(page, "municipality")).to_be_visible()
    click(page, choice(page, "municipality", "gladsaxe"))
    click(page, choice(page, "stakeholder", "citizen"))
    expect(asked(page, "focus")).to_be_visible()
    tick(page, '#chat-now [name="q_focus"][value="mobility"]')
    tick(page, '#chat-now [name="q_focus"][value="climate"]')
    click(page, action(page, "answer"))

    # Public transport brings the likert question; Back, and a bike takes it away again.
    click(page, choice(page, "transport", "public"))
    expect(asked(page, "transit_ok")).to_be_visible()
    click(page, action(page, "back"))
    expect(asked(page, "transport")).to_be_visible()
    expect(choice(page, "transport", "public")).to_have_attribute("aria-pressed", "true")
    click(page, choice(page, "transport", "bike"))
    expect(asked(page, "priorities")).to_be_visible()

    # A short answer: one follow-up question.
    answer_text(page, "priorities", SHORT[lang])
    expect_probe(app, page, lang)

    # Half a reply typed, then the page is reloaded: same question, the typed text is back.
    half = PROBE_REPLY[lang][:22]
    text_field(page, "priorities").fill(half)
    said_before = page.locator(".engage-me").count()
    page.reload()
    expect(text_field(page, "priorities")).to_have_value(half)
    expect_probe(app, page, lang)
    expect(page.locator(".engage-me")).to_have_count(said_before)
    expect(page.locator(".engage-chat-log")).to_contain_text(SHORT[lang])

    # The whole reply: the themes are reflected, and confirmed.
    answer_text(page, "priorities", PROBE_REPLY[lang])
    themes = reflected_themes(app, f"{SHORT[lang]}\n\n{PROBE_REPLY[lang]}", lang)
    expect_reflection(app, page, lang, themes)
    click(page, action(page, "confirm"))
    last_part(page, lang)
    assert stored(app) == []
    action(page, "submit").click()
    page.wait_for_url(RECEIPT)

    [response] = stored(app)
    assert response["channel"] == "chat"
    assert response["municipality"] == "gladsaxe"
    assert response["locale"] == lang
    assert response["answers"]["transport"] == "bike"
    assert "transit_ok" not in response["answers"]  # answered, then made irrelevant by Back
    assert response["answers"]["priorities"] == f"{SHORT[lang]}\n\n{PROBE_REPLY[lang]}"
    assert response["answers"]["focus"] == ["mobility", "climate"]
    assert response["citizen"] == {"priorities": set(themes)}
    assert page.js_errors == []


def test_chat_in_english_without_javascript_correction_probe_and_change(
    context_page: Callable[..., Page], app: Flask, demo_survey: str
) -> None:
    """English, JavaScript off (every turn a form post): a follow-up, the themes corrected with
    check boxes, and an answer changed from the review page."""
    lang = "en"
    page = context_page(java_script_enabled=False)
    page.goto(f"/{lang}/s/{demo_survey}/chat")
    first_part(page, "kobenhavn", lang)

    answer_text(page, "priorities", SHORT[lang])
    expect_probe(app, page, lang)
    answer_text(page, "priorities", PROBE_REPLY[lang])
    expect_reflection(app, page, lang, reflected_themes(app, f"{SHORT[lang]}\n\n{PROBE_REPLY[lang]}", lang))

    # "No, let me choose": the reflected themes are ticked; the citizen picks others instead.
    click(page, action(page, "correct"))
    expect(action(page, "themes")).to_be_visible()
    reflected = [box.get_attribute("id") for box in page.locator('#chat-now input[name="theme"]:checked').all()]
    assert reflected, "the reflected themes should be ticked when the choice opens"
    for box_id in reflected:
        tick(page, f"#chat-now #{box_id}", on=False)
    tick(page, "#chat-now #theme-housing")
    tick(page, "#chat-now #theme-health")
    click(page, action(page, "themes"))
    expect(page.locator(".engage-chat-log")).to_contain_text(theme_names(app, lang)["housing"])

    last_part(page, lang, quote="no")
    # Change the quote consent from the review page: that question (the earlier answer marked),
    # then straight back to the review — the later questions are not asked again.
    click(page, action(page, "change:quote_ok"))
    expect(asked(page, "quote_ok")).to_be_visible()
    expect(choice(page, "quote_ok", "no")).to_have_attribute("aria-pressed", "true")
    click(page, choice(page, "quote_ok", "y"))
    expect_review(page)
    with page.expect_navigation():
        action(page, "submit").click()
    page.wait_for_url(RECEIPT)

    [response] = stored(app)
    assert response["channel"] == "chat"
    assert response["municipality"] == "kobenhavn"
    assert response["locale"] == lang
    assert response["quote_consent"] is True
    assert response["answers"]["quote_ok"] is True
    assert response["answers"]["area"] == AREA[lang]
    assert response["answers"]["priorities"] == f"{SHORT[lang]}\n\n{PROBE_REPLY[lang]}"
    assert response["citizen"] == {"priorities": {"housing", "health"}}


# --- 2. keyboard only -------------------------------------------------------------------------


def test_chat_can_be_completed_with_the_keyboard_alone(page: Page, app: Flask, demo_survey: str) -> None:
    """Tab, Enter and Space only (no clicks, no filling by script): the response is stored."""
    lang = "en"
    page.goto(f"/{lang}/s/{demo_survey}/chat")
    expect(asked(page, "municipality")).to_be_visible()
    key_turn(page, '#chat-now button[name="q_municipality"][value="frederiksberg"]')
    key_turn(page, '#chat-now button[name="q_stakeholder"][value="citizen"]', "Space")
    expect(asked(page, "focus")).to_be_visible()
    tab_to(page, '#chat-now [name="q_focus"][value="health"]')
    page.keyboard.press("Space")
    expect(page.locator('#chat-now [name="q_focus"][value="health"]')).to_be_checked()
    key_turn(page, SEND)
    key_turn(page, '#chat-now button[name="q_transport"][value="walk"]')

    # Free text: focus is already in the text area.
    expect(text_field(page, "priorities")).to_be_focused()
    page.keyboard.type(PRIORITIES[lang])
    key_turn(page, SEND)
    expect(action(page, "confirm")).to_be_visible()
    key_turn(page, '#chat-now button[name="action"][value="confirm"]:not(.engage-default-action)')

    key_turn(page, '#chat-now button[name="q_digital_confidence"][value="3"]')
    expect(asked(page, "invest")).to_be_visible()
    for key, place in RANKS.items():
        tab_to(page, f"#q_invest-{key}")
        for _ in range(int(place)):  # the first option is the empty "Place…"
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#q_invest-{key}")).to_have_value(place)
    key_turn(page, SEND)
    expect(text_field(page, "ideas")).to_be_focused()
    key_turn(page, SEND)  # skip the optional one
    expect(text_field(page, "area")).to_be_focused()
    page.keyboard.type(AREA[lang])
    key_turn(page, SEND)
    key_turn(page, '#chat-now button[name="q_digital_help"][value="maybe"]')  # confidence 3 ≤ 4
    key_turn(page, '#chat-now button[name="q_quote_ok"][value="y"]')
    key_turn(page, '#chat-now button[name="q_data_ok"][value="y"]', "Space")
    expect_review(page)
    tab_to(page, '#chat-now button[name="action"][value="submit"]:not(.engage-default-action)')
    page.keyboard.press("Enter")
    page.wait_for_url(RECEIPT)

    [response] = stored(app)
    assert response["channel"] == "chat"
    assert response["municipality"] == "frederiksberg"
    assert response["answers"]["focus"] == ["health"]
    assert response["answers"]["invest"] == ["transit", "green_energy", "digital", "housing"]
    assert response["answers"]["digital_confidence"] == 3
    assert response["answers"]["digital_help"] == "maybe"
    assert response["answers"]["area"] == AREA[lang]
    assert set(response["citizen"]["priorities"]) == set(reflected_themes(app, PRIORITIES[lang], lang))
    assert page.js_errors == []


# --- 3. the live region -----------------------------------------------------------------------


def focus_in_chat_now(page: Page) -> bool:
    """Return whether the focused element is #chat-now or inside it."""
    return page.evaluate("() => !!document.activeElement && !!document.activeElement.closest('#chat-now')")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_each_turn_is_announced_and_focus_moves_to_the_new_question(
    page: Page, app: Flask, demo_survey: str, lang: str
) -> None:
    """With JavaScript, the polite live region reads the bot's next message and focus goes to it."""
    announce = page.locator("#chat-announce")
    page.goto(f"/{lang}/s/{demo_survey}/chat")
    expect(announce).to_have_attribute("aria-live", "polite")
    click(page, choice(page, "municipality", "gentofte"))
    expect(announce).to_contain_text(QUESTION["stakeholder"][f"text_{lang}"])
    assert focus_in_chat_now(page)

    click(page, choice(page, "stakeholder", "citizen"))
    expect(announce).to_contain_text(QUESTION["focus"][f"text_{lang}"])
    assert focus_in_chat_now(page)
    click(page, action(page, "answer"))  # optional: nothing ticked
    expect(announce).to_contain_text(QUESTION["transport"][f"text_{lang}"])
    click(page, choice(page, "transport", "car"))
    expect(announce).to_contain_text(QUESTION["priorities"][f"text_{lang}"])
    expect(text_field(page, "priorities")).to_be_focused()

    answer_text(page, "priorities", PRIORITIES[lang])
    themes = reflected_themes(app, PRIORITIES[lang], lang)
    prompt = translated(app, lang, "It sounds like you are talking about %(themes)s — is that right?",
                        themes="X").split("X")[0]
    expect(announce).to_contain_text(prompt)
    expect(announce).to_contain_text(theme_names(app, lang)[themes[0]].lower())
    assert focus_in_chat_now(page)


# --- 4. the widget across sites, third-party cookies blocked ---------------------------------


def frame_of(page: Page):
    """Return the widget's iframe as a Frame (it stays the same object across its navigations)."""
    handle = page.locator(IFRAME).element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None, "embed.js inserted no iframe"
    return frame


def expect_frame_fits(page: Page) -> int:
    """Wait until the iframe is exactly as tall as its document (the height it posted); return it."""
    frame = frame_of(page)
    for _ in range(20):  # the content may still grow while fonts and styles arrive
        height = frame.evaluate("() => Math.ceil(document.documentElement.scrollHeight)")
        try:
            page.wait_for_function("([sel, h]) => document.querySelector(sel).style.height === h + 'px'",
                                   arg=[IFRAME, height], timeout=1_000)
            return height
        except PlaywrightError:
            continue
    raise AssertionError(f"the iframe's height {page.locator(IFRAME).evaluate('f => f.style.height')} "
                         f"never matched its content ({height}px)")


def cookie_probe(frame: Any) -> dict[str, Any]:
    """Try to set an unpartitioned SameSite=None cookie inside the frame; report what stuck."""
    return frame.evaluate("""async () => {
        document.cookie = "engage_probe=1; SameSite=None; Secure; path=/";
        let access = null;
        try { access = await document.hasStorageAccess(); } catch (e) { access = String(e); }
        return {cookie: document.cookie, storageAccess: access};
    }""")


@pytest.mark.parametrize("mode", ["chat", "form"])
def test_widget_on_another_site_with_third_party_cookies_blocked(
    cookieless_page: Page, app: Flask, demo_survey: str, municipality_site: Callable[..., str],
    embed_origins: Callable[..., None], live_server: str, mode: str,
) -> None:
    """A municipality's page on another site embeds the widget; the browser blocks third-party
    cookies; the survey is answered and sent inside the iframe and stored for Gentofte."""
    page = cookieless_page
    site = municipality_site("127.0.0.2")
    embed_origins("gentofte", [site])
    page.goto(f"{site}/{mode}.html")
    widget = page.frame_locator(IFRAME)
    expect(widget.locator("h1")).to_be_visible()
    frame = frame_of(page)
    assert frame.url.startswith(f"{live_server}/embed/da/s/{demo_survey}")
    assert "m=gentofte" in frame.url

    # Third-party cookies are blocked in this frame: an unpartitioned cookie does not stick, and
    # the frame has no storage access; the same cookie works on Engage's own page (checked below).
    probe = cookie_probe(frame)
    assert "engage_probe" not in probe["cookie"], probe
    assert probe["storageAccess"] is False, probe

    # The frame starts at 640 px and is resized to its content by postMessage.
    heights = page.evaluate("() => window.engageFrameHeights")
    assert heights and heights[0] == "640px", heights
    first_height = expect_frame_fits(page)
    assert first_height != 640

    if mode == "chat":
        first_part(widget, "other", "da")  # "other": the widget's municipality counts
        answer_text(widget, "priorities", PRIORITIES["da"])
        expect(action(widget, "confirm")).to_be_visible()
        click(widget, action(widget, "confirm"))
        last_part(widget, "da")
        review_height = expect_frame_fits(page)
        assert review_height > first_height  # the conversation grew, and the frame with it
        action(widget, "submit").click()
    else:
        widget.locator('#survey-form [name="q_municipality"]').select_option("other")
        tick(widget, '[name="q_stakeholder"][value="citizen"]')
        next_section(widget)
        tick(widget, '[name="q_focus"][value="mobility"]')
        tick(widget, '[name="q_transport"][value="bike"]')
        widget.locator('[name="q_priorities"]').fill(PRIORITIES["da"])
        next_section(widget)
        tick(widget, '[name="q_digital_confidence"][value="8"]', by_label=False)
        for key, place in RANKS.items():
            widget.locator(f'[name="q_invest-{key}"]').select_option(place)
        widget.locator('[name="q_area"]').fill(AREA["da"])
        next_section(widget)
        tick(widget, '[name="q_data_ok"]')
        widget.locator('#survey-form button[name="action"][value="submit"]:not(.engage-default-action)').click()

    # The receipt opens inside the frame; the municipality's page stays where it was.
    expect(widget.locator("#receipt-link")).to_be_visible()
    assert re.fullmatch(rf"{re.escape(live_server)}/embed/da/receipt/[^/?#]+\?new=1&m=gentofte", frame.url), frame.url
    assert page.url == f"{site}/{mode}.html"
    expect(page.locator("#after-widget")).to_be_visible()
    expect_frame_fits(page)

    [response] = stored(app)
    assert response["channel"] == "widget"
    assert response["municipality"] == "gentofte"
    if mode == "chat":
        assert response["citizen"]["priorities"] == set(reflected_themes(app, PRIORITIES["da"], "da"))

    # No unpartitioned cookie was stored for Engage's host at any point…
    assert [c for c in page.context.cookies() if c["domain"] == "127.0.0.1" and not c.get("partitionKey")] == []
    # …while on Engage's own (first-party) page the same probe cookie is kept: the frame's refusal
    # above came from third-party blocking, not from the probe.
    own = page.context.new_page()
    own.goto(f"{live_server}/embed.js")
    assert "engage_probe=1" in cookie_probe(own.main_frame)["cookie"]
    own.close()
    assert page.js_errors == []


def next_section(widget: Any) -> None:
    """Press Next in the widget's form and wait for the next section (the signed state changes)."""
    state = widget.locator('#survey-form input[name="state"]')
    before = state.input_value()
    widget.locator('#survey-form button[name="action"][value="next"]:not(.engage-default-action)').click()
    expect(state).not_to_have_value(before)


# --- 5. a site that is not on the list --------------------------------------------------------


@pytest.mark.parametrize("case", ["other-origin", "other-municipality"])
def test_widget_cannot_be_framed_by_a_site_not_on_the_list(
    context_page: Callable[..., Page], demo_survey: str, municipality_site: Callable[..., str],
    embed_origins: Callable[..., None], live_server: str, case: str,
) -> None:
    """Chromium refuses to render the widget for a site that is not among the municipality's
    origins (frame-ancestors): a blank error frame, a CSP report, no survey."""
    page = context_page()
    if case == "other-origin":  # Gentofte allows a site on 127.0.0.2; the page is on 127.0.0.3
        allowed = municipality_site("127.0.0.2")
        site = municipality_site("127.0.0.3")
        refused_by = f"frame-ancestors 'self' {allowed}\""
    else:  # a site Gentofte allows asks for Albertslund's widget, which no site may frame
        site = allowed = municipality_site("127.0.0.2", municipality="albertslund")
        embed_origins("albertslund", None)
        refused_by = "frame-ancestors 'self'\""
    embed_origins("gentofte", [allowed])
    with page.expect_console_message(lambda msg: "frame-ancestors" in msg.text) as message:
        page.goto(f"{site}/chat.html")
    assert refused_by in message.value.text, message.value.text
    assert any(refused_by in v for v in page.csp_violations), page.csp_violations
    frame = frame_of(page)
    expect(page.frame_locator(IFRAME).locator("#chat-form")).to_have_count(0)
    assert not frame.url.startswith(live_server), frame.url  # an error page, not the widget
    assert page.locator(IFRAME).evaluate("f => f.style.height") == "640px"  # never resized
    page.csp_violations.clear()  # the expected refusal; any other report would fail the test


# --- 6. axe -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_chat_pages_pass_axe(page: Page, app: Flask, demo_survey: str, axe_check: Any, lang: str) -> None:
    """Every kind of chat turn passes axe (WCAG 2.1 A/AA) with the real CSP: each question kind,
    the follow-up, the reflection, the theme choice, the review and the receipt."""
    page.goto(f"/{lang}/s/{demo_survey}/chat")
    expect(asked(page, "municipality")).to_be_visible()
    axe_check(page, f"{lang} chat municipality buttons")
    click(page, choice(page, "municipality", "albertslund"))
    click(page, choice(page, "stakeholder", "citizen"))
    expect(asked(page, "focus")).to_be_visible()
    axe_check(page, f"{lang} chat check boxes")
    tick(page, '#chat-now [name="q_focus"][value="energy"]')
    click(page, action(page, "answer"))
    click(page, choice(page, "transport", "public"))
    expect(asked(page, "transit_ok")).to_be_visible()
    axe_check(page, f"{lang} chat likert")
    click(page, choice(page, "transit_ok", "2"))
    expect(asked(page, "priorities")).to_be_visible()
    axe_check(page, f"{lang} chat long text")
    answer_text(page, "priorities", SHORT[lang])
    expect_probe(app, page, lang)
    axe_check(page, f"{lang} chat follow-up")
    answer_text(page, "priorities", PROBE_REPLY[lang])
    expect(action(page, "confirm")).to_be_visible()
    axe_check(page, f"{lang} chat reflection")
    click(page, action(page, "correct"))
    expect(action(page, "themes")).to_be_visible()
    axe_check(page, f"{lang} chat theme choice")
    click(page, action(page, "themes"))
    expect(asked(page, "digital_confidence")).to_be_visible()
    axe_check(page, f"{lang} chat scale")
    click(page, choice(page, "digital_confidence", "2"))
    expect(asked(page, "invest")).to_be_visible()
    axe_check(page, f"{lang} chat ranking")
    rank(page)
    click(page, action(page, "answer"))  # ideas: optional, skipped
    expect(asked(page, "area")).to_be_visible()
    axe_check(page, f"{lang} chat short text")
    answer_text(page, "area", AREA[lang])
    expect(asked(page, "digital_help")).to_be_visible()  # confidence 2 ≤ 4
    click(page, choice(page, "digital_help", "yes"))
    expect(asked(page, "quote_ok")).to_be_visible()
    axe_check(page, f"{lang} chat consent")
    click(page, choice(page, "quote_ok", "y"))
    click(page, choice(page, "data_ok", "y"))
    expect_review(page)
    axe_check(page, f"{lang} chat review")
    action(page, "submit").click()
    page.wait_for_url(RECEIPT)
    axe_check(page, f"{lang} chat receipt")
    [response] = stored(app)
    assert response["channel"] == "chat" and response["municipality"] == "albertslund"
    assert response["answers"]["transit_ok"] == 2


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("mode", ["chat", "form"])
def test_widget_pages_pass_axe(page: Page, demo_survey: str, axe_check: Any, lang: str, mode: str) -> None:
    """The widget's own pages (what the iframe shows), opened directly, pass axe."""
    path = f"/embed/{lang}/s/{demo_survey}{'/chat' if mode == 'chat' else ''}?m=gentofte"
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.evaluate("() => document.documentElement.lang") == lang
    expect(page.locator("h1")).to_be_visible()
    axe_check(page, f"{lang} widget {mode}")


# --- regressions: Enter sends, the widget frame shrinks ------------------------------------------


def test_enter_in_a_chat_text_field_sends_the_answer(
    context_page: Callable[..., Page], demo_survey: str
) -> None:
    """Enter in a one-line text question sends the answer (as in form mode), not Back.
    Without JavaScript, so that only the template decides which button Enter presses."""
    page = context_page(java_script_enabled=False)
    page.goto(f"/en/s/{demo_survey}/chat")
    click(page, choice(page, "municipality", "egedal"))
    click(page, choice(page, "stakeholder", "business"))
    expect(asked(page, "organisation")).to_be_visible()  # position 3: Back is on the page
    text_field(page, "organisation").fill("Grøn Cykel ApS")
    turn(page, lambda: text_field(page, "organisation").press("Enter"))
    expect(asked(page, "focus")).to_be_visible()


def test_enter_in_a_widget_form_text_field_goes_to_the_next_section(page: Page, demo_survey: str) -> None:
    """In the widget's form, Enter in a one-line text field on section 3 goes on to section 4."""
    page.goto(f"/embed/en/s/{demo_survey}?m=gentofte")
    page.locator('[name="q_municipality"]').select_option("other")
    tick(page, '[name="q_stakeholder"][value="citizen"]')
    next_section(page)
    tick(page, '[name="q_transport"][value="car"]')
    next_section(page)
    tick(page, '[name="q_digital_confidence"][value="8"]', by_label=False)
    page.locator('[name="q_area"]').fill(AREA["en"])
    state = page.locator('#survey-form input[name="state"]')
    turn_state = state.input_value()
    page.locator('[name="q_area"]').press("Enter")
    expect(state).not_to_have_value(turn_state)
    expect(page.locator('[name="q_data_ok"]')).to_be_attached()  # section 4, not section 2 again


#: The height of the widget page's content: the root element's box with the body's minimum
#: height (DKFDS: 100vh, i.e. the iframe's own height) lifted for the measurement and put back in
#: the same task, so no layout change is ever seen (or reported) by the page.
CONTENT_HEIGHT = """() => {
    const body = document.body.style, before = body.minHeight;
    body.minHeight = "0px";
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    body.minHeight = before;
    return height;
}"""


def test_widget_frame_shrinks_when_its_content_gets_shorter(
    context_page: Callable[..., Page], demo_survey: str, municipality_site: Callable[..., str],
    embed_origins: Callable[..., None],
) -> None:
    """The iframe follows its content down as well as up: section 2 of the form is taller than
    section 1; after Back to section 1 the iframe is no taller than section 1's content."""
    page = context_page()
    site = municipality_site("127.0.0.2")
    embed_origins("gentofte", [site])
    page.goto(f"{site}/form.html")
    widget = page.frame_locator(IFRAME)
    expect(widget.locator('[name="q_municipality"]')).to_be_visible()
    expect_frame_fits(page)
    widget.locator('[name="q_municipality"]').select_option("other")
    tick(widget, '[name="q_stakeholder"][value="citizen"]')
    first = frame_of(page).evaluate(CONTENT_HEIGHT)
    next_section(widget)
    expect(widget.locator('[name="q_priorities"]')).to_be_visible()
    taller = expect_frame_fits(page)
    assert taller > first, (taller, first)  # the premise: section 2 is taller than section 1
    state = widget.locator('#survey-form input[name="state"]')
    before = state.input_value()
    widget.locator('#survey-form button[name="action"][value="back"]:not(.engage-default-action)').click()
    expect(state).not_to_have_value(before)
    expect(widget.locator('[name="q_municipality"]')).to_be_visible()
    content = frame_of(page).evaluate(CONTENT_HEIGHT)
    assert content < taller, (content, taller)
    page.wait_for_function("([sel, h]) => parseInt(document.querySelector(sel).style.height, 10) <= h + 2",
                           arg=[IFRAME, content], timeout=5_000)
