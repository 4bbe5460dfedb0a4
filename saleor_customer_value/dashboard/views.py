"""The HTML pages of the Vite build (staff console, shopper's customer area) and their assets.

Vite writes the build into ``static/customer_value/console/`` of this package (ignored
by git, made by ``bin/demo``/``bin/test``). Asset names carry a content hash, so they are
cached for a year; the HTML page is never cached, so a new build is picked up at once.
Every other path under the prefix answers the page: the console routes in the browser.
"""
import json
import mimetypes
import os

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

BUILD_DIR = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "static", "customer_value", "console"
)
PAGES = {"staff": "staff.html", "account": "account.html"}
CONFIG_MARK = b"<!--cv-config-->"

NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Not built</title>
<p>This page has not been built yet. Run <code>bin/demo</code> (or
<code>npm ci &amp;&amp; npm run build</code> in <code>dashboard-extension/</code>).</p>"""


@require_GET
def page(request, app="staff", path=""):
    if path.startswith("assets/"):
        return _asset(path)
    filename = os.path.join(BUILD_DIR, PAGES[app])
    if not os.path.exists(filename):
        return HttpResponse(NOT_BUILT, status=503)
    with open(filename, "rb") as handle:
        html = handle.read()
    html = html.replace(CONFIG_MARK, _config_tag(app))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Referrer-Policy"] = "same-origin"
    _frame_policy(response, app)
    return response


def _config_tag(app):
    """Shop settings the page needs at run time (the build is the same for every shop)."""
    if app != "account":
        return b""
    config = {
        "checkoutUrl": getattr(settings, "CUSTOMER_VALUE_STOREFRONT_CHECKOUT_URL", ""),
        "passwordResetUrl": getattr(settings, "CUSTOMER_VALUE_PASSWORD_RESET_URL", ""),
    }
    # JSON inside a <script type="application/json">: "</" must never close the tag.
    text = json.dumps(config).replace("</", "<\\/")
    return f'<script id="cv-config" type="application/json">{text}</script>'.encode()


def _frame_policy(response, app):
    """The staff console is never framed; the customer area may be embedded by the
    storefront origins listed in ``CUSTOMER_VALUE_ACCOUNT_FRAME_ANCESTORS``."""
    origins = list(getattr(settings, "CUSTOMER_VALUE_ACCOUNT_FRAME_ANCESTORS", []) or []) if app == "account" else []
    if origins:
        # X-Frame-Options cannot list origins; browsers follow CSP frame-ancestors.
        response["Content-Security-Policy"] = "frame-ancestors 'self' " + " ".join(origins)
    else:
        response["X-Frame-Options"] = "DENY"
        response["Content-Security-Policy"] = "frame-ancestors 'none'"


def _asset(path):
    try:
        filename = safe_join(BUILD_DIR, path)
    except Exception:  # SuspiciousFileOperation: a path leaving the build folder
        raise Http404()
    if not os.path.isfile(filename):
        raise Http404()
    content_type, _encoding = mimetypes.guess_type(filename)
    response = FileResponse(open(filename, "rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
