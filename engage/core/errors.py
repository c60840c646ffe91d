"""Error pages in the visitor's language; never a bare 500 for bad input."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: (_l("Something in the request was not right"),
          _l("The page received something it could not use. Go back and try again.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Page not found"),
          _l("We could not find the page. The address may be mistyped, or the survey may have been removed.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    410: (_l("No longer available"), _l("This page is no longer available.")),
    413: (_l("Too much data"), _l("What you sent was larger than we accept. Shorten your answers and try again.")),
    429: (_l("Too many attempts"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("The error has been logged. Please try again in a little while.")),
}


def render_error(code: int, title: str | None = None, message: str | None = None):
    """Render the error page for `code` with an optional specific title and message."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "error.html", code=code, title=title or default_title, message=message or default_message
        ),
        code,
    )


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _l("Your session has expired"),
            _l("For your security the form could not be accepted. Reload the page and send it again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error")
        return render_error(500)
