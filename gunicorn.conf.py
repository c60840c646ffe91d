"""gunicorn settings, read automatically by `gunicorn wsgi:app` from the project folder.

Override any of them on the command line (`--workers 8`) or with GUNICORN_CMD_ARGS; the
environment variables below cover the usual ones. The choices are measured: see
docs/benchmarks.md ("Web: gunicorn settings").
"""

import logging
import multiprocessing
import os
import tempfile

from engage.core.observability import gunicorn_logconfig

bind = os.environ.get("ENGAGE_BIND", "0.0.0.0:8000")
# Measured (docs/benchmarks.md, "Worker settings"): on 2 CPUs sync ×2, sync ×4, gthread 2×4 and
# gthread 4×2 served pages and submissions at the same rate within noise; sync workers gave the
# lowest p95 of the final submit (the analysis holds the GIL, so threads add no throughput), and each
# worker holds ~620 MB (spaCy pipelines, lemma tables), so one sync worker per CPU is the default.
workers = int(os.environ.get("ENGAGE_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = os.environ.get("ENGAGE_WORKER_CLASS", "sync")
threads = int(os.environ.get("ENGAGE_THREADS", 1))
# A worker is replaced after this many requests (with jitter, so they do not all restart at once):
# bounds the growth of spaCy's string store, which learns every new word it sees.
max_requests = int(os.environ.get("ENGAGE_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# The slowest request is an analysed final submit of several long answers (well under a second);
# an export or a summary runs as a job, never in a request. Slow phone uploads are absorbed by nginx.
timeout = int(os.environ.get("ENGAGE_TIMEOUT", 30))
graceful_timeout = 30
# gunicorn 23+ opens a control socket in the home directory for every instance; we do not use it.
control_socket_disable = True
# Request line and header limits above the app's own (MAX_URL_LENGTH, MAX_HEADER_BYTES), so
# the visitor gets the app's translated 414/431 page; gunicorn's bare page only beyond these.
limit_request_line = 8190
limit_request_field_size = 32768
limit_request_fields = 100
accesslog = "-"
# gunicorn's own lines in the app's format (ENGAGE_LOG_FORMAT=json for one JSON object per line).
logconfig_dict = gunicorn_logconfig(os.environ.get("ENGAGE_LOG_FORMAT", "text"))
# No client IP address, no query string and no path in the access log: receipt links carry a
# secret token in the path (no personal data or secrets in logs).
access_log_format = '"%(m)s" %(s)s %(b)s %(L)ss'

# Prometheus counts from all workers in one /metrics answer: each worker writes its counts to
# files in this folder (a fresh one per start unless set), and the answer adds them up.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="engage-metrics-"))


def child_exit(server, worker):
    """Forget a finished worker's live gauges (its counters stay in the totals)."""
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)


def post_worker_init(worker):
    """Load the analysis pipelines before the worker takes requests (the app factory never does),
    so the first respondent does not wait for spaCy, the lemma tables and lingua to load."""
    app = worker.wsgi
    from engage.surveys.analysis import SpacyAnswerAnalyser

    analyser = app.extensions["engage.analyser"]
    if not isinstance(analyser, SpacyAnswerAnalyser):
        return
    try:
        with app.app_context():
            analyser.engine.warm_up()
            analyser.taxonomy()
        worker.log.info("NLP pipelines ready (model %s)", analyser.engine.model_version)
    except Exception:  # noqa: BLE001 — submissions still work: they fall back and queue
        logging.getLogger("engage").exception("NLP warm-up failed; answers will be queued")
