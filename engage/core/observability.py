"""Logs, metrics and probes for operations — never with personal data.

- Logs: one line per record, as text or JSON (LOG_FORMAT), at LOG_LEVEL. Exceptions are logged
  with their type and stack frames but without their message: a database error's message carries
  the SQL parameters, i.e. answer text. No IP addresses, paths or query strings (receipt links
  carry a secret token in the path); LOG_REQUESTS adds one line per request with the endpoint.
- Metrics: Prometheus at /metrics through prometheus-flask-exporter, grouped by endpoint (never
  by path), plus submissions by channel. Under gunicorn the workers share one view of the counts
  (PROMETHEUS_MULTIPROC_DIR, set by gunicorn.conf.py).
- Probes: /healthz (the process answers) and /readyz (database, migrations, model) in core.views.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import time
import traceback
from datetime import UTC, datetime
from functools import wraps

from flask import Flask, abort, current_app, g, request


class SafeFormatter(logging.Formatter):
    """Text lines whose exceptions show type and frames, not the message."""

    def formatException(self, ei) -> str:  # noqa: N802 — logging's name
        return format_exception_safely(ei)


def format_exception_safely(ei) -> str:
    """Return the traceback of `ei` with the exception types but without their messages."""
    exc_type, exc, tb = ei
    lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
    lines.append(f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld: it may contain answer data)")
    cause = exc.__cause__ or exc.__context__ if exc is not None else None
    if cause is not None:
        lines.append(f"\n  caused by {type(cause).__module__}.{type(cause).__qualname__}")
    return "".join(lines)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the exception's type and frames."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("endpoint", "method", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__qualname__
            entry["traceback"] = format_exception_safely(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """Send every log record to stderr in the configured format (not in debug or tests)."""
    if app.debug or app.testing:
        return
    handler = logging.StreamHandler()
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(str(app.config["LOG_LEVEL"]).upper())
    app.logger.handlers.clear()  # propagate to the root handler only
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def gunicorn_logconfig(log_format: str) -> dict:
    """Return gunicorn's `logconfig_dict` so its own records use the same format."""
    formatter = {"()": f"{__name__}.{'JsonFormatter' if log_format == 'json' else 'SafeFormatter'}"}
    if log_format != "json":
        formatter["format"] = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"engage": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "engage",
                                "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def _metrics_guard(view):
    """Allow /metrics with the bearer token METRICS_TOKEN, or from this machine when it is unset."""

    @wraps(view)
    def guarded(*args, **kwargs):
        token = current_app.config["METRICS_TOKEN"]
        if token:
            given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), str(token).encode()):
                abort(403)
        elif request.remote_addr not in ("127.0.0.1", "::1"):
            abort(403)
        return view(*args, **kwargs)

    return guarded


def init_metrics(app: Flask) -> None:
    """Expose Prometheus metrics at /metrics and count submissions (app.extensions["engage.metrics"])."""
    from prometheus_client import CollectorRegistry, Counter

    options = {
        "group_by": "endpoint",  # never the path: receipt tokens are in paths
        "defaults_prefix": "engage",
        "excluded_paths": ["^/metrics$", "^/static/"],
        "metrics_decorator": _metrics_guard,
    }
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        metrics = GunicornInternalPrometheusMetrics(app, **options)
    else:
        from prometheus_flask_exporter import PrometheusMetrics

        metrics = PrometheusMetrics(app, registry=CollectorRegistry(), **options)
    submissions = Counter("engage_submissions", "Survey responses stored, by channel and whether new",
                          ["channel", "result"], registry=metrics.registry)
    app.extensions["engage.metrics"] = metrics
    app.extensions["engage.submissions"] = submissions


def count_submission(channel: str, is_new: bool) -> None:
    """Count one submission (a retry that found its stored response counts as "repeat")."""
    counter = current_app.extensions.get("engage.submissions")
    if counter is not None:
        counter.labels(channel=channel, result="new" if is_new else "repeat").inc()


def init_request_log(app: Flask) -> None:
    """With LOG_REQUESTS, log method, endpoint, status and duration of every request."""
    if not app.config["LOG_REQUESTS"]:
        return
    log = logging.getLogger("engage.requests")

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.pop("request_started", None)
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        log.info("%s %s %s %sms", request.method, request.endpoint, response.status_code, duration,
                 extra={"endpoint": request.endpoint, "method": request.method,
                        "status": response.status_code, "duration_ms": duration})
        return response
