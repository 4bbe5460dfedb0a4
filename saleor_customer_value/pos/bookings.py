"""POS writes: record a sale (points by the program's ratio), pay with the wallet, top
up the wallet (with the configured bonus tiers), redeem points for a discount value.

Each write books through the ledger under the till's idempotency key (scope
``app:<id>`` or ``user:<id>``): a retry returns the first booking, the same key with a
different request is ``IDEMPOTENCY_CONFLICT``. A write that books more than one
transaction (a top-up and its bonus) derives the extra keys from the caller's key.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import List, Optional

from django.db import transaction

from ..badges import perks as badge_perks
from .. import config as plugin_config
from ..ledger import accounts, service
from ..ledger.amounts import to_amount, validate_currency
from ..ledger.errors import InsufficientFunds, InvalidReference, NegativeBalance
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import POINTS_UNIT, Reason, SystemAccountCode
from ..loyalty import earning, lots
from ..loyalty import program as programs
from ..loyalty.errors import PointsBelowMinimum
from ..models import Customer, CardState, IdempotencyRecord, LedgerTransaction
from ..wallet import topups as wallet_topups
from ..wallet.paid_values import round_down
from .lookup import Identified
from django.utils.translation import gettext as _

class Required(InvalidReference):
    code = "REQUIRED"


MAX_KEY = 200  # derived keys append a suffix within the ledger's 255
MAX_RECEIPT = 255


@dataclass
class Result:
    customer: Customer
    card: object
    transactions: List[LedgerTransaction] = field(default_factory=list)
    points: int = 0
    amount: Optional[Decimal] = None
    bonus: Optional[Decimal] = None
    currency: Optional[str] = None
    discount: Optional[Decimal] = None

    @property
    def replayed(self):
        return any(getattr(t, "replayed", False) for t in self.transactions)


def clean_request(note, receipt, key, scope) -> tuple:
    note = (note or "").strip()
    if not note:
        raise Required("A note is required for every POS booking.", field="note")
    receipt = (receipt or "").strip()
    if not receipt:
        raise Required("The receipt reference is required.", field="receipt")
    if len(receipt) > MAX_RECEIPT:
        raise InvalidReference(_("A receipt reference is at most %(MAX_RECEIPT)s characters.") % {"MAX_RECEIPT": MAX_RECEIPT}, field="receipt")
    if not key:
        raise Required(
            "Every POS booking needs an idempotencyKey, so a retry never books twice.",
            field="idempotencyKey",
        )
    if len(key) > MAX_KEY:
        raise InvalidReference(_("A POS idempotency key is at most %(MAX_KEY)s characters.") % {"MAX_KEY": MAX_KEY}, field="idempotencyKey")
    return note, receipt, IdempotencyKey(scope=scope, key=key)


def derived(idem: IdempotencyKey, part: str) -> IdempotencyKey:
    return IdempotencyKey(scope=idem.scope, key=f"{idem.key}#pos:{part}")


def _refs(who: Identified, receipt, merchant=None):
    return service.References(
        external_reference=receipt,
        card_id=who.card.pk if who.card else None,
        merchant_id=merchant.pk if merchant is not None else None,
    )


def _merchant(actor):
    """The partner merchant the till books for (``None``: the operator's own till);
    a suspended merchant's tills are refused (issue 12)."""
    from ..partners import merchants

    return merchants.for_booking(actor)


def _clear(txn, merchant, actor):
    """Record a booking for its merchant and post its clearing, in this DB transaction."""
    if merchant is None:
        return
    from ..partners import clearing

    clearing.record(txn, merchant, actor)


def _booked(idem) -> Optional[LedgerTransaction]:
    record = IdempotencyRecord.objects.filter(scope=idem.scope, key=idem.key).first()
    if record is None or not record.transaction_id:
        return None
    txn = LedgerTransaction.objects.get(pk=record.transaction_id)
    txn.replayed = True
    return txn


# --- sales: points by the program's earning rules ------------------------------------


def _sale_discount(who: Identified, discount, currency, receipt, note, idem) -> Optional[dict]:
    """The card discount the till granted: checked against the customer's group, and an
    employee's use booked against the allowance (before any points, so a refusal books
    nothing). Returns what goes into the booking's metadata."""
    if not discount:
        return None
    from ..cardkinds import consumption, groups
    from ..cardkinds.errors import NotInDiscountGroup

    value = to_amount(discount.get("amount"), currency, field="discount")
    rates = groups.load_rates(customer_id=who.customer.pk)
    if rates is None:
        raise NotInDiscountGroup("This customer is not in a discount group valid today.", field="discount")
    items_value = discount.get("items_value")
    items_value = to_amount(items_value, currency, field="discount") if items_value is not None else value
    count = int(discount.get("item_count") or 0)
    recorded = {
        "discount_group": rates.name,
        "discount_group_kind": rates.kind,
        "group_discount": str(value),
        "discounted_items_value": str(items_value),
        "discounted_items": count,
    }
    if rates.is_employee:
        row = consumption.book(
            who.customer, items_value, value, count, currency, note, receipt=receipt, idem=derived(idem, "consumption")
        )
        recorded["employee_consumption"] = row.pk
    return recorded


def record_sale(who: Identified, amount, currency, receipt, note, actor, idem, discount=None) -> Result:
    currency = validate_currency(currency)
    if discount and amount is not None and amount == 0:
        amount = Decimal(0)  # all of it discounted (an employee's 100 %): no points
    else:
        amount = to_amount(amount, currency)
    program = programs.get_program()
    merchant = _merchant(actor)
    result = Result(who.customer, who.card, amount=amount, currency=currency)
    if currency != programs.currency():
        from ..ledger.errors import CurrencyMismatch

        raise CurrencyMismatch(
            _("Points are earned on sales in %(currency)s; this sale is in %(currency2)s.") % {"currency": programs.currency(), "currency2": currency}
        )
    if not discount:
        return _earn(who, amount, currency, receipt, note, actor, idem, program, result, None, merchant)
    with transaction.atomic():  # the use of the allowance and the points, or nothing
        recorded = _sale_discount(who, discount, currency, receipt, note, idem)
        result.discount = Decimal(recorded["group_discount"])
        if amount <= 0:
            return result
        return _earn(who, amount, currency, receipt, note, actor, idem, program, result, recorded, merchant)


def _earn(who, amount, currency, receipt, note, actor, idem, program, result, recorded, merchant) -> Result:
    plan = merchant is not None and merchant.plan_enabled
    if plan:
        # The merchant's own card plan (issue 12): its rule, on the shared points.
        from ..partners import plans

        plans.join(merchant, who.customer)
        rule = plans.rule(merchant)
        points = rule.points_for(amount)
        rules = rule.as_metadata()
        multiplier = Decimal(1)
    else:
        if not program.enabled:
            return result
        multiplier = badge_perks.earn_multiplier(who.customer.pk)
        points = earning.amount_points(program, amount, multiplier)
        rules = programs.earn_rules(program)
    if points <= 0:
        return result
    account, source = lots.credit_accounts(who.customer)
    txn = lots.credit(
        account,
        points,
        service.Posting(
            reason=Reason.POINTS_EARNED,
            actor=actor,
            note=note,
            customer_note=f"{points} points earned in store (receipt {receipt})",
            refs=_refs(who, receipt, merchant),
            metadata={
                **rules,
                "channel": "pos",
                "earn_multiplier": str(multiplier),
                "base": str(amount),
                "currency": currency,
                **(
                    {"merchant": merchant.pk}
                    if plan
                    else {"raw_points": str((amount * earning.earn_ratio(program)).quantize(Decimal("0.001")))}
                ),
                **(recorded or {}),
            },
        ),
        idem,
        source_account=source,
    )
    _clear(txn, merchant, actor)
    if plan and not getattr(txn, "replayed", False):
        from ..partners import notify

        after = plans.balances(who.customer, [merchant.pk]).get(merchant.pk, 0)
        notify.after_credit(merchant, who.customer, after - points, after)
    result.transactions.append(txn)
    # A replay answers with what the first request booked (the program may have
    # changed since); a new booking booked exactly ``points``.
    result.points = (
        int(txn.entries.get(account=account).amount) if getattr(txn, "replayed", False) else points
    )
    if not getattr(txn, "replayed", False):
        txn.customer_side = (Decimal(points), account.unit)  # the answer needs no re-read
    return result


# --- wallet --------------------------------------------------------------------------


def wallet_pay(who: Identified, amount, currency, receipt, note, actor, idem) -> Result:
    currency = validate_currency(currency)
    amount = to_amount(amount, currency)
    merchant = _merchant(actor)
    wallet = accounts.wallet_account(who.customer, currency)
    txn = service.transfer(
        wallet,
        accounts.system_account(SystemAccountCode.REDEMPTION, currency),
        amount,
        service.Posting(
            reason=Reason.POS_PAYMENT,
            actor=actor,
            note=note,
            customer_note=f"Paid in store (receipt {receipt})",
            refs=_refs(who, receipt, merchant),
            metadata={"channel": "pos"},
        ),
        idem,
    )
    _clear(txn, merchant, actor)
    return Result(who.customer, who.card, [txn], amount=amount, currency=currency)


def _sell_card(who: Identified) -> Identified:
    """A card nobody owns yet is sold by its first top-up: it gets an anonymous
    customer (registration moves the value to the shopper later)."""
    from ..models import Card

    if who.customer is not None:
        return who
    card = Card.objects.select_for_update().get(pk=who.card.pk)
    if card.customer_id is None:
        card.customer = Customer.objects.create()
        card.state = CardState.ACTIVE
        card.save(update_fields=["customer", "state"])
    return Identified(card.customer, card)


def wallet_top_up(who: Identified, amount, currency, receipt, note, actor, idem) -> Result:
    currency = validate_currency(currency)
    config = plugin_config.get_config()
    amount = wallet_topups.validate_amount(amount, currency, config)
    merchant = _merchant(actor)
    with transaction.atomic():
        who = _sell_card(who)
        wallet = accounts.wallet_account(who.customer, currency)
        refs = _refs(who, receipt, merchant)
        topup = service.transfer(
            accounts.system_account(SystemAccountCode.FUNDING, currency),
            wallet,
            amount,
            service.Posting(
                reason=Reason.TOPUP,
                actor=actor,
                note=note,
                customer_note=f"Top-up in store (receipt {receipt})",
                refs=refs,
                metadata={"channel": "pos"},
            ),
            idem,
        )
        _clear(topup, merchant, actor)
        result = Result(who.customer, who.card, [topup], amount=amount, currency=currency)
        bonus_key = derived(idem, "bonus")
        if getattr(topup, "replayed", False):
            # The bonus of the first request stands, even if the tiers changed since.
            bonus = _booked(bonus_key)
        else:
            bonus = _bonus(wallet, amount, currency, config, actor, note, refs, bonus_key)
        if bonus is not None:
            result.transactions.append(bonus)
            result.bonus = bonus.entries.get(account=wallet).amount
    return result


def _bonus(wallet, amount, currency, config, actor, note, refs, idem):
    tier = badge_perks.bonus_tier_for(config, wallet.customer_id, amount)  # held badges may raise it
    if tier is None:
        return None
    value = round_down(amount * tier.percent / 100, currency)
    if value <= 0:
        return None
    return service.transfer(
        accounts.system_account(SystemAccountCode.BONUS, currency),
        wallet,
        value,
        service.Posting(
            reason=Reason.TOPUP_BONUS,
            actor=actor,
            note=note,
            customer_note=f"Top-up bonus {tier.percent}% (receipt {refs.external_reference})",
            refs=refs,
            metadata={
                "channel": "pos",
                "tier_from": str(tier.threshold),
                "tier_percent": str(tier.percent),
                "tiers": config.topup_bonus_tiers_text,
                "topup_total": str(amount),
                "bonus_base": str(amount),
            },
        ),
        idem,
    )


# --- points --------------------------------------------------------------------------


def redeem_points(who: Identified, points, receipt, note, actor, idem) -> Result:
    """Take ``points`` for a discount at the program's redemption rate (whole cents
    only); the till gives the discount. Returns the value in ``amount``."""
    program = programs.require_enabled()
    rate = programs.redeem_rate(program)
    points = int(to_amount(points, POINTS_UNIT, field="points"))
    value = rate.check(points)
    account = accounts.points_account(who.customer)
    merchant = _merchant(actor)
    with transaction.atomic():
        if not lots.already_used(idem):
            fresh = lots.prepare(account)
            if fresh.posted < 0:
                raise NegativeBalance(
                    _("The points balance is %(posted)s after a clawback; points can be redeemed again once it is positive.") % {"posted": int(fresh.posted)},
                    field="points",
                )
            available = int(fresh.available)
            if available < program.redeem_min_balance:
                raise PointsBelowMinimum(
                    _("Points can be redeemed from a balance of %(redeem_min_balance)s points; the customer has %(available)s.") % {"redeem_min_balance": program.redeem_min_balance, "available": available}
                )
            if points > available:
                raise InsufficientFunds(
                    _("Only %(available)s points are available; %(points)s were requested.") % {"available": available, "points": points},
                    field="points",
                )
        txn = lots.debit(
            account,
            points,
            service.Posting(
                reason=Reason.POINTS_REDEEMED,
                actor=actor,
                note=note,
                customer_note=f"{points} points redeemed in store (receipt {receipt})",
                refs=_refs(who, receipt, merchant),
                metadata={
                    "channel": "pos",
                    "rate": rate.as_metadata(),
                    "min_balance": program.redeem_min_balance,
                    "points": points,
                    "discount": str(value),
                },
            ),
            idem,
            destination=SystemAccountCode.POINTS_REDEEMED,
        )
        _clear(txn, merchant, actor)
    return Result(who.customer, who.card, [txn], points=points, amount=value, currency=rate.currency)
