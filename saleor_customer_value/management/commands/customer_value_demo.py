"""Demo data for the plugin: a shopper with a wallet, points and history.

Idempotent: every booking carries an idempotency key, so running it again books nothing.
"""
from django.conf import settings
from django.core.management.base import BaseCommand
from saleor.account.models import User

from ...ledger import accounts, service
from ...ledger.actors import Actor
from ...ledger.idempotency import IdempotencyKey
from ...ledger.reasons import Reason, SystemAccountCode

EMAIL = "shopper@example.com"
PASSWORD = "shopper-demo"


class Command(BaseCommand):
    help = "Create a demo shopper with wallet money and points (idempotent)."

    def handle(self, *args, **options):
        user = User.objects.filter(email=EMAIL).first()
        if user is None:
            user = User.objects.create_user(EMAIL, PASSWORD, first_name="Demo", last_name="Shopper")
        customer = accounts.customer_for_user(user)
        currency = settings.DEFAULT_CURRENCY
        wallet = accounts.wallet_account(customer, currency)
        points = accounts.points_account(customer)
        actor = Actor.system("demo data")

        def book(key, source, destination, amount, reason, note):
            return service.transfer(
                source,
                destination,
                amount,
                service.Posting(reason=reason, actor=actor, customer_note=note),
                IdempotencyKey(scope="system:demo", key=key),
            )

        book("topup", accounts.system_account(SystemAccountCode.FUNDING, currency),
             wallet, "50.00", Reason.TOPUP, "Top-up at the Berlin store")
        book("topup-bonus", accounts.system_account(SystemAccountCode.BONUS, currency),
             wallet, "2.50", Reason.TOPUP_BONUS, "5% top-up bonus")
        book("goodwill", accounts.system_account(SystemAccountCode.GOODWILL, currency),
             wallet, "10.00", Reason.GOODWILL, "Sorry for the late delivery")
        book("points", accounts.system_account(SystemAccountCode.POINTS_ISSUED, "PTS"),
             points, 1200, Reason.POINTS_EARNED, "Welcome points")
        wallet.refresh_from_db()
        points.refresh_from_db()
        self.stdout.write(
            f"demo shopper {EMAIL}: wallet {wallet.posted:.2f} {currency}, "
            f"{points.posted:.0f} points"
        )
