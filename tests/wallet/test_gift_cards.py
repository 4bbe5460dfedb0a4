"""Gift vouchers: bought as order lines, issued as Saleor gift cards and e-mailed when the
order is paid; any Saleor gift card redeemed into the wallet."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from prices import Money
from saleor.giftcard.models import GiftCard
from saleor.product.models import Product, ProductType, ProductVariant
from saleor.warehouse.models import Stock

from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.models import LedgerTransaction
from saleor_customer_value.wallet import paid_orders
from saleor_customer_value.wallet.gift_cards import CODE_ALPHABET

from ..conftest import ApiClient, global_id, grant
from .stored_value_flow import (
    booked,
    new_checkout,
    on_commit_callbacks,
    pay_and_complete,
    wallet_posted,
)

pytestmark = pytest.mark.django_db

UPDATE_METADATA = """
mutation($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) { metadataErrors { field code } }
}
"""

RECIPIENT_SET = """
mutation($id: ID!, $email: String, $message: String) {
  checkoutGiftVoucherRecipientSet(checkoutId: $id, email: $email, message: $message) {
    checkout { id }
    customerValueErrors { field code message }
  }
}
"""

REDEEM = """
mutation($code: String!, $key: String) {
  walletRedeemGiftCard(code: $code, idempotencyKey: $key) {
    wallet { currency balance { posted { amount } available { amount currency } } }
    amount { amount currency }
    customerValueErrors { field code message }
  }
}
"""


@pytest.fixture
def gift_voucher(staff_api, staff_user, warehouse):
    """A 25.00 EUR gift voucher product, its type marked through Saleor's API."""
    product_type = ProductType.objects.create(
        name="Gift voucher", slug="gift-voucher", is_shipping_required=False
    )
    grant(staff_user, "manage_products")
    data = staff_api.execute(
        UPDATE_METADATA,
        {
            "id": global_id("ProductType", product_type.pk),
            "input": [{"key": "customer_value.kind", "value": "gift_voucher"}],
        },
    )
    assert data["updateMetadata"]["metadataErrors"] == []
    product = Product.objects.create(
        name="Gift voucher 25",
        slug="gift-voucher-25",
        product_type=product_type,
        price=Money(Decimal("25.00"), "EUR"),
        is_published=True,
        charge_taxes=False,
    )
    variant = ProductVariant.objects.create(
        product=product, sku="gv-25", track_inventory=False
    )
    Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=0)
    return variant


def buy(api, variant, quantity=1, recipient=None, email="erika@example.com"):
    checkout = new_checkout(api, variant, quantity, email=email)
    if recipient:
        data = api.execute(RECIPIENT_SET, {"id": checkout["id"], **recipient})
        assert data["checkoutGiftVoucherRecipientSet"]["customerValueErrors"] == []
    return pay_and_complete(api, checkout)


def test_paid_gift_vouchers_are_issued_as_gift_cards_and_mailed_to_the_buyer(
    customer_api, gift_voucher, mailoutbox
):
    # given a paid order of two 25.00 gift vouchers
    order = buy(customer_api, gift_voucher, quantity=2)
    assert order.total_gross_amount == Decimal("50.00")
    assert order.total_net_amount == Decimal("50.00")  # not taxed

    # when
    with on_commit_callbacks():
        result = paid_orders.handle_order_paid(order)

    # then two unguessable 25.00 gift cards exist, booked and e-mailed
    cards = list(GiftCard.objects.order_by("pk"))
    assert [c.pk for c in result.gift_cards] == [c.pk for c in cards]
    assert [(c.initial_balance_amount, c.current_balance_amount, c.currency) for c in cards] == [
        (Decimal("25.00"), Decimal("25.00"), "EUR")
    ] * 2
    for card in cards:
        assert re.fullmatch(f"[{CODE_ALPHABET}]{{16}}", card.code)
        assert card.is_active
    issued = booked(order, Reason.GIFT_VOUCHER_SALE)
    assert [t.metadata["event"] for t in issued] == ["issued", "issued"]
    assert {
        (e.account.system_code, e.signed_amount) for e in issued[0].entries.all()
    } == {("funding", Decimal("-25.000")), ("gift_vouchers", Decimal("25.000"))}
    [mail] = mailoutbox
    assert mail.to == ["erika@example.com"]
    assert mail.subject.startswith("Your gift voucher from")
    for card in cards:
        assert card.code in mail.body
        assert card.code in mail.alternatives[0][0]
    assert "25.00 EUR" in mail.body


