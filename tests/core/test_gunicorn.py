"""The app under a real gunicorn with the project's gunicorn.conf.py: what the test client cannot
show (chunked bodies as gunicorn passes them, request-line and header limits, no control socket).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engage import PROJECT_ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """Start gunicorn (one worker, the null analyser: no request here reaches the engine)."""
    home = tmp_path_factory.mktemp("home")
    port = free_port()
    env = {**os.environ, "HOME": str(home), "ENGAGE_BIND": f"127.0.0.1:{port}", "ENGAGE_WORKERS": "1",
           "ENGAGE_ANALYSER": "null", "ENGAGE_LOG_FORMAT": "json", "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'engage.sqlite3'}"}
    env.pop("XDG_RUNTIME_DIR", None)
    log = (home / "gunicorn.log").open("w")
    proc = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=PROJECT_ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("gunicorn did not start:\n" + (home / "gunicorn.log").read_text())
            time.sleep(0.2)
    yield port, home
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def request(port: int, method: str, path: str, body=None, headers=None, chunked=False):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
    response = conn.getresponse()
    data = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, data


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b"state=x&q_priorities="
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


@pytest.mark.parametrize("total", [300 * 1024, 10 * 1024 * 1024])
def test_chunked_body_over_the_limit_gets_the_translated_413_page(server, total):
    port, _ = server
    headers = {"Transfer-Encoding": "chunked", "Content-Type": "application/x-www-form-urlencoded"}
    status, html = request(port, "POST", "/da/s/any-survey", body=chunks(total), headers=headers, chunked=True)
    assert status == 413
    assert '<html lang="da">' in html
    assert "Gør dine svar kortere" in html


def test_long_request_line_gets_the_translated_414_page(server):
    port, _ = server
    status, html = request(port, "GET", "/en/?q=" + "x" * 6000)
    assert status == 414
    assert "The address is too long" in html


def test_large_headers_get_the_translated_431_page(server):
    port, _ = server
    status, html = request(port, "GET", "/da/", headers={"X-Filler": "y" * 20000})
    assert status == 431
    assert "slette sidens cookies" in html


def test_metrics_add_up_the_workers_counts(server):
    port, _ = server
    for _ in range(3):
        request(port, "GET", "/healthz")
    status, text = request(port, "GET", "/metrics")
    assert status == 200
    assert re.search(r'engage_http_request_duration_seconds_count\{endpoint="core.healthz",method="GET",status="200"\} [3-9]', text), text[:3000]


def test_logs_are_json_lines_without_paths(server):
    port, home = server
    request(port, "GET", "/da/receipt/a-secret-receipt-token")
    time.sleep(0.5)
    lines = [line for line in (home / "gunicorn.log").read_text().splitlines() if line.strip()]
    assert lines
    for line in lines:
        json.loads(line)
    assert "a-secret-receipt-token" not in "\n".join(lines)


def test_no_control_socket_in_the_home_directory(server):
    _, home = server
    assert sorted(p.name for p in home.iterdir()) == ["gunicorn.log"]
