"""myDigitalCard and cardDownload: issue on first request, QR (SVG/PNG) and PDF card
behind a signed, short-lived link that only the card's owner gets."""
import re
import shutil
import subprocess
import zlib
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
        ("PDF", "application/pdf", b"%PDF-1.4"),
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
    stream = zlib.decompress(re.search(rb"stream\n(.*)\nendstream", pdf, re.S).group(1))
    assert b"(Erika M) Tj" in stream
    assert codes.formatted(card.code)[:9].encode() in stream
    assert f"Valid until {card.expires_at.isoformat()}".encode() in stream
    if shutil.which("pdftoppm"):
        path = tmp_path / "card.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True
        )
        assert list(tmp_path.glob("page*.png"))


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
