"""Paying with the credit line: online as a Saleor payment gateway, at the POS, and
refunds back to the line.

A purchase is one ledger transfer (reason ``credit_purchase``) from the customer's
credit account to the system account ``credit_sales``; the account goes negative (the
customer owes it) down to ``-credit_limit``. ``ledger.service`` locks the account and
raises ``CREDIT_LIMIT_EXCEEDED`` under the lock; PostgreSQL refuses anything past the
limit anyway (``cv_credit_within_limit``). Before that, under the same lock, the line
must be active and have no overdue bill (``OVERDUE``).

Online the line pays the **whole** checkout (decision): Saleor 2.10 accepts one payment
equal to the checkout total, and a partial payment would need a second reservation
kind in the calculation hooks (wallet/points) for a means of payment that is meant to
cover the purchase anyway. As with the wallet gateway, the shopper asks for a signed
token bound to the checkout and its logged-in owner (``checkoutCreditPaymentToken``),
and the charge is idempotent per checkout.
"""
from typing import Optional

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from saleor.payment import TransactionKind
from saleor.payment.interface import GatewayResponse
from saleor.payment.models import Transaction

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import to_amount, validate_currency
from ..ledger.errors import LedgerError
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import (
    Account,
    AccountKind,
    CreditLine,
    CreditLineStatus,
    CreditStatement,
    Customer,
    Entry,
    IdempotencyRecord,
    LedgerTransaction,
    StatementStatus,
)
from .errors import CreditLineSuspended, Overdue
from .lines import require_line
from ..wallet.payments import gateway_response

CREDIT_GATEWAY_ID = "saleor.customer_value.credit"
CREDIT_GATEWAY_NAME = "Pay later (customer card)"
_TOKEN_SALT = "customer-value-credit-payment"
TOKEN_MAX_AGE = 60 * 60


def overdue_statement(line: CreditLine, today=None) -> Optional[CreditStatement]:
    today = today or timezone.now().date()
    return (
        line.statements.filter(status=StatementStatus.OPEN, due_date__lt=today)
        .order_by("due_date")
        .first()
    )


def check_usable(line: CreditLine):
    if line.status != CreditLineStatus.ACTIVE:
        raise CreditLineSuspended(
            _("This credit line is %(status)s: it cannot be used for purchases.")
            % {"status": line.get_status_display().lower()}
        )
    late = overdue_statement(line)
    if late is not None:
        raise Overdue(
            _(
                "Statement %(number)s (%(due)s %(currency)s) was due on %(date)s and is "
                "not paid: purchases on credit resume once it is paid."
            )
            % {
                "number": late.number,
                "due": f"{late.amount_due - late.paid_amount:f}",
                "currency": line.currency,
                "date": late.due_date.isoformat(),
            }
        )


def _already_used(idem: Optional[IdempotencyKey]) -> bool:
    return idem is not None and IdempotencyRecord.objects.filter(
        scope=idem.scope, key=idem.key
    ).exists()


def purchase(
    customer: Customer,
    currency: str,
    amount,
    actor: Actor,
    refs: service.References,
    customer_note: str,
    note: str = "",
    metadata=None,
    idem: Optional[IdempotencyKey] = None,
) -> LedgerTransaction:
    """Book a purchase on the customer's credit line (the rule every channel uses)."""
    currency = validate_currency(currency)
    amount = to_amount(amount, currency)
    line = require_line(customer, currency)
    with transaction.atomic():
        # The account lock first (as every booking takes it): status, overdue bills and
        # the limit are checked against what holds while this purchase is booked.
        Account.objects.select_for_update().filter(pk=line.account_id).first()
        line = CreditLine.objects.select_related("account").get(pk=line.pk)
        if not _already_used(idem):  # a replay answers with the first booking
            check_usable(line)
        return service.transfer(
            line.account,
            accounts.system_account(SystemAccountCode.CREDIT_SALES, currency),
            amount,
            service.Posting(
                reason=Reason.CREDIT_PURCHASE,
                actor=actor,
                note=note,
                customer_note=customer_note,
                refs=refs,
                metadata={"credit_line": line.pk, **(metadata or {})},
            ),
            idem,
        )


