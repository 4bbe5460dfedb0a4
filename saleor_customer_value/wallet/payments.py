"""The wallet as a Saleor payment gateway, and Saleor payment records for wallet money.

Two ways the wallet pays an order, both visible as Saleor ``Payment`` rows of the
gateway ``WALLET_GATEWAY_ID`` so that Saleor's paid/refunded bookkeeping and the ledger
agree:
- the whole checkout: the shopper asks for a payment token
  (``checkoutWalletPaymentToken``) and uses it with ``checkoutPaymentCreate``; Saleor calls
  ``charge`` when the checkout is completed;
- part of a checkout: ``wallet.checkout`` posts the reservation when the order is created
  and ``record_wallet_payment`` adds the charged payment row.
Refunds of either (Saleor's ``orderRefund``/``paymentRefund``, or a cancelled order) credit
the wallet that paid.
"""
from decimal import Decimal
from typing import Optional

from django.core import signing
from saleor.payment import ChargeStatus, TransactionKind
from saleor.payment.interface import GatewayResponse
from saleor.payment.models import Payment, Transaction

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.errors import LedgerError
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import AccountKind, Entry, LedgerTransaction

WALLET_GATEWAY_ID = "saleor.customer_value.wallet"
WALLET_GATEWAY_NAME = "Wallet"
_TOKEN_SALT = "customer-value-wallet-payment"
TOKEN_MAX_AGE = 60 * 60


# --- tokens: who may pay which checkout with which wallet ---------------------------


def issue_token(checkout) -> str:
    """A signed, expiring token binding the checkout to its logged-in owner.

    Saleor hands gateways only the token and the checkout's (editable) e-mail, so the
    token is what proves the wallet's owner asked for this payment.
    """
    return signing.dumps(
        {"checkout": str(checkout.token), "user": checkout.user_id}, salt=_TOKEN_SALT
    )


