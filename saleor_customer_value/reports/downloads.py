"""CSV export of the ledger report: ``ledgerExport`` (VIEW_LEDGER) signs the filter into
a link valid for a few minutes; the view checks the signature and that the signer still
holds VIEW_LEDGER, then streams the rows (no file is kept)."""
from django.core import signing
from django.http import HttpResponseForbidden, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from ..permissions import CustomerValuePermissions
from . import filters, ledger

SALT = "customer_value.ledger_export"
MAX_AGE = 600


def url_for(plain_filter: dict, user=None, app=None) -> str:
    token = signing.dumps(
        {
            "f": plain_filter,
            "u": user.pk if user is not None and user.is_authenticated else None,
            "a": app.pk if app is not None else None,
        },
        salt=SALT,
        compress=True,
    )
    return reverse("customer-value-ledger-export", args=[token])


def filename() -> str:
    return f"ledger-{timezone.now():%Y%m%d-%H%M%S}.csv"


def _still_allowed(data) -> bool:
    from saleor.account.models import User
    from saleor.app.models import App

    permission = CustomerValuePermissions.VIEW_LEDGER.value
    if data.get("a"):
        app = App.objects.filter(pk=data["a"], is_active=True).first()
        return bool(app and app.has_perm(permission))
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    return bool(user and user.is_staff and user.has_perm(permission))


def download(request, token):
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return HttpResponseForbidden("This download link is invalid or has expired.")
    if not _still_allowed(data):
        return HttpResponseForbidden("Permission denied.")
    kwargs = filters.to_kwargs(data.get("f") or {})
    response = StreamingHttpResponse(ledger.csv_lines(**kwargs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename()}"'
    response["Cache-Control"] = "no-store"
    return response


# --- value reports (issue 14): the same signed-link pattern, one link per report ----

REPORT_SALT = "customer_value.report_export"


def report_url_for(kind: str, plain_args: dict, user=None, app=None) -> str:
    token = signing.dumps(
        {
            "k": kind,
            "f": plain_args,
            "u": user.pk if user is not None and user.is_authenticated else None,
            "a": app.pk if app is not None else None,
        },
        salt=REPORT_SALT,
        compress=True,
    )
    return reverse("customer-value-report-export", args=[token])


def report_filename(kind: str) -> str:
    return f"{kind.replace('_', '-')}-{timezone.now():%Y%m%d-%H%M%S}.csv"


def csv_stream(rows):
    """Each row written and handed to the server as it is produced (nothing is
    collected); text cells that a spreadsheet would run as a formula are quoted."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([ledger._safe(cell) if isinstance(cell, str) else cell for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def report_download(request, token):
    from . import values

    try:
        data = signing.loads(token, salt=REPORT_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return HttpResponseForbidden("This download link is invalid or has expired.")
    if not _still_allowed(data) or data.get("k") not in values.KINDS:
        return HttpResponseForbidden("Permission denied.")
    rows = values.csv_rows(data["k"], data.get("f") or {})
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(data["k"])}"'
    response["Cache-Control"] = "no-store"
    return response
