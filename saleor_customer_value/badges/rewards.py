"""The reward catalogue: rewards bought with points.

``redeem`` runs in one DB transaction: lock the points account (and project its
lots), lock the reward row (accounts first, then the reward, as everywhere), check
availability, stock, the per-customer limit, the required badge and the points, debit
the points, issue the reward and count it. Two customers racing for the last item
queue on the reward's row lock and the second finds it gone
(``REWARD_OUT_OF_STOCK``); a CHECK constraint (``redeemed_count <= stock``) stands
behind that. The whole redemption is idempotent per key (``idempotency.run``): a
retry returns the first redemption and books nothing.

What is issued:
- wallet credit: the same ledger transaction that debits the points credits the
  wallet (legs in points and money, like a conversion);
- a personal voucher code: a single-use Saleor voucher for the whole order;
- a free product: a single-use Saleor voucher of type SPECIFIC_PRODUCT (100 %, once
  per order) for the product, and, online, the product and the code are put into the
  customer's checkout (Saleor's ``checkoutCreate`` returns that same checkout to a
  logged-in customer, so it is "the next checkout"). Saleor then prices the unit at
  zero with its own voucher logic, taxes included. If the checkout already carries
  another voucher (Saleor 2.10 allows one) or the product cannot be added, the code
  stays with the redemption for the shopper to apply. At a till the product is handed
  over and no online checkout is touched.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, List, Optional

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from ..ledger import accounts, idempotency, service
from ..ledger.errors import NegativeBalance
from ..ledger.reasons import POINTS_UNIT, Reason, SystemAccountCode
from ..loyalty import lots
from ..models import Account, Reward, RewardRedemption
from ..models.badges import DiscountKind, RewardKind
from . import perks, vouchers
from .errors import BadgeRequired, NotEnoughPoints, RewardLimitReached, RewardNotAvailable, RewardOutOfStock


@dataclass
class RewardStatus:
    reward: Reward
    reachable: bool
    points_missing: int
    blocked_by: Optional[str]


def is_open(reward: Reward, now) -> bool:
    return (
        reward.is_active
        and (reward.starts_at is None or reward.starts_at <= now)
        and (reward.ends_at is None or reward.ends_at > now)
    )


def _block(reward: Reward, now, held_ids, used: int, available: Optional[int]) -> Optional[str]:
    """The first rule that stops the customer, in the order they can act on it."""
    if not is_open(reward, now):
        return RewardNotAvailable.code
    if reward.stock is not None and reward.redeemed_count >= reward.stock:
        return RewardOutOfStock.code
    if reward.required_badge_id and reward.required_badge_id not in held_ids:
        return BadgeRequired.code
    if reward.per_customer_limit is not None and used >= reward.per_customer_limit:
        return RewardLimitReached.code
    if available is not None and available < reward.points:
        return NotEnoughPoints.code
    return None


def catalogue(customer=None, include_inactive=False, now=None) -> List[RewardStatus]:
    """The rewards, each with whether the customer can redeem it and how many points
    are still missing (anonymous callers: the whole price is missing)."""
    now = now or timezone.now()
    rewards = list(Reward.objects.select_related("required_badge", "variant"))
    if not include_inactive:
        rewards = [r for r in rewards if is_open(r, now)]
    held_ids, used, available = set(), {}, 0
    if customer is not None:
        account = Account.objects.filter(customer=customer, kind="points").first()
        if account is not None:
            lots.catch_up(account)
            account.refresh_from_db()
            available = max(int(account.available), 0)
        held_ids = {b.pk for b in perks.held_badges(customer.pk, now)}
        used = dict(
            RewardRedemption.objects.filter(customer=customer)
            .values_list("reward_id")
            .annotate(n=Count("pk"))
        )
    result = []
    for reward in rewards:
        blocked = _block(reward, now, held_ids, used.get(reward.pk, 0), available)
        result.append(
            RewardStatus(
                reward=reward,
                reachable=blocked is None,
                points_missing=max(reward.points - available, 0),
                blocked_by=blocked,
            )
        )
    return result


def _check(reward: Reward, customer, account: Account, now):
    used = RewardRedemption.objects.filter(customer=customer, reward=reward).count()
    held_ids = {b.pk for b in perks.held_badges(customer.pk, now)}
    if account.posted < 0:
        raise NegativeBalance(
            _(
                "Your points balance is %(points)s after a clawback; rewards can be "
                "redeemed again once it is positive."
            )
            % {"points": int(account.posted)},
            field="rewardId",
        )
    blocked = _block(reward, now, held_ids, used, max(int(account.available), 0))
    messages = {
        RewardNotAvailable.code: (RewardNotAvailable, _("This reward is not available now.")),
        RewardOutOfStock.code: (RewardOutOfStock, _("This reward is out of stock.")),
        BadgeRequired.code: (BadgeRequired, _("This reward needs a badge you do not hold.")),
        RewardLimitReached.code: (RewardLimitReached, _("You have redeemed this reward as often as allowed.")),
    }
    if blocked == NotEnoughPoints.code:
        missing = reward.points - max(int(account.available), 0)
        raise NotEnoughPoints(
            _("This reward costs %(points)s points; %(missing)s points are still missing.")
            % {"points": reward.points, "missing": missing}
        )
    if blocked is not None:
        cls, message = messages[blocked]
        raise cls(message)


def _legs(reward: Reward, customer, account: Account):
    legs = [service.Leg(account, -reward.points)]
    if reward.kind == RewardKind.WALLET_CREDIT:
        wallet = accounts.wallet_account(customer, reward.currency)
        legs += [
            service.Leg(accounts.system_account(SystemAccountCode.CONVERSION, POINTS_UNIT), reward.points),
            service.Leg(accounts.system_account(SystemAccountCode.CONVERSION, reward.currency), -reward.amount),
            service.Leg(wallet, reward.amount),
        ]
    else:
        legs.append(
            service.Leg(accounts.system_account(SystemAccountCode.POINTS_REDEEMED, POINTS_UNIT), reward.points)
        )
    return legs


def _issue_voucher(reward: Reward):
    if reward.kind == RewardKind.VOUCHER:
        return vouchers.issue(
            gettext("Reward: %(name)s") % {"name": reward.name},
            reward.voucher_kind,
            reward.amount,
            reward.voucher_valid_days,
        )
    return vouchers.issue(
        gettext("Reward: %(name)s") % {"name": reward.name},
        DiscountKind.PERCENT,
        Decimal(100),
        reward.voucher_valid_days,
        product=reward.variant.product,
    )


def _put_into_checkout(user, variant, voucher):
    """Online: the free product and its code into the customer's checkout. Best effort:
    the code is the claim, the checkout a convenience (savepoint on failure)."""
    from saleor.checkout.utils import add_variant_to_checkout, add_voucher_to_checkout, get_user_checkout
    from saleor.core.exceptions import InsufficientStock, ProductNotPublished
    from saleor.discount.models import NotApplicable
    from saleor.discount.utils import fetch_active_discounts

    try:
        with transaction.atomic():
            checkout, _ = get_user_checkout(user, auto_create=True)
            add_variant_to_checkout(checkout, variant, 1)
            if not checkout.voucher_code:
                add_voucher_to_checkout(checkout, list(checkout), voucher, fetch_active_discounts())
            return checkout
    except (InsufficientStock, ProductNotPublished, NotApplicable):
        return None


def redeem(
    customer, reward: Reward, actor, idem=None, channel="online", user=None, note="", refs=None
) -> RewardRedemption:
    refs = refs or service.NO_REFERENCES
    request = {"reward": reward.pk, "customer": customer.pk, "channel": channel, "refs": refs.as_fields()}

    def write():
        now = timezone.now()
        account = lots.prepare(accounts.points_account(customer))  # locks the account
        row = Reward.objects.select_for_update().get(pk=reward.pk)
        _check(row, customer, account, now)
        txn = service.post(
            _legs(row, customer, account),
            service.Posting(
                reason=Reason.POINTS_REDEEMED if row.kind != RewardKind.WALLET_CREDIT else Reason.POINTS_CONVERTED,
                actor=actor,
                note=note,
                customer_note=f"Reward: {row.name} ({row.points} points)",
                refs=refs,
                metadata={
                    "reward": row.pk,
                    "reward_kind": row.kind,
                    "points": row.points,
                    "amount": str(row.amount),
                    "channel": channel,
                },
            ),
        )
        lots.sync(account)
        voucher, checkout = None, None
        if row.kind == RewardKind.VOUCHER or (row.kind == RewardKind.FREE_PRODUCT and channel == "online"):
            voucher = _issue_voucher(row)
        if row.kind == RewardKind.FREE_PRODUCT and channel == "online" and user is not None:
            checkout = _put_into_checkout(user, row.variant, voucher)
        RewardRedemption.objects.create(
            reward=row,
            customer=customer,
            points=row.points,
            created_at=now,
            transaction=txn,
            voucher=voucher,
            variant=row.variant if row.kind == RewardKind.FREE_PRODUCT else None,
            checkout_token=checkout.token if checkout is not None else None,
            channel=channel,
        )
        Reward.objects.filter(pk=row.pk).update(redeemed_count=F("redeemed_count") + 1)
        return txn

    txn = idempotency.run(idem, "reward_redeem", request, write)
    redemption = RewardRedemption.objects.select_related("reward", "voucher", "transaction").get(transaction=txn)
    redemption.replayed = bool(getattr(txn, "replayed", False))
    return redemption


def redemptions_of(customer) -> Iterable[RewardRedemption]:
    return RewardRedemption.objects.filter(customer=customer).select_related("reward", "voucher")