def test_gift_vouchers_go_to_the_named_recipient_with_the_message(
    customer_api, gift_voucher, mailoutbox
):
    # given a recipient with a message that needs escaping in HTML
    order = buy(
        customer_api,
        gift_voucher,
        recipient={"email": "anna@example.com", "message": "Happy birthday <3 & more"},
    )
    assert order.get_value_from_private_metadata("customer_value.gift_voucher.email") == (
        "anna@example.com"
    )

    # when
    with on_commit_callbacks():
        paid_orders.handle_order_paid(order)

    # then
    [mail] = mailoutbox
    assert mail.to == ["anna@example.com"]
    assert "sent you a gift voucher" in mail.subject
    assert '"Happy birthday <3 & more"' in mail.body
    assert "Happy birthday &lt;3 &amp; more" in mail.alternatives[0][0]
    assert GiftCard.objects.get().code in mail.body


def test_gift_vouchers_are_issued_once(customer_api, gift_voucher, mailoutbox):
    order = buy(customer_api, gift_voucher)
    with on_commit_callbacks():
        paid_orders.handle_order_paid(order)

    with on_commit_callbacks():
        again = paid_orders.handle_order_paid(order)

    assert again.gift_cards == []
    assert GiftCard.objects.count() == 1
    assert len(booked(order, Reason.GIFT_VOUCHER_SALE)) == 1
    assert len(mailoutbox) == 1


def test_guest_can_buy_gift_vouchers_for_someone(api_client, gift_voucher, mailoutbox):
    order = buy(
        api_client, gift_voucher, recipient={"email": "anna@example.com"},
        email="guest@example.com",
    )

    with on_commit_callbacks():
        paid_orders.handle_order_paid(order)

    assert [m.to for m in mailoutbox] == [["anna@example.com"]]


