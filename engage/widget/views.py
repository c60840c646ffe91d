"""`/embed.js`, the widget's colours, and who may frame the widget pages (CSP frame-ancestors)."""

from __future__ import annotations

import re

from flask import Blueprint, Flask, Response, g, render_template, request
from sqlalchemy import select

from engage.core.extensions import db
from engage.models import Municipality

bp = Blueprint("widget", __name__, template_folder="templates")

HEX_COLOUR = re.compile(r"[0-9a-fA-F]{6}")
#: Used when no accent is given or the given one is too light for white text.
DEFAULT_ACCENT = "1a5a8e"


def contrast_with_white(hex_colour: str) -> float:
    """Return the WCAG contrast ratio of white text on `hex_colour` (e.g. "1a5a8e")."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g_, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g_) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def accent(value: str | None) -> str:
    """Return a usable accent colour (hex without #): the given one if white text on it keeps a
    4.5:1 contrast (WCAG AA), else the default — the look is the host's within those limits."""
    value = (value or "").removeprefix("#")
    if HEX_COLOUR.fullmatch(value) and contrast_with_white(value) >= 4.5:
        return value.lower()
    return DEFAULT_ACCENT


@bp.get("/embed.js")
def embed_js():
    """The one script a municipality adds to its page: it inserts the iframe and resizes it."""
    body = render_template("widget/embed.js")
    return Response(body, mimetype="text/javascript", headers={
        "Cache-Control": "public, max-age=3600",
        "Cross-Origin-Resource-Policy": "cross-origin",  # loaded by the municipalities' pages
    })


@bp.get("/embed/theme.css")
def theme_css():
    """The widget's accent colour as a style sheet (the CSP allows no inline styles)."""
    colour = accent(request.args.get("accent"))
    css = (f":root {{ --engage-accent: #{colour}; }}\n"
           f".engage-chat {{ --engage-accent: #{colour}; }}\n"
           f".button-primary, .button-primary:visited {{ background-color: #{colour}; border-color: #{colour}; }}\n"
           f"a, a:visited {{ color: #{colour}; }}\n")
    return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=86400"})


def embed_origins(slug: str | None) -> list[str]:
    """Return the origins allowed to frame the widget for the municipality `slug`."""
    if not slug:
        return []
    origins = db.session.scalar(select(Municipality.embed_origins).where(Municipality.slug == slug))
    return [o for o in (origins or []) if isinstance(o, str) and re.fullmatch(r"https?://[\w.-]+(:\d+)?", o)]


def embedding_municipality() -> str | None:
    """Return the municipality a widget request belongs to: the signed state's, else `?m=`."""
    from engage.surveys import services

    raw = request.form.get("state") if request.method == "POST" else None
    if raw:
        try:
            return services.load_state(raw).municipality
        except services.StateError:
            return None
    return request.args.get("m")


def init_app(app: Flask) -> None:
    """Register the widget routes and the framing policy of the embed pages."""
    app.register_blueprint(bp)

    @app.before_request
    def allow_framing() -> None:
        if request.blueprint == "embed":
            # Read by core.security: frame-ancestors 'self' plus these origins, no X-Frame-Options.
            g.embed_municipality = embedding_municipality()
            g.frame_ancestors = embed_origins(g.embed_municipality)
            g.embed_accent = accent(request.args.get("accent"))
            g.embed_compact = request.args.get("compact") in ("1", "true")

