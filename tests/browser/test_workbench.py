"""The second half of the staff workspace in a real (laptop-sized) Chromium: the review queue by
keyboard, retraining and activating a model, adopting a discovered theme, and a strategy draft with
evidence exported to Word and Markdown.

Answers are stored through the real submit service and analyser; the demo accounts log in through
the login form (helpers shared with test_workspace.py). What a test expects is counted straight from
the tables or read from the catalogues through Babel, never copied from the page it checks.
Retraining and activation work on a copy of the trained models (`model_copy`), never on
instance/models. Every page is checked with axe.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask_babel
import pytest
from flask import Flask
from flask_babel import force_locale
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import Answer, AnswerTheme, Job, Response, Theme, User
from engage.models.strategy import DraftSection, EvidenceBlock, StrategyDraft, ThemeCandidate
from tests.browser.test_workspace import ACCOUNT, LANGS, focused_matches, log_in, tab_to, translated
from tests.conftest import MODEL_DIR
from tests.dashboard.conftest import submit

#: Enough demo responses for a review round of eleven answers and quotes for a theme, few enough to seed fast.
N_RESPONSES = 30
#: Retraining, activating (then re-analysing every answer) and adopting run inside the request (JOBS_IMMEDIATE).
JOB_TIMEOUT = 180_000
#: The first evidence panel computes the summary in the request.
COMPUTE_TIMEOUT = 30_000
TRAIN_SMALL = Path(__file__).resolve().parents[1] / "dashboard" / "data" / "train-small.jsonl"
REFUSAL = (
    "Not activated: this model is worse on its held-out answers than the active one. "
    "Tick “activate anyway” to override."
)
ANSWER_LINK = re.compile(r"/dashboard/answers/(\d+)$")
#: Off-topic answers (hobbies, food) that none of the region's themes claims.
KNITTING = [
    "Strikkeklubben mangler garn og strikkepinde til de nye medlemmer.",
    "Jeg strikker uldne sokker med strikkepinde hver søndag.",
    "Garn i mange farver og gode strikkepinde er svære at finde.",
    "Min mormor lærte mig at strikke sokker og huer af uldgarn.",
    "Strikkeopskrifter på huer og vanter til børn efterlyses.",
    "Vi strikker tørklæder af alpakagarn i strikkeklubben om tirsdagen.",
    "Et kursus i at strikke mønstre med flere farver garn ville være skønt.",
    "Rundpinde og strømpepinde til at strikke sokker, tak.",
    "Strikkecafé med garn, kaffe og strikkepinde om lørdagen.",
    "Hæklede grydelapper og strikkede karklude af bomuldsgarn.",
    "Jeg vil gerne lære at strikke en sweater med snoninger af uld.",
    "Opskrifter på strikkede babysokker i blødt merinogarn.",
]
COOKING = [
    "Lasagne med ekstra ost, basilikum og hvidløg er min yndlingsret.",
    "En god opskrift på risotto med svampe, parmesan og smør.",
    "Hjemmelavet pasta med tomatsauce, basilikum og frisk mozzarella.",
    "Jeg bager surdejsbrød med rug og solsikkekerner hver weekend.",
    "Suppe af græskar med ingefær, kokosmælk og chili om vinteren.",
    "Pandekager med blåbær, sirup og flødeskum til morgenmad.",
    "Kylling i karry med ris, mango chutney og naanbrød.",
    "Boller i karry med ris og persille er klassisk mormormad.",
    "Æblekage med makroner, flødeskum og ribsgelé til dessert.",
    "Lasagne med spinat, ricotta og muskatnød i stedet for kød.",
    "Frikadeller med kartofler, brun sovs og rødkål om søndagen.",
    "Risengrød med kanel, smørklat og mandler til jul.",
]


# --- the data ---------------------------------------------------------------------------------


def _accounts(app: Flask) -> None:
    """Store the three demo accounts (analyst, admin, Gentofte editor)."""
    from engage.auth.services import ensure_demo_accounts

    with app.app_context():
        ensure_demo_accounts(is_production=False)
        db.session.commit()
        db.session.remove()


@pytest.fixture
def demo(app: Flask, demo_survey: str) -> str:
    """Store N_RESPONSES analysed demo responses and the demo accounts; return the survey's slug."""
    from engage.demo.seed import seed_demo_data

    with app.app_context():
        seed_demo_data(n_responses=N_RESPONSES, analyser=app.extensions["engage.analyser"])
        db.session.commit()
        db.session.remove()
    _accounts(app)
    return demo_survey