def refund(paid: LedgerTransaction, amount, actor: Actor, order_id=None, payment_id=None, note=""):
    """Give ``amount`` of a credit purchase back to the line (the customer owes less)."""
    account = (
        Entry.objects.select_related("account")
        .get(transaction=paid, account__kind=AccountKind.CREDIT)
        .account
    )
    txn = service.transfer(
        accounts.system_account(SystemAccountCode.CREDIT_SALES, account.unit),
        account,
        amount,
        service.Posting(
            reason=Reason.CREDIT_REFUND,
            actor=actor,
            note=note,
            customer_note=(
                _("Refund for order #%(order)s") % {"order": order_id} if order_id else _("Refund")
            ),
            refs=service.References(order_id=order_id, payment_id=payment_id),
            metadata={"refunded_transaction": paid.pk},
        ),
    )
    from .statements import settle_if_nothing_owed

    settle_if_nothing_owed(account)
    return txn


# --- the Saleor gateway ----------------------------------------------------------------


def check_goods_only(checkout):
    """Refuse a checkout with wallet top-ups or gift vouchers (see StoredValueOnCredit)."""
    from ..wallet.paid_values import line_kind
    from .errors import StoredValueOnCredit

    lines = checkout.lines.select_related("variant__product__product_type")
    if any(line_kind(line) for line in lines):
        raise StoredValueOnCredit(
            _("Wallet top-ups and gift vouchers cannot be paid later: pay them with another payment method.")
        )


def issue_token(checkout) -> str:
    return signing.dumps(
        {"checkout": str(checkout.token), "user": checkout.user_id}, salt=_TOKEN_SALT
    )


def read_token(token: str) -> Optional[dict]:
    try:
        return signing.loads(token or "", salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None


def _reference(checkout_token) -> str:
    return f"credit-payment:{checkout_token}"


def charge(payment_information) -> GatewayResponse:
    """Book the checkout's total on its owner's credit line (process_payment, captured)."""
    from saleor.account.models import User
    from saleor.checkout.models import Checkout

    kind = TransactionKind.CAPTURE
    claims = read_token(payment_information.token)
    if claims is None:
        return gateway_response(kind, payment_information, False, _("Invalid or expired credit payment token."))
    checkout = Checkout.objects.filter(token=claims["checkout"]).first()
    if checkout is None or checkout.user_id != claims["user"]:
        return gateway_response(kind, payment_information, False, _("This token belongs to another checkout."))
    user = User.objects.get(pk=claims["user"])
    try:
        check_goods_only(checkout)
        txn = purchase(
            accounts.customer_for_user(user),
            payment_information.currency,
            payment_information.amount,
            Actor.customer(user),
            service.References(
                checkout_token=checkout.token, external_reference=_reference(checkout.token)
            ),
            customer_note=_("Bought online, billed later"),
            metadata={"channel": "checkout"},
            # A retried completion of the same checkout must not book twice.
            idem=IdempotencyKey(scope=f"user:{user.pk}", key=_reference(checkout.token)),
        )
    except LedgerError as exc:
        return gateway_response(kind, payment_information, False, f"{exc.code}: {exc.message}")
    return gateway_response(kind, payment_information, True, transaction_id=f"ledger:{txn.pk}")


def _paying_transaction(reference: str) -> Optional[LedgerTransaction]:
    if not reference or not reference.startswith("ledger:"):
        return None
    return LedgerTransaction.objects.filter(
        pk=int(reference.split(":", 1)[1]), reason=Reason.CREDIT_PURCHASE
    ).first()


def refund_response(payment_information) -> GatewayResponse:
    """Saleor's refund of a credit payment (``orderRefund``, ``paymentRefund``, cancel)."""
    kind = TransactionKind.REFUND
    paid = _paying_transaction(payment_information.token)
    if paid is None:
        return gateway_response(kind, payment_information, False, _("Unknown credit payment."))
    capture = Transaction.objects.filter(
        token=payment_information.token,
        kind=TransactionKind.CAPTURE,
        payment__gateway=CREDIT_GATEWAY_ID,
    ).first()
    try:
        txn = refund(
            paid,
            payment_information.amount,
            Actor.system("saleor refund"),
            order_id=payment_information.order_id,
            payment_id=capture.payment_id if capture else None,
        )
    except LedgerError as exc:
        return gateway_response(kind, payment_information, False, exc.message)
    return gateway_response(kind, payment_information, True, transaction_id=f"ledger:{txn.pk}")
