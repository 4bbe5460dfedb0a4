"""Demo data for the staff console: staff with different permissions, a registered card,
more customers, and four weeks of history so the ledger chart has a shape.

Called by ``manage.py customer_value_demo``. Idempotent like the rest of the demo: every
booking has an idempotency key, users and groups are created once. History is booked
through the ledger service like everything else; only the clock is set back (demo data
only) so the bookings spread over the past weeks.
"""
import random
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from saleor.account.models import User

from ..cards import batches, codes
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import Reason, SystemAccountCode
from ..loyalty import lots
from ..models import Card, CardKind, CardState

STAFF = [
    # email, password, group, permissions
    ("support@example.com", "support-demo", "Customer value support",
     ["manage_wallets", "manage_loyalty", "manage_cards", "view_ledger"]),
    ("auditor@example.com", "auditor-demo", "Customer value auditors", ["view_ledger", "manage_cards"]),
]
CUSTOMERS = [
    ("anna.berg@example.com", "Anna", "Berg"),
    ("ben.kaya@example.com", "Ben", "Kaya"),
    ("carla.nowak@example.com", "Carla", "Nowak"),
    ("deniz.yilmaz@example.com", "Deniz", "Yilmaz"),
]
HISTORY_DAYS = 28


@contextmanager
def booked_at(when):
    with mock.patch.object(timezone, "now", lambda: when):
        yield


def ensure_staff(with_admin=False):
    for email, password, group_name, codenames in STAFF:
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="customer_value", codename__in=codenames)
        )
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, is_staff=True)
        user.groups.add(group)
    if with_admin and not User.objects.filter(email="admin@example.com").exists():
        User.objects.create_superuser("admin@example.com", "admin")


def ensure_card(user) -> Card:
    """A printed QR card registered to ``user`` (and a few unsold ones in its batch)."""
    card = Card.objects.filter(customer__user=user, kind=CardKind.QR).order_by("pk").first()
    if card:
        return card
    batch = batches.create("Demo cards", 5, CardKind.QR)
    batches.generate(batch.pk)
    card = Card.objects.filter(batch_id=batch.pk).order_by("pk").first()
    card.customer = accounts.customer_for_user(user)
    card.state = CardState.ACTIVE
    card.registered_at = timezone.now()
    card.save(update_fields=["customer", "state", "registered_at"])
    return card


def _book(key, source, destination, amount, reason, note, when):
    with booked_at(when):
        service.transfer(
            source, destination, amount,
            service.Posting(reason=reason, actor=Actor.system("demo data"), customer_note=note),
            IdempotencyKey(scope="system:demo", key=key),
        )


def history(user, seed, campaign=False, expiring=False):
    """Top-ups, payments in store and points earned over four weeks (in date order, so
    running balances follow the dates); ``campaign`` adds points earned and then spent."""
    currency = settings.DEFAULT_CURRENCY
    customer = accounts.customer_for_user(user)
    wallet = accounts.wallet_account(customer, currency)
    points = accounts.points_account(customer)
    funding = accounts.system_account(SystemAccountCode.FUNDING, currency)
    redemption = accounts.system_account(SystemAccountCode.REDEMPTION, currency)
    rng = random.Random(seed)
    now = timezone.now()
    balance = Decimal(0)
    for days_ago in range(HISTORY_DAYS, 0, -1):
        when = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        prefix = f"console:{user.email}:{days_ago}"
        if rng.random() < 0.25:
            amount = Decimal(rng.choice([20, 25, 50, 100]))
            _book(f"{prefix}:topup", funding, wallet, amount, Reason.TOPUP, "Top-up at the till", when)
            balance += amount
        if balance > 10 and rng.random() < 0.3:
            amount = min(balance, Decimal(rng.randint(500, 3500)) / 100)
            _book(f"{prefix}:pay", wallet, redemption, amount, Reason.POS_PAYMENT, "Paid in store", when + timedelta(hours=1))
            balance -= amount
        if rng.random() < 0.3:
            earned = rng.choice([20, 40, 80, 150])
            posting = service.Posting(reason=Reason.POINTS_EARNED, actor=Actor.system("demo data"), customer_note="Purchase in store")
            with booked_at(when + timedelta(hours=2)):
                lots.credit(points, earned, posting, IdempotencyKey(scope="system:demo", key=f"{prefix}:points"))
        if expiring and days_ago == 20:
            # Valid for 30 days only: shows up as "expiring soon" on the customer's page.
            posting = service.Posting(
                reason=Reason.POINTS_EARNED, actor=Actor.system("demo data"),
                customer_note="Autumn campaign (valid 30 days)", metadata={"expiry_days": 30},
            )
            with booked_at(when):
                lots.credit(points, 200, posting, IdempotencyKey(scope="system:demo", key=f"{prefix}:autumn"))
        if campaign and days_ago == 3:
            spent_points(user, when + timedelta(hours=3))


def spent_points(user, when):
    """Points earned and then mostly redeemed: reversing the credit shows the clawback
    warning in the console."""
    customer = accounts.customer_for_user(user)
    points = accounts.points_account(customer)
    earn = service.Posting(reason=Reason.POINTS_EARNED, actor=Actor.system("demo data"), customer_note="Bonus campaign")
    with booked_at(when):
        lots.credit(points, 300, earn, IdempotencyKey(scope="system:demo", key=f"console:{user.email}:campaign"))
    redeem = service.Posting(reason=Reason.POINTS_REDEEMED, actor=Actor.system("demo data"), customer_note="Redeemed in store")
    idem = IdempotencyKey(scope="system:demo", key=f"console:{user.email}:campaign-redeem")
    with booked_at(when + timedelta(hours=5)), transaction.atomic():
        if not lots.already_used(idem):
            fresh = lots.prepare(points)
            spend = int(fresh.posted - fresh.held) - 50  # leave less than the campaign gave
            if spend > 0:
                lots.debit(fresh, spend, redeem, idem, destination=SystemAccountCode.POINTS_REDEEMED)


def seed(shopper, with_admin=False) -> dict:
    ensure_staff(with_admin)
    card = ensure_card(shopper)
    for index, (email, first, last) in enumerate(CUSTOMERS):
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, first_name=first, last_name=last
        )
        history(user, seed=index, campaign=index == 0)
    history(shopper, seed=99, expiring=True)
    # An unsold card of the same batch: the customer area's browser test registers it.
    spare = Card.objects.filter(batch_id=card.batch_id, customer__isnull=True, state=CardState.GENERATED).order_by("pk").first()
    return {
        "card_code": codes.formatted(card.code),
        "qr_payload": codes.qr_payload(card.code),
        "spare_card_code": codes.formatted(spare.code) if spare else None,
    }
