"""Scans find their card in one indexed lookup; expiry."""
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_customer_value.cards import codes, lookup
from saleor_customer_value.models import Card, CardKind, CardState

from .conftest import make_card


def test_code_qr_payload_and_chip_uid_each_find_the_card_in_one_query(db):
    card = make_card(kind=CardKind.CHIP, chip_uid="04A1B2C3D4")
    for raw in [card.code, codes.formatted(card.code).lower(), codes.qr_payload(card.code),
                "04:a1:b2:c3:d4"]:
        with CaptureQueriesContext(connection) as queries:
            assert lookup.find(raw) == card
        assert len(queries) == 1
    assert lookup.find(codes.generate()) is None
    assert lookup.find("not a code") is None


def test_the_lookup_uses_the_unique_indexes(db):
    make_card()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for column in ("code", "chip_uid"):
            cursor.execute(
                f"EXPLAIN SELECT * FROM customer_value_card WHERE {column} = %s", ["X"]
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan, plan


def test_cards_past_their_expiry_are_marked_expired(db):
    old = make_card(state=CardState.ACTIVE, expires_at=date.today() - timedelta(days=1))
    fresh = make_card(expires_at=date.today() + timedelta(days=1))
    assert not lookup.is_usable(old)
    assert lookup.expire_due() == 1
    assert Card.objects.get(pk=old.pk).state == CardState.EXPIRED
    assert Card.objects.get(pk=fresh.pk).state == CardState.GENERATED
