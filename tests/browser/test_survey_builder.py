"""The survey builder in a real Chromium, under the real CSP: an analyst builds a survey through the
forms (half of it with the staff pages in English, half in Danish), sees what is missing in each
language, is refused publishing until the last text is there, previews it in both languages and
modes (nothing is stored), reorders it with the keyboard, and publishes it; citizens answer it as a
form and as a chat (the conditional question only when its condition holds); removing an answered
option makes version 2 of the question, and the earlier answers still show as they were given.
Every builder page is checked with axe.

Elements are found by id, name, role and accessible name; the UI strings checked are read from the
catalogues through Babel (so the test follows the translations instead of copying them). What is
stored is read straight from the tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import FrameLocator, Page, expect
from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import Answer, Response, Survey
from engage.surveys import builder
from tests.browser.conftest import DESKTOP, VIEWPORT, axe_source
from tests.conftest import PASSWORD

SLUG = "cykling-2027"
TITLE = {"da": "Cykling og bus i 2027", "en": "Cycling and buses in 2027"}
INTRO = {"da": "Fortæl os, hvordan du kommer rundt.", "en": "Tell us how you get around."}
#: The questions' texts as the analyst types them: transport (one choice, page 1), bus_wish (short
#: text, page 1, only for "Bus"), satisfaction (1–5 scale, page 2), ideas (long text, page 2).
TRANSPORT = {"da": "Hvordan kommer du oftest rundt?", "en": "How do you usually get around?"}
#: Option rows of `transport`: (key typed, Danish, English); the bus key is left for the builder to make.
OPTIONS = [("bike", "Cykel", "Bike"), ("", "Bus", "Bus"), ("car", "Bil", "Car")]
BUS_WISH = {"da": "Hvad ville få dig til at tage bussen oftere?", "en": "What would make you take the bus more often?"}
SATISFACTION = {"da": "Hvor tilfreds er du med cykelstierne?", "en": "How happy are you with the cycle paths?"}
SCALE_ENDS = {"min_label_da": "Slet ikke", "min_label_en": "Not at all", "max_label_da": "Meget", "max_label_en": "Very"}
IDEAS = {"da": "Har du andre idéer til trafikken?", "en": "Do you have other ideas for the traffic?"}
#: What the citizens answer.
BUS_WISH_ANSWER = "Flere afgange om aftenen"
IDEAS_ANSWER = {
    "da": "Flere sikre cykelstier langs Strandvejen og busser der kører oftere om aftenen.",
    "en": "More safe cycle paths along the coast road and buses that run more often in the evening.",
}
PREVIEW_FRAME = "iframe.engage-phone-screen"
CHAT_STATE = '#chat-form input[name="state"]'
RECEIPT = re.compile(r"/(da|en)/receipt/[^/?#]+\?new=1$")


# --- helpers ----------------------------------------------------------------------------------


def translated(app: Flask, lang: str, message: str, **variables: Any) -> str:
    """Return the catalogue's `message` in `lang` (what the page should show)."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(message, **variables)


