"""The second half of the workspace: the review queue, retraining and activation, theme management
and discovery, and strategy drafts with evidence exported to Word and Markdown."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from engage.core.extensions import db
from engage.dashboard import drafts, review, summaries, themes
from engage.dashboard.filters import Filters
from engage.jobs import enqueue
from engage.models import Answer, AnswerTheme, AuditEvent, Theme, User
from engage.models.strategy import ThemeCandidate

from ..conftest import MODEL_DIR, csrf_token  # noqa: TID252


def user(app, email):
    """Return the User with `email` (in the current app context)."""
    return db.session.scalar(select(User).where(User.email == email))


def theme_counts(app, slug_filter: Filters) -> dict[str, int]:
    """Compute the summary of a selection and return {theme: count}."""
    job = enqueue("summaries", {"filters": slug_filter.to_dict()})
    assert job.state == "done", job.message
    return {t["theme"]: t["count"] for t in summaries.get_snapshot(slug_filter).data["themes"]}


# --- review queue ------------------------------------------------------------------------------


def test_queue_puts_the_most_uncertain_answer_first(app, seeded, make_user):
    """The first answer offered is the one closest to a theme's threshold."""
    email = make_user("analyst")
    with app.app_context():
        analyst = user(app, email)
        margins = [a.uncertainty for a in db.session.scalars(select(Answer).where(Answer.text.is_not(None)))]
        assert all(m is not None for m in margins), "the engine records its margin at analysis"
        item = review.next_for_review(analyst)
        assert item.answer.uncertainty == min(margins)
        assert item.waiting == 6


def test_editor_reviews_only_own_municipality(app, seeded, make_user):
    """A municipality editor's queue holds only their municipality's answers."""
    email = make_user("municipality_editor", "gentofte")
    with app.app_context():
        editor = user(app, email)
        item = review.next_for_review(editor)
        assert item.waiting == 3
        assert item.answer.response.municipality.slug == "gentofte"


def test_a_correction_changes_the_summary_counts(app, seeded, make_user):
    """Relabelling an answer moves it between themes in the summary."""
    email = make_user("analyst")
    filters = Filters(survey=seeded["slug"])
    with app.app_context():
        before = theme_counts(app, filters)
        answer = db.session.scalar(select(Answer).where(Answer.text.like("%Genbrugspladsen%")))
        machine = [t.theme.slug for t in answer.themes]
        review.record_review(answer, ["safety"], user(app, email))
        db.session.commit()
        assert summaries.is_stale(summaries.get_snapshot(filters))
        after = theme_counts(app, filters)
        assert after.get("safety", 0) == before.get("safety", 0) + 1
        for slug in machine:
            assert after.get(slug, 0) == before.get(slug, 0) - 1
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "label_edit")) is not None


def test_no_theme_review_removes_the_answer_from_every_theme(app, seeded, make_user):
    """An answer a reviewer marks as 'no theme' counts under none."""
    email = make_user("analyst")
    filters = Filters(survey=seeded["slug"])
    with app.app_context():
        before = theme_counts(app, filters)
        answer = db.session.scalar(select(Answer).where(Answer.text.like("%Solceller%")))
        review.record_review(answer, [], user(app, email))
        db.session.commit()
        after = theme_counts(app, filters)
        assert after.get("none", 0) == before.get("none", 0) + 1
        assert review.human_labels()[0]["themes"] == []


def test_review_with_the_keyboard_form(app, seeded, staff_client):
    """The review page's form stores the ticked themes and moves on to the next answer."""
    client = staff_client("analyst")
    page = client.get("/en/dashboard/review")
    html = page.get_data(as_text=True)
    answer_id = int(re.search(r"/dashboard/review/(\d+)", html).group(1))
    assert 'data-key="1"' in html
    moved = client.post(f"/en/dashboard/review/{answer_id}",
                        data={"csrf_token": csrf_token(html), "action": "save", "themes": ["mobility", "health"]})
    assert moved.status_code == 303
    with app.app_context():
        labels = db.session.scalars(select(AnswerTheme).where(AnswerTheme.answer_id == answer_id,
                                                              AnswerTheme.source == "human")).all()
        assert sorted(label.theme.slug for label in labels) == ["health", "mobility"]
    assert f"/dashboard/review/{answer_id}" not in client.get(moved.headers["Location"]).get_data(as_text=True)


