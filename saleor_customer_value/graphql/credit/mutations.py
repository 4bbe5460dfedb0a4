"""Credit line mutations: staff [MANAGE_CREDIT] open lines, change limits (with a note),
suspend, close cycles and record payments; the shopper asks for a gateway token; the
till pays on credit [USE_POS]. Thin adapters over ``credit/``."""
import graphene
from django.conf import settings
from django.utils.translation import gettext as _
from saleor.graphql.checkout.types import Checkout
from saleor.graphql.core.scalars import Decimal

from ...credit import checkout as credit_checkout, lines, payments, statements
from ...ledger import accounts
from ...ledger.amounts import validate_currency
from ...ledger.reasons import Reason
from ...ledger.service import References
from ...permissions import CustomerValuePermissions
from ...pos import bookings
from ..core import (
    IDEMPOTENCY_KEY_ARGUMENT,
    CustomerValueMutation,
    idempotency_key as make_key,
    owned_checkout,
    request_actor,
)
from ..ledger.types import LedgerTransaction
from ..pos.mutations import PosAmountInput, PosMutation, identify
from ..pos.types import Money, result_money
from ..wallet.types import money
from .types import (
    CheckoutCreditPayment,
    CreditLimitChange,
    CreditLine,
    CreditLineStatusEnum,
    CreditStatement,
)

MANAGE_CREDIT = CustomerValuePermissions.MANAGE_CREDIT


def _line_of(mutation, info, customer_id, currency):
    from saleor.graphql.account.types import User

    user = mutation.get_node_or_error(info, customer_id, only_type=User, field="customer_id")
    currency = validate_currency(currency or settings.DEFAULT_CURRENCY)
    return lines.require_line(accounts.customer_for_user(user), currency)


def _fresh(line):
    from ...models import CreditLine as Model

    return Model.objects.select_related("account", "customer__user").get(pk=line.pk)


class CreditLineCreateInput(graphene.InputObjectType):
    customer_id = graphene.ID(required=True, description="The card's owner (User).")
    currency = graphene.String(description="The shop's currency by default.")
    limit = Decimal(required=True, description="The credit limit (0 or more).")
    due_days = graphene.Int(description="Days from a statement to its due date (default 14).")
    note = graphene.String(required=True, description="Why this limit (kept in the history).")


class CreditLineCreate(CustomerValueMutation):
    credit_line = graphene.Field(CreditLine)

    class Arguments:
        input = CreditLineCreateInput(required=True)

    class Meta:
        description = "Give a customer a credit line (debit card: buy now, billed monthly)."
        permissions = (MANAGE_CREDIT,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        from saleor.graphql.account.types import User

        user = cls.get_node_or_error(info, input["customer_id"], only_type=User, field="customer_id")
        due_days = input.get("due_days")
        line = lines.open_line(
            accounts.customer_for_user(user),
            input.get("currency") or settings.DEFAULT_CURRENCY,
            input["limit"],
            14 if due_days is None else due_days,
            input.get("note"),
            request_actor(info),
        )
        return cls(credit_line=_fresh(line))


class CreditLimitUpdate(CustomerValueMutation):
    credit_line = graphene.Field(CreditLine)
    change = graphene.Field(CreditLimitChange)

    class Arguments:
        customer_id = graphene.ID(required=True)
        currency = graphene.String()
        limit = Decimal(required=True, description="The new limit; not below what is used.")
        note = graphene.String(required=True, description="Why (kept in the history).")

    class Meta:
        description = (
            "Raise or lower a credit limit with a note. A limit below what is used (owed "
            "plus reserved) is CREDIT_LIMIT_BELOW_USED: suspend the line instead."
        )
        permissions = (MANAGE_CREDIT,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, limit, note, currency=None):
        line = _line_of(cls, info, customer_id, currency)
        change = lines.change_limit(line, limit, note, request_actor(info))
        return cls(credit_line=_fresh(line), change=change)


class CreditLineUpdate(CustomerValueMutation):
    credit_line = graphene.Field(CreditLine)

    class Arguments:
        customer_id = graphene.ID(required=True)
        currency = graphene.String()
        status = CreditLineStatusEnum(description="SUSPENDED stops new purchases.")
        due_days = graphene.Int()

    class Meta:
        description = "Suspend, reactivate or close a credit line, or change its due period."
        permissions = (MANAGE_CREDIT,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, currency=None, status=None, due_days=None):
        line = _line_of(cls, info, customer_id, currency)
        lines.update_line(line, status=status, due_days=due_days)
        return cls(credit_line=_fresh(line))


class CreditCycleClose(CustomerValueMutation):
    credit_line = graphene.Field(CreditLine)
    statement = graphene.Field(
        CreditStatement, description="Null when the cycle had nothing to bill."
    )

    class Arguments:
        customer_id = graphene.ID(required=True)
        currency = graphene.String()

    class Meta:
        description = (
            "Close the line's open billing cycle now (the monthly task does it at each "
            "month's end): a statement with every booking, e-mailed with CSV and PDF."
        )
        permissions = (MANAGE_CREDIT,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, currency=None):
        line = _line_of(cls, info, customer_id, currency)
        statement = statements.close_cycle(line)
        if statement is not None:
            statements.send_email(statement)
            statement.refresh_from_db()
        return cls(credit_line=_fresh(line), statement=statement)


class CreditPaymentRecord(CustomerValueMutation):
    credit_line = graphene.Field(CreditLine)
    transaction = graphene.Field(LedgerTransaction)

    class Arguments:
        customer_id = graphene.ID(required=True)
        currency = graphene.String()
        amount = Decimal(required=True)
        note = graphene.String(description="Internal note.")
        reference = graphene.String(description="Bank transfer or receipt reference.")
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Record a customer's payment of their bill (reason CREDIT_SETTLEMENT); paid "
            "statements are settled and an overdue line can buy again."
        )
        permissions = (MANAGE_CREDIT,)

    @classmethod
    def perform_mutation(
        cls, _root, info, customer_id, amount, currency=None, note=None, reference=None,
        idempotency_key=None,
    ):
        line = _line_of(cls, info, customer_id, currency)
        txn = statements.record_payment(
            line,
            amount,
            request_actor(info),
            note=note or "",
            reference=reference or "",
            idem=make_key(info, idempotency_key),
        )
        return cls(credit_line=_fresh(line), transaction=txn)


