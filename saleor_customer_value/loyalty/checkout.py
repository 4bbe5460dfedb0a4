"""Paying part of a checkout with points: a discount, not a payment.

A points discount lowers the price of the goods it applies to, so it lowers their
taxable amount too (unlike wallet money, a means of payment): the discount is split into
net and gross in the proportion of the eligible lines' net and gross.

The flow mirrors the wallet's (``wallet.checkout``):
1. ``apply`` reserves the points (a hold on the points account, expiring after the
   plugin's "Checkout reservation minutes") and remembers what they were worth at the
   rate of that moment (``CheckoutPointsReservation``); re-applying replaces the hold,
   ``remove`` voids it.
2. ``points_discount`` (from ``calculate_checkout_total``) returns the discount to
   subtract from Saleor's total. The rules are re-checked on every calculation: if the
   cart shrinks below the minimum or the maximum discount drops, the discount drops
   with it (and fewer points are used); the reservation is never exceeded.
3. ``prepare_order`` (``preprocess_order_creation``, before the card is charged) pins
   the hold and writes the points and the discount into the checkout's private
   metadata, which Saleor copies onto the order.
4. ``record_on_order`` (``order_created``, inside the order's DB transaction) posts the
   hold (POINTS_REDEEMED), consumes the lots in the same transaction, and shows the
   discount on the order: ``discount_amount`` and ``discount_name``.

Which lines points may discount, and the net part of the discount: ``eligibility``.
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from prices import Money, TaxedMoney

from .. import checkout_context, config
from ..badges import perks as badge_perks
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import to_amount
from ..ledger.errors import (
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    NegativeBalance,
)
from ..ledger.reasons import POINTS_UNIT, Reason, SystemAccountCode
from ..models import (
    Account,
    AccountKind,
    CheckoutPointsReservation,
    Hold,
    HoldStatus,
    IdempotencyRecord,
)
from . import lots
from . import program as programs
from .eligibility import EXCLUDED_PRODUCTS_MESSAGE, Basket, basket, max_discount
from .errors import (
    CartBelowMinimum,
    DiscountAboveMaximum,
    PointsBelowMinimum,
    ProductsExcludedFromPoints,
)
from django.utils.translation import gettext as _

PRIVATE_POINTS = "customer_value.points_applied"
PRIVATE_DISCOUNT = "customer_value.points_discount_gross"
PRIVATE_NET = "customer_value.points_discount_net"
PRIVATE_HOLD = "customer_value.points_hold"
PUBLIC_REDEEMED = "customer_value.points_redeemed"
PUBLIC_DISCOUNT = "customer_value.points_discount"
DISCOUNT_NAME = "Loyalty points ({points} points)"
PROCESSING_GRACE = timedelta(hours=1)


def total_before_points(checkout, lines, discounts, manager) -> TaxedMoney:
    subtotal = manager.calculate_checkout_subtotal(checkout, lines, discounts)
    shipping = manager.calculate_checkout_shipping(checkout, lines, discounts)
    total = subtotal + shipping - checkout.discount
    from ..cardkinds import groups

    total -= groups.checkout_discount(checkout, lines, discounts, total)  # step 2, before the badge
    total -= badge_perks.checkout_discount(checkout, lines, discounts, total)  # applied before points
    zero = Money(0, checkout.currency)
    return max(total, TaxedMoney(zero, zero))


# --- the reservation -----------------------------------------------------------------


def pending_reservation(checkout) -> Optional[CheckoutPointsReservation]:
    return (
        CheckoutPointsReservation.objects.filter(
            checkout_token=checkout.token,
            hold__status=HoldStatus.PENDING,
            hold__reason=Reason.POINTS_REDEEMED,
            hold__expires_at__gt=timezone.now(),
        )
        .select_related("hold", "hold__account")
        .order_by("-pk")
        .first()
    )


def _rate_of(reservation) -> programs.Rate:
    return programs.Rate(
        reservation.rate_points, Decimal(reservation.rate_amount), reservation.currency
    )


@dataclass
class Applied:
    points: int
    discount: TaxedMoney
    reservation: Optional[CheckoutPointsReservation]


def _zero(currency) -> TaxedMoney:
    return TaxedMoney(Money(0, currency), Money(0, currency))


def _split(gross: Decimal, basket: Basket) -> TaxedMoney:
    """``gross`` as TaxedMoney with net in the eligible lines' net/gross proportion."""
    currency = basket.currency
    if basket.eligible_gross > 0:
        net = (gross * basket.eligible_net / basket.eligible_gross).quantize(
            programs.cents(currency), rounding=ROUND_HALF_UP
        )
    else:
        net = gross
    return TaxedMoney(Money(net, currency), Money(gross, currency))


