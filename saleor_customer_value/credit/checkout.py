"""Paying part of a checkout on the credit line (debit card, billed later).

The same steps as the wallet's partial payment (``wallet.checkout``), on the customer's
``credit`` account:

1. ``apply`` checks the line (active, nothing overdue, goods only) under the account
   lock and reserves the amount (a hold, reason ``credit_purchase``, expiring after the
   configured minutes). Holds on a credit account count against the limit in
   PostgreSQL (``cv_credit_within_limit``), so two checkouts can never reserve more
   than the limit together. Re-applying replaces the hold, ``remove`` voids it.
2. While the hold is pending, ``calculate_checkout_total`` lowers the total Saleor
   reports by the applied amount, capped at what is left after the discounts and the
   wallet part (``cardkinds.chain``: the credit part is a means of payment and comes
   last). The rest is paid with any gateway.
3. ``prepare_order`` (``preprocess_order_creation``, before the card is charged) checks
   the line and the cart again (a line suspended or overdue since, or a top-up added,
   refuses the completion), pins the hold and writes the applied amount into the
   checkout's private metadata, which Saleor copies to the order.
4. ``record_on_order`` (``order_created``, in the order's DB transaction) posts the hold
   as a ``credit_purchase``, puts the order's total back to its full net and gross and
   records the credit part as its own fully charged Saleor payment of the gateway
   ``saleor.customer_value.credit``; cancelling or refunding the order gives it back to
   the line through that gateway (``credit.payments.refund_response``).
"""
from datetime import timedelta
from decimal import Decimal
from typing import Optional

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from prices import Money, TaxedMoney
from saleor.checkout.error_codes import CheckoutErrorCode

from .. import checkout_context, config
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import in_unit, precision, to_amount
from ..error_codes import CustomerValueErrorCode as Code
from ..ledger.errors import CreditLimitExceeded, InvalidAmount, LedgerError
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import Account, AccountKind, CreditLine, Hold, HoldStatus, IdempotencyRecord
from . import payments
from .lines import require_line
# The same reservation rules as the wallet's.
from ..wallet.checkout import PROCESSING_GRACE, Application, live_hold

APPLIED_KEY = "customer_value.credit_applied"
HOLD_KEY = "customer_value.credit_hold"
PAID_KEY = "customer_value.credit_paid"
def pending_hold(checkout) -> Optional[Hold]:
    """The checkout's live credit reservation, if any."""
    return live_hold(checkout, Reason.CREDIT_PURCHASE, AccountKind.CREDIT)


def total_before_credit(checkout, lines, discounts, manager) -> TaxedMoney:
    """The total after the discounts and the wallet part: what the credit part is
    capped by (the same value ``calculate_checkout_total`` hands to ``lowered_total``)."""
    from ..wallet import checkout as wallet_checkout

    before_wallet = wallet_checkout.total_before_wallet(checkout, lines, discounts, manager)
    return wallet_checkout.lowered_total(checkout, before_wallet)


def lowered_total(checkout, previous_value: TaxedMoney) -> TaxedMoney:
    """The checkout total minus the credit part, for the calculation hook (the hold is
    read with the checkout's other reservations, once per request)."""
    hold = checkout_context.for_checkout(checkout).credit_hold
    if hold is None or hold.account.unit != previous_value.currency:
        return previous_value
    applied = min(in_unit(hold.amount, hold.account.unit), previous_value.gross.amount)
    part = Money(applied, previous_value.currency)
    # A means of payment: subtracted from net and gross alike and added back to the
    # order, whose net and tax stay those of the goods.
    return TaxedMoney(previous_value.net - part, previous_value.gross - part)


def line_for(checkout) -> CreditLine:
    return require_line(accounts.customer_for_user(checkout.user), checkout.currency)


