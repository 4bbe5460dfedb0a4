"""The seed's example ladder and three rewards, for the demo command (idempotent:
only when the shop has no badges / rewards yet)."""
from decimal import Decimal

from django.db import transaction

from ..models import Badge, Reward
from ..models.badges import DiscountKind, RewardKind


def create_demo_catalogue(stdout=None):
    with transaction.atomic():
        if not Badge.objects.exists():
            Badge.objects.create(
                title="Bronze", title_de="Bronze", min_points=100, max_points=500, is_tier=True, sort_order=1,
                description="From 100 points.", description_de="Ab 100 Punkten.",
            )
            Badge.objects.create(
                title="Silver", title_de="Silber", min_points=500, max_points=5000, is_tier=True, sort_order=2,
                description="From 500 points: 5 % off everything.",
                description_de="Ab 500 Punkten: 5 % auf alles.",
                discount_kind=DiscountKind.PERCENT, discount_value=Decimal(5),
            )
            Badge.objects.create(
                title="Gold", title_de="Gold", min_points=5000, max_points=None, is_tier=True, sort_order=3,
                description="From 5,000 points: x1.5 points, 10 % top-up bonus and an exclusive voucher.",
                description_de="Ab 5.000 Punkten: 1,5-fache Punkte, 10 % Aufladebonus und ein exklusiver Gutschein.",
                earn_multiplier=Decimal("1.5"), topup_bonus_tiers="1:10",
                voucher_kind=DiscountKind.PERCENT, voucher_value=Decimal(15), voucher_valid_days=90,
            )
        if not Reward.objects.exists():
            from saleor.product.models import ProductVariant

            Reward.objects.create(
                name="5.00 in your wallet", points=500, kind=RewardKind.WALLET_CREDIT, amount=Decimal("5.00"),
                description="Wallet credit for 500 points.", sort_order=1,
            )
            Reward.objects.create(
                name="10 % off your next order", points=800, kind=RewardKind.VOUCHER,
                voucher_kind=DiscountKind.PERCENT, amount=Decimal(10), voucher_valid_days=60, sort_order=2,
                description="A personal voucher code, valid 60 days.",
            )
            variant = (
                ProductVariant.objects.filter(product__is_published=True)
                .exclude(product__product_type__metadata__has_key="customer_value.kind")
                .order_by("pk")
                .first()
            )
            if variant is not None:
                Reward.objects.create(
                    name=f"Free {variant.product.name}", points=2000, kind=RewardKind.FREE_PRODUCT,
                    variant=variant, stock=50, per_customer_limit=1, sort_order=3,
                    description="Added to your next checkout at no cost.",
                )
            else:
                Reward.objects.create(
                    name="5.00 off your next order", points=400, kind=RewardKind.VOUCHER,
                    voucher_kind=DiscountKind.FIXED, amount=Decimal("5.00"), sort_order=3,
                )
    if stdout is not None:
        stdout.write(f"badges: {Badge.objects.count()}, rewards: {Reward.objects.count()}")
