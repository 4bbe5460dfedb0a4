"""A merchant's staff and tills see and book only for their own merchant; another
merchant's data is NOT_FOUND (its existence is not revealed)."""
import pytest

from saleor_customer_value.models import LedgerTransaction

from ..conftest import global_id
from ..pos.queries import PAY, REVERSE, TOPUP, amount_input
from .conftest import BOOKINGS, CUSTOMERS, MERCHANT, MERCHANT_UPDATE, MERCHANTS, POSITION, SETTLE, STATEMENTS

pytestmark = pytest.mark.django_db


def _error_codes(content):
    return [e["message"].split(":")[0] for e in content.get("errors", [])]


@pytest.fixture
def booked(program, bakery, cinema, erika_card):
    card = {"code": erika_card.code}
    bakery.till.execute(TOPUP, amount_input(card, "50.00", receipt="A-1", key="a1"))
    cinema.till.execute(PAY, amount_input(card, "10.00", receipt="B-1", key="b1"))
    return card


@pytest.mark.parametrize("who", ["till", "staff"])
def test_a_merchant_sees_only_its_own_merchant_and_bookings(booked, bakery, cinema, who):
    client = getattr(bakery, who)

    # then: its own merchant and bookings
    assert client.execute(MERCHANTS)["merchants"] == [{"id": bakery.id, "name": "Bakery"}]
    assert client.execute(MERCHANT, {})["merchant"]["name"] == "Bakery"
    own = client.execute(BOOKINGS, {})["merchantBookings"]
    assert [(b["kind"], b["receipt"]) for b in own] == [("TOPUP", "A-1")]
    customers = client.execute(CUSTOMERS, {})["merchantCustomers"]
    assert [c["email"] for c in customers] == ["erika@example.com"]

    # and another merchant's data is NOT_FOUND, like an unknown ID
    for query, variables in (
        (MERCHANT, {"id": cinema.id}),
        (BOOKINGS, {"merchantId": cinema.id}),
        (STATEMENTS, {"merchantId": cinema.id}),
        (CUSTOMERS, {"merchantId": cinema.id}),
        (BOOKINGS, {"merchantId": global_id("Merchant", 999999)}),
    ):
        content = client.post(query, variables)
        assert _error_codes(content) == ["NOT_FOUND"], (query, content)


def test_a_till_cannot_book_for_another_merchant_or_reverse_its_receipts(booked, bakery, cinema):
    # when the bakery's till tries to reverse the cinema's receipt
    result = bakery.till.execute(REVERSE, {"receipt": "B-1", "note": "x", "key": "r1"})["posReverse"]

    # then nothing of the cinema's is touched
    assert [e["code"] for e in result["customerValueErrors"]] == ["NOT_FOUND"]
    assert LedgerTransaction.objects.filter(reason="reversal").count() == 0
    # and whatever the bakery's till books is booked for the bakery
    bakery.till.execute(PAY, amount_input(booked, "1.00", receipt="A-9", key="a9"))
    assert LedgerTransaction.objects.get(external_reference="A-9", reason="pos_payment").merchant_id == bakery.merchant.pk


def test_merchants_cannot_manage_the_network(booked, bakery, cinema):
    for client in (bakery.till, bakery.staff):
        result = client.execute(SETTLE, {"merchantId": bakery.id})["merchantSettle"]
        assert [e["code"] for e in result["customerValueErrors"]] == ["PERMISSION_DENIED"]
        update = client.execute(MERCHANT_UPDATE, {"id": bakery.id, "input": {"commissionPercent": "0"}})
        assert [e["code"] for e in update["merchantUpdate"]["customerValueErrors"]] == ["PERMISSION_DENIED"]
        assert _error_codes(client.post(POSITION, {"currency": "EUR"})) == ["PERMISSION_DENIED"]


def test_a_suspended_merchant_cannot_book(operator, booked, bakery):
    # given
    result = operator.execute(MERCHANT_UPDATE, {"id": bakery.id, "input": {"status": "SUSPENDED"}})
    assert result["merchantUpdate"]["merchant"]["status"] == "SUSPENDED"

    # when
    pay = bakery.till.execute(PAY, amount_input(booked, "1.00", receipt="A-5", key="a5"))["posWalletPay"]

    # then
    assert [e["code"] for e in pay["customerValueErrors"]] == ["MERCHANT_SUSPENDED"]
    assert not LedgerTransaction.objects.filter(external_reference="A-5").exists()


def test_statement_downloads_are_for_the_merchant_and_the_operator_only(operator, booked, bakery, cinema):
    from django.test import Client

    [statement] = operator.execute(SETTLE, {"merchantId": bakery.id})["merchantSettle"]["statements"]
    own = bakery.staff.execute(STATEMENTS, {})["merchantStatements"][0]

    csv = Client().get(own["csvUrl"])
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content).decode()
    assert "A-1" in body and "-50.000" in body and "B-1" not in body
    pdf = Client().get(statement["pdfUrl"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # a link signed for the bakery's staff stops working once they no longer act for it
    bakery.staff_user.cv_merchant_membership.delete()
    assert Client().get(own["csvUrl"]).status_code == 403
    assert Client().get(own["csvUrl"][:-5] + "xxxx/").status_code == 403
