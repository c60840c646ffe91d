"""Surveys as files in the browser's staff pages: the list a member of staff may edit, download,
and import with the problems named by field (nothing saved), for regional staff and an editor."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from engage.core.extensions import db
from engage.models import AuditEvent, Question, Survey
from engage.surveys.files import export_survey
from tests.conftest import csrf_token


def upload(client, document_or_text, lang: str = "en"):
    page = client.get(f"/{lang}/dashboard/surveys")
    data = document_or_text if isinstance(document_or_text, str) else json.dumps(document_or_text)
    return client.post(f"/{lang}/dashboard/surveys/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "file": (io.BytesIO(data.encode()), "survey.json"),
    })


def demo_document(app, slug: str) -> dict:
    with app.app_context():
        document = json.loads(export_survey(db.session.scalar(select(Survey).where(Survey.slug == slug))))
        db.session.remove()
    return document


def test_analyst_downloads_and_imports_a_survey_file(app, staff_client, demo_survey):
    client = staff_client("analyst")
    page = client.get("/en/dashboard/surveys")
    assert page.status_code == 200
    assert demo_survey in page.get_data(as_text=True)
    download = client.get(f"/en/dashboard/surveys/{demo_survey}/export")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == f'attachment; filename="engage-survey-{demo_survey}.json"'
    document = json.loads(download.get_data(as_text=True))
    assert document == demo_document(app, demo_survey)
    document["slug"] = "imported-copy"
    done = upload(client, document)
    assert done.status_code == 303
    followed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "imported-copy" in followed and "14" in followed
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id)).join(Survey).where(Survey.slug == "imported-copy")) == 14
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "survey_export" in actions and "survey_import" in actions


def test_a_bad_file_lists_the_fields_and_saves_nothing(app, staff_client, demo_survey):
    client = staff_client("analyst")
    document = demo_document(app, demo_survey)
    document["slug"] = "bad-copy"
    document["questions"][0]["kind"] = "essay"
    document["questions"][1]["show_if"] = {"question": "data_ok", "in": ["y"]}
    with app.app_context():
        before = db.session.scalar(select(func.count(Question.id)))
    page = upload(client, document, "da")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "$.questions[0].kind" in html
    assert "Intet blev gemt" in html
    assert 'aria-invalid="true"' in html
    not_json = upload(client, "{oops", "en")
    assert not_json.status_code == 422
    assert "not valid JSON" in not_json.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == before
        assert db.session.scalar(select(Survey).where(Survey.slug == "bad-copy")) is None


def test_an_editor_sees_and_imports_only_their_municipalitys_surveys(app, staff_client, demo_survey):
    client = staff_client("municipality_editor", "gentofte")
    assert demo_survey not in client.get("/en/dashboard/surveys").get_data(as_text=True)  # the region's
    assert client.get(f"/en/dashboard/surveys/{demo_survey}/export").status_code == 404
    document = demo_document(app, demo_survey)
    document["slug"] = "gentofte-copy"
    refused = upload(client, document)
    assert refused.status_code == 422
    assert "$.owner" in refused.get_data(as_text=True)
    document["owner"] = "gentofte"
    assert upload(client, document).status_code == 303
    page = client.get("/en/dashboard/surveys").get_data(as_text=True)
    assert "gentofte-copy" in page
