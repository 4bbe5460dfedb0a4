"""The demo city network: three merchants with tills, a settled period, idempotent."""
import pytest

from saleor_customer_value.models import Merchant, PartnerBooking, Statement
from saleor_customer_value.partners import clearing, demo

from .conftest import configure

pytestmark = pytest.mark.django_db


def test_the_demo_network_is_seeded_once(db):
    # given
    from decimal import Decimal

    configure(enabled=True, earn_points=1, earn_amount=Decimal("1.00"), redeem_points=100,
              redeem_amount=Decimal("1.00"), redeem_min_balance=0)

    # when
    demo.seed("EUR")
    counts = (Merchant.objects.count(), PartnerBooking.objects.count(), Statement.objects.count())
    demo.seed("EUR")

    # then
    assert (Merchant.objects.count(), PartnerBooking.objects.count(), Statement.objects.count()) == counts
    assert sorted(m.name for m in Merchant.objects.all()) == ["Demo Bakery", "Demo Cinema", "Demo Museum"]
    assert all(m.tills.count() == 1 for m in Merchant.objects.all())
    assert counts[1] == 5  # top-up, payment, sale, redemption, and one open payment
    assert Statement.objects.count() == 3
    assert Statement.objects.get(merchant__name="Demo Bakery").paid_at is not None
    assert PartnerBooking.objects.filter(line__isnull=True).count() == 1
    position = clearing.network_position("EUR")
    assert position["merchant_total"] + position["commission"] + position["operator"] == 0
