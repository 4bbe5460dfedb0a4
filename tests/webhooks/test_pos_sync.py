"""posSync: a till uploads offline bookings; each gets its own result."""
from datetime import timedelta

import pytest
from django.utils import timezone
from saleor.plugins.models import PluginConfiguration

from saleor_customer_value import config
from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.models import LedgerTransaction, OutboxEvent
from saleor_customer_value.webhooks import events

from ..pos.conftest import cashier, erika_card, program, till  # noqa: F401
from ..wallet.conftest import fund_wallet

SYNC = """
mutation Sync($items: [PosSyncItemInput!]!) {
  posSync(items: $items) {
    results {
      index idempotencyKey status
      error { field code message }
      bookings { reason amount unit }
      points amount { amount currency } bonus { amount }
      customer { wallets { currency balance { available { amount } } } points { available } }
    }
    customerValueErrors { field code message }
  }
}
"""

EVENTS = """
query Events($types: [WebhookEventTypeEnum!]) {
  customerValueEvents(first: 20, types: $types) {
    edges { node { eventType sequence customerNumber payload } }
  }
}
"""


def item(card, kind, key, amount=None, points=None, minutes_ago=30, receipt=None):
    data = {
        "kind": kind,
        "customer": {"code": card.code},
        "receipt": receipt or f"R-{key}",
        "note": "offline",
        "idempotencyKey": key,
        "tillTimestamp": (timezone.now() - timedelta(minutes=minutes_ago)).isoformat(),
    }
    if amount is not None:
        data.update(amount=amount, currency="EUR")
    if points is not None:
        data["points"] = points
    return data


def sync(client, items):
    return client.execute(SYNC, {"items": items})["posSync"]


def test_offline_bookings_are_applied_in_order_each_with_its_result(
    till, customer_user, erika_card, program
):
    fund_wallet(customer_user, "10.00")
    items = [
        item(erika_card, "SALE", "s1", amount="20.00"),
        item(erika_card, "PAYMENT", "p1", amount="8.00"),
        item(erika_card, "PAYMENT", "p2", amount="5.00"),  # only 2.00 left
        item(erika_card, "TOP_UP", "t1", amount="20.00"),
        item(erika_card, "REDEMPTION", "r1", points=10),
    ]

    data = sync(till, items)

    assert data["customerValueErrors"] == []
    results = data["results"]
    assert [r["status"] for r in results] == ["BOOKED", "BOOKED", "REFUSED", "BOOKED", "BOOKED"]
    assert results[0]["points"] == 20
    refused = results[2]
    assert refused["error"]["code"] == "INSUFFICIENT_FUNDS"
    assert refused["bookings"] == []
    assert results[3]["customer"]["wallets"][0]["balance"]["available"]["amount"] == 22.0
    assert results[4]["amount"] == {"amount": 0.1, "currency": "EUR"}
    assert LedgerTransaction.objects.filter(reason=Reason.POS_PAYMENT).count() == 1


def test_replaying_the_upload_books_nothing_twice(till, customer_user, erika_card, program):
    fund_wallet(customer_user, "10.00")
    items = [
        item(erika_card, "PAYMENT", "p1", amount="8.00"),
        item(erika_card, "PAYMENT", "p2", amount="5.00"),
        item(erika_card, "SALE", "s1", amount="3.00"),
    ]
    sync(till, items)
    count = LedgerTransaction.objects.count()
    fund_wallet(customer_user, "100.00")  # the refused payment could be covered now

    again = sync(till, items)["results"]

    assert [r["status"] for r in again] == ["REPLAYED", "REFUSED", "REPLAYED"]
    assert again[1]["error"]["code"] == "INSUFFICIENT_FUNDS"
    assert LedgerTransaction.objects.count() == count + 1  # only the new funding


def test_item_sent_online_before_is_replayed(till, customer_user, erika_card):
    from ..pos.queries import PAY, amount_input

    fund_wallet(customer_user, "10.00")
    till.execute(PAY, amount_input({"code": erika_card.code}, "4.00", key="k-9", receipt="R-k-9", note="offline"))

    (result,) = sync(till, [item(erika_card, "PAYMENT", "k-9", amount="4.00")])["results"]

    assert result["status"] == "REPLAYED"
    assert LedgerTransaction.objects.filter(reason=Reason.POS_PAYMENT).count() == 1


def test_same_key_for_another_booking_is_a_conflict(till, customer_user, erika_card):
    fund_wallet(customer_user, "10.00")
    sync(till, [item(erika_card, "PAYMENT", "k", amount="4.00")])

    (result,) = sync(till, [item(erika_card, "PAYMENT", "k", amount="5.00")])["results"]

    assert result["status"] == "REFUSED"
    assert result["error"]["code"] == "IDEMPOTENCY_CONFLICT"


