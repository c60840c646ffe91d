"""The per-client limit on chat turns in a real Chromium: the translated 429 page shows what was
typed and sends it again with one button once the limit has passed, under the real CSP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from engage.core.extensions import db, limiter
from tests.browser.conftest import VIEWPORT, close_pages, open_page
from tests.conftest import make_app

pytestmark = pytest.mark.browser


@pytest.fixture
def limited_server(app: Flask, database_url: str) -> Iterator[tuple[Flask, str]]:
    """Serve a second app on the test database whose chat allows two turns a minute per client."""
    from werkzeug.serving import make_server

    limited = make_app(database_url, CHAT_RATE_LIMIT="2 per minute", ANALYSER="null")
    server = make_server("127.0.0.1", 0, limited, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield limited, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with limited.app_context():
            limiter.reset()
            db.engine.dispose()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_429_page_keeps_the_typed_text_and_sends_it_again(browser: Any, limited_server, demo_survey: str,
                                                             artifacts: Path, request: pytest.FixtureRequest,
                                                             lang: str) -> None:
    limited, base = limited_server
    page = open_page(browser, base, VIEWPORT)
    try:
        page.goto(f"/{lang}/s/{demo_survey}/chat")
        state = page.locator('#chat-form input[name="state"]')
        for button in ('button[name="q_municipality"][value="gentofte"]',
                       'button[name="q_stakeholder"][value="business"]'):
            before = state.input_value()
            page.locator(f"#chat-now {button}").click()
            expect(state).not_to_have_value(before)
        # The third post is over the limit.
        typed = {"da": "Grøn Cykel ApS på Strandvejen", "en": "Green Bike Ltd on the coast road"}[lang]
        page.locator('#chat-now [name="q_organisation"]').fill(typed)
        page.locator('#chat-now button[name="action"][value="answer"]:not(.engage-default-action)').click()
        heading = {"da": "For mange forsøg", "en": "Too many attempts"}[lang]
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator(".engage-resend")).to_contain_text(typed)
        with limited.app_context():
            limiter.reset()  # the minute has passed
        page.locator(".engage-resend button[type=submit]").click()
        expect(page.locator("#chat-form")).to_be_visible()
        expect(page.locator(".engage-chat-log")).to_contain_text(typed)
    finally:
        close_pages([page], artifacts, request)
