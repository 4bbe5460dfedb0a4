"""``posSync`` [USE_POS]: a till uploads the bookings it queued while offline.

A thin adapter over ``pos.sync``: each item gets its own result (BOOKED, REPLAYED or
REFUSED with a typed error); only a malformed call as a whole (too many items, none)
is a ``customerValueErrors`` entry.
"""
import graphene
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.core.types import Money
from saleor.graphql.core.utils import snake_to_camel_case

from ...pos import lookup, sync
from ..core import CustomerValueError, CustomerValueMutation, has_permissions, request_actor
from ..pos.mutations import USE_POS, PosCustomerInput, identify
from ..pos.types import PosBooking, PosCustomer, result_money


class PosSyncKind(graphene.Enum):
    SALE = sync.SALE
    PAYMENT = sync.PAYMENT
    TOP_UP = sync.TOP_UP
    REDEMPTION = sync.REDEMPTION


class PosSyncStatus(graphene.Enum):
    BOOKED = sync.BOOKED
    REPLAYED = sync.REPLAYED
    REFUSED = sync.REFUSED


class PosSyncItemInput(graphene.InputObjectType):
    kind = PosSyncKind(required=True, description="SALE, PAYMENT (wallet), TOP_UP or REDEMPTION (points).")
    customer = graphene.Field(PosCustomerInput, required=True)
    amount = Decimal(description="SALE, PAYMENT, TOP_UP: positive, in the currency's precision.")
    currency = graphene.String(description="SALE, PAYMENT, TOP_UP.")
    points = graphene.Int(description="REDEMPTION: whole points.")
    receipt = graphene.String(required=True, description="The till's receipt reference.")
    note = graphene.String(required=True, description="Internal note.")
    idempotency_key = graphene.String(required=True, description="The key the till gave the booking offline.")
    till_timestamp = graphene.DateTime(required=True, description="When the till booked it (its clock).")


class PosSyncItemResult(graphene.ObjectType):
    index = graphene.Int(required=True, description="Position in the upload (from 0).")
    idempotency_key = graphene.String()
    status = PosSyncStatus(required=True)
    error = graphene.Field(CustomerValueError, description="Why the item was refused.")
    bookings = graphene.List(graphene.NonNull(PosBooking), required=True)
    customer = graphene.Field(PosCustomer, description="The customer with the balances after this item.")
    points = graphene.Int(description="Points earned (SALE) or redeemed (REDEMPTION).")
    amount = graphene.Field(Money, description="Paid, topped up, or the discount of a redemption.")
    bonus = graphene.Field(Money, description="Top-up bonus, if any.")

    class Meta:
        description = "The outcome of one uploaded offline booking."


def _result(item: sync.ItemResult) -> PosSyncItemResult:
    error = None
    if item.error is not None:
        field = snake_to_camel_case(item.error.field) if item.error.field else None
        error = CustomerValueError(field=field, message=item.error.message, code=item.error.code.lower())
    result = item.result
    customer = None
    if item.customer is not None:
        customer = PosCustomer.of(lookup.view(item.customer, result.card if result else None))
    return PosSyncItemResult(
        index=item.index,
        idempotency_key=item.key,
        status=item.status,
        error=error,
        bookings=[PosBooking.of(t) for t in result.transactions] if result else [],
        customer=customer,
        points=result.points if result else None,
        amount=result_money(result.amount, result.currency) if result else None,
        bonus=result_money(result.bonus, result.currency) if result else None,
    )


class PosSync(CustomerValueMutation):
    results = graphene.List(graphene.NonNull(PosSyncItemResult), required=True, default_value=[])

    class Arguments:
        items = graphene.List(graphene.NonNull(PosSyncItemInput), required=True)

    class Meta:
        description = (
            "Upload bookings a till queued while offline, applied in order. Each item is "
            "booked, replayed (its idempotency key was used before) or refused with a "
            "typed error, without undoing the others. Refused items with a known customer "
            "appear as CUSTOMER_VALUE_POS_BOOKING_REFUSED events. Requires USE_POS."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return has_permissions(context, (USE_POS,))

    @classmethod
    def perform_mutation(cls, _root, info, items):
        parsed = [
            sync.Item(
                kind=item.get("kind"),
                customer=dict(item.get("customer") or {}),
                receipt=item.get("receipt"),
                note=item.get("note"),
                key=item.get("idempotency_key"),
                till_timestamp=item.get("till_timestamp"),
                amount=item.get("amount"),
                currency=item.get("currency"),
                points=item.get("points"),
            )
            for item in items
        ]
        results = sync.sync(parsed, request_actor(info), identify)
        return cls(results=[_result(r) for r in results])
