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
