"""myDigitalCard and cardDownload: issue on first request, QR (SVG/PNG) and PDF card
behind a signed, short-lived link that only the card's owner gets."""
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core import signing
from django.test import Client

from saleor_customer_value.cards import codes, digital, downloads
from saleor_customer_value.models import Card, CardKind, CardState

from ..conftest import ApiClient

MY_DIGITAL_CARD = "{ myDigitalCard { id kind state code qrPayload expiresAt } }"
DOWNLOAD = """
mutation($id: ID!, $format: CardFileFormatEnum!) {
  cardDownload(id: $id, format: $format) {
    file { url filename contentType }
    customerValueErrors { field code message }
  }
}
"""


def my_digital_card(client):
    return client.execute(MY_DIGITAL_CARD)["myDigitalCard"]


def download(client, card_id, fmt):
    return client.execute(DOWNLOAD, {"id": card_id, "format": fmt})["cardDownload"]


def fetch(url):
    return Client().get(url.replace("http://testserver", ""))


def test_the_digital_card_is_issued_on_first_request_then_kept(customer_api, customer_user):
    first = my_digital_card(customer_api)
    again = my_digital_card(customer_api)

    assert first == again
    assert first["kind"] == "DIGITAL" and first["state"] == "ACTIVE"
    card = Card.objects.get()
    assert card.customer.user == customer_user and card.kind == CardKind.DIGITAL
    assert first["code"] == codes.formatted(card.code)
    assert first["qrPayload"] == "CV1:" + card.code
    assert date.fromisoformat(first["expiresAt"]) == date.today() + timedelta(
        days=digital.VALIDITY_DAYS
    )
    assert codes.is_valid(card.code)


def test_an_expired_digital_card_is_renewed(customer_api, customer_user):
    my_digital_card(customer_api)
    old = Card.objects.get()
    old.expires_at = date.today() - timedelta(days=1)
    old.save()

    new = my_digital_card(customer_api)

    old.refresh_from_db()
    assert old.state == CardState.EXPIRED
    assert new["code"] != codes.formatted(old.code) and new["state"] == "ACTIVE"
    assert Card.objects.filter(customer=old.customer).count() == 2


def test_anonymous_callers_get_no_digital_card(api_client, db):
    content = api_client.post(MY_DIGITAL_CARD)
    assert content["errors"] and not Card.objects.exists()


