"""Themed summaries: counts that match the database, filters, scope of quotes, withdrawn answers,
structured results and the comparison's small-count rule."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from engage.core.extensions import db
from engage.dashboard import services, summaries
from engage.dashboard.filters import Filters
from engage.models import Answer, AnswerTheme, Municipality, Response, Theme, User


def snapshot_for(app, filters: Filters) -> dict:
    """Compute the snapshot of `filters` through the job and return its data."""
    from engage.jobs import enqueue

    with app.app_context():
        job = enqueue("summaries", {"filters": filters.to_dict()})
        assert job.state == "done", job.message
        data = summaries.get_snapshot(filters).data
        db.session.remove()
    return data


def test_counts_match_the_stored_themes(app, seeded):
    """Each theme's count is the number of free-text answers that carry it in the database."""
    data = snapshot_for(app, Filters(survey=seeded["slug"]))
    with app.app_context():
        total = db.session.scalar(select(func.count(Answer.id)).where(Answer.text.is_not(None)))
        stored = dict(db.session.execute(
            select(Theme.slug, func.count(func.distinct(AnswerTheme.answer_id))).join(AnswerTheme)
            .group_by(Theme.slug)).all())
    assert data["total"] == total == 6
    shown = {t["theme"]: t["count"] for t in data["themes"] if t["theme"] != "none"}
    assert shown == stored
    assert "mobility" in shown and "energy" in shown
    for theme in data["themes"]:
        assert abs(theme["share"] - theme["count"] / total) < 1e-3


def test_filters_select_the_answers(app, seeded):
    """Filtering by municipality keeps only that municipality's answers and quotes."""
    data = snapshot_for(app, Filters(survey=seeded["slug"], municipality="gentofte"))
    assert data["total"] == 3
    assert set(data["matrix"]) == {"gentofte"}
    quoted = {q["municipality"] for t in data["themes"] for q in t["quotes"]}
    assert quoted <= {"gentofte"}
    english = snapshot_for(app, Filters(survey=seeded["slug"], lang="en"))
    assert english["total"] == 0


def test_editor_sees_only_own_quotes_in_regional_summary(app, seeded, make_user):
    """In the region-wide summary a Gentofte editor sees Gentofte quotes only; an analyst sees all."""
    data = snapshot_for(app, Filters(survey=seeded["slug"]))
    editor_email, analyst_email = make_user("municipality_editor", "gentofte"), make_user("analyst")
    with app.app_context():
        editor = db.session.scalar(select(User).where(User.email == editor_email))
        analyst = db.session.scalar(select(User).where(User.email == analyst_email))
        for_editor = services.visible_themes(data, editor)
        for_analyst = services.visible_themes(data, analyst)
    editor_places = {q["municipality"] for t in for_editor for q in t["quotes"]}
    analyst_places = {q["municipality"] for t in for_analyst for q in t["quotes"]}
    assert editor_places == {"gentofte"}
    assert analyst_places == {"gentofte", "albertslund"}


def test_a_withdrawn_answer_disappears_at_once_and_marks_the_summary_stale(app, seeded, make_user):
    """When a respondent deletes their answers, their quotes vanish and the numbers are flagged as old."""
    filters = Filters(survey=seeded["slug"])
    data = snapshot_for(app, filters)
    quoted = {q["id"] for t in data["themes"] for q in t["quotes"]}
    email = make_user("analyst")
    with app.app_context():
        analyst = db.session.scalar(select(User).where(User.email == email))
        victim = db.session.scalar(select(Response).join(Answer).where(Answer.id == int(sorted(quoted)[0])))
        from engage.surveys.services import delete_response

        delete_response(victim)
        db.session.commit()
        remaining = {q["id"] for t in services.visible_themes(data, analyst) for q in t["quotes"]}
        assert sorted(quoted)[0] not in remaining
        assert summaries.is_stale(summaries.get_snapshot(filters))


def test_a_reviewers_label_replaces_the_machines(app, seeded):
    """An answer a person labelled counts under that label only."""
    with app.app_context():
        answer = db.session.scalar(select(Answer).join(Response).join(Municipality)
                                   .where(Municipality.slug == "albertslund", Answer.text.like("%Genbrugspladsen%")))
        housing = db.session.scalar(select(Theme).where(Theme.slug == "housing"))
        db.session.add(AnswerTheme(answer_id=answer.id, theme_id=housing.id, score=1.0, source="human"))
        db.session.commit()
        answer_id = str(answer.id)
    data = snapshot_for(app, Filters(survey=seeded["slug"]))
    housing_count = next(t["count"] for t in data["themes"] if t["theme"] == "housing")
    waste = next((t for t in data["themes"] if t["theme"] == "waste"), {"quotes": [], "count": 0})
    assert housing_count >= 1
    assert answer_id not in {q["id"] for q in waste["quotes"]}