def applied(checkout, lines, discounts, manager, total: TaxedMoney) -> Applied:
    """What the checkout's reservation takes off ``total`` under the rules now.

    Reservations, program and basket come from the request's ``checkout_context``:
    loaded once, however often Saleor recalculates the total."""
    context = checkout_context.for_checkout(checkout, manager)
    reservation = context.points_reservation
    none = Applied(0, _zero(total.currency), reservation)
    if reservation is None or reservation.currency != total.currency:
        return none
    program = context.program
    if not program.enabled:
        return none
    shop = context.basket(lines, discounts, program)
    if shop.cart_value < program.redeem_min_cart:
        return none
    rate = _rate_of(reservation)
    cap = min(max_discount(program, shop), total.gross.amount)
    points = int(reservation.points)
    if rate.value(points) > cap:
        points = min(points, rate.points_within(cap))
    if points <= 0:
        return none
    return Applied(points, _split(rate.value(points), shop), reservation)


def points_discount(checkout, lines, previous_total: TaxedMoney, discounts=None) -> TaxedMoney:
    """The discount to subtract from the checkout total (``calculate_checkout_total``);
    zero when no points are applied. Subtract it *before* the wallet lowers the total:
    the wallet pays what is left after discounts. Uses the manager whose hook is
    running (``checkout_context``), never a second one."""
    if checkout_context.for_checkout(checkout).points_reservation is None:
        return _zero(previous_total.currency)
    if discounts is None:
        from saleor.discount.utils import fetch_active_discounts

        discounts = fetch_active_discounts()
    lines = list(lines) if lines is not None else list(checkout)
    result = applied(checkout, lines, discounts, None, previous_total)
    return result.discount


# --- shopper actions -----------------------------------------------------------------


@dataclass
class Quote:
    enabled: bool
    currency: str
    available: int  # points the customer could use here (this checkout's included)
    applied_points: int
    discount: TaxedMoney
    max_points: int
    max_discount: Decimal
    eligible_value: Decimal
    cart_value: Decimal
    total_before_points: Decimal
    rate: Optional[programs.Rate]
    min_balance: int
    min_cart: Decimal
    blocked_by: Optional[str] = None
    message: str = ""
    reserved_until: Optional[object] = None


def _customer_account(checkout):
    return accounts.points_account(accounts.customer_for_user(checkout.user))


def quote(checkout, lines, discounts, manager) -> Quote:
    """Read-only: what points can do for this checkout, and why not if they cannot."""
    context = checkout_context.for_checkout(checkout, manager)
    program = context.program
    currency = checkout.currency
    rate = programs.redeem_rate(program)
    total = total_before_points(checkout, lines, discounts, manager)
    shop = context.basket(lines, discounts, program)
    account = Account.objects.filter(
        customer__user=checkout.user, kind=AccountKind.POINTS
    ).first()
    lots.catch_up(account)
    posted, held = 0, 0
    if account is not None:
        account.refresh_from_db()
        posted, held = int(account.posted), int(account.held)
    current = applied(checkout, lines, discounts, manager, total)
    own_hold = int(current.reservation.hold.amount) if current.reservation else 0
    available = max(posted - held + own_hold - lots.overdue_points(account), 0)
    cap = min(max_discount(program, shop), total.gross.amount)
    max_points = min(available - available % rate.step, rate.points_within(cap))
    result = Quote(
        enabled=program.enabled,
        currency=currency,
        available=available,
        applied_points=current.points,
        discount=current.discount,
        max_points=max(max_points, 0),
        max_discount=cap,
        eligible_value=shop.eligible_gross.quantize(programs.cents(currency)),
        cart_value=shop.cart_value.quantize(programs.cents(currency)),
        total_before_points=total.gross.amount,
        rate=rate,
        min_balance=program.redeem_min_balance,
        min_cart=Decimal(program.redeem_min_cart),
        reserved_until=current.reservation.hold.expires_at if current.reservation else None,
    )
    block = None
    if not program.enabled:
        block = ("LOYALTY_DISABLED", "The shop's loyalty program is switched off.")
    elif posted < 0:
        block = ("NEGATIVE_BALANCE", "The points balance is below zero after a clawback.")
    elif available < program.redeem_min_balance:
        block = (
            "POINTS_BELOW_MINIMUM",
            f"Points can be redeemed from a balance of {program.redeem_min_balance} points.",
        )
    elif shop.cart_value < program.redeem_min_cart:
        block = (
            "CART_BELOW_MINIMUM",
            f"Points can be redeemed from a cart value of {programs.plain(program.redeem_min_cart)} {currency}.",
        )
    elif shop.only_excluded_products:
        block = ("PRODUCTS_EXCLUDED_FROM_POINTS", gettext(EXCLUDED_PRODUCTS_MESSAGE))
    elif max_points <= 0:
        block = (
            ("DISCOUNT_ABOVE_MAXIMUM", "Nothing in this checkout can be paid with points.")
            if rate.points_within(cap) <= 0
            else ("INSUFFICIENT_FUNDS", "There are not enough points to redeem.")
        )
    if block:
        result.blocked_by, result.message = block
        result.max_points = 0
    return result


