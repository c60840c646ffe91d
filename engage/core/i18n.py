"""Locale handling: `/da/…` and `/en/…` URL prefixes, the Babel locale, and bilingual content.

UI strings live in the Babel catalogues. Survey content and theme names are data in both languages;
`localised()` picks the request's language and falls back visibly to the other one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import numbers
from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_time, get_locale
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def select_locale() -> str:
    """Return the locale for this request: the URL prefix (also when no route matched, e.g. a
    404 or 405 under /en/ or the widget's /embed/en/), else the browser's preference."""
    lang = getattr(g, "lang", None)
    if lang:
        return lang
    if not has_request_context():  # a command or a job: the default, unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    segments = request.path.lstrip("/").split("/", 2)
    prefix = segments[1] if segments[0] == "embed" and len(segments) > 1 else segments[0]
    if prefix in languages:
        return prefix
    return request.accept_languages.best_match(languages) or "da"


def switch_language_url() -> str:
    """Return this page in the other language (same endpoint, path values and query, except a
    stray `lang` parameter); the other language's home page when that cannot be built."""
    other = other_lang()
    endpoint = request.endpoint
    if getattr(g, "lang", None) and endpoint and request.method == "GET":
        values: dict[str, Any] = dict(request.view_args or {})
        for key, items in request.args.lists():
            if key != "lang" and key not in values and key not in ("_external", "_anchor", "_method",
                                                                   "_scheme"):
                values[key] = items
        values["lang"] = other
        try:
            return url_for(endpoint, **values)
        except (BuildError, ValueError, TypeError):
            pass
    return url_for(current_app.config["HOME_ENDPOINT"], lang=other)


def current_lang() -> str:
    """Return the two-letter language of the current request."""
    return str(get_locale() or "da")[:2]


def other_lang(lang: str | None = None) -> str:
    """Return the other of the two supported languages."""
    return "en" if (lang or current_lang()) == "da" else "da"


def pick(obj: Any, field: str, lang: str | None = None) -> tuple[str, str]:
    """Return (text, language) of `obj.<field>_<lang>`, falling back to the other language."""
    lang = lang or current_lang()
    for candidate in (lang, other_lang(lang)):
        value = getattr(obj, f"{field}_{candidate}", None)
        if value:
            return value, candidate
    return "", lang


def localised(obj: Any, field: str, lang: str | None = None) -> Markup:
    """Return the content in the page's language; a fallback is wrapped in a `lang` span so
    screen readers pronounce it right and readers can see it is not translated."""
    lang = lang or current_lang()
    text, used = pick(obj, field, lang)
    if used == lang:
        return escape(text)
    return Markup('<span lang="{0}" class="fallback-lang">{1}</span>').format(used, text)


def format_decimal(number: Any, format: str | None = None) -> str:
    """Return `number` formatted for the request's locale (as Flask-Babel's, but cached)."""
    return _format_number("decimal", number, format, str(get_locale()))


def format_percent(number: Any, format: str | None = None) -> str:
    """Return `number` (a share, 0.25) as a percentage for the request's locale, cached."""
    return _format_number("percent", number, format, str(get_locale()))


@lru_cache(maxsize=16384, typed=True)
def _format_number(kind: str, number: Any, format: str | None, locale: str) -> str:
    """Format one number through Babel. The dashboard's charts format the same few hundred
    shares on every request (a heat map alone has two hundred cells), and Babel takes some
    30 µs each (bench/bench_dashboard.py --profile)."""
    if kind == "percent":
        return numbers.format_percent(number, format=format, locale=locale)
    return numbers.format_decimal(number, format=format, locale=locale)


def init_app(app: Flask) -> None:
    """Register URL prefix handling and template helpers."""

    @app.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, Any]) -> None:
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = getattr(g, "lang", None) or current_lang()

    @app.context_processor
    def i18n_helpers() -> dict[str, Any]:
        return {
            "localised": localised,
            "pick": pick,
            "current_lang": current_lang,
            "other_lang": other_lang,
            "switch_language_url": switch_language_url,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "format_date": format_date,
            "format_datetime": format_datetime,
            "format_decimal": format_decimal,
            "format_percent": format_percent,
            "format_time": format_time,
        }
