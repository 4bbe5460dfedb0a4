"""Paying part of a checkout from the wallet.

1. ``apply`` reserves the amount (a hold that expires after the configured minutes), so
   it cannot be spent twice; re-applying replaces the hold, ``remove`` voids it.
2. While the hold is pending, ``calculate_checkout_total`` lowers the total Saleor reports
   by the applied amount (capped at the total), so the rest can be paid with any gateway
   (Saleor 2.10 refuses partial payments, so the total itself must drop).
3. ``prepare_order`` (``preprocess_order_creation``, before the card is charged) checks
   the hold, extends it so it cannot expire while the card is processed, and writes the
   applied amount to the checkout's private metadata, which Saleor copies to the order.
4. ``record_on_order`` (``order_created``, in the order's DB transaction) posts the hold,
   puts the order's total back to its full net and gross (wallet money is a means of
   payment, not a discount: it must not lower the taxable amount) and records the wallet
   part as its own fully charged Saleor payment next to the card payment.
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Optional

from django.core.exceptions import ValidationError
from django.utils import timezone
from prices import Money, TaxedMoney

from .. import checkout_context, config
from ..error_codes import CustomerValueErrorCode as Code
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import in_unit, precision, to_amount
from ..ledger.errors import InsufficientFunds, InvalidAmount
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import AccountKind, Hold, HoldStatus, IdempotencyRecord
from . import payments
from django.utils.translation import gettext as _

APPLIED_KEY = "customer_value.wallet_applied"
HOLD_KEY = "customer_value.wallet_hold"
PAID_KEY = "customer_value.wallet_paid"
# While the card is processed the reservation must not lapse.
PROCESSING_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Application:
    hold: Optional[Hold]
    total_before: Money
    applied: Money

    @property
    def remaining(self) -> Money:
        return self.total_before - self.applied


def live_hold(checkout, reason, kind) -> Optional[Hold]:
    """The checkout's live reservation of one means of payment (one indexed read)."""
    return (
        Hold.objects.filter(
            checkout_token=checkout.token,
            reason=reason,
            status=HoldStatus.PENDING,
            account__kind=kind,
            expires_at__gt=timezone.now(),
        )
        .select_related("account")
        .first()
    )


def pending_hold(checkout) -> Optional[Hold]:
    """The checkout's live wallet reservation, if any."""
    return live_hold(checkout, Reason.CHECKOUT_PAYMENT, AccountKind.WALLET)


def total_before_wallet(checkout, lines, discounts, manager) -> TaxedMoney:
    """Saleor's own total (subtotal + shipping - discount, taxes by the tax plugins)
    less the plugin's discounts in their documented order (group, badge, points,
    wallet-payment promotion: ``cardkinds.chain``), without the wallet: what the
    applied amount is capped by."""
    from ..cardkinds import chain

    total = chain.saleor_total(checkout, lines, discounts, manager)
    # Discounts come first; the wallet pays what is left.
    return chain.before_wallet(checkout, lines, discounts, total)


def lowered_total(checkout, previous_value: TaxedMoney) -> TaxedMoney:
    """The checkout total minus the wallet part, for the calculation hook (the hold
    is read once per request: ``checkout_context``)."""
    hold = checkout_context.for_checkout(checkout).wallet_hold
    if hold is None or hold.account.unit != previous_value.currency:
        return previous_value
    applied = min(in_unit(hold.amount, hold.account.unit), previous_value.gross.amount)
    part = Money(applied, previous_value.currency)
    # Subtract from net and gross alike, as Saleor does for its own gift cards; the
    # order gets the same part added back, so its net and tax stay exact.
    return TaxedMoney(previous_value.net - part, previous_value.gross - part)


def _wallet_for(checkout):
    customer = accounts.customer_for_user(checkout.user)
    return accounts.wallet_account(customer, checkout.currency)


