"""Create (or complete) the ready-to-sell gift-voucher product (idempotent)."""
from django.core.management.base import BaseCommand

from ...wallet.gift_voucher_setup import ensure_gift_voucher_product


class Command(BaseCommand):
    help = "Create a published, untaxed, non-shipping gift-voucher product with denominations."

    def handle(self, *args, **options):
        product = ensure_gift_voucher_product()
        names = ", ".join(product.variants.order_by("price_override_amount").values_list("name", flat=True))
        self.stdout.write(f"gift-voucher product '{product.name}': {names}")