def replayed_hold(idem) -> Optional[Hold]:
    """The hold a previous request with this key placed; a conflict if the key was
    used for something else."""
    if idem is None:
        return None
    record = IdempotencyRecord.objects.filter(scope=idem.scope, key=idem.key).first()
    if record is None:
        return None
    if record.operation != "hold" or record.hold_id is None:
        raise IdempotencyConflict(
            _("This idempotency key was already used for a different request; send a new key for a new request.")
        )
    hold = Hold.objects.get(pk=record.hold_id)
    hold.replayed = True
    return hold


def apply(checkout, lines, discounts, manager, points=None, use_max=False, idem=None):
    """Reserve ``points`` (or as many as the rules allow with ``use_max``)."""
    program = programs.require_enabled()
    if use_max and points is not None:
        raise InvalidAmount(_("Send either points or max, not both."), field="points")
    if not use_max:
        if points is None:
            raise InvalidAmount(_("Say how many points to use, or max."), field="points")
        points = int(to_amount(points, POINTS_UNIT, field="points"))
    account = _customer_account(checkout)
    with transaction.atomic():
        replay = replayed_hold(idem)
        if replay is not None:
            return replay
        existing = pending_reservation(checkout)
        if existing is not None:
            service.void_hold(existing.hold)
        fresh = lots.prepare(account)
        rate = programs.redeem_rate(program)
        points = _check(program, fresh, rate, checkout, lines, discounts, manager, points)
        hold = service.place_hold(
            fresh,
            accounts.system_account(SystemAccountCode.POINTS_REDEEMED, POINTS_UNIT),
            points,
            Reason.POINTS_REDEEMED,
            expires_at=timezone.now() + timedelta(minutes=config.get_config().hold_minutes),
            refs=service.References(checkout_token=checkout.token),
            idem=idem,
        )
        CheckoutPointsReservation.objects.create(
            hold=hold,
            checkout_token=checkout.token,
            points=int(hold.amount),
            discount=rate.value(int(hold.amount)),
            currency=checkout.currency,
            rate_points=rate.points,
            rate_amount=rate.amount,
        )
    return hold


