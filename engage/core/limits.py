"""What the service accepts from a request, checked before any view runs.

- Text: NUL characters and lone surrogates are removed from every form and query value (and key),
  so no view can store them, echo them or send them to PostgreSQL (which refuses NUL in text).
- A NUL in the path is a 404: no address of ours contains one.
- Size: a request line longer than MAX_URL_LENGTH gets the translated 414 page, headers larger
  than MAX_HEADER_BYTES the translated 431 page, and a body larger than MAX_CONTENT_LENGTH the 413
  page — also when it arrives chunked (without Content-Length), which Werkzeug would otherwise cut
  off silently at the limit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Request, abort
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

_UNSAFE = re.compile("[\x00\ud800-\udfff]")

#: environ key set by the middleware when a request is over a limit: the HTTP status to answer.
OVER_LIMIT = "engage.over_limit"


def clean_text(value: str) -> str:
    """Return `value` without NUL characters; lone surrogates become U+FFFD."""
    if not _UNSAFE.search(value):
        return value
    return _UNSAFE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)


def clean_multidict(data: MultiDict) -> MultiDict:
    """Return `data` with every key and string value cleaned (the same object when clean)."""
    items = list(data.items(multi=True))
    if not any(_UNSAFE.search(k) or (isinstance(v, str) and _UNSAFE.search(v)) for k, v in items):
        return data
    return ImmutableMultiDict(
        (clean_text(k), clean_text(v) if isinstance(v, str) else v) for k, v in items
    )


class CleanRequest(Request):
    """Flask's request with NUL-free form and query values."""

    @cached_property
    def args(self) -> MultiDict:  # type: ignore[override]
        return clean_multidict(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None:
            self.__dict__["form"] = clean_multidict(form)


class RequestLimits:
    """WSGI middleware: mark requests over the size limits, and buffer chunked bodies.

    It never answers itself: it records the status in the environ and the app's `before_request`
    renders the translated page (so the page has the language, headers and logging of any other).
    """

    def __init__(self, wsgi_app: Callable, config: dict[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        status = self._over_limit(environ)
        if status:
            environ[OVER_LIMIT] = status
        return self.wsgi_app(environ, start_response)

    def _over_limit(self, environ: dict[str, Any]) -> int | None:
        uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or (
            environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")
        )
        if len(uri) > self.config["MAX_URL_LENGTH"]:
            return 414
        header_bytes = sum(len(k) + len(str(v)) for k, v in environ.items() if k.startswith("HTTP_"))
        if header_bytes > self.config["MAX_HEADER_BYTES"]:
            return 431
        if environ.get("CONTENT_LENGTH") or "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return None
        return self._buffer_chunked(environ)

    def _buffer_chunked(self, environ: dict[str, Any]) -> int | None:
        """Read a chunked body up to the limit; over it, drain what is left and answer 413."""
        limit = self.config["MAX_CONTENT_LENGTH"]
        stream = environ["wsgi.input"]
        body = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(body) > limit:
            # Read the rest (bounded) so the server can send the page instead of a reset.
            drained = 0
            while drained < 64 * limit and (chunk := stream.read(65536)):
                drained += len(chunk)
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
            return 413
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = False
        return None


def init_app(app: Flask) -> None:
    """Install the clean request class, the size middleware and the checks that use them."""
    app.request_class = CleanRequest
    app.wsgi_app = RequestLimits(app.wsgi_app, app.config)  # type: ignore[method-assign]

    @app.before_request
    def refuse_over_limit() -> None:
        from flask import request

        status = request.environ.get(OVER_LIMIT)
        if status:
            abort(status)
        if "\x00" in request.path:
            abort(404)