@pytest.fixture
def model_copy(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """Point the app at a copy of the trained models and a small training file (retrains in seconds);
    the reviewed answers are written to a temporary folder. Restores the configuration afterwards."""
    copy = tmp_path / "models"
    shutil.copytree(MODEL_DIR, copy, ignore=shutil.ignore_patterns(".*"))
    keys = ("NLP_MODEL_DIR", "NLP_TRAIN_DATA", "LABELS_DIR")
    old = {key: app.config[key] for key in keys}
    app.config.update(
        NLP_MODEL_DIR=str(copy),
        NLP_TRAIN_DATA=[str(TRAIN_SMALL)],
        LABELS_DIR=str(tmp_path / "labels"),
    )
    try:
        yield copy
    finally:
        app.config.update(old)


@pytest.fixture
def off_topic(app: Flask, make_survey: Any) -> Iterator[dict[str, Any]]:
    """Store answers about knitting and cooking (which no theme claims) in a one-question survey
    and the demo accounts; afterwards delete any theme the test adopted (themes are reference rows
    that outlive a test)."""
    slug = make_survey(
        [{"key": "idea", "kind": "long_text", "text_da": "Idé", "text_en": "Idea"}],
        slug="fritid",
        title_da="Fritid",
        title_en="Leisure",
    )
    ids = [
        submit(app, slug, {"idea": text}, token=f"off-topic-{i}")
        for i, text in enumerate(KNITTING + COOKING)
    ]
    _accounts(app)
    with app.app_context():
        existing = set(db.session.scalars(select(Theme.slug)))
        db.session.remove()
    yield {"slug": slug, "responses": ids}
    with app.app_context():
        new = list(db.session.scalars(select(Theme).where(Theme.slug.not_in(existing))))
        for theme in new:
            db.session.execute(
                AnswerTheme.__table__.delete().where(AnswerTheme.theme_id == theme.id)
            )
            db.session.execute(
                ThemeCandidate.__table__.delete().where(ThemeCandidate.theme_id == theme.id)
            )
            db.session.delete(theme)
        db.session.commit()
        app.extensions["engage.analyser"].invalidate()
        db.session.remove()


@pytest.fixture
def workbench(app: Flask, demo: str) -> dict[str, Any]:
    """Store a discovery candidate and a draft with a section quoting two answers as evidence."""
    from engage.dashboard import drafts
    from engage.dashboard.filters import Filters

    with app.app_context():
        analyst = db.session.scalar(select(User).where(User.email == ACCOUNT["analyst"]["email"]))
        candidate = ThemeCandidate(
            label="strikkepinde",
            key_phrases=[{"text": "strikkepinde"}, {"text": "garn"}],
            size=2,
            examples=[
                {"id": "1", "text": KNITTING[0], "lang": "da", "quotable": True},
                {"id": "2", "text": KNITTING[1], "lang": "da", "quotable": True},
            ],
        )
        db.session.add(candidate)
        draft = drafts.create_draft("Strategi for grøn omstilling", analyst)
        section = drafts.add_section(draft, "Mobilitet", ["mobility"], analyst)
        drafts.save_section(
            section, "Mobilitet", "## Mål\n\nFlere **cykelstier**.", ["mobility"], analyst
        )
        db.session.commit()
        filters = Filters(survey=demo)
        option = drafts.evidence_options(section, filters, analyst)[0]
        db.session.commit()
        drafts.insert_evidence(
            section, filters, "mobility", [q["id"] for q in option.quotes[:2]], analyst
        )
        db.session.commit()
        ids = {"candidate": candidate.id, "draft": draft.id, "section": section.id}
        assert db.session.scalar(select(func.count(StrategyDraft.id))) == 1
        db.session.remove()
    return ids | {"survey": demo}


# --- helpers ----------------------------------------------------------------------------------


def babel(app: Flask, lang: str, function: str, *args: Any, **kwargs: Any) -> str:
    """Return flask_babel.`function`(*args, **kwargs) as a page in `lang` would format it."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return str(getattr(flask_babel, function)(*args, **kwargs))


def unreviewed(app: Flask) -> int:
    """Return how many analysed, non-empty answers no one has reviewed (counted from the tables)."""
    with app.app_context():
        count = db.session.scalar(
            select(func.count(Answer.id))
            .join(Response, Answer.response_id == Response.id)
            .where(
                Answer.text.is_not(None),
                Answer.text != "",
                Answer.analysis_state == "done",
                Answer.reviewed_at.is_(None),
                Response.is_test.is_(False),
            )
        )
        db.session.remove()
    return count


def queue_status(app: Flask, lang: str, waiting: int, reviewed: int) -> str:
    """Return the review page's "n waiting · m reviewed" line as it should read."""
    return translated(
        app,
        lang,
        "%(waiting)s waiting · %(reviewed)s reviewed",
        waiting=babel(app, lang, "format_decimal", waiting),
        reviewed=babel(app, lang, "format_decimal", reviewed),
    )


def offered(page: Page) -> tuple[int, list[dict[str, Any]]]:
    """Return the answer on the review page and its theme boxes: the key shown next to each, its
    theme and whether it is ticked, in page order."""
    action = page.locator("#review-form").get_attribute("action") or ""
    answer_id = int(re.search(r"/dashboard/review/(\d+)$", action).group(1))
    boxes = page.locator('#review-form input[name="themes"]').evaluate_all(
        """boxes => boxes.map(b => ({
            key: document.querySelector(`label[for="${b.id}"] kbd`).textContent.trim(),
            slug: b.value, checked: b.checked}))"""
    )
    return answer_id, boxes


def ticked(page: Page) -> set[str]:
    """Return the themes ticked on the review page."""
    return set(
        page.locator('#review-form input[name="themes"]:checked').evaluate_all(
            "boxes => boxes.map(b => b.value)"
        )
    )


def press_and_wait(page: Page, key: str, timeout: int = 10_000) -> None:
    """Press `key` and wait for the page it submits to."""
    with page.expect_navigation(timeout=timeout):
        page.keyboard.press(key)


def click_and_wait(page: Page, locator: Any, timeout: int = 10_000) -> None:
    """Click `locator` and wait for the page it leads to."""
    with page.expect_navigation(timeout=timeout):
        locator.click(timeout=timeout)  # a click waits for the navigation it starts


def human_labels(app: Flask, answer_ids: list[int]) -> dict[int, set[str] | None]:
    """Return {answer id: its human themes, or None when it was not reviewed}."""
    with app.app_context():
        out: dict[int, set[str] | None] = {}
        for answer in db.session.scalars(select(Answer).where(Answer.id.in_(answer_ids))):
            out[answer.id] = (
                None
                if answer.reviewed_at is None
                else {t.theme.slug for t in answer.themes if t.source == "human"}
            )
        db.session.remove()
    return out


def row_of(page: Page, version: str) -> Any:
    """Return the models table's row of `version`."""
    return page.locator("main table tbody tr").filter(
        has=page.locator("th code", has_text=re.compile(rf"^{re.escape(version)}$"))
    )


def model_figures(app: Flask, lang: str, folder: Path) -> list[str]:
    """Return a model's reviewed answers, micro-F1, top-1 and no-theme accuracy as the models page
    should show them (from its meta.json)."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    metrics = meta["metrics"]
    none = metrics.get("none_accuracy", metrics.get("no_theme_accuracy"))
    return [
        babel(app, lang, "format_decimal", int(meta.get("human_labels", 0))),
        *[
            babel(app, lang, "format_decimal", value, "0.000")
            for value in (metrics["micro"]["f1"], metrics["top1_accuracy"], none)
        ],
    ]


def active(folder: Path) -> str:
    """Return the version named in a model folder's ACTIVE file."""
    return (folder / "ACTIVE").read_text(encoding="utf-8").strip()


def cited_ids(locator: Any) -> list[int]:
    """Return the answer ids linked from `locator`'s answer links, in page order."""
    hrefs = locator.locator('a[href*="/dashboard/answers/"]').evaluate_all(
        "links => links.map(a => a.href)"
    )
    return [int(ANSWER_LINK.search(href).group(1)) for href in hrefs]


def urlpath(url: str) -> str:
    """Return the path of an absolute URL."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def assert_columns_level(page: Page) -> None:
    """Assert that the theme editor's Danish and English columns start at the same height."""
    legends = page.locator("fieldset.engage-column > legend")
    expect(legends).to_have_count(2)
    tops = [box["y"] for box in (legends.nth(0).bounding_box(), legends.nth(1).bounding_box())]
    assert tops[0] == tops[1], f"the columns start at different heights: {tops}"


def download(page: Page, link: Any, folder: Path) -> Path:
    """Click a download link; save the file in `folder` and return its path."""
    with page.expect_download() as info:
        link.click()
    got = info.value
    assert got.failure() is None, got.failure()
    path = folder / got.suggested_filename
    got.save_as(path)
    return path


# --- the tests --------------------------------------------------------------------------------


def test_analyst_reviews_ten_answers_with_the_keyboard(
    desktop_page: Page, app: Flask, demo: str
) -> None:
    """Ten answers labelled with the shown keys, Enter and X (one skipped with S) are stored as typed; the counts follow."""
    page = desktop_page
    log_in(page, "da", "analyst")
    page.goto("/da/dashboard/review")
    status = page.locator("#queue-status")
    waiting, reviewed = unreviewed(app), 0
    assert waiting >= 11, "too few answers to review ten and skip one"
    expect(status).to_have_text(queue_status(app, "da", waiting, reviewed))
    expect(page.locator("#review-keys")).to_have_text(
        translated(
            app,
            "da",
            "Keyboard: the key shown next to a theme ticks it; Enter saves; X saves “no theme”; S skips.",
        )
    )

    # Theme boxes by position (the key shown next to each one is read from the page), "x" for no
    # theme, "s" to skip, "tab" to reach the first box with Tab and tick it with Space.
    plan: list[Any] = [[0], "x", [1, 2], "s", "tab", [9], [0, 0], "x", [-1], [], [4]]
    expected: dict[int, set[str]] = {}
    skipped: list[int] = []
    for step in plan:
        answer_id, boxes = offered(page)
        assert answer_id not in expected and answer_id not in skipped, "an answer came back"
        if step == "s":
            press_and_wait(page, "s")
            skipped.append(answer_id)
        elif step == "x":
            press_and_wait(page, "x")
            expected[answer_id] = set()
        else:
            want = {b["slug"] for b in boxes if b["checked"]}
            if step == "tab":
                tab_to(page, '#review-form input[name="themes"]')
                assert focused_matches(page, f"#theme-{boxes[0]['slug']}"), (
                    "Tab skipped the first theme"
                )
                page.keyboard.press("Space")
                want ^= {boxes[0]["slug"]}
            else:
                for position in step:
                    key = boxes[position]["key"]
                    assert len(key) == 1, boxes[position]
                    page.keyboard.press(key)
                    want ^= {boxes[position]["slug"]}
            assert ticked(page) == want, "the boxes do not show what was typed"
            press_and_wait(page, "Enter")
            expected[answer_id] = want
        if step != "s":
            waiting, reviewed = waiting - 1, reviewed + 1
        # A skipped answer still waits (it comes back in a later round).
        expect(status).to_have_text(queue_status(app, "da", waiting, reviewed))

    # Enter on a link follows it: the reviewer leaves the queue without saving the answer shown.
    left_alone, _ = offered(page)
    tab_to(page, 'main a[href$="/dashboard/models"]', limit=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/da/dashboard/models"), page.url

    assert len(expected) == 10 and len(skipped) == 1
    assert human_labels(app, [left_alone]) == {left_alone: None}, "Enter on a link saved the answer"
    assert human_labels(app, [*expected, *skipped]) == {**expected, skipped[0]: None}
    assert any(expected.values()) and set() in expected.values()
    assert unreviewed(app) == waiting
    with app.app_context():
        analyst = db.session.scalar(
            select(User.id).where(User.email == ACCOUNT["analyst"]["email"])
        )
        reviewers = set(
            db.session.scalars(select(Answer.reviewed_by_id).where(Answer.reviewed_at.is_not(None)))
        )
        db.session.remove()
    assert reviewers == {analyst}
    assert page.js_errors == []


def test_retrained_model_is_compared_and_activated_only_when_ticked(
    desktop_page: Page, new_page: Any, app: Flask, demo: str, model_copy: Path, axe_check: Any
) -> None:
    """A retrain from the models page adds a model beside the active one; the admin's activation is refused until "activate anyway" is ticked."""
    from engage.dashboard import review

    with app.app_context():
        analyst = db.session.scalar(select(User).where(User.email == ACCOUNT["analyst"]["email"]))
        answers = db.session.scalars(
            select(Answer).where(Answer.text.is_not(None)).order_by(Answer.id).limit(2)
        ).all()
        for answer, themes in zip(answers, (["mobility"], []), strict=True):
            review.record_review(answer, themes, analyst)
        db.session.commit()
        db.session.remove()
    old = active(model_copy)
    before = {p.name for p in model_copy.iterdir() if p.is_dir()}

    page = desktop_page
    log_in(page, "da", "analyst")
    page.locator('nav a[href$="/dashboard/models"]').click()
    page.wait_for_url("**/da/dashboard/models")
    expect(page.locator("main table tbody tr")).to_have_count(len(before))
    click_and_wait(
        page,
        page.locator('form[action$="/dashboard/models/retrain"] button[type="submit"]'),
        timeout=JOB_TIMEOUT,
    )
    page.wait_for_url(re.compile(r"/da/dashboard/jobs/\d+$"))
    expect(page.locator("#job-state")).to_have_text(
        translated(app, "da", "Done"), timeout=JOB_TIMEOUT
    )
    job_id = int(page.url.rsplit("/", 1)[1])
    (new,) = {p.name for p in model_copy.iterdir() if p.is_dir()} - before
    with app.app_context():
        result = db.session.get(Job, job_id).result
        db.session.remove()
    assert result["version"] == new and result["human_labels"] == 2
    assert active(model_copy) == old, "a retrain must not activate its model"

    page.locator('nav a[href$="/dashboard/models"]').click()
    page.wait_for_url("**/da/dashboard/models")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(before) + 1)
    expect(rows.first.locator("th")).to_have_text(new)  # newest first, above the active one
    for version in (new, old):
        cells = row_of(page, version).locator("td.engage-num")
        expect(cells).to_have_text(model_figures(app, "da", model_copy / version))
    expect(row_of(page, old).locator("td").last).to_have_text(translated(app, "da", "Active"))
    expect(row_of(page, new).locator("form")).to_have_count(0)  # an analyst does not activate
    expect(row_of(page, new).locator("td").last).to_have_text(translated(app, "da", "Not active"))

    admin = new_page()
    log_in(admin, "da", "admin")
    admin.goto("/da/dashboard/models")
    form = row_of(admin, new).locator("form.engage-activate")
    expect(form.locator('input[name="force"]')).not_to_be_checked()
    click_and_wait(admin, form.locator('button[type="submit"]'))
    refusal = translated(app, "da", REFUSAL)
    assert refusal != REFUSAL, "the refusal has no Danish translation"
    expect(admin.locator("main .alert-error")).to_have_text(refusal)
    assert active(model_copy) == old
    expect(row_of(admin, old).locator("td").last).to_have_text(translated(app, "da", "Active"))
    axe_check(admin, "da models (admin) with the refusal")

    form = row_of(admin, new).locator("form.engage-activate")
    form.locator("label").click()
    expect(form.locator('input[name="force"]')).to_be_checked()
    click_and_wait(admin, form.locator('button[type="submit"]'), timeout=JOB_TIMEOUT)
    expect(admin.locator("main .alert-success")).to_have_text(
        translated(
            app,
            "da",
            "Model %(version)s is active. All answers are being analysed again.",
            version=new,
        )
    )
    assert active(model_copy) == new
    expect(row_of(admin, new).locator("td").last).to_have_text(translated(app, "da", "Active"))
    expect(row_of(admin, old).locator("form.engage-activate")).to_have_count(1)
    assert page.js_errors == [] and admin.js_errors == []


def test_adopted_candidate_gives_new_answers_its_theme(
    desktop_page: Page, app: Flask, off_topic: dict[str, Any], axe_check: Any
) -> None:
    """Answers about knitting get no theme; a candidate found among them, adopted with names and keywords, themes a new knitting answer."""
    analyser = app.extensions["engage.analyser"]
    with app.app_context():
        stored = {
            a.text: (a.analysis_state, [t.theme.slug for t in a.themes])
            for a in db.session.scalars(select(Answer))
        }
        found = {
            text: [t.theme for t in analyser.analyse(text, "da").themes]
            for text in KNITTING + COOKING
        }
        db.session.remove()
    assert stored == {text: ("done", []) for text in KNITTING + COOKING}, (
        "an off-topic answer got a theme"
    )
    assert found == {text: [] for text in KNITTING + COOKING}

    page = desktop_page
    log_in(page, "da", "analyst")
    page.locator('nav a[href$="/dashboard/themes"]').click()
    page.wait_for_url("**/da/dashboard/themes")
    expect(page.locator('main a[href*="/dashboard/themes/candidates/"]')).to_have_count(0)
    click_and_wait(
        page,
        page.locator('form[action$="/dashboard/themes/discover"] button[type="submit"]'),
        timeout=JOB_TIMEOUT,
    )
    page.wait_for_url(re.compile(r"/da/dashboard/jobs/\d+$"))
    expect(page.locator("#job-state")).to_have_text(
        translated(app, "da", "Done"), timeout=JOB_TIMEOUT
    )
    page.locator('nav a[href$="/dashboard/themes"]').click()
    page.wait_for_url("**/da/dashboard/themes")
    links = page.locator('main a[href*="/dashboard/themes/candidates/"]')
    expect(links.first).to_be_visible()
    with app.app_context():
        stored = {c.id: c for c in db.session.scalars(select(ThemeCandidate))}
        db.session.remove()
    assert links.count() == len(stored) >= 1
    knitting_ids = set(off_topic["responses"][: len(KNITTING)])
    # Open the candidate made of knitting answers (discovery is seeded, so this is repeatable).
    with app.app_context():
        answer_responses = dict(db.session.execute(select(Answer.id, Answer.response_id)).all())
        db.session.remove()
    chosen = max(
        stored.values(),
        key=lambda c: sum(answer_responses.get(i) in knitting_ids for i in c.answer_ids),
    )
    assert any(answer_responses.get(i) in knitting_ids for i in chosen.answer_ids), (
        "no candidate of knitting answers"
    )
    click_and_wait(page, page.locator(f'main a[href$="/dashboard/themes/candidates/{chosen.id}"]'))
    expect(page.locator("main blockquote.engage-quote").first).to_be_visible()
    axe_check(page, "da candidate")

    # An empty Danish name is refused at the field, with what was typed kept.
    page.locator("#slug").fill("strik")
    page.locator("#name_da").fill("")
    page.locator("#name_en").fill("Knitting")
    page.locator("#keywords_da").fill("strikkepinde\ngarn")
    page.locator("#keywords_en").fill("knitting needles")
    click_and_wait(
        page, page.locator('form:has(input[name="action"][value="adopt"]) button[type="submit"]')
    )
    expect(page.locator("#name_da")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name_da-error")).to_contain_text(translated(app, "da", "Enter a name."))
    expect(page.locator("#name_en")).to_have_value("Knitting")
    expect(page.locator("#keywords_da")).to_have_value("strikkepinde\ngarn")
    axe_check(page, "da candidate with an error")

    # No keyword in either language: refused at the Danish keywords.
    page.locator("#name_da").fill("Strik og håndarbejde")
    page.locator("#keywords_da").fill("")
    page.locator("#keywords_en").fill("")
    click_and_wait(
        page, page.locator('form:has(input[name="action"][value="adopt"]) button[type="submit"]')
    )
    expect(page.locator("#keywords_da")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#keywords_da")).to_have_attribute("aria-describedby", "keywords_da-error")
    expect(page.locator("#keywords_da-error")).to_contain_text(
        translated(app, "da", "Give at least one keyword.")
    )
    expect(page.locator("#name_da")).to_have_value("Strik og håndarbejde")
    expect(page.locator("#name_da")).not_to_have_attribute("aria-invalid", "true")

    page.locator("#keywords_da").fill("strikkepinde\ngarn")
    page.locator("#keywords_en").fill("knitting needles")
    click_and_wait(
        page,
        page.locator('form:has(input[name="action"][value="adopt"]) button[type="submit"]'),
        timeout=JOB_TIMEOUT,
    )
    page.wait_for_url("**/da/dashboard/themes")
    row = page.locator("main table tbody tr").filter(has_text="Strik og håndarbejde")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("Knitting")
    expect(page.locator(f'main a[href$="/dashboard/themes/candidates/{chosen.id}"]')).to_have_count(
        0
    )
    # The answers already stored were analysed again: those with a keyword carry the theme now.
    with_keyword = sum(
        bool({"strikkepinde", "garn"} & set(re.findall(r"\w+", t.lower()))) for t in KNITTING
    )
    expect(row.locator("td.engage-num")).to_have_text(
        babel(app, "da", "format_decimal", with_keyword)
    )
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.slug == "strik"))
        assert (theme.name_da, theme.name_en, theme.is_active) == (
            "Strik og håndarbejde",
            "Knitting",
            True,
        )
        assert theme.keywords_da == ["strikkepinde", "garn"] and theme.keywords_en == [
            "knitting needles"
        ]
        assert db.session.get(ThemeCandidate, chosen.id).status == "adopted"
        db.session.remove()

    later = submit(
        app,
        off_topic["slug"],
        {"idea": "Biblioteket burde låne strikkepinde ud til begyndere."},
        token="after-adoption",
    )
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.response_id == later))
        assert "strik" in {t.theme.slug for t in answer.themes}, (
            "the new answer did not get the adopted theme"
        )
        db.session.remove()
    assert page.js_errors == []