def test_an_answer_themed_with_a_low_score_is_counted_but_quoted_only_once_a_person_confirms(app, seeded):
    """A machine theme below QUOTE_MIN_SCORE still counts, but the answer is not quoted under it
    until a reviewer's label makes the theme certain."""
    from sqlalchemy import update

    from engage.nlp.summarise import QUOTE_MIN_SCORE

    with app.app_context():
        answer = db.session.scalar(select(Answer).join(Response).join(Municipality)
                                   .where(Municipality.slug == "albertslund", Answer.text.like("%Genbrugspladsen%")))
        waste = db.session.scalar(select(Theme).where(Theme.slug == "waste"))
        db.session.execute(delete(AnswerTheme).where(AnswerTheme.answer_id == answer.id))
        db.session.add(AnswerTheme(answer_id=answer.id, theme_id=waste.id, score=QUOTE_MIN_SCORE - 0.05,
                                   source="model"))
        db.session.commit()
        answer_id = str(answer.id)
    filters = Filters(survey=seeded["slug"])
    theme = next(t for t in snapshot_for(app, filters)["themes"] if t["theme"] == "waste")
    assert theme["count"] == 1 and theme["quotes"] == []
    with app.app_context():
        db.session.execute(update(AnswerTheme).where(AnswerTheme.answer_id == int(answer_id))
                           .values(score=1.0, source="human"))
        db.session.commit()
    theme = next(t for t in snapshot_for(app, filters)["themes"] if t["theme"] == "waste")
    assert theme["count"] == 1 and [q["id"] for q in theme["quotes"]] == [answer_id]


def test_structured_questions_are_counted(app, seeded):
    """Choice, scale and ranking questions get distributions that add up to the answers given."""
    data = snapshot_for(app, Filters(survey=seeded["slug"]))
    results = {r["key"]: r for r in data["structured"]}
    assert results["transport"]["counts"] == {"bike": 6}
    assert results["digital_confidence"]["counts"] == {"7": 6}
    assert results["municipality"]["counts"] == {"gentofte": 3, "albertslund": 3}
    ranking = results["invest"]["mean_rank"]
    assert ranking == {"transit": 1.0, "digital": 2.0, "housing": 3.0, "green_energy": 4.0}


def test_comparison_withholds_shares_from_few_answers(app, seeded, make_user):
    """With fewer answers than the minimum, the comparison shows no share; above it, it does."""
    snapshot_for(app, Filters(survey=seeded["slug"]))
    email = make_user("analyst")
    with app.test_request_context("/da/dashboard/compare"):
        app.preprocess_request()
        analyst = db.session.scalar(select(User).where(User.email == email))
        _, a, b, rows = services.comparison(Filters(survey=seeded["slug"]), "gentofte", "region", analyst, 10)
        assert a.total == 3 and b.total == 6
        assert all(r.a is None and r.b is None for r in rows)
        _, a, b, rows = services.comparison(Filters(survey=seeded["slug"]), "gentofte", "albertslund", analyst, 3)
        mobility = next(r for r in rows if r.theme == "mobility")
        assert mobility.a is not None and mobility.a == mobility.a_count / 3
        assert mobility.difference is not None


def test_summaries_page_renders_charts_and_quotes(app, seeded, staff_client):
    """The analyst's summaries page shows charts with data tables, themes and linked quotes."""
    html = staff_client("analyst").get(f"/en/dashboard/summaries?survey={seeded['slug']}").get_data(as_text=True)
    assert 'role="img"' in html and "<table" in html
    assert "Mobility and transport" in html
    assert "/en/dashboard/answers/" in html
    assert "Strandvejen" in html


def test_summaries_json_download_is_audited(app, seeded, staff_client):
    """The summary downloads as JSON with its numbers, and the download is in the audit log."""
    from engage.models import AuditEvent

    client = staff_client("analyst")
    client.get(f"/en/dashboard/summaries?survey={seeded['slug']}")
    page = client.get(f"/en/dashboard/summaries.json?survey={seeded['slug']}")
    assert page.status_code == 200
    assert page.get_json()["total"] == 6
    assert "attachment" in page.headers["Content-Disposition"]
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is not None


def test_generated_summary_is_shown_in_the_readers_language_with_citations(app, seeded, staff_client, make_user):
    """The page states each theme's numbers in a generated summary, Danish or English, citing
    answers that exist; a municipality editor gets the numbers without the cited answer ids."""
    data = snapshot_for(app, Filters(survey=seeded["slug"]))
    mobility = next(t for t in data["themes"] if t["theme"] == "mobility")
    total, count = data["total"], mobility["count"]
    english = mobility["narrative"]["en"][0]["text"]
    assert english.startswith(f"{count} of {total} answers (")
    assert mobility["narrative"]["da"][0]["text"].startswith(f"{count} af {total} svar (")
    client = staff_client("analyst")
    html_en = client.get(f"/en/dashboard/summaries?survey={seeded['slug']}").get_data(as_text=True)
    html_da = client.get(f"/da/dashboard/summaries?survey={seeded['slug']}").get_data(as_text=True)
    assert english[:20] in html_en
    assert f"{count} af {total} svar (" in html_da
    cited = mobility["narrative"]["en"][0]["ids"]
    assert cited and f'/en/dashboard/answers/{cited[0]}"' in html_en
    editor_email = make_user("municipality_editor", "gentofte")
    with app.app_context():
        editor = db.session.scalar(select(User).where(User.email == editor_email))
        shown = next(t for t in services.visible_themes(data, editor) if t["theme"] == "mobility")
    assert shown["narrative"]["en"][0]["text"] == english
    assert all(c["ids"] == [] for c in shown["narrative"]["en"])


def test_a_snapshot_of_the_older_shape_is_recomputed(app, seeded):
    """A snapshot stored before generated summaries existed counts as stale, so the page asks for
    a new one instead of showing extract sentences as if they were the summary."""
    filters = Filters(survey=seeded["slug"])
    snapshot_for(app, filters)
    with app.app_context():
        snapshot = summaries.get_snapshot(filters)
        assert not summaries.is_stale(snapshot)
        snapshot.data = {**snapshot.data, "format": 1}
        assert summaries.is_stale(snapshot)

