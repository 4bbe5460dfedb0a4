"""Paying part of a checkout on the credit line through Saleor's real checkout, the
rest with Saleor's dummy gateway (the same steps as the wallet's partial payment)."""
from decimal import Decimal

from django.utils import timezone
from saleor.order.models import Order
from saleor.payment.models import Payment

from saleor_customer_value.credit.payments import CREDIT_GATEWAY_ID
from saleor_customer_value.ledger import service
from saleor_customer_value.models import (
    Account,
    AccountKind,
    CreditLineStatus,
    Hold,
    HoldStatus,
    LedgerTransaction,
)

from ..checkout_flow import checkout_total, complete, pay
from ..conftest import global_id, grant
from .conftest import credit_checkout, open_line

APPLY = """
mutation($id: ID!, $amount: Decimal, $key: String) {
  checkoutCreditApply(checkoutId: $id, amount: $amount, idempotencyKey: $key) {
    creditPayment {
      applied { amount currency } totalBeforeCredit { amount }
      remaining { amount } available { amount } reservedUntil
    }
    customerValueErrors { field code message }
  }
}
"""

REMOVE = """
mutation($id: ID!) {
  checkoutCreditRemove(checkoutId: $id) {
    creditPayment { applied { amount } remaining { amount } available { amount } }
    customerValueErrors { field code message }
  }
}
"""

WALLET_APPLY = """
mutation($id: ID!, $amount: Decimal) {
  checkoutWalletApply(checkoutId: $id, amount: $amount) { customerValueErrors { code message } }
}
"""

