"""gunicorn settings, read automatically by `gunicorn wsgi:app` from the project folder.

Override any of them on the command line (`--workers 8`) or with GUNICORN_CMD_ARGS.
"""

import logging
import multiprocessing
import os

bind = os.environ.get("ENGAGE_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("ENGAGE_WORKERS", multiprocessing.cpu_count() * 2))
# Answers are short, but a slow phone connection should not tie up a worker for long.
timeout = 30
accesslog = "-"
# No client IP address, no query string and no path in the access log: receipt links carry a
# secret token in the path (no personal data or secrets in logs).
access_log_format = '"%(m)s" %(s)s %(b)s %(L)ss'


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