def test_limits_are_settings(till, customer_user, erika_card, program):
    PluginConfiguration.objects.create(
        identifier=config.PLUGIN_ID,
        name="Customer value",
        active=True,
        configuration=[
            {"name": config.POS_SYNC_MAX_ITEMS, "value": "2"},
            {"name": config.POS_OFFLINE_MAX_HOURS, "value": "24"},
        ],
    )
    three = [item(erika_card, "SALE", f"s{i}", amount="1.00") for i in range(3)]

    too_many = sync(till, three)
    old = sync(till, [item(erika_card, "SALE", "old", amount="1.00", minutes_ago=25 * 60)])

    assert too_many["results"] == []
    assert [(e["field"], e["code"]) for e in too_many["customerValueErrors"]] == [("items", "TOO_MANY_ITEMS")]
    assert old["results"][0]["status"] == "REFUSED"
    assert old["results"][0]["error"]["code"] == "OFFLINE_BOOKING_TOO_OLD"
    assert not LedgerTransaction.objects.exists()


def test_limit_settings_are_validated(db):
    from django.core.exceptions import ValidationError

    for bad in ("0", "1001", "1E+3", "sNaN", "ten", "5\x00"):
        with pytest.raises(ValidationError):
            config.parse([{"name": config.POS_SYNC_MAX_ITEMS, "value": bad}])
    assert config.parse([]).pos_sync_max_items == 100
    assert config.parse([]).pos_offline_max_hours == 72


@pytest.mark.parametrize("amount", ["1E+28", "sNaN", "1e309", "-5", "0.001", "NaN"])
def test_hostile_amounts_are_refused_per_item(till, customer_user, erika_card, amount):
    fund_wallet(customer_user, "10.00")
    count = LedgerTransaction.objects.count()

    content = till.post(SYNC, {"items": [item(erika_card, "PAYMENT", "h", amount=amount), item(erika_card, "PAYMENT", "ok", amount="1.00")]})

    if "errors" in content:  # the Decimal scalar refused it before the resolver
        assert LedgerTransaction.objects.count() == count
        return
    data = content["data"]["posSync"]
    if not data["results"]:
        # A malformed number is a broken upload, not an offline booking to reconcile: the
        # central input check refuses the whole call, naming the field, and books nothing.
        assert [e["code"] for e in data["customerValueErrors"]] == ["INVALID_AMOUNT"]
        assert LedgerTransaction.objects.count() == count
        return
    first, second = data["results"]
    assert first["status"] == "REFUSED" and first["error"]["code"] == "INVALID_AMOUNT"
    assert second["status"] == "BOOKED"


@pytest.mark.parametrize(
    "change, code",
    [
        ({"idempotencyKey": ""}, "REQUIRED"),
        ({"receipt": ""}, "REQUIRED"),
        ({"customer": {"code": "nope\x00"}}, None),
        ({"customer": {"customerId": ""}}, None),
        ({"customer": {"customerId": "VXNlcjo="}}, None),
        ({"tillTimestamp": (timezone.now() + timedelta(hours=2)).isoformat()}, "INVALID"),
    ],
)
def test_bad_items_are_refused_and_change_nothing(till, customer_user, erika_card, change, code):
    fund_wallet(customer_user, "10.00")
    count = LedgerTransaction.objects.count()
    bad = {**item(erika_card, "PAYMENT", "b", amount="1.00"), **change}

    data = sync(till, [bad])

    if code is None and not data["results"]:
        # malformed text or IDs: the central input check refuses the upload as a whole
        assert [e["code"] for e in data["customerValueErrors"]] == ["INVALID"]
    else:
        (result,) = data["results"]
        assert result["status"] == "REFUSED"
        assert result["error"]["code"] == code or (code is None and result["error"]["code"])
    assert LedgerTransaction.objects.count() == count


def test_pos_sync_needs_use_pos(staff_api, customer_api, erika_card, db):
    for client in (staff_api, customer_api):
        data = sync(client, [item(erika_card, "SALE", "x", amount="1.00")])
        assert data["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
    assert not LedgerTransaction.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refused_offline_payment_shows_in_the_event_log(till, customer_user, erika_card):
    fund_wallet(customer_user, "3.00")

    sync(till, [item(erika_card, "PAYMENT", "p-big", amount="50.00", receipt="R-77")])

    edges = till.execute(EVENTS, {"types": ["CUSTOMER_VALUE_POS_BOOKING_REFUSED"]})["customerValueEvents"]["edges"]
    (event,) = [e["node"] for e in edges]
    assert event["eventType"] == "CUSTOMER_VALUE_POS_BOOKING_REFUSED"
    assert event["sequence"] is not None
    import json

    payload = json.loads(event["payload"])
    assert payload["code"] == "INSUFFICIENT_FUNDS" and payload["receipt"] == "R-77"
    assert payload["amount"] == "50.00" and payload["idempotencyKey"] == "p-big"
    assert OutboxEvent.objects.filter(event_type=events.POS_BOOKING_REFUSED).count() == 1