def apply(checkout, lines, discounts, manager, amount=None, idem=None) -> Application:
    """Reserve ``amount`` (or as much as possible when None) for ``checkout``."""
    if checkout.user_id is None:
        raise ValidationError(
            {"checkoutId": ValidationError(
                _("Log in to pay with your wallet."), code=Code.PERMISSION_DENIED.value)}
        )
    total = total_before_wallet(checkout, lines, discounts, manager).gross
    wallet = _wallet_for(checkout)
    existing = pending_hold(checkout)
    replay = idem is not None and IdempotencyRecord.objects.filter(
        scope=idem.scope, key=idem.key
    ).exists()
    if existing is not None and not replay:
        service.void_hold(existing)
    wallet.refresh_from_db()
    if amount is None:
        value = min(wallet.available, total.amount)
        if value <= 0:
            raise InsufficientFunds(
                _("Your %(currency)s wallet has nothing available to apply.") % {"currency": checkout.currency}
            )
        value = value.quantize(Decimal(1).scaleb(-precision(checkout.currency)))
    else:
        value = to_amount(amount, checkout.currency)
        if value > total.amount:
            raise InvalidAmount(
                _("%(value)s %(currency)s is more than the checkout total of %(amount)s %(currency)s.") % {"value": value, "currency": checkout.currency, "amount": total.amount}
            )
    settings = config.get_config()
    hold = service.place_hold(
        wallet,
        accounts.system_account(SystemAccountCode.REDEMPTION, checkout.currency),
        value,
        Reason.CHECKOUT_PAYMENT,
        expires_at=timezone.now() + timedelta(minutes=settings.hold_minutes),
        refs=service.References(checkout_token=checkout.token),
        idem=idem,
    )
    return Application(hold, total, Money(in_unit(value, checkout.currency), checkout.currency))


def remove(checkout) -> bool:
    hold = pending_hold(checkout)
    if hold is None:
        return False
    service.void_hold(hold)
    return True


def current(checkout, lines, discounts, manager) -> Application:
    total = total_before_wallet(checkout, lines, discounts, manager).gross
    hold = pending_hold(checkout)
    applied = min(hold.amount, total.amount) if hold else Decimal(0)
    return Application(hold, total, Money(in_unit(applied, checkout.currency), checkout.currency))


def prepare_order(checkout, discounts, manager):
    """Before the external payment: pin the reservation and tell the order about it."""
    hold = pending_hold(checkout)
    if hold is None:
        # An earlier attempt may have pinned a reservation that has since been removed
        # or has expired: the order must not try to post it after the card is charged.
        from ..cardkinds.groups import clear_private

        clear_private(checkout, (APPLIED_KEY, HOLD_KEY))
        return
    lines = list(checkout)
    total = total_before_wallet(checkout, lines, discounts, manager).gross.amount
    quantum = Decimal(1).scaleb(-precision(checkout.currency))
    applied = min(hold.amount, total).quantize(quantum)
    Hold.objects.filter(pk=hold.pk, status=HoldStatus.PENDING).update(
        expires_at=timezone.now() + PROCESSING_GRACE
    )
    checkout.store_value_in_private_metadata(
        {APPLIED_KEY: str(applied), HOLD_KEY: str(hold.pk)}
    )
    checkout.save(update_fields=["private_metadata"])


def record_on_order(order) -> Optional[Decimal]:
    """Inside the order's DB transaction: post the reservation, restore the order's
    full total and record the wallet part as a charged payment."""
    hold_id = order.get_value_from_private_metadata(HOLD_KEY)
    if not hold_id or order.get_value_from_metadata(PAID_KEY):
        return None
    applied = Decimal(order.get_value_from_private_metadata(APPLIED_KEY))
    hold = Hold.objects.select_related("account").get(pk=int(hold_id))
    txn = service.post_hold(
        hold,
        service.Posting(
            reason=Reason.CHECKOUT_PAYMENT,
            actor=Actor.customer(order.user) if order.user_id else Actor.system("checkout"),
            customer_note=f"Order #{order.pk}",
            refs=service.References(order_id=order.pk, checkout_token=order.checkout_token),
        ),
        amount=applied,
    )
    part = Money(applied, order.currency)
    order.total = TaxedMoney(order.total.net + part, order.total.gross + part)
    order.store_value_in_metadata({PAID_KEY: str(applied)})
    order.save(update_fields=["total_net_amount", "total_gross_amount", "metadata"])
    payments.record_wallet_payment(order, applied, txn)
    return applied
