"""Which changes write which events, with what payload (outbox rows, at commit)."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import CardKind, CardState, OutboxEvent
from saleor_customer_value.webhooks import events

from ..cards.conftest import make_card
from ..conftest import ApiClient, global_id, grant
from ..badges.conftest import ladder  # noqa: F401
from ..loyalty.conftest import give_points
from ..wallet.conftest import fund_wallet

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def outbox(customer=None):
    qs = OutboxEvent.objects.order_by("customer_id", "sequence", "pk")
    if customer is not None:
        qs = qs.filter(customer_id=customer.pk)
    return [(e.event_type, e.sequence) for e in qs]


def payload(event_type):
    return OutboxEvent.objects.get(event_type=event_type).payload


def test_posting_writes_transaction_and_balance_events(customer_user):
    wallet = fund_wallet(customer_user, "12.50")

    customer = wallet.customer
    assert outbox(customer) == [
        (events.WALLET_BALANCE_CHANGED, 1),
        (events.TRANSACTION_POSTED, 2),
    ]
    txn = payload(events.TRANSACTION_POSTED)
    assert txn["reason"] == "topup" and txn["id"] == global_id("LedgerTransaction", wallet.entries.get().transaction_id)
    assert "note" not in txn


def test_mixed_posting_events_are_exact(customer_user):
    """Every field of every event of a posting with wallet, points and system legs, in
    entry order (migration 0021 builds them in one statement; 0010/0014 in a loop)."""
    from datetime import datetime
    from decimal import Decimal

    wallet = fund_wallet(customer_user, "20.00")
    customer = wallet.customer
    points = accounts.points_account(customer)
    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")
    issued = accounts.system_account(SystemAccountCode.POINTS_ISSUED, "PTS")
    txn = service.post(
        [
            service.Leg(funding, Decimal("-7.5")),
            service.Leg(wallet, Decimal("7.5")),
            service.Leg(issued, Decimal("-40")),
            service.Leg(points, Decimal("40")),
        ],
        service.Posting(
            reason=Reason.GOODWILL, actor=Actor.system("tests"), customer_note="thanks",
            refs=service.References(external_reference="ext-1"),
        ),
    )

    assert outbox(customer)[2:] == [
        (events.WALLET_BALANCE_CHANGED, 3),
        (events.POINTS_BALANCE_CHANGED, 4),
        (events.TRANSACTION_POSTED, 5),
    ]
    rows = {e.sequence: e.payload for e in OutboxEvent.objects.filter(customer_id=customer.pk)}
    txn_id = global_id("LedgerTransaction", txn.pk)
    change = {"transactionId": txn_id, "reason": "goodwill", "reversalOf": None,
              "externalReference": "ext-1"}
    assert rows[3] == {**change, "change": "7.50", "currency": "EUR",
                       "balance": {"posted": "27.50", "held": "0.00", "available": "27.50"}}
    assert rows[4] == {**change, "change": "40", "pending": 0, "expiring": [],
                       "balance": {"posted": "40", "held": "0", "available": "40"}}
    posted = rows[5]
    assert datetime.fromisoformat(posted.pop("createdAt")) == txn.created_at
    assert posted == {
        "id": txn_id, "reason": "goodwill", "customerNote": "thanks", "orderId": None,
        "cardId": None, "externalReference": "ext-1", "reversalOf": None, "holdId": None,
        "isClawback": False,
        "entries": [
            {"account": "system:funding", "customerId": None, "unit": "EUR", "amount": "-7.50"},
            {"account": "wallet", "customerId": customer.pk, "unit": "EUR", "amount": "7.50"},
            {"account": "system:points_issued", "customerId": None, "unit": "PTS", "amount": "-40"},
            {"account": "points", "customerId": customer.pk, "unit": "PTS", "amount": "40"},
        ],
    }


def test_reversal_writes_reversed_event(customer_user):
    fund_wallet(customer_user, "5.00")
    from saleor_customer_value.models import LedgerTransaction

    original = LedgerTransaction.objects.get()
    service.reverse(original, Actor.system("tests"), "mistake")

    reversed_ = payload(events.TRANSACTION_REVERSED)
    assert reversed_["reversalOf"] == global_id("LedgerTransaction", original.pk)
    changes = OutboxEvent.objects.filter(event_type=events.WALLET_BALANCE_CHANGED).order_by("sequence")
    assert [e.payload["change"] for e in changes] == ["5.00", "-5.00"]
    assert changes.last().payload["balance"]["posted"] == "0.00"


def test_points_event_carries_pending_and_expiring(customer_user):
    give_points(customer_user, 120, expiry_days=30)

    data = payload(events.POINTS_BALANCE_CHANGED)
    assert data["change"] == "120" and data["balance"]["available"] == "120"
    assert data["pending"] == 0
    (expiring,) = data["expiring"]
    assert expiring["points"] == 120 and expiring["expiresAt"]


def test_hold_lifecycle_events(customer_user):
    wallet = fund_wallet(customer_user, "20.00")
    redemption = accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")
    hold = service.place_hold(wallet, redemption, "7.00", Reason.CHECKOUT_PAYMENT,
                              expires_at=timezone.now() + timedelta(hours=1))
    service.post_hold(hold, service.Posting(reason=Reason.CHECKOUT_PAYMENT, actor=Actor.system("t")), amount="5.00")
    other = service.place_hold(wallet, redemption, "1.00", Reason.CHECKOUT_PAYMENT)
    service.void_hold(other)

    types = [t for t, _ in outbox(wallet.customer)]
    assert types.count(events.HOLD_PLACED) == 2
    assert events.HOLD_POSTED in types and events.HOLD_VOIDED in types
    placed = OutboxEvent.objects.filter(event_type=events.HOLD_PLACED).order_by("pk").first().payload
    assert placed["amount"] == "7.00" and placed["balance"]["available"] == "13.00"
    assert payload(events.HOLD_POSTED)["postedAmount"] == "5.00"


def test_card_events_never_carry_the_code(customer_user, staff_user):
    customer = accounts.customer_for_user(customer_user)
    card = make_card(customer, state=CardState.ACTIVE, kind=CardKind.QR, registered_at=timezone.now())
    grant(staff_user, "manage_cards")
    ApiClient(user=staff_user).execute(
        'mutation B($id: ID!) { cardBlock(id: $id, reason: "lost") { customerValueErrors { code } } }',
        {"id": global_id("Card", card.pk)},
    )

    assert outbox(customer) == [(events.CARD_REGISTERED, 1), (events.CARD_BLOCKED, 2)]
    blocked = payload(events.CARD_BLOCKED)
    assert blocked["maskedCode"].endswith(card.code[-4:])
    assert blocked["blockedReason"] == "lost"
    assert all(card.code not in str(e.payload) for e in OutboxEvent.objects.all())


def test_gift_voucher_sale_writes_issued_event(db):
    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")
    vouchers = accounts.system_account(SystemAccountCode.GIFT_VOUCHERS, "EUR")
    service.transfer(funding, vouchers, "25.00", service.Posting(
        reason=Reason.GIFT_VOUCHER_SALE, actor=Actor.system("t"), metadata={"gift_card_id": 9}))

    data = payload(events.GIFT_VOUCHER_ISSUED)
    assert data == {
        "giftCardId": global_id("GiftCard", 9),
        "orderId": None,
        "transactionId": data["transactionId"],
        "amount": "25.00",
        "currency": "EUR",
    }


def test_emit_commits_and_rolls_back_with_the_caller(customer_user):
    customer = accounts.customer_for_user(customer_user)

    with transaction.atomic():
        events.emit(events.POS_BOOKING_REFUSED, customer.pk, {"code": "X"})
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            events.emit(events.POS_BOOKING_REFUSED, customer.pk, {"code": "Y"})
            raise RuntimeError()
    with pytest.raises(ValueError):
        events.emit("customer_value_nope", customer.pk, {})

    assert [e.payload for e in OutboxEvent.objects.all()] == [{"code": "X"}]
    assert outbox(customer) == [(events.POS_BOOKING_REFUSED, 1)]


def test_event_types_are_registered_with_saleor():
    from saleor.webhook.event_types import WebhookEventType

    for value in events.REGISTRY:
        assert value in dict(WebhookEventType.CHOICES)
        assert WebhookEventType.PERMISSIONS[value] == events.REGISTRY[value].permissions[0]


def test_tier_changes_write_badge_events_in_the_postings_transaction(customer_user, ladder):
    give_points(customer_user, 120)
    give_points(customer_user, 400)  # 520: Bronze is left upwards, Silver unlocked

    changes = [
        (e.payload["badge"], e.payload["change"], e.payload["isTier"], e.payload["measuredValue"])
        for e in OutboxEvent.objects.filter(event_type=events.BADGE_CHANGED).order_by("sequence")
    ]
    assert changes == [
        ("Bronze", "unlocked", True, 120),
        ("Bronze", "lost", True, 520),
        ("Silver", "unlocked", True, 520),
    ]
    # in the customer's sequence, right after the points movement that caused it
    from saleor_customer_value.models import Customer

    kinds = [e for e, _ in outbox(Customer.objects.get(user=customer_user))]
    assert kinds.index(events.BADGE_CHANGED) > kinds.index(events.POINTS_BALANCE_CHANGED)
    caused_by = OutboxEvent.objects.filter(event_type=events.BADGE_CHANGED).last().payload["transactionId"]
    assert caused_by is not None


def test_a_rolled_back_posting_writes_no_badge_event(customer_user, ladder):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            give_points(customer_user, 150)
            raise RuntimeError("till crashed")
    assert not OutboxEvent.objects.filter(event_type=events.BADGE_CHANGED).exists()