def apply(checkout, lines, discounts, manager, amount=None, idem=None) -> Application:
    """Reserve ``amount`` (or everything left, up to the available credit, when None)
    of ``checkout`` on its owner's credit line."""
    if checkout.user_id is None:
        raise ValidationError(
            {"checkoutId": ValidationError(
                _("Log in to pay later."), code=Code.PERMISSION_DENIED.value)}
        )
    payments.check_goods_only(checkout)
    line = line_for(checkout)
    total = total_before_credit(checkout, lines, discounts, manager).gross
    currency = checkout.currency
    if amount is not None:
        value = to_amount(amount, currency)
        if value > total.amount:
            raise InvalidAmount(
                _("%(value)s %(currency)s is more than the %(amount)s %(currency)s left to pay.")
                % {"value": value, "currency": currency, "amount": total.amount}
            )
    replay = idem is not None and IdempotencyRecord.objects.filter(
        scope=idem.scope, key=idem.key
    ).exists()
    with transaction.atomic():
        # The bookings' lock first: status, overdue bills and the limit are checked
        # against what holds while the reservation is written.
        account = Account.objects.select_for_update().get(pk=line.account_id)
        line = CreditLine.objects.select_related("account").get(pk=line.pk)
        if not replay:
            payments.check_usable(line)
            existing = pending_hold(checkout)
            if existing is not None:
                service.void_hold(existing)
                account.refresh_from_db()
        if amount is None:
            value = min(max(account.available, Decimal(0)), total.amount)
            value = value.quantize(Decimal(1).scaleb(-precision(currency)))
            if value <= 0 and not replay:
                raise CreditLimitExceeded(
                    _("Your %(currency)s credit line has nothing available.") % {"currency": currency}
                )
        settings = config.get_config()
        hold = service.place_hold(
            account,
            accounts.system_account(SystemAccountCode.CREDIT_SALES, currency),
            value,
            Reason.CREDIT_PURCHASE,
            expires_at=timezone.now() + timedelta(minutes=settings.hold_minutes),
            refs=service.References(checkout_token=checkout.token),
            idem=idem,
        )
    return Application(hold, total, Money(in_unit(hold.amount, currency), currency))


def remove(checkout) -> bool:
    hold = pending_hold(checkout)
    if hold is None:
        return False
    service.void_hold(hold)
    return True


def current(checkout, lines, discounts, manager) -> Application:
    total = total_before_credit(checkout, lines, discounts, manager).gross
    hold = pending_hold(checkout)
    applied = min(hold.amount, total.amount) if hold else Decimal(0)
    return Application(hold, total, Money(in_unit(applied, checkout.currency), checkout.currency))


def _clear(checkout):
    from ..cardkinds.groups import clear_private

    clear_private(checkout, (APPLIED_KEY, HOLD_KEY))


def _refuse(exc: LedgerError):
    # Saleor reports it as a checkout error; the code names the plugin's rule.
    raise ValidationError(
        {"credit": ValidationError(f"{exc.code}: {exc.message}", code=CheckoutErrorCode.INVALID.value)}
    )


def prepare_order(checkout, discounts, manager):
    """Before the external payment: check the line again, pin the reservation and tell
    the order about it."""
    hold = pending_hold(checkout)
    if hold is None:
        _clear(checkout)  # an earlier attempt's reservation is gone
        return
    try:
        payments.check_goods_only(checkout)
        payments.check_usable(CreditLine.objects.get(account_id=hold.account_id))
    except LedgerError as exc:
        _refuse(exc)
    lines = list(checkout)
    total = total_before_credit(checkout, lines, discounts, manager).gross.amount
    quantum = Decimal(1).scaleb(-precision(checkout.currency))
    applied = min(hold.amount, max(total, Decimal(0))).quantize(quantum)
    if applied <= 0:  # discounts and the wallet cover everything
        service.void_hold(hold)
        _clear(checkout)
        return
    Hold.objects.filter(pk=hold.pk, status=HoldStatus.PENDING).update(
        expires_at=timezone.now() + PROCESSING_GRACE
    )
    checkout.store_value_in_private_metadata(
        {APPLIED_KEY: str(applied), HOLD_KEY: str(hold.pk)}
    )
    checkout.save(update_fields=["private_metadata"])


def record_on_order(order) -> Optional[Decimal]:
    """Inside the order's DB transaction: post the reservation, restore the order's
    full total and record the credit part as a charged payment."""
    hold_id = order.get_value_from_private_metadata(HOLD_KEY)
    if not hold_id or order.get_value_from_metadata(PAID_KEY):
        return None
    applied = Decimal(order.get_value_from_private_metadata(APPLIED_KEY))
    hold = Hold.objects.select_related("account").get(pk=int(hold_id))
    line = CreditLine.objects.get(account_id=hold.account_id)
    txn = service.post_hold(
        hold,
        service.Posting(
            reason=Reason.CREDIT_PURCHASE,
            actor=Actor.customer(order.user) if order.user_id else Actor.system("checkout"),
            customer_note=_("Order #%(order)s, billed later") % {"order": order.pk},
            refs=service.References(order_id=order.pk, checkout_token=order.checkout_token),
            metadata={"credit_line": line.pk, "channel": "checkout", "part": True},
        ),
        amount=applied,
    )
    part = Money(applied, order.currency)
    order.total = TaxedMoney(order.total.net + part, order.total.gross + part)
    order.store_value_in_metadata({PAID_KEY: str(applied)})
    order.save(update_fields=["total_net_amount", "total_gross_amount", "metadata"])
    from ..wallet.payments import record_wallet_payment

    record_wallet_payment(order, applied, txn, gateway=payments.CREDIT_GATEWAY_ID)
    return applied