def translated_plural(app: Flask, lang: str, singular: str, plural: str, num: int) -> str:
    """Return the catalogue's plural message for `num` in `lang`."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return ngettext(singular, plural, num)


def log_in(page: Page, lang: str, email: str) -> None:
    """Log in through the login form; wait for the workspace."""
    page.goto(f"/{lang}/dashboard/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator('form[action$="/dashboard/login"] button[type="submit"]').click()
    page.wait_for_url(f"**/{lang}/dashboard/")
    expect(page.locator(".engage-who")).to_contain_text(email)


def submit(page: Page, button: Any, status: int = 200) -> None:
    """Press `button` (a form's submit button), wait for the page it leads to, check its status."""
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None and response.status == status, (
        f"expected HTTP {status}, got {response.status if response else 'no response'} at {page.url}")


def field(page: Any, app: Flask, lang: str, label: str, lang_name: str | None = None) -> Any:
    """Return the form field whose label is the catalogue's `label` in the UI language `lang`,
    followed by " (Dansk)" or " (English)" for the side-by-side fields."""
    name = translated(app, lang, label) + (f" ({lang_name})" if lang_name else "")
    return page.get_by_label(name, exact=True)


def tick(box: Any) -> None:
    """Tick a check box by clicking its label, as a person does."""
    box.page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    expect(box).to_be_checked()


def button(page: Any, app: Flask, lang: str, label: str, **variables: Any) -> Any:
    """Return the button whose accessible name is the catalogue's `label` in `lang`."""
    return page.get_by_role("button", name=translated(app, lang, label, **variables), exact=True)


def flash(page: Page) -> Any:
    """Return the flashed confirmation at the top of a staff page."""
    return page.locator('main .alert-success[role="status"]')


def editor_order(page: Page) -> list[str]:
    """Return the question keys in the editor's list, top to bottom."""
    return page.locator(".engage-question-item").evaluate_all("items => items.map(i => i.dataset.key)")


def survey_row(app: Flask) -> dict[str, Any]:
    """Return the survey's status, its current questions (key → id, position, section, options, version),
    its retired versions and how many responses and answers it has."""
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        questions = {q.key: {"id": q.id, "position": q.position, "section": q.section, "version": q.version,
                             "options": [o["key"] for o in q.options or []], "show_if": q.show_if}
                     for q in survey.questions}
        retired = [(q.key, q.version, q.id) for q in survey.all_questions if q.retired_at is not None]
        responses = db.session.scalar(select(func.count(Response.id)).where(Response.survey_id == survey.id))
        answers = db.session.scalar(select(func.count(Answer.id)).join(Response).where(Response.survey_id == survey.id))
        found = {"status": survey.status, "questions": questions, "retired": retired,
                 "responses": responses, "answers": answers}
        db.session.remove()
    return found


def stored_answers(app: Flask) -> list[dict[str, Any]]:
    """Return each stored response of the survey: channel and {key: (value or text, question version, answer id)}."""
    with app.app_context():
        survey_id = db.session.scalar(select(Survey.id).where(Survey.slug == SLUG))
        found = []
        for response in db.session.scalars(select(Response).where(Response.survey_id == survey_id)
                                           .order_by(Response.id)):
            found.append({"channel": response.channel, "answers": {
                a.question.key: (a.text if a.text is not None else a.value, a.question.version, a.id)
                for a in response.answers}})
        db.session.remove()
    return found


def preview_axe_check(page: Page, axe_check: Callable[[Any, str], None], label: str) -> None:
    """Run axe on the preview page and, through axe's frame support, on the survey in its phone
    frame (axe is injected into the frame too, through DevTools as for the page itself)."""
    frame = page.frame_locator(PREVIEW_FRAME)
    expect(frame.locator("h1")).to_be_visible()
    framed = next(f for f in page.frames if "/dashboard/preview/" in f.url)
    if not framed.evaluate("() => typeof window.axe !== 'undefined'"):
        framed.evaluate(axe_source())
    axe_check(page, label)


# --- the builder --------------------------------------------------------------------------------


def create_survey(page: Page, app: Flask, axe_check: Callable[[Any, str], None]) -> None:
    """In English: from the survey list to the settings form; an empty title is refused; then created."""
    lang = "en"
    page.goto(f"/{lang}/dashboard/surveys")
    axe_check(page, "en surveys list (empty)")
    page.get_by_role("link", name=translated(app, lang, "New survey"), exact=True).click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/new")
    # The new survey's defaults: both languages, both modes.
    expect(page.locator("#lang_da")).to_be_checked()
    expect(page.locator("#lang_en")).to_be_checked()
    expect(page.locator("#modes-both")).to_be_checked()
    axe_check(page, "en new survey form")
    field(page, app, lang, "Address (the survey's name in links)").fill(SLUG)
    field(page, app, lang, "Introduction", "Dansk").fill(INTRO["da"])
    field(page, app, lang, "Introduction", "English").fill(INTRO["en"])
    create = button(page, app, lang, "Create survey")
    submit(page, create, status=422)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    message = translated(app, lang, "Give the survey a title.")
    expect(summary.locator('a[href="#title_da"]')).to_have_text(message)
    expect(page.locator("#title_da-error")).to_contain_text(message)
    title_da = field(page, app, lang, "Title", "Dansk")
    expect(title_da).to_have_attribute("aria-invalid", "true")
    expect(title_da).to_have_attribute("aria-describedby", "title_da-error")
    # What was typed is kept.
    expect(page.locator("#slug")).to_have_value(SLUG)
    expect(page.locator("#intro_en")).to_have_value(INTRO["en"])
    axe_check(page, "en new survey form with an error")
    assert survey_row_exists(app) is False

    title_da.fill(TITLE["da"])
    field(page, app, lang, "Title", "English").fill(TITLE["en"])
    submit(page, button(page, app, lang, "Create survey"))
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit")
    expect(flash(page)).to_contain_text(translated(app, lang, "The survey was created as a draft. Add its questions."))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    assert survey_row(app)["status"] == "draft"


def publish_problems(app: Flask, lang: str) -> list[str]:
    """Return what the builder says blocks publishing the survey, in `lang`."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
        problems = builder.publish_problems(survey)
        db.session.remove()
    return problems


def survey_row_exists(app: Flask) -> bool:
    """Return whether the survey is stored."""
    with app.app_context():
        found = db.session.scalar(select(Survey.id).where(Survey.slug == SLUG)) is not None
        db.session.remove()
    return found


def fill_texts(page: Page, app: Flask, lang: str, texts: dict[str, str]) -> None:
    """Fill the question's Danish and English texts side by side (a missing language stays empty)."""
    for text_lang, lang_name in (("da", "Dansk"), ("en", "English")):
        box = field(page, app, lang, "Question", lang_name)
        expect(box).to_have_attribute("lang", text_lang)
        box.fill(texts.get(text_lang, ""))


def add_question_from_editor(page: Page, app: Flask, lang: str, kind: str) -> None:
    """On the editor, choose the kind of the new question and press "Add a question"."""
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit")
    field(page, app, lang, "Kind of the new question").select_option(kind)
    button(page, app, lang, "Add a question").click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/questions/new?kind={kind}")
    expect(page.locator("#kind")).to_have_value(kind)


def save_new_question(page: Page, app: Flask, lang: str, key: str) -> None:
    """Press "Add question"; back on the editor, the new question is announced and listed."""
    submit(page, button(page, app, lang, "Add question"))
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#q-{key}")
    expect(flash(page)).to_contain_text(translated(app, lang, "The question “%(key)s” was added.", key=key))
    expect(page.locator(f"#q-{key}")).to_be_visible()


def add_questions_in_english(page: Page, app: Flask, axe_check: Callable[[Any, str], None]) -> None:
    """A one-choice question with three options (one key left out), then a short text shown only
    when the answer to it is "Bus"."""
    lang = "en"
    add_question_from_editor(page, app, lang, "single_choice")
    # Only the chosen kind's settings are shown (the question form's script).
    expect(page.locator("#options")).to_be_visible()
    expect(page.locator('.engage-kind-settings[data-kinds="scale"]')).to_be_hidden()
    expect(page.locator('.engage-kind-settings[data-kinds="short_text long_text"]')).to_be_hidden()
    field(page, app, lang, "Key (optional)").fill("transport")
    field(page, app, lang, "Page").fill("1")
    tick(field(page, app, lang, "An answer is required"))
    fill_texts(page, app, lang, TRANSPORT)
    expect(page.locator("#option_key-2")).to_be_visible()  # three rows to start with
    for i, (key, da, en) in enumerate(OPTIONS):
        n = i + 1
        page.get_by_label(translated(app, lang, "Key of option %(n)d", n=n), exact=True).fill(key)
        page.get_by_label(translated(app, lang, "Option %(n)d in Danish", n=n), exact=True).fill(da)
        page.get_by_label(translated(app, lang, "Option %(n)d in English", n=n), exact=True).fill(en)
    # The first question has no earlier one to depend on.
    expect(page.locator("#cond_question")).to_have_count(0)
    axe_check(page, "en new one-choice question")
    save_new_question(page, app, lang, "transport")
    assert survey_row(app)["questions"]["transport"]["options"] == ["bike", "bus", "car"]

    # The conditional short text, by the question form's address.
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/questions/new?kind=short_text")
    expect(page.locator("#options")).to_be_hidden()
    expect(page.locator('.engage-kind-settings[data-kinds="short_text long_text"]')).to_be_visible()
    field(page, app, lang, "Key (optional)").fill("bus_wish")
    expect(field(page, app, lang, "Page")).to_have_value("1")  # the last page so far
    fill_texts(page, app, lang, BUS_WISH)
    values = page.locator('.engage-condition-values[data-source="transport"]')
    expect(values).to_be_hidden()  # until the earlier question is chosen
    field(page, app, lang, "Earlier question").select_option("transport")
    expect(values).to_be_visible()
    expect(page.locator("#cond_op-in")).to_be_checked()
    # The values are the one-choice question's options, labelled in the UI's language.
    expect(values.locator("label")).to_have_text([en for _k, _da, en in OPTIONS])
    tick(values.get_by_label("Bus", exact=True))
    axe_check(page, "en new conditional question")
    save_new_question(page, app, lang, "bus_wish")
    condition = translated(app, lang, "Shown when “%(key)s” is: %(values)s", key="transport", values="Bus")
    expect(page.locator("#q-bus_wish")).to_contain_text(condition)
    assert survey_row(app)["questions"]["bus_wish"]["show_if"] == {"question": "transport", "in": ["bus"]}


def add_questions_in_danish(page: Page, app: Flask) -> None:
    """A 1–5 scale with labelled ends on page 2, then a long text whose English text is left out."""
    lang = "da"
    add_question_from_editor(page, app, lang, "scale")
    expect(page.locator('.engage-kind-settings[data-kinds="scale"]')).to_be_visible()
    expect(page.locator("#options")).to_be_hidden()
    field(page, app, lang, "Key (optional)").fill("satisfaction")
    field(page, app, lang, "Page").fill("2")
    tick(field(page, app, lang, "An answer is required"))
    fill_texts(page, app, lang, SATISFACTION)
    field(page, app, lang, "Lowest number").fill("1")
    field(page, app, lang, "Highest number").fill("5")
    for name, text in SCALE_ENDS.items():
        end, lang_name = ("Label of the lowest number" if name.startswith("min") else "Label of the highest number",
                          "Dansk" if name.endswith("_da") else "English")
        field(page, app, lang, end, lang_name).fill(text)
    save_new_question(page, app, lang, "satisfaction")

    add_question_from_editor(page, app, lang, "long_text")
    expect(page.locator('.engage-kind-settings[data-kinds="short_text long_text"]')).to_be_visible()
    field(page, app, lang, "Key (optional)").fill("ideas")
    expect(field(page, app, lang, "Page")).to_have_value("2")
    fill_texts(page, app, lang, {"da": IDEAS["da"]})  # the English text is forgotten
    tick(field(page, app, lang, "Never ask a follow-up question in chat mode"))
    save_new_question(page, app, lang, "ideas")
    assert editor_order(page) == ["transport", "bus_wish", "satisfaction", "ideas"]
    questions = survey_row(app)["questions"]
    assert [(questions[k]["section"], questions[k]["position"]) for k in editor_order(page)] == [
        (1, 1), (1, 2), (2, 3), (2, 4)]


def check_translations_and_publish(page: Page, app: Flask, axe_check: Callable[[Any, str], None]) -> None:
    """In Danish: the Translations table lists the missing English text; Publish is refused naming
    it; the table's link leads to the question; once its English text is there, Publish opens it."""
    lang = "da"
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit")
    where = translated(app, lang, "%(question)s: text",
                       question=translated(app, lang, "Question %(n)d (%(key)s)", n=4, key="ideas"))
    rows = page.locator("h2#translations ~ table").first.locator("tbody tr")
    # Optional texts written in no language (help texts, the thank-you text) are not listed: only
    # the one English question text, which blocks publishing.
    expect(rows).to_have_count(1)
    expect(rows.locator("td")).to_have_text([where, translated(app, lang, "English")])
    # What blocks publishing, as the builder says it in the UI's language: only the English text.
    [problem] = publish_problems(app, lang)
    assert where in problem
    expect(page.locator("h2#publish ~ .alert-warning li")).to_have_text([problem])
    axe_check(page, "da editor with a missing translation")

    submit(page, button(page, app, lang, "Publish"))
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#publish")
    refusal = page.locator('main .alert-error[role="alert"]')
    expect(refusal).to_contain_text(translated(app, lang, "The survey was not published. Fix this first:"))
    expect(refusal).to_contain_text(problem)
    assert survey_row(app)["status"] == "draft"

    # Meanwhile the English preview says that one text is shown in Danish instead.
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/preview?in=en&mode=form")
    expect(page.locator("main p.form-hint")).to_contain_text(translated_plural(
        app, lang, "%(num)d text is missing in this language: the other language's text is shown instead.",
        "%(num)d texts are missing in this language: the other language's text is shown instead.", 1))
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit#translations")
    rows.get_by_role("link", name=where, exact=True).click()
    page.wait_for_url(re.compile(rf"/{lang}/dashboard/surveys/{SLUG}/questions/\d+$"))
    expect(page.locator("#text_da")).to_have_value(IDEAS["da"])
    english = field(page, app, lang, "Question", "English")
    expect(english).to_have_value("")
    english.fill(IDEAS["en"])
    submit(page, button(page, app, lang, "Save"))
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#q-ideas")
    expect(flash(page)).to_contain_text(translated(app, lang, "The question “%(key)s” was saved.", key="ideas"))
    expect(rows).to_have_count(0)
    expect(page.locator("h2#translations + p")).to_have_text(
        translated(app, lang, "Every text is there in each of the survey's languages."))
    expect(page.locator("h2#publish ~ .alert-warning")).to_have_count(0)
    submit(page, button(page, app, lang, "Publish"))
    expect(flash(page)).to_contain_text(translated(app, lang, "The survey is open: citizens can answer it now."))
    assert survey_row(app)["status"] == "open"


def edit_settings_in_danish(page: Page, app: Flask, axe_check: Callable[[Any, str], None]) -> None:
    """The settings of the published survey: its address is fixed; an emptied title is refused."""
    lang = "da"
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit")
    page.get_by_role("link", name=translated(app, lang, "Settings and texts"), exact=True).click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/settings")
    expect(page.locator("#slug")).to_have_count(0)  # fixed once citizens may have the link
    expect(page.locator('input[type="hidden"][name="slug"]')).to_have_value(SLUG)
    title = field(page, app, lang, "Title", "Dansk")
    expect(title).to_have_value(TITLE["da"])
    expect(field(page, app, lang, "Introduction", "English")).to_have_value(INTRO["en"])
    title.fill("")
    submit(page, button(page, app, lang, "Save"), status=422)
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#title_da-error")).to_contain_text(translated(app, lang, "Give the survey a title."))
    expect(title).to_have_attribute("aria-invalid", "true")
    axe_check(page, "da settings form with an error")
    title.fill(TITLE["da"])
    submit(page, button(page, app, lang, "Save"))
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit")
    expect(flash(page)).to_have_text(translated(app, lang, "Nothing was changed."))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE["da"])


