"""Load test: many complete submissions of the demo survey through gunicorn, with retries and
optionally gunicorn workers killed (`kill -9`) mid-run; at the end, what the clients saw is
compared with the database.

    .venv/bin/python -m bench.load --db sqlite|postgres --submissions N --clients C \\
        [--kill-worker-at FRACTION[,FRACTION...]] [--timeout SECONDS] \\
        [--workers W] [--worker-class sync|gthread] [--threads T] [--retries R] [--resubmit SHARE] [--json]

What it does, all on 127.0.0.1:

1. a fresh database: a SQLite file in a temporary folder, or a scratch PostgreSQL database
   `engage_bench_load_<pid>` (created from BENCH_POSTGRES_URL, default
   postgresql+psycopg://postgres@127.0.0.1:5432/postgres, dropped afterwards), migrated and seeded
   with `flask db upgrade` and `flask demo seed --responses 0`, with ENGAGE_JOBS_IMMEDIATE=true;
2. gunicorn as a subprocess, `gunicorn -c gunicorn.conf.py --bind 127.0.0.1:<free port> wsgi:app`
   (worker flags only when given: otherwise gunicorn.conf.py's settings), its log in the temp folder;
3. C client threads share N submissions. Each submission is a new respondent (its own cookie
   jar, so its own session and CSRF token) over the thread's keep-alive connection: GET
   /da/s/<slug>, then one POST per section with valid answers to every question on the page
   (read from the rendered form: radios, check boxes, drop-downs, rankings, text fields within
   their length limits; free text from the demo answers) and `action=next`, `submit` on the last.
   A request that fails with a connection error, a timeout or a 5xx is sent again unchanged (the
   final POST with the same signed state: its idempotency token), up to --retries times.
   A share of the confirmed submissions (--resubmit, 5 %) sends the same final POST once more,
   as a double click would: it must be answered with the same receipt and store nothing new;
4. at FRACTION of the submissions done, one gunicorn worker (a child pid of the master) gets
   SIGKILL: the worker serving the final POST in flight longest (found through its socket in
   /proc), else the busiest one; the master starts a new one. Each kill says whether that final
   POST had committed (the client's retry then got the stored row) or the retry stored it;
5. when all are done (or --timeout passed: no new submissions start), gunicorn stops and the
   `response` rows are compared with the clients' records. Each client keeps the final state it
   posted (its idempotency token: the row's `submission_hash` is the token's SHA-256) and the
   receipt token from the 303's Location (the row's `receipt_hash` is its SHA-256).

Printed: submitted, confirmed by client, rows in DB, lost (a receipt but no row, or never
confirmed), duplicated (more rows than distinct submissions / receipts), receipts that do not
match the state's token, errors seen by clients and in gunicorn's log, elapsed, submissions/s.
Exit status 1 when anything was lost or duplicated (or a receipt or double submit was wrong),
2 when the time limit ended the run early.

The module also holds what bench_web uses: `fresh_database`, `Server`, `Client`, `walk`.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.client
import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-web-and-load-secret-key-long-enough-0123456789"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DEMO_ANSWERS = ROOT / "engage" / "demo" / "data" / "answers.jsonl"
LANG = "da"
SEED = 2026
FORM = "application/x-www-form-urlencoded"
#: gunicorn's log line when a worker has loaded the NLP pipelines (gunicorn.conf.py).
READY_LINE = re.compile(r"NLP pipelines ready|warm-up failed")


def _bin(name: str) -> str:
    """Return the path of a console script next to this Python (the venv's), else from PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of `values` (nearest rank), NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[rank]


# --- the database ------------------------------------------------------------------------------


@dataclass
class Database:
    """A fresh database for one benchmark run, and the environment the app runs with."""

    kind: str
    url: str
    folder: Path
    description: str

    def env(self) -> dict[str, str]:
        """Return the environment for gunicorn and the flask commands on this database."""
        env = dict(os.environ)
        env.pop("ENGAGE_BIND", None)
        env.update(
            DATABASE_URL=self.url,
            ENGAGE_ENV="development",
            ENGAGE_SECRET_KEY=SECRET_KEY,
            ENGAGE_JOBS_IMMEDIATE="true",
            ENGAGE_JOBS_SQLITE_PATH=str(self.folder / "jobs.sqlite3"),
            ENGAGE_EXPORT_DIR=str(self.folder / "exports"),
            ENGAGE_LABELS_DIR=str(self.folder / "labels"),
            # Every simulated respondent comes from 127.0.0.1: lift the per-client limits.
            ENGAGE_SUBMIT_RATE_LIMIT="1000000 per minute",
            ENGAGE_CHAT_RATE_LIMIT="1000000 per minute",
            PYTHONUNBUFFERED="1",
        )
        return env

    def app_config(self) -> dict[str, Any]:
        """Return create_app() settings for an in-process app on this database."""
        return {
            "SQLALCHEMY_DATABASE_URI": self.url,
            "SECRET_KEY": SECRET_KEY,
            "ENV": "development",
            "JOBS_IMMEDIATE": True,
            "JOBS_SQLITE_PATH": str(self.folder / "jobs.sqlite3"),
            "EXPORT_DIR": str(self.folder / "exports"),
            "LABELS_DIR": str(self.folder / "labels"),
            "SUBMIT_RATE_LIMIT": "1000000 per minute",
            "CHAT_RATE_LIMIT": "1000000 per minute",
        }


def _flask(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([_bin("flask"), "--app", "engage", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def fresh_database(kind: str, label: str = "load") -> Iterator[Database]:
    """Yield a migrated database with the demo survey and no responses; remove it afterwards.

    `kind` "sqlite": a file in a temporary folder; "postgres": the scratch database
    engage_bench_<label>_<pid> on the server of BENCH_POSTGRES_URL (dropped at the end).
    """
    import sqlalchemy as sa

    if kind not in ("sqlite", "postgres"):
        raise ValueError(f"unknown database kind {kind!r} (sqlite or postgres)")
    with tempfile.TemporaryDirectory(prefix=f"engage-bench-{label}-") as tmp:
        folder = Path(tmp)
        if kind == "sqlite":
            database = Database("sqlite", f"sqlite:///{folder / 'engage.sqlite3'}", folder, "SQLite (temp file)")
            _flask(database.env(), "db", "upgrade")
            _flask(database.env(), "demo", "seed", "--responses", "0")
            yield database
            return
        name = f"engage_bench_{label}_{os.getpid()}"
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        try:
            database = Database("postgres", url, folder, f"PostgreSQL (scratch database {name})")
            _flask(database.env(), "db", "upgrade")
            _flask(database.env(), "demo", "seed", "--responses", "0")
            yield database
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            if int(text[text.rfind(")") + 2:].split()[1]) == pid:
                found.append(int(stat.parent.name))
        return found


def process_cpu_seconds(pid: int) -> float:
    """Return user + system CPU seconds of process `pid` (0 when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rfind(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_rss_mb(pid: int) -> float:
    """Return the resident memory of process `pid` in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _socket_inodes(pid: int) -> set[int]:
    found = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                link = os.readlink(fd)
            except OSError:
                continue
            if link.startswith("socket:["):
                found.add(int(link[8:-1]))
    except OSError:
        pass
    return found


def _tcp_inode(server_port: int, client_port: int) -> int | None:
    """Return the inode of the server side of the loopback TCP connection client_port→server_port."""
    try:
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        local, remote, inode = parts[1], parts[2], int(parts[9])
        if int(local.rsplit(":", 1)[1], 16) == server_port and int(remote.rsplit(":", 1)[1], 16) == client_port:
            return inode or None
    return None


class Server:
    """gunicorn with gunicorn.conf.py on a free loopback port, as a subprocess of this one."""

    def __init__(self, target: str, database: Database, name: str = "app", *, workers: int | None = None,
                 worker_class: str | None = None, threads: int | None = None) -> None:
        self.target = target
        self.database = database
        self.name = name
        self.port = free_port()
        self.flags: list[str] = []
        if workers:
            self.flags += ["--workers", str(workers)]
        if worker_class:
            self.flags += ["--worker-class", worker_class]
        if threads:
            self.flags += ["--threads", str(threads)]
        self.log_path = database.folder / f"gunicorn-{name}-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self.settings: dict[str, str] = {}

    def command(self, *extra: str) -> list[str]:
        """Return the gunicorn command line."""
        return [_bin("gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}",
                *self.flags, *extra, self.target]

    def describe(self) -> str:
        """Return the worker settings in a short form, e.g. "gthread 2×4 (timeout 30 s, keepalive 2 s)"."""
        s = self.settings
        kind = s.get("worker_class", "?").rsplit(".", 1)[-1].removesuffix("Worker").lower() or "?"
        threads = f"×{s.get('threads')}" if s.get("threads", "1") != "1" or kind == "gthread" else ""
        return (f"{kind} {s.get('workers', '?')}{threads} workers (timeout {s.get('timeout', '?')} s, "
                f"keepalive {s.get('keepalive', '?')} s, max_requests {s.get('max_requests', '?')}, "
                f"preload {s.get('preload_app', '?')})")

    def read_settings(self) -> dict[str, str]:
        """Return gunicorn's fully resolved settings for this command line (`--print-config`)."""
        done = subprocess.run(self.command("--print-config"), cwd=ROOT, env=self.database.env(),
                              capture_output=True, text=True, check=False)
        keep = ("workers", "worker_class", "threads", "timeout", "keepalive", "preload_app",
                "max_requests", "worker_connections", "graceful_timeout", "backlog")
        settings = {}
        for line in done.stdout.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() in keep:
                settings[key.strip()] = value.strip()
        if "workers" not in settings:
            raise RuntimeError(f"gunicorn --print-config failed:\n{done.stdout}\n{done.stderr}")
        self.settings = settings
        return settings

    def start(self, ready_timeout: float = 180.0, warm_timeout: float = 90.0) -> Server:
        """Start gunicorn; return once /healthz answers and every worker has warmed up."""
        if not self.settings:
            self.read_settings()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=self.database.env(), stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + ready_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
                conn.close()
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not answer within {ready_timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.2)
        # Each worker loads the NLP pipelines before it takes requests (post_worker_init): wait for
        # all of them, so no measured request waits for a worker that is still warming up.
        if self.database.env().get("ENGAGE_ANALYSER", "spacy") in ("spacy", '"spacy"'):
            workers = int(self.settings.get("workers", "1"))
            deadline = time.monotonic() + warm_timeout
            while self.ready_workers() < workers and time.monotonic() < deadline:
                time.sleep(0.2)
        return self

    def ready_workers(self) -> int:
        """Return how many "pipelines ready" lines gunicorn's log has."""
        try:
            return len(READY_LINE.findall(self.log_path.read_text(errors="replace")))
        except OSError:
            return 0

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def server_errors(self) -> dict[str, int]:
        """Return the exception lines in gunicorn's log ("sqlite3.OperationalError: …"), counted."""
        found: Counter[str] = Counter()
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return {}
        for line in text.splitlines():
            match = re.match(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Timeout)): ?(.{0,80})", line)
            if match:
                found[f"{match.group(1)}: {match.group(2)}".strip()] += 1
            elif any(m in line for m in ("WORKER TIMEOUT", "was sent SIG", "exited with code", "Booting worker")):
                text = re.sub(r"\s*\(?pid:?\s*\d+\)?", "", line)
                start = max(text.find("Worker"), text.find("WORKER"), text.find("Booting"))
                found[text[start:start + 60].strip()] += 1
        return dict(found.most_common(8))

    @property
    def master_pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        """Return the pids of gunicorn's workers (the master's children)."""
        return _children(self.master_pid) if self.proc and self.proc.poll() is None else []

    def workers_cpu_seconds(self) -> float:
        """Return the CPU seconds used so far by the current workers."""
        return sum(process_cpu_seconds(pid) for pid in self.worker_pids())

    def workers_rss_mb(self) -> list[float]:
        """Return each worker's resident memory in MB."""
        return [round(process_rss_mb(pid)) for pid in self.worker_pids()]

    def worker_serving(self, client_port: int) -> int | None:
        """Return the pid of the worker holding the connection from 127.0.0.1:`client_port`."""
        inode = _tcp_inode(self.port, client_port)
        if inode is None:
            return None
        for pid in self.worker_pids():
            if inode in _socket_inodes(pid):
                return pid
        return None

    def kill_pid(self, pid: int) -> bool:
        """SIGKILL worker `pid` (only one of this server's workers); return whether it was sent."""
        if pid not in self.worker_pids():
            return False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill_worker(self, rng: random.Random) -> int | None:
        """SIGKILL the worker that used the most CPU in the last 0.1 s (ties: at random), so it
        is most likely in the middle of a request, often an analysed final submit; return its pid."""
        pids = self.worker_pids()
        if not pids:
            return None
        before = {pid: process_cpu_seconds(pid) for pid in pids}
        time.sleep(0.1)
        busy = {pid: process_cpu_seconds(pid) - before[pid] for pid in pids}
        top = max(busy.values())
        pid = rng.choice([p for p, cpu in busy.items() if cpu == top])
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return None
        return pid

    def stop(self) -> None:
        """Stop gunicorn (TERM, then KILL after 30 s) and any worker left behind."""
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = self.worker_pids()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the HTTP client ---------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str | None
    body: bytes


class Client:
    """One keep-alive HTTP/1.1 connection (http.client) and a cookie jar."""

    def __init__(self, port: int, timeout: float = 30.0, host: str = "127.0.0.1") -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None) -> Reply:
        """Send one request; raise OSError / http.client.HTTPException on transport errors."""
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = FORM
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        for raw in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in raw.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return Reply(response.status, response.headers.get("Location"), data)

    def connect(self) -> int:
        """Open the connection if it is not open; return its local port."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        if self.conn.sock is None:
            self.conn.connect()
        return self.conn.sock.getsockname()[1]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# --- a respondent ------------------------------------------------------------------------------

_FIELD_NAMES = re.compile(rb'name="(q_[^"]+)"')
_INPUT = {name: re.compile(rb'<input\b[^>]*\bname="' + name + rb'"[^>]*>') for name in (b"state", b"csrf_token")}
_VALUE = re.compile(rb'\bvalue="([^"]*)"')
_IS_LAST = re.compile(rb'name="action" value="submit"')
_FORM_ACTION = re.compile(rb'<form id="survey-form"[^>]*\baction="([^"]+)"')


@dataclass
class FormSpec:
    """The questions' fields on one rendered section (from the HTML)."""

    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # name → "input" | "textarea"
    limits: dict[str, int] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """Collects the `q_*` fields of a rendered section and the length limits shown for them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.spec = FormSpec()
        self._select: str | None = None
        self._limit: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "option" and self._select is not None:
            if a.get("value"):
                self.spec.selects[self._select].append(a["value"])
            return
        if tag == "span" and a.get("id", "").endswith("-limit"):
            self._limit = a["id"].removesuffix("-limit")
        if not name.startswith("q_"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "radio":
                self.spec.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                self.spec.checkboxes.setdefault(name, []).append(a.get("value", "y"))
            elif kind in ("text", "search", "email", "number"):
                self.spec.texts[name] = "input"
        elif tag == "textarea":
            self.spec.texts[name] = "textarea"
        elif tag == "select":
            self._select = name
            self.spec.selects[name] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "span":
            self._limit = None

    def handle_data(self, data: str) -> None:
        if self._limit:
            digits = re.findall(r"\d[\d.,\u00a0 ]*\d|\d", data)
            if digits:
                self.spec.limits[self._limit] = int(re.sub(r"\D", "", digits[0]))
            self._limit = None


_specs: dict[tuple, FormSpec] = {}


def form_spec(body: bytes) -> FormSpec:
    """Return the question fields of a rendered section (parsed once per distinct field set)."""
    key = tuple(_FIELD_NAMES.findall(body))
    spec = _specs.get(key)
    if spec is None:
        parser = _FormParser()
        parser.feed(body.decode("utf-8", "replace"))
        spec = _specs[key] = parser.spec
    return spec


def _hidden(body: bytes, name: bytes) -> str | None:
    tag = _INPUT[name].search(body)
    if not tag:
        return None
    value = _VALUE.search(tag.group(0))
    return html.unescape(value.group(1).decode()) if value else None


class TextPool:
    """Free-text answers from the demo data, by question key (any answer for other questions)."""

    def __init__(self, path: Path = DEMO_ANSWERS) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.all: list[str] = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    item = json.loads(line)
                    self.by_key.setdefault(item["question"], []).append(item["text"])
                    self.all.append(item["text"])

    def text(self, key: str, rng: random.Random, limit: int) -> str:
        text = rng.choice(self.by_key.get(key) or self.all)
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") or text[:limit]
        return text


def fill(spec: FormSpec, rng: random.Random, pool: TextPool) -> list[tuple[str, str]]:
    """Return valid (field, value) pairs for every question field of `spec`."""
    pairs: list[tuple[str, str]] = []
    for name, values in spec.radios.items():
        pairs.append((name, rng.choice(values)))
    for name, values in spec.checkboxes.items():
        if len(values) == 1:  # a consent box (a required one must be ticked)
            pairs.append((name, values[0]))
        else:
            pairs += [(name, v) for v in rng.sample(values, k=rng.randint(1, min(4, len(values))))]
    rankings: dict[str, list[str]] = {}
    for name, options in spec.selects.items():
        stem, dash, _ = name.rpartition("-")
        if dash and options and all(o.isdigit() for o in options):
            rankings.setdefault(stem, []).append(name)
        elif options:
            pairs.append((name, rng.choice(options)))
    for names in rankings.values():
        places = [str(n) for n in range(1, len(names) + 1)]
        rng.shuffle(places)
        pairs += list(zip(names, places, strict=True))
    for name, widget in spec.texts.items():
        limit = spec.limits.get(name) or (120 if widget == "input" else 2000)
        pairs.append((name, pool.text(name.removeprefix("q_"), rng, limit)))
    return pairs


class GiveUp(Exception):
    """A request still failed after the allowed retries (or failed in a way a retry cannot fix)."""


#: send(method, path, body, step) -> Reply; step is "page", "section" or "final".
Send = Callable[[str, str, bytes | None, str], Reply]


@dataclass
class Walk:
    """What one respondent saw."""

    receipt: str | None = None
    #: The signed state sent with the final POST (it carries the idempotency token).
    state: str | None = None
    final_seconds: float | None = None
    walk_seconds: float = 0.0
    final_attempts: int = 0
    requests: int = 0
    error: str | None = None
    errors: list[str] = field(default_factory=list)
    #: When the confirmed final POST was sent again: "same receipt", "other receipt", or why not.
    resubmitted: str | None = None


def _send_retrying(send: Send, walk: Walk, method: str, path: str, body: bytes | None, step: str,
                   retries: int) -> tuple[Reply, float]:
    """Send until the reply is not a 5xx and no transport error occurs (at most retries + 1 times)."""
    for attempt in range(retries + 1):
        if step == "final":
            walk.final_attempts += 1
        walk.requests += 1
        started = time.perf_counter()
        try:
            reply = send(method, path, body, step)
        except (OSError, http.client.HTTPException) as exc:
            walk.errors.append(f"{step}: {type(exc).__name__}")
        else:
            seconds = time.perf_counter() - started
            if reply.status < 500:
                return reply, seconds
            walk.errors.append(f"{step}: HTTP {reply.status}")
        if attempt < retries:
            time.sleep(min(2.0, 0.05 * 2 ** attempt))
    raise GiveUp(walk.errors[-1])


def walk(send: Send, slug: str, rng: random.Random, pool: TextPool, retries: int = 0,
         lang: str = LANG, max_sections: int = 20, resubmit: bool = False) -> Walk:
    """Take the survey `slug` as one respondent: GET the first section, POST each section with
    valid answers, and the last with action=submit. Never raises for the server's failures: they
    are in the returned Walk (`error` set when the walk was not confirmed by a receipt).
    `resubmit`: once confirmed, send the same final POST again (a double submit), which must be
    answered with the same receipt."""
    result = Walk()
    started = time.perf_counter()
    try:
        reply, _ = _send_retrying(send, result, "GET", f"/{lang}/s/{slug}", None, "page", retries)
        for _step in range(max_sections):
            if reply.status != 200:
                raise GiveUp(f"section: HTTP {reply.status}")
            state, csrf = _hidden(reply.body, b"state"), _hidden(reply.body, b"csrf_token")
            if not state:
                raise GiveUp("no state field in the page")
            action = _FORM_ACTION.search(reply.body)
            path = html.unescape(action.group(1).decode()) if action else f"/{lang}/s/{slug}"
            is_last = bool(_IS_LAST.search(reply.body))
            pairs = fill(form_spec(reply.body), rng, pool)
            pairs += [("state", state), ("csrf_token", csrf or ""), ("action", "submit" if is_last else "next")]
            body = urlencode(pairs).encode()
            step = "final" if is_last else "section"
            if is_last:
                result.state = state
            reply, seconds = _send_retrying(send, result, "POST", path, body, step, retries)
            if reply.status in (302, 303) and reply.location and "/receipt/" in reply.location:
                result.receipt = urlsplit(reply.location).path.rsplit("/", 1)[-1]
                result.final_seconds = seconds
                if resubmit:
                    result.resubmitted = _resubmit(send, result, path, body, retries)
                break
            if is_last:
                raise GiveUp(f"final: HTTP {reply.status}")
        else:
            raise GiveUp("too many sections")
    except GiveUp as exc:
        result.error = str(exc)
    result.walk_seconds = time.perf_counter() - started
    return result


def _resubmit(send: Send, result: Walk, path: str, body: bytes, retries: int) -> str:
    try:
        reply, _ = _send_retrying(send, result, "POST", path, body, "resubmit", retries)
    except GiveUp as exc:
        return f"failed: {exc}"
    if reply.status in (302, 303) and reply.location and "/receipt/" in reply.location:
        same = urlsplit(reply.location).path.rsplit("/", 1)[-1] == result.receipt
        return "same receipt" if same else "other receipt"
    return f"HTTP {reply.status}"


def http_send(client: Client) -> Send:
    """Return a `send` for `walk` over `client`."""
    return lambda method, path, body, step: client.request(method, path, body)


# --- the load test -----------------------------------------------------------------------------


def _check_database(database: Database, records: list[Walk | None],
                    kills: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """Compare the clients' records with the `response` rows; say for each worker killed during
    a final POST whether that POST had committed (its retry was then answered from the stored row:
    the idempotent path) or the retry stored the response."""
    from sqlalchemy import func, select

    from engage import create_app
    from engage.core.extensions import db
    from engage.models import Response
    from engage.surveys import services

    def sha(value: str) -> str:
        return hashlib.sha256(value.encode()).hexdigest()

    app = create_app(database.app_config())
    with app.app_context():
        rows = db.session.execute(
            select(Response.submission_hash, Response.receipt_hash).where(Response.is_demo.is_(False))
        ).all()
        by_submission = Counter(r.submission_hash for r in rows)
        receipts = {r.receipt_hash for r in rows}
        known: set[str] = set()
        lost_confirmed = never_confirmed = never_confirmed_stored = mismatched = 0
        for rec in records:
            if rec is None:
                continue
            token = services.load_state(rec.state).token if rec.state else None
            if token:
                known.add(sha(token))
            if rec.receipt is None:
                never_confirmed += 1
                never_confirmed_stored += bool(token and by_submission.get(sha(token)))
                continue
            if sha(rec.receipt) not in receipts:
                lost_confirmed += 1
            if token and services.receipt_token_for(token) != rec.receipt:
                mismatched += 1
        for kill in kills:
            state, killed_at = kill.pop("state", None), kill.pop("killed at", None)
            if not state:
                continue
            row = db.session.execute(select(Response.submitted_at).where(
                Response.submission_hash == sha(services.load_state(state).token))).first()
            if row is None:
                kill["its submission"] = "not stored"
            elif row.submitted_at < killed_at:
                kill["its submission"] = "committed before the kill; the retry got the stored row"
            else:
                kill["its submission"] = "not committed when killed; stored by the retry"
        total_rows = len(rows)
        result = {
            "rows in DB": total_rows,
            "distinct submission hashes": len(by_submission),
            "distinct receipt hashes": len(receipts),
            "lost: receipt but no row": lost_confirmed,
            "lost: never confirmed": never_confirmed,
            "never confirmed but stored": never_confirmed_stored,
            "duplicated": (total_rows - len(by_submission)) + sum(1 for h in by_submission if h not in known),
            "receipt mismatches": mismatched,
            "answers in DB": db.session.scalar(select(func.count()).select_from(Response).join(Response.answers)),
        }
        db.session.remove()
        db.engine.dispose()
    return result


def _kill_during_final(server: Server, in_final: dict[int, tuple[float, int, bytes]], rng: random.Random,
                       wait: float = 5.0) -> dict[str, Any]:
    """SIGKILL the worker serving the final POST that has been in flight longest (so it is deep in
    analysis or committing); if none can be found within `wait` seconds, the busiest worker.
    The returned "state" (the killed POST's form state) is for `_check_database`, which removes it."""
    from datetime import UTC, datetime
    from urllib.parse import parse_qs

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for _sent, port, body in sorted(list(in_final.values())):
            pid = server.worker_serving(port)
            if pid is not None and server.kill_pid(pid):
                state = parse_qs(body.decode()).get("state", [""])[0]
                return {"pid": pid, "during": "a final POST", "final POSTs in flight": len(in_final),
                        "state": state, "killed at": datetime.now(UTC)}
        time.sleep(0.01)
    return {"pid": server.kill_worker(rng), "during": "any request (busiest worker)",
            "final POSTs in flight": len(in_final)}


def run_load(db_kind: str, submissions: int, clients: int, *, kill_at: tuple[float, ...] = (),
             timeout: float = 1800.0, workers: int | None = None, worker_class: str | None = None,
             threads: int | None = None, retries: int = 8, request_timeout: float = 30.0,
             resubmit: float = 0.05, progress: bool = True) -> dict[str, Any]:
    """Run one load test (see the module docstring) and return its figures."""
    from engage.demo.seed import DEMO_SLUG

    pool = TextPool()
    with fresh_database(db_kind, "load") as database:
        server = Server("wsgi:app", database, "load", workers=workers, worker_class=worker_class, threads=threads)
        server.start()
        try:
            records: list[Walk | None] = [None] * submissions
            counter = itertools.count()
            finished = [0]
            lock = threading.Lock()
            started = time.monotonic()
            deadline = started + timeout
            cpu_before = time.process_time()

            in_final: dict[int, tuple[float, int, bytes]] = {}  # thread → (sent at, local port, body): final POSTs

            def client_loop() -> None:
                client = Client(server.port, timeout=request_timeout)

                def send(method: str, path: str, body: bytes | None, step: str) -> Reply:
                    if step != "final":
                        return client.request(method, path, body)
                    me = threading.get_ident()
                    try:
                        in_final[me] = (time.monotonic(), client.connect(), body or b"")
                    except OSError:
                        client.close()
                        raise
                    try:
                        return client.request(method, path, body)
                    finally:
                        in_final.pop(me, None)

                while time.monotonic() < deadline:
                    i = next(counter)
                    if i >= submissions:
                        break
                    client.cookies.clear()  # a new respondent: a new session and CSRF token
                    rng = random.Random(SEED * 1_000_003 + i)
                    records[i] = walk(send, DEMO_SLUG, rng, pool, retries=retries, resubmit=rng.random() < resubmit)
                    with lock:
                        finished[0] += 1
                client.close()

            threads_ = [threading.Thread(target=client_loop, daemon=True, name=f"client-{n}") for n in range(clients)]
            for t in threads_:
                t.start()
            kills: list[dict[str, Any]] = []
            pending_kills = sorted(kill_at)
            rng = random.Random(SEED)
            last_report = started
            while any(t.is_alive() for t in threads_):
                time.sleep(0.05)
                done = finished[0]
                while pending_kills and done >= pending_kills[0] * submissions:
                    fraction = pending_kills.pop(0)
                    kills.append({"at": fraction, "done": done, **_kill_during_final(server, in_final, rng)})
                    if progress:
                        print(f"  kill -9 worker {kills[-1]['pid']} during {kills[-1]['during']} at "
                              f"{done}/{submissions}", file=sys.stderr, flush=True)
                now = time.monotonic()
                if progress and now - last_report >= 10:
                    last_report = now
                    print(f"  {done}/{submissions} submissions, {now - started:.0f} s", file=sys.stderr, flush=True)
                if now > deadline + request_timeout * (retries + 2):
                    break  # clients stuck past every limit: report what we have
            elapsed = time.monotonic() - started
            client_cpu = time.process_time() - cpu_before
            stuck = sum(t.is_alive() for t in threads_)
        finally:
            server.stop()
        server_errors = server.server_errors()
        check = _check_database(database, records, kills)
        settings = server.describe()

    walks = [r for r in records if r is not None]
    confirmed = sum(r.receipt is not None for r in walks)
    errors = Counter(e for r in walks for e in r.errors)
    finals = [r.final_seconds * 1000 for r in walks if r.final_seconds is not None]
    lost = check["lost: receipt but no row"] + check["lost: never confirmed"]
    return {
        "database": database.description,
        "gunicorn": settings,
        "submissions asked": submissions,
        "clients": clients,
        "submitted": len(walks),
        "confirmed by client": confirmed,
        **check,
        "lost": lost,
        "final POSTs retried": sum(r.final_attempts > 1 for r in walks),
        "double submits (same final POST again)": dict(Counter(r.resubmitted for r in walks if r.resubmitted)),
        "confirmed after a retried final POST": sum(r.final_attempts > 1 and r.receipt is not None for r in walks),
        "errors seen by clients": dict(errors.most_common()),
        "why not confirmed": dict(Counter(r.error for r in walks if r.error).most_common(8)),
        "gunicorn's log: errors, worker starts": server_errors,
        "workers killed": kills,
        "elapsed s": round(elapsed, 1),
        "submissions/s": round(confirmed / elapsed, 1) if elapsed else 0.0,
        "requests": sum(r.requests for r in walks),
        "final POST p50 ms": round(statistics.median(finals), 1) if finals else None,
        "final POST p95 ms": round(percentile(finals, 95), 1) if finals else None,
        "client CPU s (this process)": round(client_cpu, 1),
        "stopped by the time limit": len(walks) < submissions,
        "client threads still stuck": stuck,
    }


def verdict(result: dict[str, Any]) -> int:
    """Return the exit status for a load result: 0 ok, 1 lost/duplicated/mismatched, 2 incomplete."""
    resubmits = result.get("double submits (same final POST again)", {})
    if result["lost"] or result["duplicated"] or result["receipt mismatches"] or any(
            k != "same receipt" for k in resubmits):
        return 1
    if result["stopped by the time limit"] or result["client threads still stuck"]:
        return 2
    return 0


def _print(result: dict[str, Any]) -> None:
    width = max(len(k) for k in result)
    for key, value in result.items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        print(f"{key:<{width}}  {value}")


def _fractions(text: str) -> tuple[float, ...]:
    values = tuple(float(x) for x in text.split(",") if x.strip())
    if any(not 0 < v < 1 for v in values):
        raise argparse.ArgumentTypeError("fractions must be between 0 and 1, e.g. 0.5 or 0.3,0.7")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--kill-worker-at", type=_fractions, default=(), metavar="FRACTION[,FRACTION...]",
                        help="kill -9 one gunicorn worker when this share of the submissions is done")
    parser.add_argument("--timeout", type=float, default=1800.0, help="no new submission starts after this (s)")
    parser.add_argument("--workers", type=int, help="gunicorn --workers (default: gunicorn.conf.py)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), help="gunicorn --worker-class")
    parser.add_argument("--threads", type=int, help="gunicorn --threads")
    parser.add_argument("--retries", type=int, default=8, help="times a failed request is sent again")
    parser.add_argument("--request-timeout", type=float, default=30.0, help="client socket timeout (s)")
    parser.add_argument("--resubmit", type=float, default=0.05, metavar="SHARE",
                        help="share of confirmed submissions that send the same final POST again "
                             "(must get the same receipt and no second row)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.submissions < 1 or args.clients < 1:
        parser.error("--submissions and --clients must be at least 1")
    result = run_load(args.db, args.submissions, args.clients, kill_at=args.kill_worker_at, timeout=args.timeout,
                      workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                      retries=args.retries, request_timeout=args.request_timeout, resubmit=args.resubmit)
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        _print(result)
    status = verdict(result)
    if status:
        print({1: "FAILED: submissions lost or duplicated, or a wrong receipt",
               2: "INCOMPLETE: the time limit ended the run early"}[status], file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
