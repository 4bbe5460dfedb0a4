"""Batch export downloads: ``cardBatchExport`` (which checks MANAGE_CARDS) hands out a
signed URL valid for a few minutes; the view checks the signature and that the signer
still holds MANAGE_CARDS, then streams the file (CSV row by row, the PDF from the
export storage where its task wrote it)."""
from django.conf import settings
from django.core import signing
from django.utils import translation
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    StreamingHttpResponse,
)
from django.urls import reverse

from ..models import CardBatch
from ..permissions import CustomerValuePermissions
from . import exports, print_jobs

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
    if data["f"] == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(batch), content_type=exports.CONTENT_TYPES["csv"])
    else:
        stored = print_jobs.open_pdf(batch)
        if stored is None:  # not built yet (or removed): cardBatchExport starts it
            return HttpResponseNotFound("The print file is not ready yet.")
        response = FileResponse(stored, content_type=exports.CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(batch, data["f"])}"'
    response["Cache-Control"] = "no-store"
    return response


# --- a customer's own card (digital card files) ---------------------------------------
# ``cardDownload`` hands the owner a signed URL valid for a few minutes; the view checks
# the signature and that the signed user is still active and still owns the card, so a
# link handed on stops working once the card changes hands (or after CARD_MAX_AGE).

CARD_SALT = "customer_value.card_file"
CARD_MAX_AGE = 300


def supported_language(code) -> str:
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def card_token_for(card, fmt: str, user) -> str:
    # The language of the request that asked for the link: the file is rendered in it.
    return signing.dumps(
        {"c": card.pk, "f": fmt, "u": user.pk, "l": translation.get_language()}, salt=CARD_SALT
    )


def card_url_for(card, fmt: str, user) -> str:
    return reverse("customer-value-card-download", args=[card_token_for(card, fmt, user)])


def card_download(request, token):
    from django.contrib.sites.models import Site

    from ..models import Card
    from . import digital

    try:
        data = signing.loads(token, salt=CARD_SALT, max_age=CARD_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return HttpResponseForbidden("This download link is invalid or has expired.")
    card = (
        Card.objects.select_related("customer__user")
        .filter(pk=data.get("c"), customer__user_id=data.get("u"), customer__user__is_active=True)
        .first()
    )
    if card is None or data.get("f") not in digital.CONTENT_TYPES:
        return HttpResponseForbidden("Permission denied.")
    fmt = data["f"]
    with translation.override(supported_language(data.get("l"))):
        body = digital.render(card, fmt, shop_name=Site.objects.get_current().name)
    response = HttpResponse(body, content_type=digital.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{digital.filename(card, fmt)}"'
    response["Cache-Control"] = "no-store, private"
    return response