def test_draft_with_evidence_exports_to_word_and_markdown(
    desktop_page: Page, app: Flask, demo: str, tmp_path: Path
) -> None:
    """A section written in Markdown with two quoted answers as evidence keeps its versions and exports, numbers, quotes and appendix included."""
    from docx import Document

    page = desktop_page
    log_in(page, "da", "analyst")
    page.locator('nav a[href$="/dashboard/drafts"]').click()
    page.wait_for_url("**/da/dashboard/drafts")
    page.locator("#title").fill("Regional strategi 2030")
    click_and_wait(page, page.locator('main form button[type="submit"]'))
    page.wait_for_url(re.compile(r"/da/dashboard/drafts/\d+$"))
    draft_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional strategi 2030")

    page.locator("#title").fill("Grøn mobilitet")
    page.locator('label[for="theme-mobility"]').click()
    expect(page.locator("#theme-mobility")).to_be_checked()
    click_and_wait(page, page.locator('main form button[type="submit"]'), timeout=COMPUTE_TIMEOUT)
    page.wait_for_url(re.compile(r"/da/dashboard/drafts/\d+/sections/\d+$"))
    section_url = page.url

    first = (
        "## Mål\n\nFlere **cykelstier** og bedre busser.\n\n- sikre skoleveje\n- flere delebiler"
    )
    page.locator("#body").fill(first)
    click_and_wait(
        page,
        page.locator(".engage-section-editor form button[type='submit']"),
        timeout=COMPUTE_TIMEOUT,
    )
    expect(page.locator("main .alert-success")).to_have_text(
        translated(app, "da", "Saved as version %(n)d.", n=2)
    )

    panel = page.locator(".engage-evidence-panel")
    panel.locator("#survey").select_option(demo)
    click_and_wait(
        page, panel.locator("form.engage-filters button[type='submit']"), timeout=COMPUTE_TIMEOUT
    )
    assert page.url == f"{section_url}?survey={demo}"
    option = panel.locator('section[aria-labelledby="option-mobility"]')
    expect(option).to_be_visible()
    quotes = option.locator('input[name="quotes"]')
    assert quotes.count() >= 3, "too few quotes to choose two that are not the first two"
    # Choose the second and third quotes (the first two are ticked for you).
    values = quotes.evaluate_all("boxes => boxes.map(b => b.value)")
    for i in range(quotes.count()):
        box = quotes.nth(i)
        if box.is_checked() != (i in (1, 2)):
            page.locator(f'label[for="{box.get_attribute("id")}"]').click()
    chosen = [int(v) for v in values[1:3]]
    panel_numbers = option.locator("p").first.inner_text()
    click_and_wait(page, option.locator('button[type="submit"]'), timeout=COMPUTE_TIMEOUT)
    expect(page.locator("main .alert-success")).to_have_text(
        translated(app, "da", "Evidence inserted.")
    )

    with app.app_context():
        block = db.session.scalar(select(EvidenceBlock))
        numbers, data_as_of, quoted = block.numbers, block.data_as_of, block.quotes
        texts = dict(
            db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(chosen))).all()
        )
        sources = {
            a.id: (a.response.municipality.name_da, f"{a.response.submitted_at:%Y-%m-%d}", a.response.survey.title_da)
            for a in db.session.scalars(select(Answer).where(Answer.id.in_(chosen)))
        }
        free_texts = db.session.scalar(
            select(func.count(Answer.id)).where(Answer.text.is_not(None), Answer.text != "")
        )
        db.session.remove()
    assert [int(q["id"]) for q in quoted] == chosen
    assert [q["text"] for q in quoted] == [texts[i] for i in chosen]
    assert numbers["total"] == free_texts and 0 < numbers["count"] <= numbers["total"]
    count, total = (babel(app, "da", "format_decimal", numbers[k]) for k in ("count", "total"))
    share = babel(app, "da", "format_percent", numbers["share"])
    date = babel(app, "da", "format_date", data_as_of, "long")
    assert panel_numbers == translated(
        app,
        "da",
        "%(count)s of %(total)s answers (%(share)s)",
        count=count,
        total=total,
        share=share,
    )
    title = numbers["title"]["da"]
    evidence = translated(app, "da", "Evidence")
    blocks = page.locator(".engage-section-editor aside.engage-evidence")
    expect(blocks).to_have_count(1)
    expect(blocks.locator("h4")).to_have_text(f"{evidence}: {title}")
    numbers_line = translated(
        app,
        "da",
        "%(count)s of %(total)s answers (%(share)s) · data as of %(date)s",
        count=count,
        total=total,
        share=share,
        date=date,
    )
    expect(blocks.locator("p").first).to_have_text(numbers_line)
    expect(blocks.locator("blockquote")).to_have_text([texts[i] for i in chosen])
    assert cited_ids(blocks) == chosen

    second = first + "\n\nVi følger op hvert år med borgerne."
    page.locator("#body").fill(second)
    click_and_wait(
        page,
        page.locator(".engage-section-editor form button[type='submit']"),
        timeout=COMPUTE_TIMEOUT,
    )
    expect(page.locator("main .alert-success")).to_have_text(
        translated(app, "da", "Saved as version %(n)d.", n=3)
    )
    versions = page.locator("ol.engage-versions > li")
    expect(versions).to_have_count(3)
    # The summaries number the versions; the list's own numbers, which counted the summaries too
    # ("4." beside "Version 2"), are not shown.
    assert set(
        versions.evaluate_all("items => items.map(i => getComputedStyle(i).listStyleType)")
    ) == {"none"}
    for item, number in zip(versions.all(), (3, 2, 1), strict=True):
        expect(item.locator("summary")).to_contain_text(
            translated(app, "da", "Version %(n)d", n=number)
        )
    versions.nth(1).locator("summary").click()
    expect(versions.nth(1).locator("strong")).to_have_text("cykelstier")
    expect(versions.nth(1)).not_to_contain_text("Vi følger op")
    versions.nth(0).locator("summary").click()
    expect(versions.nth(0)).to_contain_text("Vi følger op hvert år med borgerne.")

    page.locator(f'main a[href="{urlpath(draft_url)}"]').first.click()
    page.wait_for_url(draft_url)
    expect(page.locator("main .engage-markdown strong").first).to_have_text("cykelstier")
    assert cited_ids(page.locator("main aside.engage-evidence")) == chosen

    path = download(page, page.locator('main a[href$="/export.docx"]'), tmp_path)
    assert path.suffix == ".docx", path
    document = Document(str(path))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    appendix = translated(app, "da", "Appendix: cited answers")
    headings = [(s, t) for s, t in styled if s == "Title" or s.startswith("Heading")]
    assert headings == [
        ("Title", "Regional strategi 2030"),
        ("Heading 1", "Grøn mobilitet"),
        ("Heading 4", "Mål"),
        ("Heading 2", f"{evidence}: {title}"),
        ("Heading 1", appendix),
    ], headings
    answer = translated(app, "da", "Answer")
    docx_line = (
        f"{count} / {total} {translated(app, 'da', 'answers')} ({share}) · "
        f"{translated(app, 'da', 'data as of')} {date}"
    )
    texts_in_order = [t for _, t in styled]
    assert docx_line in texts_in_order, texts_in_order
    assert (
        "Flere cykelstier og bedre busser." in texts_in_order
        and "sikre skoleveje" in texts_in_order
    )
    assert [t for s, t in styled if s == "Intense Quote"] == [
        f"“{texts[i]}” [{answer} {i}]" for i in chosen
    ]
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells][0] == answer
    assert [row.cells[0].text for row in table.rows[1:]] == [str(i) for i in chosen]
    assert [row.cells[4].text for row in table.rows[1:]] == [texts[i] for i in chosen]

    path = download(page, page.locator('main a[href$="/export.md"]'), tmp_path)
    assert path.suffix == ".md", path
    markdown = path.read_text(encoding="utf-8")
    lines = markdown.splitlines()
    assert lines[0] == "# Regional strategi 2030"
    # The section's own "## Mål" sits below the section's heading, as in the Word file.
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "# Regional strategi 2030",
        "## Grøn mobilitet",
        "##### Mål",
        f"### {evidence}: {title}",
        f"## {appendix}",
    ], headings
    for line in ("- sikre skoleveje", f"{docx_line}  "):
        assert line in lines, (line, markdown)
    assert [line for line in lines if line.startswith("> ")] == [
        f"> “{texts[i]}” [{answer} {i}]" for i in chosen
    ]
    listed = [line for line in lines if line.startswith(f"- **{answer} ")]
    assert listed == [
        f"- **{answer} {i}** ({sources[i][2]}, {sources[i][0]}, {sources[i][1]}): {texts[i]}" for i in chosen
    ]
    assert page.js_errors == []


