"""Demo city network (issue 12): a bakery, a cinema and a museum with a till each, the
demo shopper's bookings across them, one settled period (the bakery's payout recorded)
and one booking still open. Idempotent: merchants and tills are found by name, every
booking carries an idempotency key, and the period is settled only once."""
from django.contrib.auth.models import Permission
from django.db import transaction
from saleor.app.models import App

from ..ledger.actors import Actor
from ..ledger.errors import LedgerError
from ..ledger.idempotency import IdempotencyKey
from ..models import Merchant, MerchantReward, MerchantTill
from ..pos import bookings
from ..pos.lookup import Identified
from . import settlement

NETWORK = [
    # name, commission percent, point value, plan
    ("Demo Bakery", "5", "0.01", dict(plan_enabled=True, plan_earn_points=1, plan_earn_amount="2.00",
                                      plan_description="A point for every 2 euros of bread and cake.")),
    ("Demo Cinema", "8", "0.01", {}),
    ("Demo Museum", "0", "0.01", {}),
]


def _till(merchant):
    link = MerchantTill.objects.select_related("app").filter(merchant=merchant).first()
    if link is not None:
        return link.app
    app = App.objects.create(name=f"{merchant.name} till", is_active=True)
    app.tokens.create(name="demo")
    app.permissions.add(Permission.objects.get(codename="use_pos", content_type__app_label="customer_value"))
    MerchantTill.objects.create(merchant=merchant, app=app)
    return app


BAKERY_REWARDS = [
    # name, points, description (the plan's reward catalogue, redeemed at the bakery's till)
    ("Coffee to go", 10, "A coffee of your choice."),
    ("Cake of the day", 25, "A slice of the day's cake."),
]

EMAIL = "citycard@example.com"
PASSWORD = "citycard-demo"


def _customer(currency):
    """The network's own demo shopper (the main demo shopper's figures stay as they are),
    with 80.00 in the wallet and 300 points to spend."""
    from saleor.account.models import User

    from ..ledger import accounts, service
    from ..ledger.reasons import Reason, SystemAccountCode
    from ..loyalty import lots

    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        user = User.objects.create_user(EMAIL, PASSWORD, first_name="City", last_name="Card")
    customer = accounts.customer_for_user(user)
    actor = Actor.system("demo data")
    service.transfer(
        accounts.system_account(SystemAccountCode.FUNDING, currency),
        accounts.wallet_account(customer, currency),
        "80.00",
        service.Posting(reason=Reason.TOPUP, actor=actor, customer_note="Welcome top-up"),
        IdempotencyKey(scope="system:demo", key="network-wallet"),
    )
    points = accounts.points_account(customer)
    service.transfer(
        accounts.system_account(SystemAccountCode.POINTS_ISSUED, "PTS"),
        points,
        300,
        service.Posting(reason=Reason.POINTS_EARNED, actor=actor, customer_note="Welcome points"),
        IdempotencyKey(scope="system:demo", key="network-points"),
    )
    lots.sync(points)
    return customer


def seed(currency, stdout=None):
    customer = _customer(currency)
    merchants = {}
    for name, commission, point_value, plan in NETWORK:
        merchant, _ = Merchant.objects.get_or_create(
            name=name,
            defaults=dict(
                contact_email=f"{name.split()[-1].lower()}@example.com",
                payout_details="DE02 1203 0000 0000 2020 51",
                commission_percent=commission,
                point_value=point_value,
                currency=currency,
                **plan,
            ),
        )
        merchants[name.split()[-1].lower()] = (merchant, _till(merchant))
    who = Identified(customer)

    def run(merchant_key, key, fn):
        merchant, app = merchants[merchant_key]
        actor = Actor.app_(app)
        idem = IdempotencyKey(scope=f"app:{app.pk}", key=f"demo-network-{key}")
        try:
            with transaction.atomic():
                return fn(actor=actor, idem=idem)
        except LedgerError as exc:  # e.g. the program's redemption step changed
            if stdout:
                stdout.write(f"demo network: {key} skipped ({exc.message})")
            return None

    run("bakery", "topup", lambda actor, idem: bookings.wallet_top_up(who, "30.00", currency, "D-1", "demo", actor, idem))
    run("cinema", "pay", lambda actor, idem: bookings.wallet_pay(who, "12.50", currency, "D-2", "demo", actor, idem))
    run("bakery", "sale", lambda actor, idem: bookings.record_sale(who, "24.00", currency, "D-3", "demo", actor, idem))
    run("museum", "redeem", lambda actor, idem: bookings.redeem_points(who, 100, "D-4", "demo", actor, idem))
    if not any(m.statements.exists() for m, _ in merchants.values()):
        for merchant, _ in merchants.values():
            for statement in settlement.settle(merchant):
                if merchant.name == "Demo Bakery":
                    settlement.record_payout(statement, Actor.system("demo data"), "SEPA-DEMO-1")
    run("museum", "pay-open", lambda actor, idem: bookings.wallet_pay(who, "4.00", currency, "D-5", "demo", actor, idem))
    bakery = merchants["bakery"][0]
    for name, points, description in BAKERY_REWARDS:
        MerchantReward.objects.get_or_create(merchant=bakery, name=name, defaults=dict(points=points, description=description))
    if stdout:
        stdout.write("demo network: " + ", ".join(m.name for m, _ in merchants.values()))
    return merchants
