"""Signed download links for statements (CSV, PDF).

``CreditStatement.csvUrl``/``pdfUrl`` hand out a link valid for ten minutes; the view
checks the signature and, again at download time, that the signed user still owns the
line or still has MANAGE_CREDIT (an App: still has it).
"""
from django.core import signing
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import reverse

from . import statements

SALT = "customer_value.credit_statement"
MAX_AGE = 600
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
PERMISSION = "customer_value.manage_credit"


def url_for(statement, fmt, user=None, app=None) -> str:
    token = signing.dumps(
        {
            "s": statement.pk,
            "f": fmt,
            "u": user.pk if user is not None and user.is_authenticated else None,
            "a": app.pk if app is not None else None,
        },
        salt=SALT,
    )
    return reverse("customer-value-credit-statement", args=[token])


def _allowed(statement, data) -> bool:
    from saleor.account.models import User
    from saleor.app.models import App

    if data.get("a"):
        app = App.objects.filter(pk=data["a"], is_active=True).first()
        return bool(app and app.has_perm(PERMISSION))
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        return False
    return statement.line.customer.user_id == user.pk or user.has_perm(PERMISSION)


def download(request, token):
    from ..models import CreditStatement

    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return HttpResponseForbidden("This download link is invalid or has expired.")
    statement = (
        CreditStatement.objects.select_related("line__customer").filter(pk=data.get("s")).first()
    )
    fmt = data.get("f")
    if statement is None or fmt not in CONTENT_TYPES or not _allowed(statement, data):
        return HttpResponseForbidden("Permission denied.")
    body = statements.render_csv(statement) if fmt == "csv" else statements.render_pdf(statement)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{statements.filename(statement, fmt)}"'
    response["Cache-Control"] = "no-store, private"
    return response