ORDER_CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { order { status } orderErrors { code message } } }
"""


def apply(api, checkout, amount=None, key=None):
    return api.execute(APPLY, {"id": checkout["id"], "amount": amount, "key": key})[
        "checkoutCreditApply"
    ]


def remove(api, checkout):
    return api.execute(REMOVE, {"id": checkout["id"]})["checkoutCreditRemove"]


def credit_account(user):
    return Account.objects.get(customer__user=user, kind=AccountKind.CREDIT)


def gross(api, checkout):
    return checkout_total(api, checkout)["totalPrice"]["gross"]["amount"]


def codes(data):
    return [e["code"] for e in data["customerValueErrors"]]


def test_credit_pays_part_and_the_card_pays_the_rest(
    customer_api, customer_user, variant, shipping_method
):
    # given a 45.00 checkout and a credit line of 100.00
    open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    assert gross(customer_api, checkout) == 45.0

    # when 20.00 is put on the credit line
    data = apply(customer_api, checkout, "20.00")

    # then it is reserved against the limit and Saleor's total drops to 25.00
    assert data["customerValueErrors"] == []
    part = data["creditPayment"]
    assert part["applied"] == {"amount": 20.0, "currency": "EUR"}
    assert (part["totalBeforeCredit"]["amount"], part["remaining"]["amount"]) == (45.0, 25.0)
    assert part["available"]["amount"] == 80.0 and part["reservedUntil"]
    account = credit_account(customer_user)
    assert (account.posted, account.held) == (Decimal("0"), Decimal("20.000"))
    assert gross(customer_api, checkout) == 25.0

    # when the rest is paid with the dummy gateway and the checkout completed
    assert pay(customer_api, checkout, 25.0)["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # then the order is paid in full with its full total, by two payments
    assert result["checkoutErrors"] == []
    assert result["order"]["isPaid"] is True
    assert result["order"]["paymentStatus"] == "FULLY_CHARGED"
    assert result["order"]["total"]["gross"]["amount"] == 45.0
    assert {"key": "customer_value.credit_paid", "value": "20.00"} in result["order"]["metadata"]
    order = Order.objects.get()
    payments = {p.gateway: (p.captured_amount, p.charge_status) for p in Payment.objects.filter(order=order)}
    assert payments == {
        "mirumee.payments.dummy": (Decimal("25.00"), "fully-charged"),
        CREDIT_GATEWAY_ID: (Decimal("20.00"), "fully-charged"),
    }
    # and the credit line owes exactly the credit part, booked with the order
    account = credit_account(customer_user)
    assert (account.posted, account.held) == (Decimal("-20.000"), Decimal("0"))
    txn = LedgerTransaction.objects.get(reason="credit_purchase")
    assert txn.order_id == order.pk and txn.hold.status == HoldStatus.POSTED
    entry = txn.entries.get(account__kind="credit")
    assert (entry.amount, entry.direction) == (Decimal("20.000"), -1)


def test_changing_and_removing_the_credit_part_restores_the_total(
    customer_api, customer_user, variant, shipping_method
):
    open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, "20.00")

    changed = apply(customer_api, checkout, "12.50")
    assert changed["creditPayment"]["applied"]["amount"] == 12.5
    assert changed["creditPayment"]["available"]["amount"] == 87.5
    assert Hold.objects.filter(status=HoldStatus.PENDING).count() == 1
    assert gross(customer_api, checkout) == 32.5

    removed = remove(customer_api, checkout)
    assert removed["customerValueErrors"] == []
    assert removed["creditPayment"]["applied"]["amount"] == 0.0
    assert removed["creditPayment"]["available"]["amount"] == 100.0
    assert gross(customer_api, checkout) == 45.0
    assert credit_account(customer_user).held == Decimal("0")


def test_omitting_the_amount_puts_everything_left_on_credit_up_to_the_limit(
    customer_api, customer_user, variant, shipping_method
):
    open_line(customer_user, "30.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout)

    assert data["creditPayment"]["applied"]["amount"] == 30.0
    assert data["creditPayment"]["remaining"]["amount"] == 15.0


def test_over_the_limit_is_refused_and_nothing_is_reserved(
    customer_api, customer_user, other_customer, variant, shipping_method
):
    from ..conftest import ApiClient

    import uuid

    from saleor_customer_value.credit import payments
    from saleor_customer_value.ledger import accounts
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode

    # given a limit of 30.00: 10.00 owed, 10.00 reserved by another checkout
    line = open_line(customer_user, "30.00")
    payments.purchase(
        accounts.customer_for_user(customer_user), "EUR", "10.00", Actor.system("tests"),
        service.References(external_reference="till"), customer_note="earlier",
    )
    service.place_hold(
        line.account, accounts.system_account(SystemAccountCode.CREDIT_SALES, "EUR"), "10.00",
        Reason.CREDIT_PURCHASE, expires_at=timezone.now() + timezone.timedelta(minutes=30),
        refs=service.References(checkout_token=uuid.uuid4()),
    )
    first = credit_checkout(customer_api, variant, shipping_method)

    # when 10.01 is put on credit, it is refused; 10.00 exactly fits
    refused = apply(customer_api, first, "10.01")
    assert codes(refused) == ["CREDIT_LIMIT_EXCEEDED"]
    assert gross(customer_api, first) == 45.0
    assert credit_account(customer_user).held == Decimal("10.000")
    assert codes(apply(customer_api, first, "10.00")) == []
    assert credit_account(customer_user).available == Decimal("0")
    assert gross(customer_api, first) == 35.0

    # and another customer cannot touch the checkout
    other = apply(ApiClient(user=other_customer), first, "1.00")
    assert codes(other) == ["NOT_FOUND"]


def test_more_than_is_left_to_pay_is_refused(customer_api, customer_user, variant, shipping_method):
    open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)

    assert codes(apply(customer_api, checkout, "45.01")) == ["INVALID_AMOUNT"]
    assert Hold.objects.count() == 0


def test_without_a_line_suspended_or_overdue_nothing_is_reserved(
    customer_api, customer_user, variant, shipping_method
):
    from saleor_customer_value.credit import statements

    checkout = credit_checkout(customer_api, variant, shipping_method)
    assert codes(apply(customer_api, checkout, "10.00")) == ["NO_CREDIT_LINE"]

    line = open_line(customer_user, "100.00")
    line.status = CreditLineStatus.SUSPENDED
    line.save(update_fields=["status"])
    assert codes(apply(customer_api, checkout, "10.00")) == ["CREDIT_LINE_SUSPENDED"]

    # an unpaid statement past its due date
    line.status = CreditLineStatus.ACTIVE
    line.due_days = 0
    line.save(update_fields=["status", "due_days"])
    from .conftest import pos_pay  # noqa: F401  (the same rule as the till)
    from saleor_customer_value.credit import payments
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger import accounts

    payments.purchase(
        accounts.customer_for_user(customer_user), "EUR", "5.00", Actor.system("tests"),
        service.References(external_reference="old"), customer_note="earlier",
    )
    statement = statements.close_cycle(line)
    statement.due_date = timezone.now().date() - timezone.timedelta(days=1)
    statement.save(update_fields=["due_date"])
    assert codes(apply(customer_api, checkout, "10.00")) == ["OVERDUE"]
    assert Hold.objects.count() == 0


def test_wallet_top_ups_cannot_be_put_on_credit(
    customer_api, customer_user, variant, shipping_method, warehouse
):
    from ..wallet.stored_value_flow import add_top_up

    open_line(customer_user, "500.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    assert apply(customer_api, checkout, "10.00")["customerValueErrors"] == []

    # a top-up added after the credit part was applied: refused now ...
    assert add_top_up(customer_api, checkout, 50)["customerValueErrors"] == []
    assert codes(apply(customer_api, checkout, "10.00")) == ["STORED_VALUE_ON_CREDIT"]


def test_a_top_up_added_after_applying_refuses_the_completion(
    customer_api, customer_user, variant, shipping_method, warehouse
):
    from ..wallet.stored_value_flow import add_top_up

    open_line(customer_user, "500.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    assert apply(customer_api, checkout, "10.00")["customerValueErrors"] == []
    assert add_top_up(customer_api, checkout, 50)["customerValueErrors"] == []
    assert gross(customer_api, checkout) == 85.0

    assert pay(customer_api, checkout, 85.0)["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # ... and at the completion, before the card is charged
    assert result["order"] is None
    assert "STORED_VALUE_ON_CREDIT" in result["checkoutErrors"][0]["message"]
    assert Order.objects.count() == 0
    assert credit_account(customer_user).posted == Decimal("0")


def test_an_expired_reservation_releases_the_credit_and_the_total(
    customer_api, customer_user, variant, shipping_method
):
    open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, "20.00")
    assert credit_account(customer_user).held == Decimal("20.000")

    released = service.expire_holds(now=timezone.now() + timezone.timedelta(days=8))

    assert released == 1
    assert credit_account(customer_user).held == Decimal("0")
    assert Hold.objects.get().status == HoldStatus.EXPIRED
    assert gross(customer_api, checkout) == 45.0


def test_wallet_and_credit_parts_together(
    customer_api, customer_user, variant, shipping_method
):
    from ..wallet.conftest import fund_wallet

    # given 10.00 from the wallet and 30.00 on credit of a 45.00 checkout
    fund_wallet(customer_user, "10.00")
    open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    applied = customer_api.execute(WALLET_APPLY, {"id": checkout["id"], "amount": 10})
    assert applied["checkoutWalletApply"]["customerValueErrors"] == []
    part = apply(customer_api, checkout, "30.00")
    assert part["customerValueErrors"] == []
    # the credit part comes after the wallet: at most 35.00 is left for it
    assert part["creditPayment"]["totalBeforeCredit"]["amount"] == 35.0
    assert gross(customer_api, checkout) == 5.0

    assert pay(customer_api, checkout, 5.0)["paymentErrors"] == []
    result = complete(customer_api, checkout)

    assert result["checkoutErrors"] == []
    assert result["order"]["isPaid"] is True
    assert result["order"]["total"]["gross"]["amount"] == 45.0
    payments = sorted(
        (p.gateway, p.captured_amount) for p in Payment.objects.filter(order__isnull=False)
    )
    assert payments == [
        ("mirumee.payments.dummy", Decimal("5.00")),
        (CREDIT_GATEWAY_ID, Decimal("30.00")),
        ("saleor.customer_value.wallet", Decimal("10.00")),
    ]
    assert credit_account(customer_user).posted == Decimal("-30.000")


def test_a_cancelled_order_gives_the_credit_part_back(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, "20.00")
    pay(customer_api, checkout, 25.0)
    assert complete(customer_api, checkout)["checkoutErrors"] == []
    grant(staff_user, "manage_orders")

    data = staff_api.execute(ORDER_CANCEL, {"id": global_id("Order", Order.objects.get().pk)})

    assert data["orderCancel"]["orderErrors"] == []
    account = credit_account(customer_user)
    assert (account.posted, account.held) == (Decimal("0"), Decimal("0"))
    refund = LedgerTransaction.objects.get(reason="credit_refund")
    entry = refund.entries.get(account__kind="credit")
    assert (entry.amount, entry.direction) == (Decimal("20.000"), 1)
    credit_payment = Payment.objects.get(gateway=CREDIT_GATEWAY_ID)
    assert credit_payment.captured_amount == Decimal("0")


def test_a_line_suspended_after_applying_refuses_the_completion(
    customer_api, customer_user, variant, shipping_method
):
    line = open_line(customer_user, "100.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, "20.00")
    line.status = CreditLineStatus.SUSPENDED
    line.save(update_fields=["status"])
    pay(customer_api, checkout, 25.0)

    result = complete(customer_api, checkout)

    assert result["order"] is None
    assert "CREDIT_LINE_SUSPENDED" in result["checkoutErrors"][0]["message"]
    assert Payment.objects.get().captured_amount == Decimal("0")  # the card was not charged
    assert credit_account(customer_user).posted == Decimal("0")
