"""Security headers, proxy headers, HTTPS in production, and start-up checks."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from engage.core.config import INSECURE_SECRET_KEY

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


def check_production_config(app: Flask) -> None:
    """Refuse to run in production with the development secret key."""
    if app.config["ENV"] == "production":
        key = app.config.get("SECRET_KEY") or ""
        if key == INSECURE_SECRET_KEY or len(key) < 32:
            raise RuntimeError(
                "ENGAGE_ENV=production needs ENGAGE_SECRET_KEY set to a random value of at least "
                "32 characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        app.config["SESSION_COOKIE_SECURE"] = True
        log.warning(
            "ENGAGE_ENV=production: requests that do not arrive over HTTPS get an error page%s.",
            "" if app.config["PROXY_FIX_HOPS"] else
            " — behind a reverse proxy that terminates TLS set ENGAGE_PROXY_FIX_HOPS=1 so its "
            "X-Forwarded-Proto header is trusted",
        )


log = logging.getLogger(__name__)

#: Paths answered over plain HTTP in production: probes and the metrics scraper on the local
#: network do not speak TLS.
PLAIN_HTTP_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def init_app(app: Flask) -> None:
    """Trust the configured proxies, require HTTPS in production, add strict security headers."""
    hops = int(app.config["PROXY_FIX_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=0, x_prefix=0
        )

    if app.config["ENV"] == "production":
        warned: list[bool] = []

        @app.before_request
        def require_https():
            if request.is_secure or request.path in PLAIN_HTTP_PATHS:
                return None
            if not warned:
                warned.append(True)
                log.warning("a request arrived over plain HTTP and was refused (is "
                            "ENGAGE_PROXY_FIX_HOPS set to the number of proxies in front?)")
            from engage.core.errors import render_error

            return render_error(
                403,
                _l("Use a secure connection"),
                _l("This site only works over a secure connection. Check that the address starts with https://."),
            )

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        ancestors = g.get("frame_ancestors")
        if ancestors is None:
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            headers.setdefault("X-Frame-Options", "DENY")
        else:  # a page made to be framed (the widget) by these origins only
            allowed = " ".join(["'self'", *ancestors])
            headers.setdefault("Content-Security-Policy",
                               CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {allowed}"))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Receipt links carry a secret token in the path: never leak it to other sites.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
