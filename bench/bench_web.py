"""Benchmark: the citizen endpoints under gunicorn, against bare-Flask ceilings on the same
server, and gunicorn worker settings compared.

Four endpoints, measured in ONE run under the same gunicorn (gunicorn.conf.py; the bind and the
worker flags overridden on the command line), alternating in rounds so that whatever else the
machine does hits all of them alike:

- hello:  GET /bench/hello — a bare Flask route (bench/ceiling_app.py): the framework's ceiling;
- insert: POST /bench/insert — a bare Flask route that inserts one row into `bench_ping` with
  SQLAlchemy Core on the same database: the ceiling for a request that writes;
- page:   GET /da/s/<demo survey> — the survey's first section, as a new visitor sees it
  (session cookie, CSRF token, signed form state);
- submit: a complete submission of the demo survey: the client walks every section with valid
  answers (bench/load.py's respondent) and sends the last with action=submit; the final POST
  (validation, redaction and analysis of the free text, the insert, the 303 to the receipt) is
  timed apart, and the rate is whole submissions per second (5 requests each).

The ceiling app is mounted at /bench by werkzeug's DispatcherMiddleware in the same workers
(`bench.ceiling_app:combined()`), so both sides share every gunicorn setting. Each database gets
its own gunicorn (a SQLite temp file and a scratch PostgreSQL database, both migrated and seeded
with `flask db upgrade` + `flask demo seed --responses 0`, ENGAGE_JOBS_IMMEDIATE=true); both
servers run side by side and the rounds alternate over database × endpoint. Each round runs one
endpoint for --seconds from --concurrency client threads (http.client, keep-alive; a sync worker
closes the connection after each response, so the client reconnects). Reported per endpoint and
database: requests/s, p50/p95 latency, the gunicorn workers' CPU time per request (moves less
with machine noise than wall time; PostgreSQL's own CPU is not in it), the spread of the rounds'
rates, and the ratios submit/insert and page/hello.

Unless --max-requests is given, gunicorn runs with --max-requests 0: gunicorn.conf.py recycles
a worker after ENGAGE_MAX_REQUESTS requests, and each new worker spends ~4 s loading the NLP
pipelines, which would land in whichever round is running (the hello rounds make thousands of
requests); the load test (bench/load.py) keeps the recycling.

Also, in this process (a Flask test client on each database, SQLAlchemy event listeners and
Flask's template signals): SQL statements per final submit and per page, and where the time of
one final submit and one page goes (analysis, SQL, template rendering, the rest).

--compare-workers measures page and submit for sync 2 and 4 workers, gthread 2×4 and 4×2
(all four servers side by side on one database, rounds alternating over them) and prints a
table with each worker's memory, to choose gunicorn.conf.py's settings.

Run alone:
    .venv/bin/python -m bench.bench_web [--rounds 6] [--seconds 5] [--concurrency 8]
        [--db sqlite postgres] [--workers W --worker-class sync|gthread --threads T] [--json]
    .venv/bin/python -m bench.bench_web --compare-workers [--db postgres] [--rounds 6] [--seconds 5]
`python -m bench.run web` runs both (BENCH_WEB_ROUNDS, BENCH_WEB_SECONDS, BENCH_WEB_CONCURRENCY,
BENCH_WEB_COMPARE=0 to skip the comparison).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from bench.load import (
    FORM,
    SEED,
    Client,
    Database,
    Reply,
    Server,
    TextPool,
    fresh_database,
    http_send,
    percentile,
    walk,
)

ENDPOINTS = ("hello", "insert", "page", "submit")
ROUNDS = 6
SECONDS = 5.0
CONCURRENCY = 8
WARM_UP = 2.0
#: (worker class, workers, threads) for --compare-workers.
COMPARE = (("sync", 2, 1), ("sync", 4, 1), ("gthread", 2, 4), ("gthread", 4, 2))
COMPARE_ENDPOINTS = ("page", "submit")
IN_PROCESS_WALKS = 12
PAYLOAD = ("Flere cykelstier og bedre busforbindelser i hele regionen, tak. " * 2).strip()
TITLE = "Web: gunicorn settings, the citizen endpoints and their ceilings"


def _slug() -> str:
    from engage.demo.seed import DEMO_SLUG

    return DEMO_SLUG


# --- one round ---------------------------------------------------------------------------------


@dataclass
class Stats:
    """Pooled measurements of one (server, endpoint) over all rounds."""

    latencies: list[float] = field(default_factory=list)  # seconds; for submit: the final POST
    walks: list[float] = field(default_factory=list)  # submit only: the whole submission
    requests: int = 0  # submit only: HTTP requests in the confirmed submissions
    count: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    rounds: list[float] = field(default_factory=list)  # each round's rate
    errors: Counter = field(default_factory=Counter)

    def add(self, other: Stats) -> None:
        self.latencies += other.latencies
        self.walks += other.walks
        self.requests += other.requests
        self.count += other.count
        self.seconds += other.seconds
        self.cpu += other.cpu
        self.rounds.append(other.count / other.seconds if other.seconds else 0.0)
        self.errors.update(other.errors)

    def summary(self) -> dict[str, Any]:
        ms = [v * 1000 for v in self.latencies]
        out = {
            "rate": round(self.count / self.seconds, 1) if self.seconds else 0.0,
            "p50 ms": round(statistics.median(ms), 1) if ms else None,
            "p95 ms": round(percentile(ms, 95), 1) if ms else None,
            "cpu ms": round(self.cpu / self.count * 1000, 1) if self.count else None,
            "rounds min": round(min(self.rounds), 1) if self.rounds else None,
            "rounds max": round(max(self.rounds), 1) if self.rounds else None,
            "count": self.count,
            "errors": dict(self.errors.most_common(5)),
        }
        if self.walks:
            walk_ms = [v * 1000 for v in self.walks]
            out["walk p50 ms"] = round(statistics.median(walk_ms), 1)
            out["walk p95 ms"] = round(percentile(walk_ms, 95), 1)
            out["requests per submission"] = round(self.requests / self.count, 2) if self.count else None
        return out


def measure(server: Server, endpoint: str, seconds: float, concurrency: int, seed: int,
            pool: TextPool) -> Stats:
    """Run `endpoint` on `server` for `seconds` from `concurrency` threads; return what was seen."""
    slug = _slug()
    barrier = threading.Barrier(concurrency + 1)
    results = [Stats() for _ in range(concurrency)]
    stop_at = [0.0]
    expected = {"hello": 200, "insert": 201, "page": 200}
    request = {
        "hello": ("GET", "/bench/hello", None),
        "insert": ("POST", "/bench/insert", f"payload={PAYLOAD}".encode()),
        "page": ("GET", f"/da/s/{slug}", None),
    }

    def loop(n: int) -> None:
        stats = results[n]
        client = Client(server.port)
        rng = random.Random(seed * 7919 + n)
        barrier.wait()
        while time.perf_counter() < stop_at[0]:
            client.cookies.clear()  # every visitor and respondent is new
            if endpoint == "submit":
                result = walk(http_send(client), slug, rng, pool)
                if result.receipt is None:
                    stats.errors[result.error or "?"] += 1
                else:
                    stats.count += 1
                    stats.latencies.append(result.final_seconds or 0.0)
                    stats.walks.append(result.walk_seconds)
                    stats.requests += result.requests
                continue
            method, path, body = request[endpoint]
            started = time.perf_counter()
            try:
                reply = client.request(method, path, body)
            except (OSError, http.client.HTTPException) as exc:
                stats.errors[type(exc).__name__] += 1
                continue
            if reply.status != expected[endpoint]:
                stats.errors[f"HTTP {reply.status}"] += 1
                continue
            stats.latencies.append(time.perf_counter() - started)
            stats.count += 1
        client.close()

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(concurrency)]
    for t in threads:
        t.start()
    cpu_before = server.workers_cpu_seconds()
    started = time.perf_counter()
    stop_at[0] = started + seconds
    barrier.wait()
    for t in threads:
        t.join()
    total = Stats(seconds=time.perf_counter() - started, cpu=server.workers_cpu_seconds() - cpu_before)
    for stats in results:
        total.latencies += stats.latencies
        total.walks += stats.walks
        total.requests += stats.requests
        total.count += stats.count
        total.errors.update(stats.errors)
    return total


def alternate(combos: list[tuple[str, Server, str]], rounds: int, seconds: float, concurrency: int,
              warm_up: float, progress: bool = True) -> dict[tuple[str, str], Stats]:
    """Measure each (label, server, endpoint) for `seconds` per round, over `rounds` rounds, the
    order rotated each round; a warm-up pass of `warm_up` seconds each first (not counted)."""
    pool = TextPool()
    for _label, server, endpoint in combos:
        measure(server, endpoint, warm_up, concurrency, SEED, pool)
    totals: dict[tuple[str, str], Stats] = {(label, endpoint): Stats() for label, _, endpoint in combos}
    for r in range(rounds):
        shift = r % len(combos)
        for label, server, endpoint in combos[shift:] + combos[:shift]:
            stats = measure(server, endpoint, seconds, concurrency, SEED + 1 + r, pool)
            totals[(label, endpoint)].add(stats)
            if progress:
                print(f"  round {r + 1}/{rounds} {label:<28} {endpoint:<7} "
                      f"{stats.count / stats.seconds:8.1f}/s  errors {sum(stats.errors.values())}",
                      file=sys.stderr, flush=True)
    return totals


# --- where the time goes (in this process) -----------------------------------------------------


def in_process(database: Database, walks: int = IN_PROCESS_WALKS) -> dict[str, Any]:
    """Walk `walks` submissions through a Flask test client on `database` and return, per page GET
    and per final POST, the SQL statements and where the time went (means over the walks)."""
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    from engage import create_app
    from engage.core.extensions import db

    app = create_app(database.app_config())
    analyser = app.extensions["engage.analyser"]
    acc = Counter()
    original = analyser.analyse

    def timed_analyse(text: str, lang_hint: str | None):
        started = time.perf_counter()
        try:
            return original(text, lang_hint)
        finally:
            acc["analysis s"] += time.perf_counter() - started
            acc["analyses"] += 1

    analyser.analyse = timed_analyse  # this process's app only

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench.started", []).append(time.perf_counter())

    def after_execute(conn, cursor, statement, parameters, context, executemany):
        acc["sql s"] += time.perf_counter() - conn.info["bench.started"].pop()
        acc["statements"] += 1
        verb = statement.lstrip().split(None, 1)[0].upper()
        acc[f"sql {verb}"] += 1

    commit_started: list[float] = []

    def before_commit(conn):
        commit_started.append(time.perf_counter())

    def after_commit(session):
        if commit_started:
            acc["commit s"] += time.perf_counter() - commit_started.pop()

    render_started: list[float] = []

    def before_render(sender, template, context, **extra):
        render_started.append(time.perf_counter())

    def rendered(sender, template, context, **extra):
        acc["render s"] += time.perf_counter() - render_started.pop()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "after_cursor_execute", after_execute)
    event.listen(engine, "commit", before_commit)
    event.listen(db.session, "after_commit", after_commit)
    before_render_template.connect(before_render, app)
    template_rendered.connect(rendered, app)
    per_step: dict[str, list[Counter]] = {"page": [], "final": []}

    def send_via(client):
        def send(method: str, path: str, body: bytes | None, step: str) -> Reply:
            acc.clear()
            started = time.perf_counter()
            response = client.open(path, method=method, data=body, content_type=FORM if body else None)
            acc["total s"] = time.perf_counter() - started
            if step in per_step and record[0]:
                per_step[step].append(Counter(acc))
            return Reply(response.status_code, response.headers.get("Location"), response.get_data())
        return send

    pool = TextPool()
    record = [False]
    failures = []
    try:
        for i in range(walks + 2):  # two to warm up (the first loads the NLP pipelines)
            record[0] = i >= 2
            result = walk(send_via(app.test_client()), _slug(), random.Random(SEED + i), pool)
            if result.receipt is None:
                failures.append(result.error)
    finally:
        event.remove(engine, "before_cursor_execute", before_execute)
        event.remove(engine, "after_cursor_execute", after_execute)
        event.remove(engine, "commit", before_commit)
        event.remove(db.session, "after_commit", after_commit)
        before_render_template.disconnect(before_render, app)
        template_rendered.disconnect(rendered, app)
        with app.app_context():
            db.engine.dispose()

    def mean(step: str, key: str, scale: float = 1.0) -> float:
        values = [c[key] * scale for c in per_step[step]]
        return round(statistics.fmean(values), 1) if values else float("nan")

    final = per_step["final"]
    statements = [c["statements"] for c in final]
    verbs = Counter()
    for c in final:
        verbs.update({k.removeprefix("sql "): v for k, v in c.items() if k.startswith("sql ") and k != "sql s"})
    out = {
        "final POST: SQL statements": round(statistics.fmean(statements), 1) if statements else None,
        "final POST: SQL statements min–max": f"{min(statements)}–{max(statements)}" if statements else None,
        "final POST: statements by kind (mean)": {k: round(v / len(final), 1) for k, v in verbs.most_common()},
        "final POST: free-text answers analysed (mean)": mean("final", "analyses"),
        "final POST ms (in-process, one at a time)": mean("final", "total s", 1000),
        "final POST: analysis ms": mean("final", "analysis s", 1000),
        "final POST: SQL ms (statements)": mean("final", "sql s", 1000),
        "final POST: COMMIT ms": mean("final", "commit s", 1000),
        "final POST: the rest ms (forms, validation, redaction, ORM, redirect)": round(
            mean("final", "total s", 1000) - mean("final", "analysis s", 1000) - mean("final", "sql s", 1000)
            - mean("final", "commit s", 1000), 1),
        "page GET: SQL statements": mean("page", "statements"),
        "page GET ms (in-process)": mean("page", "total s", 1000),
        "page GET: template rendering ms": mean("page", "render s", 1000),
        "page GET: SQL ms": mean("page", "sql s", 1000),
        "page GET: the rest ms (form, CSRF, session, state signing)": round(
            mean("page", "total s", 1000) - mean("page", "render s", 1000) - mean("page", "sql s", 1000), 1),
    }
    if failures:
        out["in-process walks not confirmed"] = dict(Counter(failures))
    return out


# --- the two modes -----------------------------------------------------------------------------


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 1) if a and b else None


def run_endpoints(dbs: tuple[str, ...] = ("sqlite", "postgres"), rounds: int = ROUNDS, seconds: float = SECONDS,
                  concurrency: int = CONCURRENCY, warm_up: float = WARM_UP, workers: int | None = None,
                  worker_class: str | None = None, threads: int | None = None, max_requests: int = 0,
                  breakdown: bool = True) -> dict[str, Any]:
    """The four endpoints on each database (see the module docstring)."""
    from bench.ceiling_app import create_table

    results: dict[str, Any] = {}
    with ExitStack() as stack:
        servers: dict[str, Server] = {}
        databases: dict[str, Database] = {}
        for kind in dbs:
            database = databases[kind] = stack.enter_context(fresh_database(kind, "web"))
            create_table(database.url)
            if breakdown:
                print(f"  in-process breakdown on {kind} …", file=sys.stderr, flush=True)
                results[f"in-process {kind}"] = in_process(database)
            server = Server("bench.ceiling_app:combined()", database, f"web-{kind}", workers=workers,
                            worker_class=worker_class, threads=threads)
            server.flags += ["--max-requests", str(max_requests)]
            stack.callback(server.stop)
            print(f"  starting gunicorn on {kind} …", file=sys.stderr, flush=True)
            servers[kind] = server.start()
        combos = [(kind, servers[kind], endpoint) for kind in dbs for endpoint in ENDPOINTS]
        totals = alternate(combos, rounds, seconds, concurrency, warm_up)
        for kind, server in servers.items():
            results[f"gunicorn {kind}"] = server.describe()
            results[f"worker memory {kind} MB"] = server.workers_rss_mb()
            results[f"gunicorn's log {kind}: errors, worker starts"] = server.server_errors()
            results[f"database {kind}"] = databases[kind].description
    table = {f"{kind} {endpoint}": totals[(kind, endpoint)].summary() for kind in dbs for endpoint in ENDPOINTS}
    for kind in dbs:
        hello, insert, page, submit = (table[f"{kind} {e}"] for e in ENDPOINTS)
        results[f"{kind}: submit/insert, p50 latency"] = _ratio(submit["p50 ms"], insert["p50 ms"])
        results[f"{kind}: insert/submit, rate (submissions are 5 requests)"] = _ratio(insert["rate"], submit["rate"])
        # The workers' CPU of the final POST alone, estimated: a submission's CPU less its other
        # requests (GET and section POSTs), each counted as one page.
        final_cpu = None
        if submit["cpu ms"] and page["cpu ms"] and submit.get("requests per submission"):
            final_cpu = round(submit["cpu ms"] - (submit["requests per submission"] - 1) * page["cpu ms"], 1)
        submit["final POST cpu ms (estimate)"] = final_cpu
        results[f"{kind}: final POST worker CPU ms ≈ (submission less its other requests as pages)"] = final_cpu
        results[f"{kind}: submit/insert, worker CPU (final POST estimate / insert)"] = _ratio(final_cpu, insert["cpu ms"])
        results[f"{kind}: page/hello, p50 latency"] = _ratio(page["p50 ms"], hello["p50 ms"])
        results[f"{kind}: hello/page, rate"] = _ratio(hello["rate"], page["rate"])
        results[f"{kind}: page/hello, worker CPU per request"] = _ratio(page["cpu ms"], hello["cpu ms"])
    results["table"] = table
    results["settings"] = {"rounds": rounds, "seconds per round": seconds, "concurrency": concurrency,
                           "warm-up s": warm_up, "max_requests": max_requests}
    return results


def run_compare(db: str = "postgres", rounds: int = ROUNDS, seconds: float = SECONDS, concurrency: int = CONCURRENCY,
                warm_up: float = WARM_UP, configs=COMPARE, max_requests: int = 0) -> dict[str, Any]:
    """Page and submit for each worker setting, all servers side by side on one database."""
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        database = stack.enter_context(fresh_database(db, "workers"))
        servers = []
        for worker_class, workers, threads in configs:
            label = f"{worker_class} {workers}" + (f"×{threads}" if worker_class == "gthread" else "")
            server = Server("wsgi:app", database, label.replace(" ", "-").replace("×", "x"), workers=workers,
                            worker_class=worker_class, threads=threads)
            server.flags += ["--max-requests", str(max_requests)]
            stack.callback(server.stop)
            print(f"  starting gunicorn {label} …", file=sys.stderr, flush=True)
            servers.append((label, server.start()))
        combos = [(label, server, endpoint) for label, server in servers for endpoint in COMPARE_ENDPOINTS]
        totals = alternate(combos, rounds, seconds, concurrency, warm_up)
        rows = []
        for label, server in servers:
            page, submit = totals[(label, "page")].summary(), totals[(label, "submit")].summary()
            memory = server.workers_rss_mb()
            rows.append({
                "gunicorn": label, "page/s": page["rate"], "page p50 ms": page["p50 ms"], "page p95 ms": page["p95 ms"],
                "submissions/s": submit["rate"], "final POST p50 ms": submit["p50 ms"],
                "final POST p95 ms": submit["p95 ms"], "submission p50 ms": submit.get("walk p50 ms"),
                "worker CPU ms/submission": submit["cpu ms"],
                "worker RSS MB": round(statistics.fmean(memory)) if memory else None,
                "errors": sum(page["errors"].values()) + sum(submit["errors"].values()),
                "settings": server.describe(),
            })
        results["database"] = database.description
        results["rows"] = rows
        results["settings"] = {"rounds": rounds, "seconds per round": seconds, "concurrency": concurrency,
                               "warm-up s": warm_up, "max_requests": max_requests}
    return results


# --- output ------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{k} ×{v}" for k, v in value.items()) or "0"
    return str(value)


def endpoints_markdown(results: dict[str, Any]) -> str:
    s = results["settings"]
    lines = [f"Rounds: {s['rounds']} × {s['seconds per round']} s per endpoint and database, alternating, "
             f"{s['concurrency']} client threads (keep-alive), after a {s['warm-up s']} s warm-up each; "
             f"gunicorn --max-requests {s['max_requests']}. Submit: rate in whole submissions/s (5 requests "
             "each), latency of the final POST; CPU = the gunicorn workers' CPU per request (per submission "
             "for submit), without PostgreSQL's.", "",
             "| database | endpoint | req/s | p50 ms | p95 ms | worker CPU ms/req | rounds req/s min–max | "
             "whole submission p50 / p95 ms | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, row in results["table"].items():
        kind, endpoint = key.split(" ", 1)
        lines.append(f"| {kind} | {endpoint} | {row['rate']} | {_cell(row['p50 ms'])} | {_cell(row['p95 ms'])} | "
                     f"{_cell(row['cpu ms'])} | {_cell(row['rounds min'])}–{_cell(row['rounds max'])} | "
                     f"{_cell(row.get('walk p50 ms'))} / {_cell(row.get('walk p95 ms'))} | {_cell(row['errors'])} |")
    return "\n".join(lines)


def compare_markdown(results: dict[str, Any]) -> str:
    s = results["settings"]
    lines = [f"{results['database']}; {s['rounds']} rounds × {s['seconds per round']} s per endpoint and setting, "
             f"alternating, {s['concurrency']} client threads; gunicorn --max-requests {s['max_requests']}.", "",
             "| gunicorn | page/s | page p50 / p95 ms | submissions/s | final POST p50 / p95 ms | "
             "submission p50 ms | worker CPU ms/submission | RSS MB/worker | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results["rows"]:
        lines.append(f"| {r['gunicorn']} | {r['page/s']} | {_cell(r['page p50 ms'])} / {_cell(r['page p95 ms'])} | "
                     f"{r['submissions/s']} | {_cell(r['final POST p50 ms'])} / {_cell(r['final POST p95 ms'])} | "
                     f"{_cell(r['submission p50 ms'])} | {_cell(r['worker CPU ms/submission'])} | "
                     f"{_cell(r['worker RSS MB'])} | {r['errors']} |")
    return "\n".join(lines)


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def run() -> dict[str, Any]:
    """For bench.run: the endpoints on SQLite and PostgreSQL, then the worker comparison."""
    rounds = int(_env_number("BENCH_WEB_ROUNDS", ROUNDS))
    seconds = _env_number("BENCH_WEB_SECONDS", SECONDS)
    concurrency = int(_env_number("BENCH_WEB_CONCURRENCY", CONCURRENCY))
    endpoints = run_endpoints(rounds=rounds, seconds=seconds, concurrency=concurrency)
    markdown = ["### Endpoints and their ceilings (gunicorn.conf.py's worker settings)", "",
                endpoints_markdown(endpoints)]
    out: dict[str, Any] = {"title": TITLE, "command": ".venv/bin/python -m bench.bench_web && "
                           ".venv/bin/python -m bench.bench_web --compare-workers"}
    if os.environ.get("BENCH_WEB_COMPARE", "1") != "0":
        compare = run_compare(rounds=rounds, seconds=seconds, concurrency=concurrency)
        markdown += ["", "### Worker settings (page and submit)", "", compare_markdown(compare)]
    out["markdown"] = "\n".join(markdown)
    for key, value in endpoints.items():
        if key.startswith("in-process "):
            out.update({f"{key.removeprefix('in-process ')}, in-process: {k}": v for k, v in value.items()})
        elif key not in ("table", "settings"):
            out[key] = value
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_web", description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare-workers", action="store_true",
                        help="page and submit for sync 2, 4 and gthread 2×4, 4×2 workers")
    parser.add_argument("--db", nargs="+", choices=("sqlite", "postgres"),
                        help="databases (default: both; postgres for --compare-workers)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--seconds", type=float, default=SECONDS, help="per endpoint and round")
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help="client threads")
    parser.add_argument("--warm-up", type=float, default=WARM_UP, help="seconds per endpoint before the rounds")
    parser.add_argument("--workers", type=int, help="gunicorn --workers (default: gunicorn.conf.py)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int)
    parser.add_argument("--max-requests", type=int, default=0,
                        help="gunicorn --max-requests (default 0: no worker recycling during the rounds)")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the in-process statement count")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    if args.compare_workers:
        results = run_compare(db=(args.db or ["postgres"])[0], rounds=args.rounds, seconds=args.seconds,
                              concurrency=args.concurrency, warm_up=args.warm_up, max_requests=args.max_requests)
        print(compare_markdown(results))
        for row in results["rows"]:
            print(f"  {row['gunicorn']}: {row['settings']}")
    else:
        results = run_endpoints(dbs=tuple(args.db or ("sqlite", "postgres")), rounds=args.rounds,
                                seconds=args.seconds, concurrency=args.concurrency, warm_up=args.warm_up,
                                workers=args.workers, worker_class=args.worker_class, threads=args.threads,
                                max_requests=args.max_requests, breakdown=not args.no_breakdown)
        print(endpoints_markdown(results))
        print()
        for key, value in results.items():
            if key not in ("table", "settings"):
                print(f"{key}: {json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value}")
    if args.json:
        print(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
