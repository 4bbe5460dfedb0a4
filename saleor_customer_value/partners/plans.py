"""Merchant card plans (seed 002) on the shared points.

A merchant's plan has its own earning rule (points per amount, rounding), applied at its
tills instead of the shop program's while the plan is on; its own customers (members:
joined through the signed share link, or by a first booking at the merchant); its own
reward catalogue (``MerchantReward``); and a balance per plan on the customer's side: the
net points booked at that merchant (earned − redeemed ± adjusted). The points themselves
are the customer's one points account, so they can be redeemed at any partner.
"""
from django.utils.translation import gettext as _
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core import signing
from django.db import IntegrityError, transaction

from ..ledger import accounts, service
from ..ledger.amounts import to_amount
from ..ledger.errors import InsufficientFunds, InvalidAmount, LedgerError
from ..ledger.reasons import POINTS_UNIT, Reason
from ..loyalty import lots
from ..models import Entry, Merchant, MerchantStatus, PlanMember
from ..models.loyalty import EarnRounding
from . import clearing

SIGNUP_SALT = "customer_value.partner_plan_signup"


class InvalidPlanLink(LedgerError):
    code = "INVALID_SIGNUP_LINK"
    field = "token"


@dataclass(frozen=True)
class Rule:
    points: int
    amount: Decimal
    rounding: str

    def points_for(self, amount: Decimal) -> int:
        raw = Decimal(amount) * Decimal(self.points) / Decimal(self.amount)
        mode = ROUND_DOWN if self.rounding == EarnRounding.DOWN else ROUND_HALF_UP
        return max(int(raw.to_integral_value(mode)), 0)

    def as_metadata(self):
        return {"plan_earn_points": self.points, "plan_earn_amount": str(self.amount), "plan_rounding": self.rounding}


def rule(merchant: Merchant) -> Rule:
    return Rule(merchant.plan_earn_points, merchant.plan_earn_amount, merchant.plan_earn_rounding)


def join(merchant: Merchant, customer) -> PlanMember:
    member = PlanMember.objects.filter(merchant=merchant, customer=customer).first()
    if member is not None:
        return member
    try:
        with transaction.atomic():
            return PlanMember.objects.create(merchant=merchant, customer=customer)
    except IntegrityError:
        return PlanMember.objects.get(merchant=merchant, customer=customer)


def signup_token(merchant: Merchant) -> str:
    return signing.dumps({"m": merchant.pk}, salt=SIGNUP_SALT)


def merchant_for_token(token: str) -> Merchant:
    try:
        data = signing.loads(token or "", salt=SIGNUP_SALT)
    except signing.BadSignature:
        raise InvalidPlanLink(_("This sign-up link is invalid."))
    merchant = Merchant.objects.filter(pk=data.get("m")).first()
    if merchant is None or not merchant.plan_enabled or merchant.status != MerchantStatus.ACTIVE:
        raise InvalidPlanLink(_("This merchant's card plan is not open for sign-ups."))
    return merchant


def balances(customer, merchant_ids=None) -> dict:
    """Net points booked at each merchant for ``customer``: {merchant_id: points}."""
    account = accounts.points_account(customer)
    rows = Entry.objects.filter(account=account, transaction__merchant_id__isnull=False)
    if merchant_ids is not None:
        rows = rows.filter(transaction__merchant_id__in=list(merchant_ids))
    totals = {}
    for merchant_id, direction, amount in rows.values_list("transaction__merchant_id", "direction", "amount"):
        totals[merchant_id] = totals.get(merchant_id, 0) + int(amount) * direction
    return totals


def adjust_points(merchant: Merchant, who, points: int, note: str, actor, idem):
    """Merchant staff add (``points`` > 0: the merchant funds them at its point value)
    or remove points (< 0: never below zero) with a mandatory note."""
    if not points:
        raise InvalidAmount(_("Add or remove at least one point."), field="points")
    magnitude = int(to_amount(abs(points), POINTS_UNIT, field="points"))
    account = accounts.points_account(who.customer)
    posting = service.Posting(
        reason=Reason.POINTS_ADJUSTMENT,
        actor=actor,
        note=note,
        customer_note=(f"{magnitude} points from {merchant.name}" if points > 0 else f"{magnitude} points removed by {merchant.name}"),
        refs=service.References(merchant_id=merchant.pk, card_id=who.card.pk if who.card else None),
        metadata={"channel": "merchant", "merchant": merchant.pk},
    )
    with transaction.atomic():
        if points > 0:
            txn = lots.credit(account, magnitude, posting, idem)
        else:
            if not lots.already_used(idem):
                lots.prepare(account)
            try:
                txn = lots.debit(account, magnitude, posting, idem)
            except InsufficientFunds as exc:
                raise InsufficientFunds(exc.message, field="points") from exc
        clearing.record(txn, merchant, actor)
        join(merchant, who.customer)
        if points > 0 and not getattr(txn, "replayed", False):
            from . import notify

            after = balances(who.customer, [merchant.pk]).get(merchant.pk, 0)
            notify.after_credit(merchant, who.customer, after - magnitude, after)
    return txn
