"""POS mutations [USE_POS]: a till (Saleor App with a token) or a staff user.

Thin adapters: identify the customer, clean the request, call ``pos.bookings`` /
``pos.reversals``, answer with the new balances. Every write needs a note, a receipt
reference and an idempotency key; errors are typed and change nothing (one DB
transaction, see ``core.CustomerValueMutation``).
"""
import graphene
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.core.types import Money

from ...error_codes import CustomerValueErrorCode as Code
from ...ledger.errors import LedgerError
from ...permissions import CustomerValuePermissions
from ...pos import bookings, lookup, reversals
from ..core import CustomerValueError, CustomerValueMutation, has_permissions, request_actor
from ..inputs import bad_text
from .types import PosBooking, PosCustomer, PosCustomerLookup, result_money
from django.utils.translation import gettext as _

USE_POS = CustomerValuePermissions.USE_POS


class PosCustomerInput(graphene.InputObjectType):
    code = graphene.String(description="The card code as printed or typed (dashes allowed).")
    qr_payload = graphene.String(description="The scanned QR payload (CV1:<code>).")
    chip_uid = graphene.String(description="The chip UID as the NFC reader prints it.")
    customer_id = graphene.ID(description="A Saleor user (found by e-mail or name).")


def _user(customer_id):
    from saleor.account.models import User

    try:
        kind, pk = graphene.Node.from_global_id(customer_id)
    except Exception:  # noqa: BLE001 - any malformed ID
        kind, pk = None, None
    user = User.objects.filter(pk=pk).first() if kind == "User" and str(pk).isdigit() else None
    if user is None:
        raise lookup.CustomerNotFound(_("No customer has this ID."), field="customerId")
    return user


def identify(data, allow_unsold=False):
    data = dict(data or {})
    if data.get("customer_id"):
        data["user"] = _user(data.pop("customer_id"))
    return lookup.identify(data, allow_unsold=allow_unsold)


class PosWriteInputBase:
    receipt = graphene.String(description="The till's receipt reference (required).")
    note = graphene.String(description="Internal note (required).")
    idempotency_key = graphene.String(
        description=(
            "Required. Repeating a request with the same key returns the first result "
            "without booking again; the same key with a different request is "
            "IDEMPOTENCY_CONFLICT."
        )
    )


class PosAmountInput(PosWriteInputBase, graphene.InputObjectType):
    customer = graphene.Field(PosCustomerInput, required=True, description="Who.")
    amount = Decimal(required=True, description="Positive, in the currency's precision.")
    currency = graphene.String(required=True)


class PosSaleDiscountInput(graphene.InputObjectType):
    amount = Decimal(
        required=True,
        description=(
            "The card discount the till granted (from posCustomerLookup's discountGroup), "
            "in the sale's currency."
        ),
    )
    item_count = graphene.Int(description="How many items it covered (an employee's count allowance).")
    items_value = Decimal(description="Gross value of the discounted items before the discount (default: the discount).")


class PosPointsRedeemInput(PosWriteInputBase, graphene.InputObjectType):
    customer = graphene.Field(PosCustomerInput, required=True)
    points = graphene.Int(required=True, description="Whole points, a multiple of the rate's step.")


class PosMutation(CustomerValueMutation):
    customer = graphene.Field(PosCustomer, description="The customer with the new balances.")
    bookings = graphene.List(graphene.NonNull(PosBooking), required=True, default_value=[])
    replayed = graphene.Boolean(
        description="True when the idempotency key was used before: nothing new was booked."
    )

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return has_permissions(context, (USE_POS,))

    @classmethod
    def clean(cls, info, data):
        return bookings.clean_request(
            data.get("note"),
            data.get("receipt"),
            data.get("idempotency_key"),
            request_actor(info).idempotency_scope,
        )

    @classmethod
    def answer(cls, result, **extra):
        return cls(
            customer=PosCustomer.of(lookup.view(result.customer, result.card)),
            bookings=[PosBooking.of(txn) for txn in result.transactions],
            replayed=result.replayed,
            **extra,
        )


