"""Batch export downloads: ``cardBatchExport`` (which checks MANAGE_CARDS) hands out a
signed URL valid for a few minutes; the view checks the signature and that the signer
still holds MANAGE_CARDS, then renders the file."""
from django.core import signing
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.urls import reverse

from ..models import CardBatch
from ..permissions import CustomerValuePermissions
from . import exports

SALT = "customer_value.card_batch_export"
MAX_AGE = 600


def token_for(batch: CardBatch, fmt: str, user=None, app=None) -> str:
    return signing.dumps(
        {
            "b": batch.pk,
            "f": fmt,
            "u": user.pk if user is not None and user.is_authenticated else None,
            "a": app.pk if app is not None else None,
        },
        salt=SALT,
    )


def url_for(batch, fmt, user=None, app=None) -> str:
    return reverse("customer-value-card-batch-export", args=[token_for(batch, fmt, user, app)])


def _still_allowed(data) -> bool:
    from saleor.account.models import User
    from saleor.app.models import App

    permission = CustomerValuePermissions.MANAGE_CARDS.value
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
    batch = CardBatch.objects.filter(pk=data["b"]).first()
    if batch is None or data["f"] not in exports.CONTENT_TYPES:
        return HttpResponseNotFound()
    response = HttpResponse(exports.render(batch, data["f"]), content_type=exports.CONTENT_TYPES[data["f"]])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(batch, data["f"])}"'
    response["Cache-Control"] = "no-store"
    return response