# --- retraining and activation -----------------------------------------------------------------


@pytest.fixture
def model_copy(app, tmp_path):
    """Point the app at a copy of the trained model folder (activation must not touch the real one)."""
    copy = tmp_path / "models"
    shutil.copytree(MODEL_DIR, copy, ignore=shutil.ignore_patterns(".*"))
    old = app.config["NLP_MODEL_DIR"]
    small = Path(__file__).parent / "data" / "train-small.jsonl"
    app.config["NLP_MODEL_DIR"], app.config["NLP_TRAIN_DATA"] = str(copy), [str(small)]
    yield copy
    app.config["NLP_MODEL_DIR"] = old
    app.config["NLP_TRAIN_DATA"] = []


def test_retrain_shows_metrics_and_refuses_a_worse_model_unless_forced(app, seeded, make_user, model_copy):
    """Retraining with reviewed answers makes a new model beside the active one; activating a worse one
    needs 'anyway'."""
    from engage.dashboard.models_admin import activate_model, model_versions
    from engage.nlp.pipeline import active_version

    analyst_email, admin_email = make_user("analyst"), make_user("admin")
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.text.like("%Strandvejen%")))
        review.record_review(answer, ["mobility"], user(app, analyst_email))
        db.session.commit()
        job = enqueue("retrain", {"labels": 1})
        assert job.state == "done", job.message
        assert job.result["human_labels"] == 1
        versions = model_versions(str(model_copy))
        new = next(v for v in versions if v.version == job.result["version"])
        active = next(v for v in versions if v.is_active)
        assert new.human_labels == 1 and new.micro_f1 is not None and active.micro_f1 is not None
        assert new.micro_f1 < active.micro_f1, "a model trained on 300 answers is worse"
        admin = user(app, admin_email)
        activated, reason = activate_model(str(model_copy), new.version, admin, force=False)
        assert not activated and reason == "worse"
        assert active_version(model_copy) == active.version
        activated, _ = activate_model(str(model_copy), new.version, admin, force=True)
        db.session.commit()
        assert activated and active_version(model_copy) == new.version
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "model_activation"))
        assert event.details["forced"] is True


def test_only_admins_activate(app, staff_client, model_copy):
    """An analyst cannot activate a model."""
    client = staff_client("analyst")
    html = client.get("/en/dashboard/models").get_data(as_text=True)
    version = next(model_copy.glob("2*")).name
    page = client.post(f"/en/dashboard/models/{version}/activate", data={"csrf_token": csrf_token(html)})
    assert page.status_code == 403


# --- themes and discovery ----------------------------------------------------------------------


def test_theme_edit_is_audited_and_keeps_shipped_keywords_by_default(app, make_user):
    """Saving a theme with its shown keywords unchanged stores no override; a new keyword is kept."""
    email = make_user("analyst")
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.slug == "waste"))
        form = {"name_da": "Affald", "name_en": "Waste", "description_da": "", "description_en": "",
                "colour": "#6d4c41", "is_active": "1",
                "keywords_da": "\n".join(themes.effective_keywords(theme, "da")),
                "keywords_en": "\n".join(themes.effective_keywords(theme, "en"))}
        themes.update_theme(theme, form, user(app, email))
        assert theme.keywords_da == [] and theme.keywords_en == []
        form["keywords_da"] += "\naffaldsrobot"
        themes.update_theme(theme, form, user(app, email))
        assert theme.keywords_da[-1] == "affaldsrobot"
        db.session.rollback()
        with pytest.raises(themes.ThemeError) as exc:
            themes.update_theme(theme, form | {"name_da": " "}, user(app, email))
        assert exc.value.field == "name_da"
        db.session.rollback()