class CheckoutCreditPaymentToken(CustomerValueMutation):
    token = graphene.String(
        description=(
            "Use as `token` in `checkoutPaymentCreate` with the gateway "
            f"`{payments.CREDIT_GATEWAY_ID}` to pay the whole checkout on the credit "
            "line. Valid for one hour."
        )
    )
    gateway = graphene.String()
    credit_line = graphene.Field(CreditLine)

    class Arguments:
        checkout_id = graphene.ID(required=True)

    class Meta:
        description = (
            "A payment token for paying the caller's checkout on their credit line "
            "(NO_CREDIT_LINE, CREDIT_LINE_SUSPENDED, OVERDUE are refused here already)."
        )

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id):
        checkout = owned_checkout(cls, info, checkout_id, what=_("pay later"))
        line = lines.require_line(
            accounts.customer_for_user(info.context.user), checkout.currency
        )
        # Early, clear refusals; the charge checks again under the account lock.
        payments.check_usable(line)
        payments.check_goods_only(checkout)
        return cls(
            token=payments.issue_token(checkout),
            gateway=payments.CREDIT_GATEWAY_ID,
            credit_line=_fresh(line),
        )


def checkout_credit_payment(info, checkout):
    application = credit_checkout.current(
        checkout, list(checkout), info.context.discounts, info.context.plugins
    )
    line = lines.find_line(accounts.customer_for_user(checkout.user), checkout.currency)
    available = max(line.account.available, 0) if line else 0
    return CheckoutCreditPayment(
        applied=application.applied,
        total_before_credit=application.total_before,
        remaining=application.remaining,
        available=money(available, checkout.currency),
        reserved_until=application.hold.expires_at if application.hold else None,
    )


class CheckoutCreditApply(CustomerValueMutation):
    checkout = graphene.Field(Checkout)
    credit_payment = graphene.Field(CheckoutCreditPayment)

    class Arguments:
        checkout_id = graphene.ID(required=True)
        amount = Decimal(
            description=(
                "Amount to pay on the credit line; omit for everything left to pay "
                "(up to the available credit)."
            )
        )
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Pay part of the caller's checkout on their credit line (billed later); the "
            "rest is paid with any gateway. The amount is reserved against the limit now "
            "and lowers the checkout total; applying again replaces it. Refused with "
            "NO_CREDIT_LINE, CREDIT_LINE_SUSPENDED, OVERDUE, CREDIT_LIMIT_EXCEEDED, or "
            "STORED_VALUE_ON_CREDIT for carts with wallet top-ups or gift vouchers."
        )

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, amount=None, idempotency_key=None):
        checkout = owned_checkout(cls, info, checkout_id, what=_("pay later"))
        credit_checkout.apply(
            checkout,
            list(checkout),
            info.context.discounts,
            info.context.plugins,
            amount=amount,
            idem=make_key(info, idempotency_key),
        )
        return cls(checkout=checkout, credit_payment=checkout_credit_payment(info, checkout))


class CheckoutCreditRemove(CustomerValueMutation):
    checkout = graphene.Field(Checkout)
    credit_payment = graphene.Field(CheckoutCreditPayment)

    class Arguments:
        checkout_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Stop paying part of the caller's checkout on the credit line (releases the "
            "reservation)."
        )

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id):
        checkout = owned_checkout(cls, info, checkout_id, what=_("pay later"))
        credit_checkout.remove(checkout)
        return cls(checkout=checkout, credit_payment=checkout_credit_payment(info, checkout))


class PosCreditPay(PosMutation):
    paid = graphene.Field(Money, description="Booked on the credit line (billed later).")

    class Arguments:
        input = PosAmountInput(required=True)

    class Meta:
        description = (
            "Put a bill on the customer's credit line (reason CREDIT_PURCHASE), up to the "
            "limit; refused when the line is suspended or a bill is overdue (OVERDUE). "
            "Requires USE_POS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input):
        note, receipt, idem = cls.clean(info, input)
        who = identify(input["customer"])
        txn = payments.purchase(
            who.customer,
            input["currency"],
            input["amount"],
            request_actor(info),
            References(external_reference=receipt, card_id=who.card.pk if who.card else None),
            customer_note=_("Bought in store, billed later (receipt %(receipt)s)")
            % {"receipt": receipt},
            note=note,
            metadata={"channel": "pos"},
            idem=idem,
        )
        result = bookings.Result(who.customer, who.card, [txn], currency=validate_currency(input["currency"]))
        amount = txn.entries.get(account__kind="credit").amount
        return cls.answer(result, paid=result_money(amount, result.currency))


__all__ = [
    "CheckoutCreditApply",
    "CheckoutCreditPaymentToken",
    "CheckoutCreditRemove",
    "CreditCycleClose",
    "CreditLimitUpdate",
    "CreditLineCreate",
    "CreditLineUpdate",
    "CreditPaymentRecord",
    "PosCreditPay",
    "Reason",
]