class PosSaleRecord(PosMutation):
    points_earned = graphene.Int(required=True, default_value=0)
    discount = graphene.Field(Money, description="The card discount recorded with the sale.")

    class Arguments:
        input = PosAmountInput(required=True)
        discount = PosSaleDiscountInput(
            description=(
                "The card discount granted on this sale, recorded in the booking's metadata; "
                "for an employee group it is booked against the monthly allowance "
                "(ALLOWANCE_EXCEEDED: nothing is booked). With a discount, amount may be 0."
            )
        )

    class Meta:
        description = (
            "Record an in-store sale: the customer earns points by the program's rules "
            "(reason POINTS_EARNED, the receipt as reference) on what was paid, with the "
            "card discount the till granted (an employee's use is booked against the "
            "allowance). Requires USE_POS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input, discount=None):
        note, receipt, idem = cls.clean(info, input)
        who = identify(input["customer"])
        result = bookings.record_sale(
            who, input["amount"], input["currency"], receipt, note, request_actor(info), idem,
            discount=dict(discount) if discount else None,
        )
        return cls.answer(
            result, points_earned=result.points, discount=result_money(result.discount, result.currency)
        )


class PosWalletPay(PosMutation):
    paid = graphene.Field(Money, description="Taken from the wallet.")

    class Arguments:
        input = PosAmountInput(required=True)

    class Meta:
        description = (
            "Pay all or part of a bill from the customer's wallet (at most what is "
            "available; reason POS_PAYMENT). Requires USE_POS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input):
        note, receipt, idem = cls.clean(info, input)
        who = identify(input["customer"])
        result = bookings.wallet_pay(
            who, input["amount"], input["currency"], receipt, note, request_actor(info), idem
        )
        return cls.answer(result, paid=result_money(result.amount, result.currency))


class PosWalletTopUp(PosMutation):
    topped_up = graphene.Field(Money)
    bonus = graphene.Field(Money, description="The top-up bonus of the tier reached, if any.")

    class Arguments:
        input = PosAmountInput(required=True)

    class Meta:
        description = (
            "Top up the wallet with money the till took (reason TOPUP) plus the "
            "configured bonus tiers (TOPUP_BONUS). A card nobody owns yet is sold by its "
            "first top-up. Requires USE_POS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input):
        note, receipt, idem = cls.clean(info, input)
        who = identify(input["customer"], allow_unsold=True)
        result = bookings.wallet_top_up(
            who, input["amount"], input["currency"], receipt, note, request_actor(info), idem
        )
        return cls.answer(
            result,
            topped_up=result_money(result.amount, result.currency),
            bonus=result_money(result.bonus, result.currency),
        )


class PosPointsRedeem(PosMutation):
    points_redeemed = graphene.Int(required=True, default_value=0)
    discount = graphene.Field(Money, description="The value to take off the bill.")

    class Arguments:
        input = PosPointsRedeemInput(required=True)

    class Meta:
        description = (
            "Redeem points for a discount at the program's redemption rate (reason "
            "POINTS_REDEEMED); the till applies the discount. Requires USE_POS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, input):
        note, receipt, idem = cls.clean(info, input)
        who = identify(input["customer"])
        result = bookings.redeem_points(
            who, input["points"], receipt, note, request_actor(info), idem
        )
        return cls.answer(
            result,
            points_redeemed=result.points,
            discount=result_money(result.amount, result.currency),
        )


class PosReverse(PosMutation):
    class Arguments:
        receipt = graphene.String(required=True)
        note = graphene.String()
        idempotency_key = graphene.String()

    class Meta:
        description = (
            "Reverse every booking this till (App or staff user) made under a receipt "
            "reference, all or nothing. Points may go below zero (clawback); wallet "
            "money that was spent cannot be reversed (NOT_REVERSIBLE). Requires USE_POS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, **data):
        note, receipt, idem = cls.clean(info, data)
        done = reversals.reverse_receipt(receipt, note, request_actor(info), idem)
        customer_id = done[0].customer_id
        from ...models import Customer

        customer = Customer.objects.filter(pk=customer_id).first()
        return cls(
            customer=PosCustomer.of(lookup.view(customer)) if customer else None,
            bookings=[PosBooking.of(txn) for txn in done],
            replayed=any(getattr(t, "replayed", False) for t in done),
        )


def snake_to_camel(name):
    from saleor.graphql.core.utils import snake_to_camel_case

    return snake_to_camel_case(name)


def lookup_customers(info, data):
    """The resolver of ``posCustomerLookup``: customers or typed errors."""
    if not has_permissions(info.context, (USE_POS,)):
        return _errors(None, _("You do not have permission to perform this action."), Code.PERMISSION_DENIED.value)
    card_fields = {k: data.get(k) for k in ("code", "qr_payload", "chip_uid")}
    search = {k: data.get(k) for k in ("email", "name")}
    given = [k for k, v in {**card_fields, **search}.items() if v]
    if len(given) != 1:
        return _errors(
            None,
            _("Look up by exactly one of code, qrPayload, chipUid, email or name."),
            Code.INVALID.value,
        )
    if bad_text(str(data[given[0]])):
        return _errors(snake_to_camel(given[0]), _("Text must not contain NUL bytes or invalid characters."), Code.INVALID.value)
    try:
        if given[0] in card_fields:
            who = lookup.identify(card_fields)
            return PosCustomerLookup(
                customers=[PosCustomer.of(lookup.view(who.customer, who.card))],
                customer_value_errors=[],
            )
        users = lookup.search(**search)
    except LedgerError as exc:
        from saleor.graphql.core.utils import snake_to_camel_case

        field = snake_to_camel_case(exc.field) if exc.field else None
        return _errors(field, exc.message, exc.code.lower())
    from ...ledger import accounts

    return PosCustomerLookup(
        customers=[PosCustomer.of(lookup.view(accounts.customer_for_user(u))) for u in users],
        customer_value_errors=[],
    )


def _errors(field, message, code):
    return PosCustomerLookup(
        customers=[], customer_value_errors=[CustomerValueError(field=field, message=message, code=code)]
    )


__all__ = [
    "PosCustomerInput",
    "PosPointsRedeem",
    "PosReverse",
    "PosSaleRecord",
    "PosWalletPay",
    "PosWalletTopUp",
    "lookup_customers",
]
