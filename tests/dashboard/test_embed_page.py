"""The widget's snippet page for staff: the snippet for the chosen survey, municipality and mode,
the no-JavaScript iframe, the allowed sites, and a live preview; an editor only gets their own."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Municipality


def test_snippet_and_preview_for_the_chosen_options(app, staff_client, demo_survey):
    with app.app_context():
        gentofte = db.session.scalar(select(Municipality).where(Municipality.slug == "gentofte"))
        gentofte.embed_origins = ["https://www.gentofte.dk"]
        db.session.commit()
    try:
        client = staff_client("analyst")
        page = client.get(f"/en/dashboard/embed?survey={demo_survey}&municipality=gentofte&mode=chat"
                          "&lang=en&accent=%23005a2b&compact=1")
        assert page.status_code == 200
        text = html.unescape(page.get_data(as_text=True))
        assert (f'<script src="http://localhost/embed.js" data-survey="{demo_survey}" '
                'data-municipality="gentofte" data-lang="en" data-mode="chat" data-accent="#005a2b" '
                'data-compact="true" async></script>') in text
        frame = re.search(r'<iframe class="engage-preview" src="([^"]+)"', text).group(1)
        assert frame.startswith(f"http://localhost/embed/en/s/{demo_survey}/chat?")
        assert "m=gentofte" in frame and "compact=1" in frame and "accent=005a2b" in frame
        assert "<noscript><iframe src=" in text
        assert "https://www.gentofte.dk" in text
        preview = client.get(frame.removeprefix("http://localhost"))
        assert preview.status_code == 200
        assert "frame-ancestors 'self' https://www.gentofte.dk" in preview.headers["Content-Security-Policy"]
    finally:
        with app.app_context():
            gentofte = db.session.scalar(select(Municipality).where(Municipality.slug == "gentofte"))
            gentofte.embed_origins = None
            db.session.commit()


def test_an_editor_gets_the_snippet_for_their_own_municipality_only(staff_client, demo_survey):
    client = staff_client("municipality_editor", "gentofte")
    page = client.get(f"/da/dashboard/embed?survey={demo_survey}&municipality=kobenhavn")
    text = html.unescape(page.get_data(as_text=True))
    assert 'data-municipality="gentofte"' in text
    assert "kobenhavn" not in re.search(r'<textarea[^>]*id="snippet"[^>]*>(.*?)</textarea>', text, re.S).group(1)


def test_a_survey_limited_to_some_municipalities_is_offered_only_to_them(app, staff_client, demo_survey):
    from engage.models import Survey

    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.slug == demo_survey))
        survey.embed_municipalities = ["gentofte"]
        db.session.commit()
    gentofte = staff_client("municipality_editor", "gentofte").get(f"/da/dashboard/embed?survey={demo_survey}")
    assert f'data-survey="{demo_survey}"' in html.unescape(gentofte.get_data(as_text=True))
    albertslund = staff_client("municipality_editor", "albertslund").get(f"/da/dashboard/embed?survey={demo_survey}")
    assert albertslund.status_code == 200
    assert f'data-survey="{demo_survey}"' not in html.unescape(albertslund.get_data(as_text=True))
