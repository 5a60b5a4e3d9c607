"""The browser front end: one page at /ui/ whose bundle (api/static/ui/, built from web/) calls
only the public /api endpoints with the signed-in user's bearer token.

The page is plain HTML with same-origin scripts and styles, so the HTML Content-Security-Policy of
api/security.py applies to it unchanged.
"""

from pathlib import Path

from flask import Blueprint, send_from_directory

UI_DIR = Path(__file__).resolve().parent / "static" / "ui"

bp = Blueprint("ui", __name__)


@bp.get("/ui/")
def index():
    """The single-page app; its routes live after the `#`."""
    return send_from_directory(UI_DIR, "index.html", mimetype="text/html", max_age=0)