@pytest.mark.parametrize(
    "fmt,content_type,magic",
    [
        ("SVG", "image/svg+xml", b"<?xml"),
        ("PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("PDF", "application/pdf", b"%PDF-1."),
    ],
)
def test_the_owner_downloads_qr_and_pdf(customer_api, fmt, content_type, magic):
    card_id = my_digital_card(customer_api)["id"]

    data = download(customer_api, card_id, fmt)

    assert data["customerValueErrors"] == []
    assert data["file"]["contentType"] == content_type
    response = fetch(data["file"]["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "no-store, private"
    assert response.content.startswith(magic)
    assert data["file"]["filename"] in response["Content-Disposition"]


def test_the_pdf_card_renders(customer_api, customer_user, tmp_path):
    card_id = my_digital_card(customer_api)["id"]
    pdf = fetch(download(customer_api, card_id, "PDF")["file"]["url"]).content
    card = Card.objects.get()
    stream = pdf
    assert b"(Erika M) Tj" in stream
    assert codes.formatted(card.code)[:10].encode() in stream
    from django.utils import formats

    assert f"Valid until {formats.date_format(card.expires_at, 'SHORT_DATE_FORMAT')}".encode() in stream
    if shutil.which("pdftoppm"):
        path = tmp_path / "card.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True
        )
        assert list(tmp_path.glob("page*.png"))


def test_the_card_files_follow_the_language_of_the_request(customer_api, customer_user):
    class German(ApiClient):
        def _headers(self):
            return {**super()._headers(), "HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}

    german = German(user=customer_user)
    card_id = my_digital_card(german)["id"]
    card = Card.objects.get()

    pdf = fetch(download(german, card_id, "PDF")["file"]["url"]).content

    # "Gültig bis 28.11.2029" (ü as an octal escape in the PDF's text), whatever the
    # browser that opens the link sends
    assert b"(G\\374ltig bis " + card.expires_at.strftime("%d.%m.%Y").encode() in pdf
    english = fetch(download(customer_api, card_id, "PDF")["file"]["url"]).content
    assert b"Valid until" in english


def test_a_shopper_gets_no_link_for_somebody_elses_card(customer_api, other_customer):
    theirs = my_digital_card(ApiClient(user=other_customer))["id"]

    data = download(customer_api, theirs, "PDF")

    assert data["file"] is None
    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [("id", "NOT_FOUND")]


def test_staff_get_no_link_either(staff_api, customer_api):
    card_id = my_digital_card(customer_api)["id"]
    data = download(staff_api, card_id, "PNG")
    assert data["customerValueErrors"][0]["code"] == "NOT_FOUND"


def test_links_are_signed_short_lived_and_follow_the_owner(
    customer_api, customer_user, other_customer, monkeypatch
):
    card_id = my_digital_card(customer_api)["id"]
    url = download(customer_api, card_id, "PNG")["file"]["url"]
    token = url.rstrip("/").rsplit("/", 1)[1]

    # Tampered: another card or format in the payload without the key.
    payload = signing.loads(token, salt=downloads.CARD_SALT)
    forged = signing.dumps(dict(payload, c=payload["c"] + 1), salt="wrong")
    assert fetch(url.replace(token, forged)).status_code == 403
    assert fetch(url.replace(token, token[:-2] + "xx")).status_code == 403

    # A link signed for another user (say one leaked from somebody else) does not work.
    card = Card.objects.get()
    other = downloads.card_url_for(card, "png", other_customer)
    assert fetch(other).status_code == 403

    # Expired.
    monkeypatch.setattr(downloads, "CARD_MAX_AGE", -1)
    assert fetch(url).status_code == 403
    monkeypatch.setattr(downloads, "CARD_MAX_AGE", 300)
    assert fetch(url).status_code == 200

    # The card changed hands: the old owner's link stops working.
    from saleor_customer_value.ledger import accounts

    card.customer = accounts.customer_for_user(other_customer)
    card.save()
    assert fetch(url).status_code == 403


def _shown_texts(pdf: bytes):
    return [m.decode("latin-1") for m in re.findall(rb"\((.*?)\) Tj", pdf)]


def test_a_long_e_mail_as_holder_wraps_inside_the_card(customer_api, customer_user):
    # given a shopper without a name and a long e-mail address
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    customer_user.first_name = customer_user.last_name = ""
    customer_user.email = "a.very.long.customer.email.address@example-company.com"
    customer_user.save()
    card_id = my_digital_card(customer_api)["id"]

    # when the card PDF is downloaded
    pdf = fetch(download(customer_api, card_id, "PDF")["file"]["url"]).content

    # then the whole address is on the card, on lines that fit right of the QR code
    texts = _shown_texts(pdf)
    holder = [t for t in texts if t and t in customer_user.email]
    assert "".join(holder) == customer_user.email
    room = (85.6 - 4 - 30 - 3 - 4) * mm
    assert all(stringWidth(line, "Helvetica", 6) <= room for line in holder)


def test_png_and_svg_are_wallet_sized_cards_with_number_and_shop(customer_api, settings):
    import io

    from django.contrib.sites.models import Site
    from PIL import Image

    Site.objects.update(name="Erika's Shop")
    card_id = my_digital_card(customer_api)["id"]
    card = Card.objects.get()
    png = fetch(download(customer_api, card_id, "PNG")["file"]["url"]).content
    svg = fetch(download(customer_api, card_id, "SVG")["file"]["url"]).content.decode()

    # ID-1 proportions at 300 dpi, not a square QR code
    assert Image.open(io.BytesIO(png)).size == (1012, 638)
    number = codes.formatted(card.code)
    assert 'width="85.6mm" height="54.0mm"' in svg
    assert "Erika&apos;s Shop" in svg or "Erika's Shop" in svg
    assert number[:10] in svg and number[10:] in svg
