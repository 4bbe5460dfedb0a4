"""The console's HTML page and its assets.

Vite writes the build into ``static/customer_value/console/`` of this package (ignored
by git, made by ``bin/demo``/``bin/test``). Asset names carry a content hash, so they are
cached for a year; the HTML page is never cached, so a new build is picked up at once.
Every other path under the prefix answers the page: the console routes in the browser.
"""
import mimetypes
import os

from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

BUILD_DIR = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "static", "customer_value", "console"
)
PAGES = {"staff": "staff.html"}

NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Console not built</title>
<p>The staff console has not been built yet. Run <code>bin/demo</code> (or
<code>npm ci &amp;&amp; npm run build</code> in <code>dashboard-extension/</code>).</p>"""


@require_GET
def page(request, app="staff", path=""):
    if path.startswith("assets/"):
        return _asset(path)
    filename = os.path.join(BUILD_DIR, PAGES[app])
    if not os.path.exists(filename):
        return HttpResponse(NOT_BUILT, status=503)
    with open(filename, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Frame-Options"] = "DENY"
    response["Referrer-Policy"] = "same-origin"
    return response


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