def _check(program, account, rate, checkout, lines, discounts, manager, points) -> int:
    """The rules, in the order a shopper can act on them; returns the points to hold."""
    if account.posted < 0:
        raise NegativeBalance(
            _("Your points balance is %(posted)s after a clawback; points can be redeemed again once it is positive.") % {"posted": int(account.posted)},
            field="points",
        )
    available = int(account.available)
    if available < program.redeem_min_balance:
        raise PointsBelowMinimum(
            _("Points can be redeemed from a balance of %(redeem_min_balance)s points; you have %(available)s.") % {"redeem_min_balance": program.redeem_min_balance, "available": available}
        )
    shop = basket(checkout, lines, discounts, manager, program)
    if shop.cart_value < program.redeem_min_cart:
        raise CartBelowMinimum(
            _("Points can be redeemed from a cart value of %(plain)s %(currency)s; this cart is worth %(plain2)s.") % {"plain": programs.plain(program.redeem_min_cart), "currency": checkout.currency, "plain2": programs.plain(shop.cart_value)}
        )
    if shop.only_excluded_products:
        raise ProductsExcludedFromPoints(gettext(EXCLUDED_PRODUCTS_MESSAGE))
    total = total_before_points(checkout, lines, discounts, manager)
    cap = min(max_discount(program, shop), total.gross.amount)
    most = rate.points_within(cap)
    if points is None:
        points = min(available - available % rate.step, most)
        if most <= 0:
            raise DiscountAboveMaximum(_("Nothing in this checkout can be paid with points."))
        if points <= 0:
            raise InsufficientFunds(_("There are not enough points to redeem."), field="points")
        return points
    value = rate.check(points)
    if points > available:
        raise InsufficientFunds(
            _("Only %(available)s points are available; %(points)s were requested.") % {"available": available, "points": points}, field="points"
        )
    if value > cap:
        raise DiscountAboveMaximum(
            _("%(points)s points are worth %(value)s %(currency)s; at most %(cap)s %(currency)s (%(most)s points) can be taken off this checkout.") % {"points": points, "value": value, "currency": checkout.currency, "cap": cap, "most": most}
        )
    return points


def remove(checkout) -> bool:
    reservation = pending_reservation(checkout)
    if reservation is None:
        return False
    service.void_hold(reservation.hold)
    return True


# --- placing the order ---------------------------------------------------------------


def prepare_order(checkout, discounts, manager):
    """Before the external payment: pin the reservation and tell the order about it."""
    reservation = pending_reservation(checkout)
    if reservation is None:
        return None
    lines = list(checkout)
    total = total_before_points(checkout, lines, discounts, manager)
    result = applied(checkout, lines, discounts, manager, total)
    if result.points <= 0:
        return None
    Hold.objects.filter(pk=reservation.hold_id, status=HoldStatus.PENDING).update(
        expires_at=timezone.now() + PROCESSING_GRACE
    )
    checkout.store_value_in_private_metadata(
        {
            PRIVATE_POINTS: str(result.points),
            PRIVATE_DISCOUNT: str(result.discount.gross.amount),
            PRIVATE_NET: str(result.discount.net.amount),
            PRIVATE_HOLD: str(reservation.hold_id),
        }
    )
    checkout.save(update_fields=["private_metadata"])
    return result


def record_on_order(order):
    """Inside the order's DB transaction: post the points and show the discount."""
    hold_id = order.get_value_from_private_metadata(PRIVATE_HOLD)
    if not hold_id or order.get_value_from_metadata(PUBLIC_REDEEMED):
        return None
    points = int(order.get_value_from_private_metadata(PRIVATE_POINTS))
    gross = Decimal(order.get_value_from_private_metadata(PRIVATE_DISCOUNT))
    net = Decimal(order.get_value_from_private_metadata(PRIVATE_NET) or gross)
    hold = Hold.objects.select_related("account").get(pk=int(hold_id))
    reservation = CheckoutPointsReservation.objects.filter(hold=hold).first()
    program = programs.get_program()
    metadata = programs.redeem_rules(program)
    if reservation is not None:
        metadata["rate"] = _rate_of(reservation).as_metadata()
    metadata.update({"discount": str(gross), "discount_net": str(net), "reserved": str(int(hold.amount))})
    with transaction.atomic():
        txn = service.post_hold(
            hold,
            service.Posting(
                reason=Reason.POINTS_REDEEMED,
                actor=Actor.customer(order.user) if order.user_id else Actor.system("checkout"),
                customer_note=f"{points} points redeemed on order #{order.pk}",
                refs=service.References(order_id=order.pk, checkout_token=order.checkout_token),
                metadata=metadata,
            ),
            amount=points,
            idem=lots.key(f"order:{order.pk}:redeem"),
        )
        lots.sync(hold.account)
    name = DISCOUNT_NAME.format(points=points)
    order.discount_amount = Decimal(order.discount_amount or 0) + gross
    order.discount_name = f"{order.discount_name} + {name}" if order.discount_name else name
    order.store_value_in_metadata({PUBLIC_REDEEMED: str(points), PUBLIC_DISCOUNT: str(gross)})
    order.save(update_fields=["discount_amount", "discount_name", "metadata"])
    return txn


