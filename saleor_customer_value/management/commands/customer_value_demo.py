"""Demo data for the plugin: a shopper with a wallet, points and history.

Idempotent: every booking carries an idempotency key, so running it again books nothing.
"""
from django.conf import settings
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from saleor.account.models import User

from ...dashboard import demo as console_demo
from ...ledger import accounts, service
from ...ledger.actors import Actor
from ...ledger.idempotency import IdempotencyKey
from ...ledger.reasons import Reason, SystemAccountCode
from ...badges import evaluate as badge_rules
from ...badges.demo import create_demo_catalogue
from ...loyalty import lots
from ...loyalty import program as loyalty_program
from ...models.loyalty import EarnMode

EMAIL = "shopper@example.com"
PASSWORD = "shopper-demo"


class Command(BaseCommand):
    help = "Create a demo shopper with wallet money and points (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--with-admin", action="store_true", help="Also create admin@example.com / admin (superuser) when missing (browser tests without populatedb).")
        parser.add_argument("--json", help="Write the demo card's code and QR payload to this file (browser tests).")

    def handle(self, *args, **options):
        self._enable_loyalty_program()
        call_command("customer_value_gift_vouchers", stdout=self.stdout)
        user = User.objects.filter(email=EMAIL).first()
        if user is None:
            user = User.objects.create_user(EMAIL, PASSWORD, first_name="Demo", last_name="Shopper")
        # Back-dated history first, so running balances follow the dates.
        console = console_demo.seed(user, with_admin=options.get("with_admin"))
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
        create_demo_catalogue(self.stdout)
        lots.sync(points)  # projects the demo points into lots
        badge_rules.evaluate_customer(customer.pk, "demo data")  # 1,200 points: Silver
        from ...partners import demo as network_demo

        network = network_demo.seed(currency, self.stdout)  # city network (issue 12), its own shopper
        # The demo shopper is a member of the bakery's card plan (no bookings there: the
        # wallet and points figures stay as they are) and has a credit line ("pay later")
        # with one closed statement, so the customer area shows both.
        from ...credit import demo as credit_demo
        from ...partners import plans

        plans.join(network["bakery"][0], customer)
        credit_demo.seed(customer, currency)
        if options.get("json"):
            import json

            with open(options["json"], "w") as handle:
                json.dump({**console, "email": EMAIL, "password": PASSWORD}, handle)
        wallet.refresh_from_db()
        points.refresh_from_db()
        self.stdout.write(
            f"demo shopper {EMAIL}: wallet {wallet.posted:.2f} {currency}, "
            f"{points.posted:.0f} points"
        )

    def _enable_loyalty_program(self):
        """The seed's example program: 10 points per full 5.00, 100 points = 1.00 off,
        2,500 points -> 25.00 in the wallet, points expire after a year. Only on a
        program nobody configured yet, so a shop owner's settings are never undone."""
        with transaction.atomic():
            program = loyalty_program.get_program()
            untouched = program.earn_points == 1 and program.earn_amount == 1
            if program.enabled or not untouched:
                return
            loyalty_program.update_program(
                {
                    "enabled": True,
                    "earn_points": 10,
                    "earn_amount": Decimal("5.00"),
                    # "10 points per 5.00" reads as per full 5.00 (36.00 -> 70).
                    "earn_mode": EarnMode.FULL_STEPS,
                    "registration_points": 100,
                    "redeem_points": 100,
                    "redeem_amount": Decimal("1.00"),
                    "convert_points": 2500,
                    "convert_amount": Decimal("25.00"),
                    "expiry_days": 365,
                    "intro_text": (
                        "Collect 10 points for every 5.00 you spend, online and in our stores. "
                        "Pay with them at the checkout (100 points = 1.00) or turn them into "
                        "wallet money (2,500 points = 25.00). Points are valid for a year."
                    ),
                }
            )
        self.stdout.write("loyalty program enabled: 10 points per full 5.00, 100 points = 1.00")
