"""Security headers and start-up checks."""

from __future__ import annotations

from flask import Flask, Response

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


def init_app(app: Flask) -> None:
    """Add strict security headers to every response."""

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Receipt links carry a secret token in the path: never leak it to other sites.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
