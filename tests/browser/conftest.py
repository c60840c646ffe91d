"""Real-browser fixtures: the test app served over HTTP, one headless Chromium, and an axe check.

Every test in this folder is marked `browser` and is skipped (with the reason shown) when Debian's
Chromium is not at /usr/bin/chromium. Playwright never downloads a browser here.

Pages run under the app's real Content-Security-Policy (no `bypass_csp`): axe is injected through
DevTools (`page.evaluate`), which the policy does not govern, and a test whose pages make the browser
report a CSP violation fails in the teardown of `page` (a phone), `desktop_page` or `new_page` (a
laptop-sized page in a browser context of its own, e.g. for a second staff login), listing each report.

Screenshots: `axe_check` saves one of each page it checks, and a failing test saves its last page,
in test-artifacts/browser/<test name>/ (gitignored).

ENGAGE_AXE_SOFT=1 collects the axe violations of a whole test and fails once at its end, so that one
run lists every violation of a journey instead of stopping at the first page with one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from engage import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
HERE = Path(__file__).resolve().parent
#: A phone (iPhone 12–15 size) at scale 1.
VIEWPORT = {"width": 390, "height": 844}
#: A laptop screen, for the staff pages (filters, tables and charts side by side).
DESKTOP = {"width": 1280, "height": 900}
#: Console messages by which Chromium reports a Content-Security-Policy violation.
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to ")
#: Runs before any page script: reports each violation with its directive and the element or URL
#: that caused it (Chromium's own console message does not name the element of an inline style).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 300) : String(e.target);
  console.error(`Content Security Policy violation: ${e.effectiveDirective} blocked `
    + `${e.blockedURI || "inline"} at ${e.sourceFile || location.href}:${e.lineNumber} in ${where}`);
}, true);
"""


def _skip_reason() -> str | None:
    """Return why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]'); browser tests skipped"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`; skip them all when Chromium is missing."""
    reason = _skip_reason()
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Remember each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the server -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Serve the session's test app (pipelines loaded) on a free local port in a thread; yield its URL."""
    from werkzeug.serving import make_server

    # A running server has its NLP pipelines loaded after its first answer; load them now, so that
    # the first submission of a test does not wait 10+ s for spaCy and time out.
    engine = getattr(app.extensions["engage.analyser"], "engine", None)  # the null analyser has none
    if engine is not None:
        engine.warm_up()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    request_log = logging.getLogger("werkzeug")
    level = request_log.level
    request_log.setLevel(logging.WARNING)  # one line per static file drowns failure reports
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        request_log.setLevel(level)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch one headless Chromium (Debian's, never a downloaded one) for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _artifact_dir(node: pytest.Item) -> Path:
    """Return test-artifacts/browser/<test name>/ for `node` (a file-system-safe name)."""
    return ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name).strip("_")


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """Return this test's (emptied) screenshot folder."""
    folder = _artifact_dir(request.node)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser: Any, live_server: str, viewport: dict[str, int]) -> Any:
    """Return a new page in a new context on the live server, under the site's real CSP.

    `page.js_errors` collects the JavaScript exceptions thrown by the app's pages and
    `page.csp_violations` the Content-Security-Policy violations the browser reports.
    """
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = browser.new_context(
        base_url=live_server,
        viewport=viewport,
        device_scale_factor=1,
        is_mobile=False,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    errors: list[str] = []
    violations: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: violations.append(f"{msg.text} (page {page.url})")
            if CSP_MESSAGE.search(msg.text) else None)
    page.js_errors = errors  # JavaScript exceptions thrown by the app's pages, for assertions
    page.csp_violations = violations  # checked by close_pages: a test never leaves one behind
    return page


def close_pages(pages: list[Any], artifacts: Path, request: pytest.FixtureRequest) -> None:
    """Screenshot each of `pages` if the test failed, close their contexts, then fail on any CSP
    violation the browser reported in them."""
    call = getattr(request.node, "rep_call", None)
    violations: list[str] = []
    for number, page in enumerate(pages, start=1):
        if call is not None and call.failed and not page.is_closed():
            name = "FAILED-last-page" if len(pages) == 1 else f"FAILED-last-page-{number}"
            try:
                page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
            except Exception as exc:  # noqa: BLE001 — a missing screenshot must not hide the failure
                print(f"could not save a failure screenshot: {exc}")
        page.context.close()
        violations.extend(page.csp_violations)
    if violations:
        pytest.fail(
            "the browser reported Content-Security-Policy violations:\n  - " + "\n  - ".join(violations),
            pytrace=False,
        )


@pytest.fixture
def page(browser: Any, live_server: str, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open a fresh phone-sized page on the live server, under the site's real CSP."""
    page = open_page(browser, live_server, VIEWPORT)
    try:
        yield page
    finally:
        close_pages([page], artifacts, request)


@pytest.fixture
def new_page(browser: Any, live_server: str, artifacts: Path,
             request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Return new_page(viewport=DESKTOP): a page in a browser context of its own (its own cookies,
    so its own login), under the site's real CSP; every one is checked and closed after the test."""
    pages: list[Any] = []

    def factory(viewport: dict[str, int] = DESKTOP) -> Any:
        pages.append(open_page(browser, live_server, viewport))
        return pages[-1]

    try:
        yield factory
    finally:
        close_pages(pages, artifacts, request)


@pytest.fixture
def desktop_page(new_page: Callable[..., Any]) -> Any:
    """Open a fresh laptop-sized (1280×900) page on the live server, for the staff pages."""
    return new_page(DESKTOP)


# --- accessibility ----------------------------------------------------------------------------


def format_violations(label: str, url: str, violations: list[dict[str, Any]]) -> str:
    """Return axe `violations` as a readable list: rule, impact, help, and each target."""
    lines = [f"axe: {len(violations)} WCAG 2.1 A/AA violation(s) on {label} ({url}):"]
    for v in violations:
        lines.append(f"  - {v['id']} [{v.get('impact') or 'n/a'}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"      at {target}")
            lines.append(f"         {node['html'][:200]}")
            if summary:
                lines.append(f"         {summary[:300]}")
    return "\n".join(lines)


@cache
def axe_source() -> str:
    """Return axe-core's script, read once per session."""
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core into `page` (once per document) and return its WCAG 2.1 A/AA violations.

    axe is evaluated through DevTools, which the page's CSP (`script-src 'self'`) does not govern;
    a <script> tag would be refused.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations;
        }""",
        AXE_TAGS,
    )
    return result


@pytest.fixture
def axe_check(artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[Any, str], None]]:
    """Return axe_check(page, label): screenshot the page, run axe, fail listing any violation."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make assets) first")
    soft = os.environ.get("ENGAGE_AXE_SOFT") == "1"
    found: list[str] = []
    count = 0

    def check(page: Any, label: str) -> None:
        nonlocal count
        count += 1
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-")
        page.screenshot(path=str(artifacts / f"{count:02d}-{name}.png"), full_page=True)
        violations = run_axe(page)
        if violations:
            message = format_violations(label, page.url, violations)
            if not soft:
                pytest.fail(message, pytrace=False)
            found.append(message)

    yield check
    if found:
        pytest.fail("\n\n".join(found), pytrace=False)