def test_theme_edit_page_keeps_input_on_error(app, staff_client):
    """A missing name re-shows the form with the message at the field and everything typed kept."""
    client = staff_client("analyst")
    html = client.get("/da/dashboard/themes/energy").get_data(as_text=True)
    page = client.post("/da/dashboard/themes/energy", data={
        "csrf_token": csrf_token(html), "name_da": "", "name_en": "Energy typed", "colour": "#e0a100",
        "keywords_da": "fjernvarme\nmitnyeord", "keywords_en": "", "description_da": "beskrivelse"})
    body = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'aria-invalid="true"' in body and "Energy typed" in body and "mitnyeord" in body


def test_adopted_candidate_classifies_at_once(app, make_user):
    """A theme adopted from discovery finds new answers through its keywords straight away."""
    email = make_user("analyst")
    analyser = app.extensions["engage.analyser"]
    text = "Vi mangler flere hundeskove og hundeposer i parkerne."
    with app.app_context():
        candidate = ThemeCandidate(label="hundeskove", key_phrases=[{"text": "hundeskove"}], size=12,
                                   examples=[{"id": "1", "text": text, "lang": "da", "quotable": True}])
        db.session.add(candidate)
        db.session.flush()
        try:
            theme = themes.adopt_candidate(candidate, {"slug": "dogs", "name_da": "Hunde", "name_en": "Dogs",
                                                       "keywords_da": "hundeskov\nhundeskove\nhundeposer"},
                                           user(app, email))
            db.session.commit()
            analyser.invalidate()
            found = {t.theme for t in analyser.analyse(text, "da").themes}
            assert "dogs" in found
            assert candidate.status == "adopted" and candidate.theme_id == theme.id
        finally:
            db.session.rollback()
            db.session.execute(ThemeCandidate.__table__.delete())
            db.session.execute(Theme.__table__.delete().where(Theme.slug == "dogs"))
            db.session.commit()
            analyser.invalidate()


def test_discovery_job_stores_candidates(app, make_survey):
    """Discovery over unthemed answers stores named candidate themes with their answers."""
    from tests.dashboard.conftest import submit

    slug = make_survey([{"key": "idea", "kind": "long_text", "text_da": "Idé", "text_en": "Idea"}])
    texts = [f"Strikkeklubben mangler garn, strikkepinde og opskrifter på uldne sokker nummer {i}." for i in range(12)]
    texts += [f"Lasagne med ekstra ost, basilikum og hvidløg er min yndlingsret, portion {i}." for i in range(12)]
    for i, text in enumerate(texts):
        submit(app, slug, {"idea": text}, token=f"discover-{i}")
    with app.app_context():
        job = enqueue("discover", {})
        assert job.state == "done", job.message
        stored = themes.candidates()
        assert job.result["candidates"] == len(stored) >= 1
        assert all(c.size >= 1 and c.key_phrases for c in stored)
        db.session.execute(ThemeCandidate.__table__.delete())
        db.session.commit()


# --- drafts ------------------------------------------------------------------------------------


def test_evidence_block_cites_numbers_and_answers_and_notices_change(app, seeded, make_user):
    """An evidence block records its numbers and answer ids; newer data flags it; a withdrawn
    answer's words disappear from it."""
    email = make_user("analyst")
    filters = Filters(survey=seeded["slug"])
    with app.app_context():
        analyst = user(app, email)
        draft = drafts.create_draft("Strategi 2030", analyst)
        section = drafts.add_section(draft, "Grøn mobilitet", ["mobility"], analyst)
        db.session.commit()
        option = drafts.evidence_options(section, filters, analyst)[0]
        db.session.commit()
        quote_ids = [q["id"] for q in option.quotes]
        block = drafts.insert_evidence(section, filters, "mobility", quote_ids, analyst)
        db.session.commit()
        assert block.numbers["count"] == option.count and block.numbers["total"] == 6
        assert [q["id"] for q in block.quotes] == quote_ids and block.data_as_of is not None
        assert not drafts.evidence_states([block])[block.id].changed

        from tests.dashboard.conftest import submit

        submit(app, seeded["slug"], {"municipality": "gentofte", "priorities": "Flere busser til Dyssegård, tak."},
               token="later-1")
        enqueue("summaries", {"filters": filters.to_dict()})
        state = drafts.evidence_states([block])[block.id]
        assert state.changed and state.current_total == 7

        from engage.surveys.services import delete_response

        cited = db.session.get(Answer, int(quote_ids[0]))
        delete_response(cited.response)
        db.session.commit()
        db.session.refresh(block)
        state = drafts.evidence_states([block])[block.id]
        assert quote_ids[0] in state.withdrawn
        withdrawn = next(q for q in block.quotes if q["id"] == quote_ids[0])
        assert withdrawn["text"] == "" and withdrawn["withdrawn"] is True


