"""Every staff page checks login, role and municipality scope — enumerated from the URL map."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Answer, Job, Municipality, Response

STAFF_PREFIXES = ("/<any(da,en):lang>/dashboard",)
#: Values for the variables of staff routes (ids that exist or not: access is checked either way).
PLACEHOLDERS = {"answer_id": 1, "job_id": 1, "draft_id": 1, "section_id": 1, "candidate_id": 1, "question_id": 1, "token": "not-a-receipt",
                "slug": "mobility", "version": "2026.01.01-00000000", "fmt": "docx"}
PUBLIC_STAFF_ENDPOINTS = {"auth.login", "auth.logout", "dashboard_root.dashboard_root"}


def staff_rules(app):
    """Return the URL rules of the staff area (a new route cannot escape these tests)."""
    return [r for r in app.url_map.iter_rules()
            if r.rule.startswith(STAFF_PREFIXES) and r.endpoint not in PUBLIC_STAFF_ENDPOINTS]


def build(rule, values):
    """Return a concrete URL for `rule` with `values` for its variables."""
    url = rule.rule.replace("<any(da,en):lang>", "da")
    for name in re.findall(r"<(?:[^:>]+:)?([^>]+)>", url):
        url = re.sub(r"<(?:[^:>]+:)?" + name + ">", str(values[name]), url)
    return url


def test_the_staff_area_has_routes(app):
    """The enumeration finds the workspace's pages (so the checks below are not vacuous)."""
    endpoints = {r.endpoint for r in staff_rules(app)}
    assert {"dashboard.home", "dashboard.summaries", "dashboard.answer", "dashboard.download"} <= endpoints


def test_every_staff_route_sends_anonymous_visitors_to_login(app, client):
    """Without logging in, no staff page, export or job shows anything: the login page instead."""
    for rule in staff_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            page = client.open(build(rule, PLACEHOLDERS), method=method)
            if method == "POST" and page.status_code == 400:
                continue  # refused by the CSRF check before anything else
            assert page.status_code == 302, (rule.rule, method, page.status_code)
            assert "/dashboard/login" in page.headers["Location"]


def test_editor_gets_404_for_another_municipalitys_raw_answers_on_every_route(app, seeded, staff_client):
    """A Gentofte editor cannot read Albertslund's answers anywhere: pages, JSON, exports, downloads."""
    client = staff_client("municipality_editor", "gentofte")
    other_analyst = staff_client("analyst")
    with app.app_context():
        foreign = db.session.scalars(
            select(Answer.id).join(Response).join(Municipality)
            .where(Municipality.slug == "albertslund", Answer.text.is_not(None))).all()
    # an analyst's export job, which the editor must not see or download
    page = other_analyst.get("/da/dashboard/exports?survey=" + seeded["slug"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    done = other_analyst.post("/da/dashboard/exports", data={"csrf_token": token, "survey": seeded["slug"],
                                                              "format": "csv", "file_lang": "da"})
    job_id = int(done.headers["Location"].rsplit("/", 1)[1])
    foreign_texts = seeded["texts"]["albertslund"]
    checked = 0
    for rule in staff_rules(app):
        if "GET" not in rule.methods:
            continue
        for answer_id in foreign:
            url = build(rule, PLACEHOLDERS | {"answer_id": answer_id, "job_id": job_id})
            for query in ("", f"?survey={seeded['slug']}&municipality=albertslund", f"?survey={seeded['slug']}"):
                page = client.get(url + query)
                body = page.get_data(as_text=True) if page.status_code == 200 else ""
                assert page.status_code in (200, 403, 404), (url + query, page.status_code)
                if rule.arguments & {"answer_id", "job_id", "draft_id", "section_id", "candidate_id", "slug", "question_id", "token"}:
                    assert page.status_code in (403, 404), (url + query, page.status_code)
                if "municipality=albertslund" in query and rule.endpoint in ("dashboard.summaries",
                                                                             "dashboard.summaries_json"):
                    assert page.status_code == 403, (url + query, page.status_code)
                for text in foreign_texts:
                    assert text[:40] not in body, (url + query, "shows another municipality's answer")
                checked += 1
    assert checked > 20


def test_editor_cannot_export_another_municipality(seeded, staff_client):
    """Asking for Albertslund's answers in an export is refused for the Gentofte editor."""
    client = staff_client("municipality_editor", "gentofte")
    page = client.get("/da/dashboard/exports")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    refused = client.post("/da/dashboard/exports", data={"csrf_token": token, "survey": seeded["slug"],
                                                          "municipality": "albertslund", "format": "csv"})
    assert refused.status_code == 403


def test_editor_sees_own_municipalitys_answer(app, seeded, staff_client):
    """The Gentofte editor can open a Gentofte answer (the scope is not simply 'nothing')."""
    client = staff_client("municipality_editor", "gentofte")
    with app.app_context():
        own = db.session.scalar(select(Answer.id).join(Response).join(Municipality)
                                .where(Municipality.slug == "gentofte", Answer.text.is_not(None)))
    page = client.get(f"/da/dashboard/answers/{own}")
    assert page.status_code == 200
    assert "cykelstier" in page.get_data(as_text=True) or "Busserne" in page.get_data(as_text=True)


def test_only_admins_read_the_audit_log(staff_client):
    """The audit log is for administrators: analysts and editors get 403."""
    assert staff_client("analyst").get("/da/dashboard/audit").status_code == 403
    assert staff_client("municipality_editor", "gentofte").get("/en/dashboard/audit").status_code == 403
    assert staff_client("admin").get("/en/dashboard/audit").status_code == 200


def test_editor_does_not_see_other_peoples_jobs(app, staff_client):
    """Jobs list only the editor's own jobs; another person's job page is 404."""
    from engage.jobs import enqueue

    with app.app_context():
        job = enqueue("analyse", {"survey": None, "all": False})
        job_id = job.id
        db.session.remove()
    editor = staff_client("municipality_editor", "gentofte")
    assert editor.get(f"/da/dashboard/jobs/{job_id}").status_code == 404
    assert staff_client("analyst").get(f"/da/dashboard/jobs/{job_id}").status_code == 200
    with app.app_context():
        assert db.session.get(Job, job_id).state == "done"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_staff_pages_are_in_the_urls_language(staff_client, lang):
    """Staff pages speak the language of their address."""
    html = staff_client("analyst").get(f"/{lang}/dashboard/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert ("Baggrundsjob" if lang == "da" else "Background jobs") in html
