from decimal import Decimal

import pytest

from saleor_customer_value.badges import measure
from saleor_customer_value.models import Badge, BadgeEvent, CustomerBadge, Customer
from saleor_customer_value.models.badges import DiscountKind

from ..conftest import ApiClient, global_id, grant
from ..loyalty.conftest import balance, configure, give_points, program  # noqa: F401

__all__ = ["balance", "configure", "give_points"]

MY_TIER = """
{ myTier { measure measuredValue pointsToNextTier
    current { status unlockedAt graceUntil voucherCode badge { title } }
    nextTier { title minPoints } ladder { title } } }
"""
MY_BADGES = """
{ myBadges {
    badges { status isHeld manual unlockedAt voucherCode badge { title localizedTitle } }
    tier { current { badge { title } } pointsToNextTier }
    history { kind cause measuredValue transactionId note voucherCode badge { title } }
} }
"""


@pytest.fixture
def ladder(db):
    """The seed's ladder: Bronze 100-500, Silver 500-5,000 (10 % off), Gold from 5,000
    (x1.5 points, 10 % top-up bonus, a 15 % voucher on unlock)."""
    bronze = Badge.objects.create(title="Bronze", title_de="Bronze", min_points=100, max_points=500, is_tier=True, sort_order=1)
    silver = Badge.objects.create(
        title="Silver", title_de="Silber", min_points=500, max_points=5000, is_tier=True, sort_order=2,
        discount_kind=DiscountKind.PERCENT, discount_value=Decimal(10),
    )
    gold = Badge.objects.create(
        title="Gold", title_de="Gold", min_points=5000, is_tier=True, sort_order=3,
        earn_multiplier=Decimal("1.5"), topup_bonus_tiers="1:10",
        voucher_kind=DiscountKind.PERCENT, voucher_value=Decimal(15), voucher_valid_days=90,
    )
    return {"bronze": bronze, "silver": silver, "gold": gold}


@pytest.fixture
def badge_staff(staff_user):
    grant(staff_user, "manage_loyalty")
    return ApiClient(user=staff_user)


def set_program(**fields):
    program = measure.get_program()
    for name, value in fields.items():
        setattr(program, name, value)
    program.save()
    return program


def customer_of(user):
    return Customer.objects.get(user=user)


def held(user):
    """[(badge title, status)] of the user's current rows."""
    return sorted(
        (row.badge.title, row.status)
        for row in CustomerBadge.objects.filter(customer__user=user).select_related("badge")
    )


def events(user):
    return [
        (e.badge.title, e.kind, e.cause)
        for e in BadgeEvent.objects.filter(customer__user=user).select_related("badge").order_by("pk")
    ]


def errors(data):
    return [(e["field"], e["code"]) for e in data["customerValueErrors"]]


def user_id(user):
    return global_id("User", user.pk)
