"""Error pages in the visitor's language; never a bare 500 for bad input."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
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
    414: (_l("The address is too long"),
          _l("The address of this page is longer than we accept. Check the link, or start from the front page.")),
    429: (_l("Too many attempts"), _l("Please wait a moment and try again.")),
    431: (_l("The request is too large"),
          _l("Your browser sent more information with the request than we accept. Clearing this site's cookies usually helps.")),
    500: (_l("Something went wrong on our side"),
          _l("The error has been logged. Please try again in a little while.")),
}


#: The page shown when the error page itself cannot be rendered (no URL adapter for an untrusted
#: Host header, a template or database failure): no links, no template, still in the right language.
FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>'
    "<body><main><h1>{title}</h1><p>{message}</p></main></body></html>"
)


def render_error(code: int, title: str | None = None, message: str | None = None, **context):
    """Render the error page for `code` with an optional specific title and message.

    Never raises: when the page cannot be rendered, a plain page with the same texts is sent.
    """
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    title, message = title or default_title, message or default_message
    try:
        return render_template("error.html", code=code, title=title, message=message, **context), code
    except Exception:  # noqa: BLE001 — the error page must not become a second error
        current_app.logger.warning("error page %s rendered without its template", code, exc_info=True)
    from engage.core.i18n import current_lang

    try:
        lang = current_lang()
    except Exception:  # noqa: BLE001
        lang = "da"
    page = FALLBACK_PAGE.format(lang=escape(lang), title=escape(str(title)), message=escape(str(message)))
    return page, code, {"Content-Type": "text/html; charset=utf-8"}


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            _l("Your session has expired"),
            _l("For your security the form could not be accepted. Reload the page and send it again."),
        )

    @app.errorhandler(429)
    def too_many(error: HTTPException):
        """Too many posts from this client: say so, and keep everything that was sent, ready to
        be sent again with one button once the limit has passed."""
        resend = []
        if request.method == "POST" and request.content_length and request.mimetype.endswith("urlencoded"):
            resend = [(k, v) for k, v in request.form.items(multi=True) if k != "website"]
        return render_error(429, resend=resend, resend_to=request.full_path.rstrip("?") if resend else None)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # The type and frames only (observability.SafeFormatter): a database error's message
        # carries the SQL parameters, i.e. answer text.
        app.logger.error("unhandled error: %s", type(error).__name__, exc_info=error)
        from engage.core.extensions import db

        try:
            db.session.rollback()  # the page may need the database again
        except Exception:  # noqa: BLE001
            pass
        return render_error(500)
