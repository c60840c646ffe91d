"""The axe check itself: it must find a known violation, or a clean journey proves nothing."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Page

BROKEN = """<!DOCTYPE html><html lang="en"><head><title>axe self-test</title></head>
<body><main><h1>Self-test</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="unlabelled"></main></body></html>"""


def test_axe_check_reports_known_violations(page: Page, axe_check: Any) -> None:
    """axe_check fails on a page with an image without alt text and an unlabelled input."""
    if os.environ.get("ENGAGE_AXE_SOFT") == "1":
        pytest.skip("ENGAGE_AXE_SOFT=1 defers failures to the end of the test")
    page.set_content(BROKEN)
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page, "axe self-test")
    message = str(failure.value)
    assert "image-alt" in message and "label" in message and "axe self-test" in message


def test_pages_run_under_the_real_csp_and_violations_are_caught(page: Page, axe_check: Any) -> None:
    """Under the site's CSP an injected inline style is refused and reported, yet axe still runs."""
    response = page.goto("/?choose=1")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    axe_check(page, "language choice under the real CSP")  # raises if axe cannot be injected
    assert page.evaluate("() => typeof window.axe.run") == "function"
    assert page.csp_violations == []
    page.evaluate("() => document.querySelector('h1').setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)  # the violation event and console message are asynchronous
    assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    assert any("<h1" in v for v in page.csp_violations), "the report does not name the element"
    page.csp_violations.clear()  # expected here; any other would fail the test at teardown
