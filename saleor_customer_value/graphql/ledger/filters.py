import django_filters
import graphene
from saleor.graphql.core.scalars import Decimal
from graphene_django.filter import GlobalIDMultipleChoiceFilter
from saleor.graphql.core.filters import ListObjectTypeFilter, ObjectTypeFilter
from saleor.graphql.core.types import FilterInputObjectType
from saleor.graphql.core.types.common import DateTimeRangeInput

from ...ledger import queries
from ...models import LedgerTransaction
from ..enums import LedgerReasonEnum


class DecimalRangeInput(graphene.InputObjectType):
    gte = Decimal(description="At least this much.")
    lte = Decimal(description="At most this much.")


def _created(qs, _, value):
    return queries.filter_transactions(
        qs, created_from=value.get("gte"), created_to=value.get("lte")
    )


def _reasons(qs, _, value):
    return queries.filter_transactions(qs, reasons=value)


def _customers(qs, _, value):
    from django.core.exceptions import ValidationError
    from graphql.error import GraphQLError
    from saleor.graphql.account.types import User

    from ..inputs import decode_id

    try:
        pks = [decode_id(node_id, User, field="customers") for node_id in value]
    except ValidationError as exc:
        raise GraphQLError(f"INVALID: {exc.messages[0]}")
    return qs.filter(customer__user__in=pks)


def _amount(qs, _, value):
    return queries.filter_transactions(
        qs, amount_min=value.get("gte"), amount_max=value.get("lte")
    )


def _unit(qs, _, value):
    return queries.filter_transactions(qs, unit=value.upper())


def _reference(qs, _, value):
    return queries.filter_transactions(qs, reference=value.strip())


def _hide_reversed(qs, _, value):
    return queries.filter_transactions(qs, hide_reversed=bool(value))


class LedgerTransactionFilter(django_filters.FilterSet):
    created = ObjectTypeFilter(input_class=DateTimeRangeInput, method=_created)
    reasons = ListObjectTypeFilter(input_class=LedgerReasonEnum, method=_reasons)
    customers = GlobalIDMultipleChoiceFilter(method=_customers)
    amount = ObjectTypeFilter(input_class=DecimalRangeInput, method=_amount)
    unit = django_filters.CharFilter(method=_unit)
    reference = django_filters.CharFilter(method=_reference)
    hide_reversed = django_filters.BooleanFilter(method=_hide_reversed)

    class Meta:
        model = LedgerTransaction
        fields = []


class LedgerTransactionFilterInput(FilterInputObjectType):
    class Meta:
        filterset_class = LedgerTransactionFilter