def test_sections_keep_their_versions_and_refuse_a_lost_update(app, make_user):
    """Each save is a new version; saving over someone else's newer version is refused."""
    email = make_user("analyst")
    with app.app_context():
        analyst = user(app, email)
        draft = drafts.create_draft("Strategi", analyst)
        section = drafts.add_section(draft, "Energi", ["energy"], analyst)
        assert drafts.save_section(section, "Energi", "Første tekst", ["energy"], analyst, base_version=1)
        assert drafts.save_section(section, "Energi", "Anden tekst", ["energy"], analyst, base_version=2)
        assert not drafts.save_section(section, "Energi", "Anden tekst", ["energy"], analyst, base_version=3)
        with pytest.raises(drafts.DraftError) as exc:
            drafts.save_section(section, "Energi", "Gammel kladde", ["energy"], analyst, base_version=2)
        assert exc.value.field == "body"
        db.session.commit()
        assert [v.number for v in section.versions] == [3, 2, 1]
        assert section.versions[1].body == "Første tekst"


def test_markdown_is_rendered_safely(app):
    """Section text renders as Markdown, and HTML typed into it is shown, not run."""
    html = drafts.render_markdown("# Mål\n\n- **cykler**\n\n<script>alert(1)</script>")
    assert "<h1>Mål</h1>" in html and "<strong>cykler</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_draft_exports_to_word_and_markdown_with_the_cited_answers(app, seeded, staff_client):
    """The Word file has the headings, numbers, quotes and an appendix of cited answers."""
    from docx import Document

    client = staff_client("analyst")
    html = client.get("/da/dashboard/drafts").get_data(as_text=True)
    created = client.post("/da/dashboard/drafts", data={"csrf_token": csrf_token(html), "title": "Fælles strategi"})
    draft_url = created.headers["Location"]
    html = client.get(draft_url).get_data(as_text=True)
    added = client.post(draft_url, data={"csrf_token": csrf_token(html), "title": "Mobilitet", "themes": ["mobility"]})
    section_url = added.headers["Location"] + f"?survey={seeded['slug']}"
    html = client.get(section_url).get_data(as_text=True)
    quote_ids = re.findall(r'name="quotes" value="(\d+)"', html)
    assert quote_ids
    client.post(section_url, data={"csrf_token": csrf_token(html), "title": "Mobilitet", "version": "1",
                                   "body": "## Mål\n\nFlere **cykelstier**.\n\n- sikre skoleveje", "themes": ["mobility"]})
    html = client.get(section_url).get_data(as_text=True)
    evidence_url = re.search(r'action="([^"]+/evidence)"', html).group(1)
    client.post(evidence_url, data={"csrf_token": csrf_token(html), "theme": "mobility", "survey": seeded["slug"],
                                    "quotes": quote_ids[:2]})
    page = client.get(draft_url + "/export.docx")
    assert page.status_code == 200 and "attachment" in page.headers["Content-Disposition"]
    document = Document(io.BytesIO(page.data))
    text = "\n".join(p.text for p in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "Fælles strategi" in headings and "Mobilitet" in headings and "Bilag: citerede svar" in headings
    assert "Flere cykelstier." in text and "sikre skoleveje" in text
    assert re.search(r"\d+ / 6 svar \(\d+\s%\)", text)
    appendix = document.tables[-1]
    cited = [row.cells[0].text for row in appendix.rows[1:]]
    assert cited == quote_ids[:2]
    for answer_id in cited:
        assert f"[Svar {answer_id}]" in text
    markdown = client.get(draft_url + "/export.md").get_data(as_text=True)
    assert markdown.startswith("# Fælles strategi") and "## Bilag: citerede svar" in markdown
    with app.app_context():
        formats = {e.details.get("format") for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export"))}
        assert {"docx", "md"} <= formats