@pytest.mark.parametrize(
    "variables, field, code",
    [
        ({"email": "not-an-email"}, "email", "INVALID"),
        ({"email": "", "message": "hi"}, "email", "INVALID"),
        ({"email": "anna@example.com", "message": "x" * 501}, "message", "INVALID"),
    ],
)
def test_recipient_bad_input(customer_api, gift_voucher, variables, field, code):
    checkout = new_checkout(customer_api, gift_voucher)

    data = customer_api.execute(RECIPIENT_SET, {"id": checkout["id"], **variables})

    errors = data["checkoutGiftVoucherRecipientSet"]["customerValueErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]


def test_recipient_of_another_customers_checkout_cannot_be_set(
    customer_api, api_client, other_customer, gift_voucher
):
    checkout = new_checkout(
        ApiClient(user=other_customer), gift_voucher, email="max@example.com"
    )

    as_customer = customer_api.execute(
        RECIPIENT_SET, {"id": checkout["id"], "email": "thief@example.com"}
    )
    as_anonymous = api_client.execute(
        RECIPIENT_SET, {"id": checkout["id"], "email": "thief@example.com"}
    )

    for data in (as_customer, as_anonymous):
        errors = data["checkoutGiftVoucherRecipientSet"]["customerValueErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [("checkoutId", "NOT_FOUND")]


def test_bought_gift_voucher_is_redeemed_into_the_wallet(
    customer_api, customer_user, other_customer, gift_voucher
):
    # given a gift voucher bought by Max
    order = buy(ApiClient(user=other_customer), gift_voucher, email="max@example.com")
    with on_commit_callbacks():
        [card] = paid_orders.handle_order_paid(order).gift_cards

    # when Erika redeems its code
    data = customer_api.execute(REDEEM, {"code": card.code})["walletRedeemGiftCard"]

    # then her wallet holds its value and the card is used up
    assert data["customerValueErrors"] == []
    assert data["amount"] == {"amount": 25.0, "currency": "EUR"}
    assert data["wallet"]["balance"]["available"] == {"amount": 25.0, "currency": "EUR"}
    assert wallet_posted(customer_user) == Decimal("25.000")
    card.refresh_from_db()
    assert card.current_balance_amount == Decimal("0")
    assert card.is_active is False
    assert card.last_used_on is not None
    redemption = LedgerTransaction.objects.get(metadata__event="redeemed")
    assert redemption.reason == Reason.GIFT_CARD_REDEMPTION
    assert redemption.actor_type == "customer"
    assert {(e.account.kind, e.account.system_code, e.signed_amount) for e in redemption.entries.all()} == {
        ("system", "gift_vouchers", Decimal("-25.000")),
        ("wallet", "", Decimal("25.000")),
    }


def test_any_saleor_gift_card_is_redeemed_with_its_remaining_balance(
    customer_api, customer_user
):
    GiftCard.objects.create(
        code="PARTLYUSED", initial_balance_amount=Decimal("50"),
        current_balance_amount=Decimal("12.30"),
    )

    data = customer_api.execute(REDEEM, {"code": " PARTLYUSED "})["walletRedeemGiftCard"]

    assert data["customerValueErrors"] == []
    assert data["amount"]["amount"] == 12.3
    assert wallet_posted(customer_user) == Decimal("12.300")


def test_redemption_replayed_with_its_key_redeems_once(customer_api, customer_user):
    GiftCard.objects.create(
        code="ONCE", initial_balance_amount=Decimal("10"), current_balance_amount=Decimal("10")
    )

    first = customer_api.execute(REDEEM, {"code": "ONCE", "key": "r-1"})["walletRedeemGiftCard"]
    second = customer_api.execute(REDEEM, {"code": "ONCE", "key": "r-1"})["walletRedeemGiftCard"]
    third = customer_api.execute(REDEEM, {"code": "ONCE", "key": "r-2"})["walletRedeemGiftCard"]

    assert first["customerValueErrors"] == [] and second["customerValueErrors"] == []
    assert second["amount"] == first["amount"]
    assert [e["code"] for e in third["customerValueErrors"]] == ["INVALID_GIFT_CARD_CODE"]
    assert wallet_posted(customer_user) == Decimal("10.000")


@pytest.mark.parametrize(
    "card, code",
    [
        (None, "INVALID_GIFT_CARD_CODE"),
        ({"is_active": False}, "INVALID_GIFT_CARD_CODE"),
        ({"current_balance_amount": Decimal("0")}, "INVALID_GIFT_CARD_CODE"),
        ({"end_date": date.today() - timedelta(days=1)}, "INVALID_GIFT_CARD_CODE"),
        ({"start_date": date.today() + timedelta(days=1)}, "INVALID_GIFT_CARD_CODE"),
        ({"currency": "GBP"}, "CURRENCY_MISMATCH"),
    ],
)
def test_redeeming_an_unusable_gift_card_is_refused(customer_api, customer_user, card, code):
    if card is not None:
        GiftCard.objects.create(
            code="CARD", **{"initial_balance_amount": Decimal("10"),
                            "current_balance_amount": Decimal("10"), **card}
        )

    data = customer_api.execute(REDEEM, {"code": "CARD"})["walletRedeemGiftCard"]

    assert data["wallet"] is None
    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [("code", code)]
    assert wallet_posted(customer_user) == Decimal("0")
    if card is not None:
        assert GiftCard.objects.get().current_balance_amount == Decimal(
            card.get("current_balance_amount", "10")
        )


def test_gift_card_expiring_today_can_still_be_redeemed(customer_api, customer_user):
    GiftCard.objects.create(
        code="TODAY", initial_balance_amount=Decimal("5"),
        current_balance_amount=Decimal("5"), end_date=date.today(),
    )

    data = customer_api.execute(REDEEM, {"code": "TODAY"})["walletRedeemGiftCard"]

    assert data["customerValueErrors"] == []


@pytest.mark.parametrize("client", ["api_client", "app_api"])
def test_redeeming_needs_a_logged_in_customer(request, client):
    GiftCard.objects.create(
        code="CARD", initial_balance_amount=Decimal("10"), current_balance_amount=Decimal("10")
    )
    api = request.getfixturevalue(client)

    data = api.execute(REDEEM, {"code": "CARD"})["walletRedeemGiftCard"]

    assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]
    assert GiftCard.objects.get().is_active is True


def test_failing_mail_does_not_undo_the_issued_gift_cards(
    customer_api, gift_voucher, settings, caplog
):
    settings.EMAIL_BACKEND = "no.such.Backend"
    order = buy(customer_api, gift_voucher)

    with on_commit_callbacks():
        result = paid_orders.handle_order_paid(order)

    assert len(result.gift_cards) == 1
    assert GiftCard.objects.count() == 1
    assert "gift voucher e-mail failed" in caplog.text