def preview(page: Page, app: Flask, axe_check: Callable[[Any, str], None]) -> None:
    """The preview in both languages and both modes; the Danish form and the Danish chat answered to
    the end store nothing, and the chat preview opened again starts afresh."""
    lang = "da"
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit")
    page.get_by_role("link", name=translated(app, lang, "Preview"), exact=True).click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/preview")
    iframe = page.locator(PREVIEW_FRAME)
    expect(iframe).to_have_attribute("src", f"/da/dashboard/preview/s/{SLUG}")
    expect(iframe).to_have_attribute("title", translated(app, lang, "Preview of the survey on a phone"))
    assert iframe.bounding_box()["width"] == 375  # a phone's screen
    frame = page.frame_locator(PREVIEW_FRAME)
    expect(frame.locator("h1")).to_have_text(TITLE["da"])
    expect(frame.locator("html")).to_have_attribute("lang", "da")
    expect(frame.locator(".tag").first).to_have_text(translated(app, "da", "Preview – nothing you send here is saved"))
    expect(page.locator("main p.form-hint")).to_have_count(0)  # no Danish text is missing
    preview_axe_check(page, axe_check, "da preview, Danish form")

    # Answered to the end in the phone frame: the condition works there too.
    wish = frame.locator("#q_bus_wish-group")
    expect(wish).to_be_hidden()
    frame.locator('label[for="q_transport-2"]').click()  # Bus
    expect(frame.locator('[name="q_transport"][value="bus"]')).to_be_checked()
    expect(wish).to_be_visible()
    frame.locator('[name="q_bus_wish"]').fill(BUS_WISH_ANSWER)
    state = frame.locator('#survey-form input[name="state"]')
    before = state.input_value()
    frame.locator('#survey-form button[name="action"][value="next"]:not(.engage-default-action)').click()
    expect(state).not_to_have_value(before)
    frame.locator('[name="q_satisfaction"][value="4"]').check()
    frame.locator('[name="q_ideas"]').fill(IDEAS_ANSWER["da"])
    frame.locator('#survey-form button[name="action"][value="submit"]:not(.engage-default-action)').click()
    expect(frame.locator("h1")).to_have_text(translated(app, "da", "Thank you – your answers have been received"))
    expect(frame.locator("p.tag")).to_have_text(
        translated(app, "da", "Preview: this is what people see after sending. Nothing was saved."))
    assert page.url.endswith(f"/{lang}/dashboard/surveys/{SLUG}/preview")  # only the frame moved on
    stored = survey_row(app)
    assert (stored["responses"], stored["answers"]) == (0, 0)

    # The other three: English form, Danish chat, English chat.
    options = page.get_by_role("navigation", name=translated(app, lang, "Preview options"))
    for shown, mode, first in (("en", "form", '#q_transport-group'), ("da", "chat", "#chat-now #q_transport-group"),
                               ("en", "chat", "#chat-now #q_transport-group")):
        name = f"{'Dansk' if shown == 'da' else 'English'} · {translated(app, lang, mode)}"
        options.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/preview?in={shown}&mode={mode}")
        expect(options.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
        suffix = "/chat" if mode == "chat" else ""
        expect(iframe).to_have_attribute("src", f"/{shown}/dashboard/preview/s/{SLUG}{suffix}")
        expect(frame.locator("html")).to_have_attribute("lang", shown)
        expect(frame.locator("h1")).to_have_text(TITLE[shown])
        expect(frame.locator(first).first).to_be_visible()
        if mode == "chat":
            expect(frame.locator("#chat-now legend")).to_have_text(TRANSPORT[shown])
            expect(frame.locator('#chat-now button[name="q_transport"]')).to_have_text(
                [da if shown == "da" else en for _k, da, en in OPTIONS])
        else:
            expect(frame.locator('label[for^="q_transport-"]')).to_have_text(
                [en for _k, _da, en in OPTIONS])
    preview_axe_check(page, axe_check, "da preview, English chat")
    stored = survey_row(app)
    assert (stored["responses"], stored["answers"]) == (0, 0)

    # The Danish chat answered to the end with JavaScript (each turn a fetch swap): "Cykel", so the
    # bus question is never asked; then page 2 (the scale, then the long text) and the review.
    da_chat = options.get_by_role("link", name=f"Dansk · {translated(app, lang, 'chat')}", exact=True)
    da_chat.click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/preview?in=da&mode=chat")
    expect(frame.locator("#chat-form")).to_have_attribute("data-wired", "1")  # chat.js sends the turns
    chat_turn(frame, frame.locator('#chat-now button[name="q_transport"][value="bike"]').click)
    scale = frame.locator("#chat-now #q_satisfaction-group")
    expect(scale).to_be_visible()
    chat_turn(frame, frame.locator('#chat-now button[name="q_satisfaction"][value="4"]').click)
    expect(frame.locator("#chat-now #q_ideas-group")).to_be_visible()
    frame.locator('#chat-now [name="q_ideas"]').fill(IDEAS_ANSWER["da"])
    chat_turn(frame, frame.locator('#chat-now button[name="action"][value="answer"]:not(.engage-default-action)').click)
    # The answer may be reflected back (themes found); no follow-up question (switched off).
    confirm = frame.locator('#chat-now button[name="action"][value="confirm"]')
    review = frame.locator("#chat-now dl.engage-review")
    expect(confirm.or_(review)).to_be_visible()
    if confirm.is_visible():
        chat_turn(frame, confirm.click)
    expect(review.locator("dt")).to_have_text([TRANSPORT["da"], SATISFACTION["da"], IDEAS["da"]])
    expect(frame.locator("#chat")).not_to_contain_text(BUS_WISH["da"])
    frame.locator('#chat-now button[name="action"][value="submit"]').click()
    # The preview's end page (200, not a redirect) is swapped into the frame; nothing is stored.
    expect(frame.locator("h1")).to_have_text(translated(app, "da", "Thank you – your answers have been received"))
    expect(frame.locator("p.tag")).to_have_text(
        translated(app, "da", "Preview: this is what people see after sending. Nothing was saved."))
    expect(frame.locator("#chat-form")).to_have_count(0)
    assert page.url.endswith(f"/{lang}/dashboard/surveys/{SLUG}/preview?in=da&mode=chat")  # only the frame moved on
    stored = survey_row(app)
    assert (stored["responses"], stored["answers"]) == (0, 0)

    # Opened again in the same tab, the chat preview starts from its first question: the finished
    # conversation was forgotten, not resumed at its review with the old answers.
    with page.expect_navigation():
        da_chat.click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/preview?in=da&mode=chat")
    # chat.js has run: had it kept the conversation, its resume would be under way by now (the
    # buttons disabled until the review is swapped in), so the enabled first question is decisive.
    expect(frame.locator("#chat-form")).to_have_attribute("data-wired", "1")
    expect(frame.locator('#chat-now button[name="q_transport"]:enabled')).to_have_text(
        [da for _k, da, _en in OPTIONS])
    expect(frame.locator("#chat-now legend")).to_have_text(TRANSPORT["da"])
    expect(frame.locator("#chat .engage-me")).to_have_count(0)  # none of the old answers
    expect(frame.locator("#chat dl.engage-review")).to_have_count(0)
    expect(frame.locator("#chat")).not_to_contain_text(IDEAS_ANSWER["da"])
    stored = survey_row(app)
    assert (stored["responses"], stored["answers"]) == (0, 0)


def reorder_with_the_keyboard(page: Page, app: Flask) -> None:
    """"Move down" from the keyboard swaps the scale and the long text on page 2; dragging it back
    saves at once and leaves the move buttons right for the keyboard; moving the conditional
    question above the question it tests is refused and changes nothing."""
    lang = "en"
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit")
    assert editor_order(page) == ["transport", "bus_wish", "satisfaction", "ideas"]
    question = translated(app, lang, "question %(n)d", n=3)
    down = page.get_by_role("button", name=f"{translated(app, lang, 'Move down')} {question}", exact=True)
    expect(down).to_be_enabled()
    down.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#q-satisfaction")
    expect(flash(page)).to_contain_text(translated(
        app, lang, "“%(key)s” moved %(where)s: now number %(n)d.", key="satisfaction",
        where=translated(app, lang, "down"), n=4))
    assert editor_order(page) == ["transport", "bus_wish", "ideas", "satisfaction"]
    expect(page.locator(".engage-question-number")).to_have_text(["1.", "2.", "3.", "4."])
    # The last question cannot go further down; the first cannot go up.
    expect(page.locator("#q-satisfaction button[value=down]")).to_be_disabled()
    expect(page.locator("#q-transport button[value=up]")).to_be_disabled()
    questions = survey_row(app)["questions"]
    assert (questions["ideas"]["position"], questions["satisfaction"]["position"]) == (3, 4)

    # Dragging it back within page 2 saves at once, announces it, and keeps the buttons right: their
    # hidden numbers and which ends cannot move further follow the new order (no reload).
    page.locator("#q-ideas").scroll_into_view_if_needed()  # both in view: the page is not scrolled mid-drag
    page.locator("#q-satisfaction .engage-drag-handle").drag_to(page.locator("#q-ideas .engage-drag-handle"))
    expect(page.locator("#reorder-status")).to_have_text(translated(app, lang, "The new order was saved."))
    assert editor_order(page) == ["transport", "bus_wish", "satisfaction", "ideas"]
    expect(page.locator(".engage-question-number")).to_have_text(["1.", "2.", "3.", "4."])
    questions = survey_row(app)["questions"]
    assert (questions["satisfaction"]["position"], questions["ideas"]["position"]) == (3, 4)
    expect(page.locator("#q-ideas button[value=down]")).to_be_disabled()
    down = page.get_by_role("button", name=f"{translated(app, lang, 'Move down')} {question}", exact=True)
    expect(page.locator("#q-satisfaction button[value=down]")).to_have_accessible_name(
        f"{translated(app, lang, 'Move down')} {question}")
    # …so the keyboard can move it down again at once.
    expect(down).to_be_enabled()
    down.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#q-satisfaction")
    assert editor_order(page) == ["transport", "bus_wish", "ideas", "satisfaction"]
    questions = survey_row(app)["questions"]
    assert (questions["ideas"]["position"], questions["satisfaction"]["position"]) == (3, 4)

    up = page.get_by_role("button", name=f"{translated(app, lang, 'Move up')} {translated(app, lang, 'question %(n)d', n=2)}",
                          exact=True)
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#q-bus_wish")
    expect(page.locator('main .alert-error[role="alert"]')).to_contain_text(translated(
        app, lang, "“%(key)s” cannot come before the question its condition tests.", key="bus_wish"))
    assert editor_order(page) == ["transport", "bus_wish", "ideas", "satisfaction"]
    questions = survey_row(app)["questions"]
    assert [questions[k]["position"] for k in ("transport", "bus_wish", "ideas", "satisfaction")] == [1, 2, 3, 4]


# --- citizens -------------------------------------------------------------------------------


def answer_as_a_form(page: Page, app: Flask) -> str:
    """A citizen answers in Danish as a form: the bus question appears for "Bus" only. Return the receipt's address."""
    page.goto(f"/da/s/{SLUG}")
    expect(page.locator("h1")).to_have_text(TITLE["da"])
    expect(page.locator(".tag")).to_have_count(0)  # no preview note on the citizens' page
    wish = page.locator("#q_bus_wish-group")
    expect(wish).to_be_hidden()
    page.locator('label[for="q_transport-3"]').click()  # Bil
    expect(wish).to_be_hidden()
    page.locator('label[for="q_transport-1"]').click()  # Cykel
    expect(wish).to_be_hidden()
    page.locator('label[for="q_transport-2"]').click()  # Bus
    expect(wish).to_be_visible()
    expect(wish.locator("label")).to_have_text(re.compile(re.escape(BUS_WISH["da"])))
    page.locator('[name="q_bus_wish"]').fill(BUS_WISH_ANSWER)
    with page.expect_navigation():
        page.locator('#survey-form button[name="action"][value="next"]:not(.engage-default-action)').click()
    # Page 2 in the new order: the long text, then the scale.
    groups = page.locator("#survey-form .engage-question")
    expect(groups).to_have_count(2)
    assert groups.evaluate_all("gs => gs.map(g => g.id)") == ["q_ideas-group", "q_satisfaction-group"]
    page.locator('[name="q_ideas"]').fill(IDEAS_ANSWER["da"])
    page.locator('[name="q_satisfaction"][value="4"]').check()
    with page.expect_navigation():
        page.locator('#survey-form button[name="action"][value="submit"]:not(.engage-default-action)').click()
    page.wait_for_url(RECEIPT)
    answers = page.locator("dl.engage-answers")
    expect(answers.locator("dt")).to_have_text([TRANSPORT["da"], BUS_WISH["da"], IDEAS["da"], SATISFACTION["da"]])
    expect(answers.locator("dd").nth(0)).to_have_text("Bus")
    expect(answers.locator("dd").nth(1)).to_have_text(BUS_WISH_ANSWER)
    expect(answers.locator("dd").nth(3)).to_have_text("4 / 5")
    return page.url.split("?")[0]


def chat_turn(page: Page | FrameLocator, press: Callable[[], None]) -> None:
    """Do `press` and wait for the next chat turn (the signed state changes) in `page` or a frame."""
    state = page.locator(CHAT_STATE)
    before = state.input_value()
    press()
    expect(state).not_to_have_value(before)


def answer_as_a_chat(page: Page, app: Flask) -> str:
    """A citizen answers in English as a chat, choosing "Car": the bus question is never asked.
    Return the receipt's address."""
    page.goto(f"/en/s/{SLUG}/chat")
    expect(page.locator("h1")).to_have_text(TITLE["en"])
    expect(page.locator("#chat-now #q_transport-group legend")).to_contain_text(TRANSPORT["en"])
    chat_turn(page, page.locator('#chat-now button[name="q_transport"][value="car"]').click)
    expect(page.locator("#chat-now #q_bus_wish-group")).to_have_count(0)
    expect(page.locator("#chat-now #q_ideas-group")).to_be_visible()
    page.locator('#chat-now [name="q_ideas"]').fill(IDEAS_ANSWER["en"])
    chat_turn(page, page.locator('#chat-now button[name="action"][value="answer"]:not(.engage-default-action)').click)
    # The answer may be reflected back (themes found); no follow-up question (switched off).
    confirm = page.locator('#chat-now button[name="action"][value="confirm"]')
    scale = page.locator("#chat-now #q_satisfaction-group")
    expect(confirm.or_(scale)).to_be_visible()
    if confirm.is_visible():
        chat_turn(page, confirm.click)
    expect(scale).to_be_visible()
    expect(page.locator('#chat-now button[name="q_satisfaction"]')).to_have_text(["1", "2", "3", "4", "5"])
    chat_turn(page, page.locator('#chat-now button[name="q_satisfaction"][value="2"]').click)
    review = page.locator("#chat-now dl.engage-review")
    expect(review).to_be_visible()
    expect(review.locator("dt")).to_have_text([TRANSPORT["en"], IDEAS["en"], SATISFACTION["en"]])
    expect(page.locator("#chat")).not_to_contain_text(BUS_WISH["en"])
    page.locator('#chat-now button[name="action"][value="submit"]').click()
    page.wait_for_url(RECEIPT)
    answers = page.locator("dl.engage-answers")
    expect(answers.locator("dd").first).to_have_text("Car")
    return page.url.split("?")[0]


# --- versions ---------------------------------------------------------------------------------


def remove_an_answered_option(page: Page, app: Flask, axe_check: Callable[[Any, str], None]) -> None:
    """Emptying the "Car" row of the answered question warns, then saves version 2 when confirmed."""
    lang = "da"
    stored = survey_row(app)
    question_id = stored["questions"]["transport"]["id"]
    page.goto(f"/{lang}/dashboard/surveys/{SLUG}/edit")
    expect(page.locator("#questions + p.form-hint")).to_have_text(translated(
        app, lang, "This survey has answers. Fixing texts and changing the order is safe; removing options or "
        "changing a question's kind makes a new version of the question (you are asked first), and the earlier "
        "answers keep theirs."))
    page.locator(f'#q-transport a[href$="/questions/{question_id}"]').click()
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/questions/{question_id}")
    expect(page.locator("main p.form-hint").first).to_contain_text(translated_plural(
        app, lang, "This question has %(num)d answer. Fixing texts is safe; removing options or changing the kind "
        "makes a new version (you are asked first).", "This question has %(num)d answers. Fixing texts is safe; "
        "removing options or changing the kind makes a new version (you are asked first).", 2))
    expect(page.locator("#option_da-2")).to_have_value("Bil")
    for part in ("key", "da", "en"):
        page.locator(f"#option_{part}-2").fill("")
    submit(page, button(page, app, lang, "Save"), status=409)
    warning = page.locator("#version-warning")
    expect(warning).to_have_attribute("role", "alert")
    expect(warning.locator("h2")).to_have_text(translated_plural(
        app, lang, "This question already has %(num)d answer", "This question already has %(num)d answers", 2))
    expect(warning).to_contain_text(translated(app, lang, "options are removed: %(keys)s", keys="car"))
    # Nothing is saved yet, and what was typed is kept.
    expect(page.locator("#option_da-2")).to_have_value("")
    assert survey_row(app)["questions"]["transport"]["options"] == ["bike", "bus", "car"]
    axe_check(page, "da question form with the version warning")

    new_version = button(page, app, lang, "Save as version %(n)d", n=2)
    new_version.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/dashboard/surveys/{SLUG}/edit#q-transport")
    expect(flash(page)).to_contain_text(translated(
        app, lang, "Version %(version)d of “%(key)s” was saved. The earlier answers keep version %(old)d.",
        version=2, key="transport", old=1))
    expect(page.locator("#q-transport")).to_contain_text(translated(app, lang, "version %(n)d", n=2))
    earlier = page.get_by_role("heading", name=translated(app, lang, "Earlier versions kept for their answers"),
                               exact=True)
    expect(earlier).to_be_visible()
    kept = page.locator("h3 + ul").filter(has=page.locator("code", has_text="transport")).locator("li")
    expect(kept).to_have_count(1)
    expect(kept).to_contain_text(translated(app, lang, "version %(n)d", n=1))
    expect(kept).to_contain_text(TRANSPORT["da"])

    stored = survey_row(app)
    current = stored["questions"]["transport"]
    assert (current["version"], current["options"], current["position"]) == (2, ["bike", "bus"], 1)
    assert [(key, version) for key, version, _id in stored["retired"]] == [("transport", 1)]
    # The answers still point at version 1, which kept the option.
    answered = {r["channel"]: r["answers"]["transport"][:2] for r in stored_answers(app)}
    assert answered == {"web": ("bus", 1), "chat": ("car", 1)}


# --- the test ---------------------------------------------------------------------------------


def test_analyst_builds_translates_previews_publishes_and_versions_a_survey(
    new_page: Callable[..., Page], app: Flask, make_user: Callable[..., str], axe_check: Callable[[Any, str], None],
) -> None:
    """The whole life of a survey built in the browser, from the empty list to version 2 of a question."""
    staff = new_page(DESKTOP)
    log_in(staff, "en", make_user("analyst"))
    create_survey(staff, app, axe_check)
    add_questions_in_english(staff, app, axe_check)
    add_questions_in_danish(staff, app)
    check_translations_and_publish(staff, app, axe_check)
    edit_settings_in_danish(staff, app, axe_check)
    preview(staff, app, axe_check)
    reorder_with_the_keyboard(staff, app)

    # The list now shows the open survey.
    staff.goto("/da/dashboard/surveys")
    row = staff.locator("main table tbody tr").filter(has=staff.locator("code", has_text=SLUG))
    expect(row.locator("td").nth(2)).to_have_text(translated(app, "da", "Open"))
    axe_check(staff, "da surveys list")

    citizen = new_page(VIEWPORT)
    form_receipt = answer_as_a_form(citizen, app)
    chat_receipt = answer_as_a_chat(citizen, app)
    responses = stored_answers(app)
    assert [r["channel"] for r in responses] == ["web", "chat"]
    web, chat = (r["answers"] for r in responses)
    assert web["transport"][0] == "bus" and web["bus_wish"][0] == BUS_WISH_ANSWER and web["satisfaction"][0] == 4
    assert chat["transport"][0] == "car" and "bus_wish" not in chat and chat["satisfaction"][0] == 2

    # The delete confirmation of an answered question (then cancelled).
    staff.goto(f"/da/dashboard/surveys/{SLUG}/edit")
    delete = translated(app, "da", "Delete")
    staff.get_by_role("link", name=f"{delete} {translated(app, 'da', 'question %(n)d', n=2)}", exact=True).click()
    staff.wait_for_url(re.compile(rf"/da/dashboard/surveys/{SLUG}/questions/\d+/delete$"))
    expect(staff.get_by_role("button", name=translated(app, "da", "Remove the question"), exact=True)).to_be_visible()
    axe_check(staff, "da delete confirmation")
    staff.get_by_role("link", name=translated(app, "da", "Cancel"), exact=True).click()
    staff.wait_for_url(f"**/da/dashboard/surveys/{SLUG}/edit")

    remove_an_answered_option(staff, app, axe_check)
    axe_check(staff, "da editor with an earlier version")

    # The earlier answers still read as they were given: the receipts show the options' labels,
    # also "Car", which the question no longer offers.
    citizen.goto(chat_receipt)
    expect(citizen.locator("dl.engage-answers dt").first).to_have_text(TRANSPORT["en"])
    expect(citizen.locator("dl.engage-answers dd").first).to_have_text("Car")
    citizen.goto(form_receipt)
    expect(citizen.locator("dl.engage-answers dd").first).to_have_text("Bus")
    # The staff page of that answer shows the question as it was answered (version 1).
    car_answer = next(r["answers"]["transport"][2] for r in stored_answers(app) if r["channel"] == "chat")
    staff.goto(f"/da/dashboard/answers/{car_answer}")
    expect(staff.locator("main > p").first).to_have_text(TRANSPORT["da"])
    # New citizens are offered the two options left.
    citizen.goto(f"/da/s/{SLUG}")
    expect(citizen.locator('[name="q_transport"]')).to_have_count(2)
    expect(citizen.locator('label[for^="q_transport-"]')).to_have_text(["Cykel", "Bus"])

    assert staff.js_errors == [] and citizen.js_errors == []
