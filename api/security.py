"""Security headers on every response, set in this one place.

JSON answers may load nothing and be framed nowhere. HTML pages (the audit report) may load the
app's own scripts, stylesheets and images, and inline styles only with this response's nonce.
"""

import secrets

from flask import Flask, g, request

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HTML_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'{nonce}; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce() -> str:
    """A nonce for inline `<style>`/`<script>` of this response (templates: `{{ csp_nonce() }}`)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _policy(mimetype: str | None) -> str:
    if mimetype != "text/html":
        return JSON_POLICY
    nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
    return HTML_POLICY.format(nonce=nonce)


def add_security_headers(response):
    """nosniff, no framing, no referrer, a CSP, no caching outside /static, HSTS over HTTPS."""
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Content-Security-Policy"] = _policy(response.mimetype)
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if request.endpoint != "static":  # answers carry personal and credit data
        headers["Cache-Control"] = "no-store"
    if request.is_secure:  # behind a TLS proxy, trust X-Forwarded-Proto only via ProxyFix
        headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