def read_token(token: str) -> Optional[dict]:
    try:
        return signing.loads(token or "", salt=_TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None


def _reference(checkout_token: str) -> str:
    return f"wallet-payment:{checkout_token}"


def gateway_response(kind, payment_information, ok, error=None, transaction_id=None):
    """Saleor's answer for one gateway operation of the plugin's gateways."""
    return GatewayResponse(
        is_success=ok,
        action_required=False,
        kind=kind,
        amount=payment_information.amount,
        currency=payment_information.currency,
        transaction_id=transaction_id or "",
        error=error,
        raw_response={},
    )


# --- gateway operations ---------------------------------------------------------------


def charge(payment_information) -> GatewayResponse:
    """Debit the wallet of the checkout's owner (process_payment with capture)."""
    from saleor.account.models import User
    from saleor.checkout.models import Checkout

    kind = TransactionKind.CAPTURE
    claims = read_token(payment_information.token)
    if claims is None:
        return gateway_response(kind, payment_information, False, "Invalid or expired wallet payment token.")
    checkout = Checkout.objects.filter(token=claims["checkout"]).first()
    if checkout is None or checkout.user_id != claims["user"]:
        return gateway_response(kind, payment_information, False, "This token belongs to another checkout.")
    amount = payment_information.amount
    if amount == 0:
        return gateway_response(kind, payment_information, True, transaction_id=_reference(checkout.token))
    user = User.objects.get(pk=claims["user"])
    wallet = accounts.wallet_account(accounts.customer_for_user(user), payment_information.currency)
    try:
        txn = service.transfer(
            wallet,
            accounts.system_account(SystemAccountCode.REDEMPTION, wallet.unit),
            amount,
            service.Posting(
                reason=Reason.CHECKOUT_PAYMENT,
                actor=Actor.customer(user),
                customer_note="Checkout paid with the wallet",
                refs=service.References(
                    checkout_token=checkout.token,
                    external_reference=_reference(checkout.token),
                ),
            ),
            # A retried completion of the same checkout must not debit twice.
            IdempotencyKey(scope=f"user:{user.pk}", key=_reference(checkout.token)),
        )
    except LedgerError as exc:
        return gateway_response(kind, payment_information, False, exc.message)
    return gateway_response(kind, payment_information, True, transaction_id=f"ledger:{txn.pk}")


def _paying_transaction(reference: str) -> Optional[LedgerTransaction]:
    """The ledger debit behind a wallet payment's capture (token ``ledger:<id>``)."""
    if not reference or not reference.startswith("ledger:"):
        return None
    return LedgerTransaction.objects.filter(
        pk=int(reference.split(":", 1)[1]), reason=Reason.CHECKOUT_PAYMENT
    ).first()


def refund(paid: LedgerTransaction, amount, actor: Actor, order_id=None, payment_id=None, note=""):
    """Credit ``amount`` of a wallet payment back to the wallet that paid it."""
    wallet = (
        Entry.objects.select_related("account")
        .get(transaction=paid, account__kind=AccountKind.WALLET)
        .account
    )
    return service.transfer(
        accounts.system_account(SystemAccountCode.REDEMPTION, wallet.unit),
        wallet,
        amount,
        service.Posting(
            reason=Reason.REFUND,
            actor=actor,
            note=note,
            customer_note=f"Refund for order #{order_id}" if order_id else "Refund",
            refs=service.References(order_id=order_id, payment_id=payment_id),
            metadata={"refunded_transaction": paid.pk},
        ),
    )


def refund_response(payment_information, actor=None) -> GatewayResponse:
    """Saleor's refund of a wallet payment (``orderRefund``, ``paymentRefund``, cancel).

    Saleor has already checked the amount against what the payment captured.
    """
    kind = TransactionKind.REFUND
    paid = _paying_transaction(payment_information.token)
    if paid is None:
        return gateway_response(kind, payment_information, False, "Unknown wallet payment.")
    capture = (
        Transaction.objects.filter(
            token=payment_information.token,
            kind=TransactionKind.CAPTURE,
            payment__gateway=WALLET_GATEWAY_ID,
        )
        .select_related("payment")
        .first()
    )
    try:
        txn = refund(
            paid,
            payment_information.amount,
            actor or Actor.system("saleor refund"),
            order_id=payment_information.order_id,
            payment_id=capture.payment_id if capture else None,
        )
    except LedgerError as exc:
        return gateway_response(kind, payment_information, False, exc.message)
    return gateway_response(kind, payment_information, True, transaction_id=f"ledger:{txn.pk}")


# --- payment records for the wallet part of split payments ---------------------------


def record_wallet_payment(
    order, amount: Decimal, txn: LedgerTransaction, gateway: str = WALLET_GATEWAY_ID
) -> Payment:
    """A fully charged Saleor payment for the part ``txn`` paid (the wallet's, or with
    ``gateway`` the credit line's: ``credit.checkout``), so that Saleor's paid/refunded
    bookkeeping sees it and a refund reaches the gateway that paid."""
    billing = order.billing_address
    payment = Payment.objects.create(
        gateway=gateway,
        is_active=True,
        order=order,
        token=f"ledger:{txn.pk}",
        total=amount,
        captured_amount=amount,
        charge_status=ChargeStatus.FULLY_CHARGED,
        currency=order.currency,
        billing_email=order.get_customer_email() or "",
        billing_first_name=billing.first_name if billing else "",
        billing_last_name=billing.last_name if billing else "",
        billing_city=billing.city if billing else "",
        billing_postal_code=billing.postal_code if billing else "",
        billing_country_code=billing.country.code if billing else "",
        extra_data="",
    )
    Transaction.objects.create(
        payment=payment,
        kind=TransactionKind.CAPTURE,
        token=f"ledger:{txn.pk}",
        is_success=True,
        amount=amount,
        currency=order.currency,
        gateway_response={},
    )
    return payment


