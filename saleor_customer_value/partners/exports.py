"""A statement as CSV (streamed) and PDF (reportlab), behind a signed link valid for a
few minutes. The view re-checks that the signer may still see the merchant (the
operator with MANAGE_PARTNERS, or the merchant's own staff/till)."""
import csv
import io

from django.core import signing
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Statement
from . import merchants

SALT = "customer_value.partner_statement"
MAX_AGE = 600
FORMATS = ("csv", "pdf")


def url_for(statement: Statement, fmt: str, user=None, app=None) -> str:
    token = signing.dumps(
        {
            "s": statement.pk,
            "f": fmt,
            "u": user.pk if user is not None and getattr(user, "is_authenticated", False) else None,
            "a": app.pk if app is not None else None,
        },
        salt=SALT,
    )
    return reverse("customer-value-partner-statement", args=[token])


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def _lines(statement: Statement):
    return statement.lines.select_related("booking__transaction").order_by("booking_id")


def csv_rows(statement: Statement):
    yield [_("Merchant"), statement.merchant.name, _("Statement"), statement.number, _("Currency"), statement.currency]
    yield [
        _("Period start"),
        statement.period_start.isoformat() if statement.period_start else "",
        _("Period end"),
        statement.period_end.isoformat(),
    ]
    yield [_("Transaction"), _("Booked at"), _("Kind"), _("Receipt"), _("Amount"), _("Commission"), _("Net")]
    for line in _lines(statement).iterator():
        booking = line.booking
        txn = booking.transaction
        yield [
            txn.pk,
            txn.created_at.isoformat(),
            booking.kind,
            _cell(txn.external_reference),
            booking.amount + booking.commission,
            booking.commission,
            booking.amount,
        ]
    for label, value in totals(statement):
        yield [label, "", "", "", value]


def totals(statement: Statement):
    return [
        (_("Top-ups taken"), statement.topups),
        (_("Wallet payments accepted"), statement.payments),
        (_("Points issued"), statement.points_earned),
        (_("Points redeemed"), statement.points_redeemed),
        (_("Reversals"), statement.reversals),
        (_("Commission"), statement.commission),
        (_("Net (positive: paid to the merchant)"), statement.net),
    ]


def csv_stream(statement: Statement):
    writer = csv.writer(_Echo())
    for row in csv_rows(statement):
        yield writer.writerow(row)


def pdf_bytes(statement: Statement) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    y = height - 20 * mm

    def line(text, size=9, x=20 * mm):
        nonlocal y
        if y < 20 * mm:
            pdf.showPage()
            y = height - 20 * mm
        pdf.setFont("Helvetica", size)
        pdf.drawString(x, y, str(text))
        y -= size * 0.5 * mm + 2 * mm

    line(_("Statement %(number)s: %(merchant)s") % {"number": statement.number, "merchant": statement.merchant.name}, 14)
    start = statement.period_start.strftime("%Y-%m-%d %H:%M") if statement.period_start else "-"
    line(_("Period: %(start)s to %(end)s (%(currency)s)") % {
        "start": start, "end": statement.period_end.strftime("%Y-%m-%d %H:%M"), "currency": statement.currency,
    })
    y -= 3 * mm
    for line_row in _lines(statement):
        booking = line_row.booking
        txn = booking.transaction
        line(
            f"#{txn.pk}  {txn.created_at:%Y-%m-%d %H:%M}  {booking.kind:<16} {txn.external_reference[:24]:<24} "
            f"{booking.amount + booking.commission:>12.2f} {booking.commission:>9.2f} {booking.amount:>12.2f}"
        )
    y -= 3 * mm
    for label, value in totals(statement):
        line(f"{label}: {value:.2f} {statement.currency}", 10)
    if statement.paid_at:
        line(_("Paid on %(date)s, reference %(ref)s") % {"date": f"{statement.paid_at:%Y-%m-%d}", "ref": statement.payout_reference or "-"})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _allowed(data, statement) -> bool:
    from saleor.account.models import User
    from saleor.app.models import App

    user = app = None
    if data.get("a"):
        app = App.objects.filter(pk=data["a"], is_active=True).first()
        if app is None:
            return False
    else:
        user = User.objects.filter(pk=data.get("u"), is_active=True).first()
        if user is None:
            return False
    return merchants.visible(user, app).filter(pk=statement.merchant_id).exists()


def download(request, token):
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return HttpResponseForbidden("This download link is invalid or has expired.")
    statement = Statement.objects.select_related("merchant").filter(pk=data.get("s")).first()
    if statement is None or data.get("f") not in FORMATS:
        return HttpResponseNotFound()
    if not _allowed(data, statement):
        return HttpResponseForbidden("Permission denied.")
    name = f"statement-{statement.merchant_id}-{statement.number}"
    if data["f"] == "csv":
        response = StreamingHttpResponse(csv_stream(statement), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(pdf_bytes(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