def test_workbench_pages_are_accessible(
    desktop_page: Page, app: Flask, workbench: dict[str, Any], axe_check: Any
) -> None:
    """The review queue, models, themes, theme editor (also with an error), candidate, drafts, draft and section pages pass axe in Danish and English."""
    page = desktop_page
    log_in(page, "da", "analyst")
    draft = f"drafts/{workbench['draft']}"
    for lang in LANGS:
        for path, ready in (
            ("review", "#review-form"),
            ("models", "main table tbody tr"),
            ("themes", "main table tbody tr"),
            ("themes/energy", "#name_da"),
            (f"themes/candidates/{workbench['candidate']}", "#slug"),
            ("drafts", "main .engage-survey-card"),
            (draft, "main aside.engage-evidence"),
            (
                f"{draft}/sections/{workbench['section']}?survey={workbench['survey']}",
                ".engage-evidence-option",
            ),
        ):
            response = page.goto(f"/{lang}/dashboard/{path}", timeout=COMPUTE_TIMEOUT)
            assert response is not None and response.status == 200, (lang, path)
            assert page.evaluate("() => document.documentElement.lang") == lang
            expect(page.locator(ready).first).to_be_visible()
            axe_check(page, f"{lang} {path}")
            if path == "themes/energy":
                assert_columns_level(page)

        # The theme editor refuses an empty Danish name at the field and keeps what was typed.
        page.goto(f"/{lang}/dashboard/themes/energy")
        page.locator("#name_da").fill("")
        page.locator("#name_en").fill("Energy (typed)")
        page.locator("#keywords_da").fill("fjernvarme\nmitnyeord")
        with page.expect_navigation() as navigation:
            page.locator('main form button[type="submit"]').click()
        assert navigation.value is not None and navigation.value.status == 422
        expect(page.locator("main .alert-error")).to_have_text(
            translated(app, lang, "Enter a name.")
        )
        expect(page.locator("#name_da")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#name_da")).to_have_value("")
        expect(page.locator("#name_en")).to_have_value("Energy (typed)")
        expect(page.locator("#keywords_da")).to_have_value("fjernvarme\nmitnyeord")
        assert_columns_level(page)
        axe_check(page, f"{lang} theme editor with an error")

        # The section editor refuses an empty title at the field and keeps the text typed.
        page.goto(
            f"/{lang}/dashboard/{draft}/sections/{workbench['section']}?survey={workbench['survey']}"
        )
        page.locator("#title").fill("")
        page.locator("#body").fill("Tekst der ikke må gå tabt.")
        with page.expect_navigation() as navigation:
            page.locator(".engage-section-editor form button[type='submit']").click()
        assert navigation.value is not None and navigation.value.status == 422
        expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#title")).to_have_attribute("aria-describedby", "title-error")
        expect(page.locator("#title-error")).to_contain_text(
            translated(app, lang, "Enter a title.")
        )
        expect(page.locator("#body")).to_have_value("Tekst der ikke må gå tabt.")
        axe_check(page, f"{lang} section editor with an error")
    with app.app_context():
        energy = db.session.scalar(select(Theme).where(Theme.slug == "energy"))
        assert energy.name_da and energy.name_en != "Energy (typed)", "a refused edit was saved"
        assert db.session.scalar(select(DraftSection.title)) == "Mobilitet", (
            "a refused section was saved"
        )
        db.session.remove()
    assert page.js_errors == []
