"""Benchmark: the load test (bench/load.py) for bench.run — complete submissions of the demo
survey through gunicorn from many clients, a gunicorn worker killed with SIGKILL mid-run, and
what the clients were told compared with the database; on SQLite and on PostgreSQL.

Settings from the environment (defaults: the full run):
BENCH_LOAD_SUBMISSIONS (20000), BENCH_LOAD_CLIENTS (50), BENCH_LOAD_KILL_AT (fractions of the
submissions done at which one worker is killed, "0.25,0.5,0.75"; empty: none),
BENCH_LOAD_TIMEOUT (seconds per database after which no new submission starts, 3600),
BENCH_LOAD_DBS ("sqlite,postgres").
gunicorn runs with gunicorn.conf.py's worker settings (including max_requests recycling).

A quick run: `BENCH_LOAD_SUBMISSIONS=200 BENCH_LOAD_CLIENTS=10 .venv/bin/python -m bench.run load`.
One database from the command line: `.venv/bin/python -m bench.load --db postgres --submissions 20000
--clients 50 --kill-worker-at 0.25,0.5,0.75`.
"""

from __future__ import annotations

import os
from typing import Any

from bench.load import run_load, verdict

TITLE = "Load: complete submissions with worker kills, clients against the database"


def _settings() -> dict[str, Any]:
    kill = os.environ.get("BENCH_LOAD_KILL_AT", "0.25,0.5,0.75")
    return {
        "submissions": int(os.environ.get("BENCH_LOAD_SUBMISSIONS") or 20_000),
        "clients": int(os.environ.get("BENCH_LOAD_CLIENTS") or 50),
        "kill_at": tuple(float(x) for x in kill.split(",") if x.strip()),
        "timeout": float(os.environ.get("BENCH_LOAD_TIMEOUT") or 3600),
        "dbs": [d.strip() for d in os.environ.get("BENCH_LOAD_DBS", "sqlite,postgres").split(",") if d.strip()],
    }


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    return str(value)


def _markdown(results: dict[str, dict[str, Any]]) -> str:
    keys = ("submitted", "confirmed by client", "rows in DB", "lost", "duplicated", "receipt mismatches",
            "never confirmed but stored", "final POSTs retried", "confirmed after a retried final POST",
            "double submits (same final POST again)",
            "elapsed s", "submissions/s", "final POST p50 ms", "final POST p95 ms")
    dbs = list(results)
    lines = ["| | " + " | ".join(dbs) + " |", "|---|" + "---|" * len(dbs)]
    lines += [f"| {key} | " + " | ".join(_cell(results[db].get(key)) for db in dbs) + " |" for key in keys]
    return "\n".join(lines)


def run() -> dict[str, Any]:
    """Run the load test on each database; every figure of each run is a row."""
    s = _settings()
    kill = ",".join(str(k) for k in s["kill_at"])
    out: dict[str, Any] = {
        "title": TITLE,
        "command": (f"BENCH_LOAD_SUBMISSIONS={s['submissions']} BENCH_LOAD_CLIENTS={s['clients']} "
                    f"BENCH_LOAD_KILL_AT={kill} .venv/bin/python -m bench.run load"),
    }
    results: dict[str, dict[str, Any]] = {}
    for db in s["dbs"]:
        result = run_load(db, s["submissions"], s["clients"], kill_at=s["kill_at"], timeout=s["timeout"])
        result["verdict"] = {0: "ok", 1: "FAILED: lost, duplicated or wrong receipts",
                             2: "INCOMPLETE: time limit"}[verdict(result)]
        results[db] = result
    out["markdown"] = _markdown(results)
    for db, result in results.items():
        for key, value in result.items():
            out[f"{db}: {key}"] = value
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1, ensure_ascii=False))
