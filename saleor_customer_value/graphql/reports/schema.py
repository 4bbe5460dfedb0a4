"""Queries and mutations behind the staff console: customer search, ledger report and
export, previews of reversals and refunds to the wallet."""
import graphene
from django.core.exceptions import ValidationError
from graphql import GraphQLError
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.decorators import one_of_permissions_required, permission_required

from ...ledger.errors import LedgerError
from ...permissions import CustomerValuePermissions as Perm
from ...reports import filters as report_filters, ledger, previews, search
from ..ledger.filters import LedgerTransactionFilterInput
from ..ledger.types import LedgerTransaction
from .filters import plain_filter
from .mutations import LedgerExport
from .types import (
    CustomerValueCustomer,
    LedgerReport,
    LedgerReportTotal,
    LedgerReversalLeg,
    LedgerReversalPreview,
    LedgerSeriesPoint,
    OrderRefundToWalletPreview,
)

STAFF_PERMISSIONS = [Perm.MANAGE_WALLETS, Perm.MANAGE_LOYALTY, Perm.MANAGE_CARDS, Perm.VIEW_LEDGER]


def _report_kwargs(data):
    try:
        return report_filters.to_kwargs(plain_filter(data))
    except ValidationError as exc:
        raise GraphQLError(exc.messages[0])


class ReportQueries(graphene.ObjectType):
    customer_value_search = graphene.List(
        graphene.NonNull(CustomerValueCustomer),
        query=graphene.Argument(graphene.String, required=True),
        required=True,
        description=(
            "Staff with any of the plugin's staff permissions: find customers by card "
            "code, QR payload (CV1:...), chip UID, e-mail or name (at most 20)."
        ),
    )
    customer_value_customer = graphene.Field(
        CustomerValueCustomer,
        id=graphene.Argument(graphene.ID, required=True),
        description="One customer by user ID (staff with any plugin staff permission).",
    )
    ledger_report = graphene.Field(
        LedgerReport,
        filter=LedgerTransactionFilterInput(),
        required=True,
        description="Totals per reason and unit of the filtered ledger (VIEW_LEDGER).",
    )
    ledger_series = graphene.List(
        graphene.NonNull(LedgerSeriesPoint),
        unit=graphene.Argument(graphene.String, required=True),
        date_from=graphene.Date(),
        date_to=graphene.Date(),
        required=True,
        description=(
            "Per day: top-ups, wallet spend and the outstanding balance customers hold "
            "in one unit (default: the last 30 days, at most 366) (VIEW_LEDGER)."
        ),
    )
    ledger_reversal_preview = graphene.Field(
        LedgerReversalPreview,
        id=graphene.Argument(graphene.ID, required=True),
        description="What reversing a transaction would do (MANAGE_WALLETS or MANAGE_LOYALTY).",
    )
    order_refund_to_wallet_preview = graphene.Field(
        OrderRefundToWalletPreview,
        order_number=graphene.Argument(graphene.String, required=True),
        amount=Decimal(description="Default: everything still refundable."),
        retention_bonus_percent=Decimal(),
        required=True,
        description="Find an order by number and preview a refund to the wallet (MANAGE_WALLETS).",
    )

    @one_of_permissions_required(STAFF_PERMISSIONS)
    def resolve_customer_value_search(self, info, query):
        return [CustomerValueCustomer.from_match(m) for m in search.search(query)]

    @one_of_permissions_required(STAFF_PERMISSIONS)
    def resolve_customer_value_customer(self, info, id):
        from saleor.account.models import User

        try:
            type_, pk = graphene.Node.from_global_id(id or "")
        except Exception:
            return None
        user = User.objects.filter(pk=pk).first() if type_ == "User" and str(pk).isdigit() else None
        return CustomerValueCustomer.from_match(search.Match(user, "id")) if user else None

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_ledger_report(self, info, filter=None):
        kwargs = _report_kwargs(filter)
        totals = [
            LedgerReportTotal(reason=t.reason, unit=t.unit, count=t.count, credit=t.credit, debit=t.debit, net=t.net)
            for t in ledger.totals(**kwargs)
        ]
        return LedgerReport(count=ledger.transactions(**kwargs).count(), totals=totals)

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_ledger_series(self, info, unit, date_from=None, date_to=None):
        return [
            LedgerSeriesPoint(date=p.day, topups=p.topups, spend=p.spend, outstanding=p.outstanding)
            for p in ledger.series((unit or "").strip().upper()[:8], date_from, date_to)
        ]

    @one_of_permissions_required([Perm.MANAGE_WALLETS, Perm.MANAGE_LOYALTY])
    def resolve_ledger_reversal_preview(self, info, id):
        txn = graphene.Node.get_node_from_global_id(info, id, LedgerTransaction)
        if txn is None:
            return None
        preview = previews.reversal(txn)
        return LedgerReversalPreview(
            transaction=txn,
            legs=[LedgerReversalLeg(**leg.__dict__) for leg in preview.legs],
            reversible=preview.reversible,
            needs_clawback=preview.needs_clawback,
            blocked_by=preview.blocked_by,
            message=preview.message,
        )

    @permission_required(Perm.MANAGE_WALLETS)
    def resolve_order_refund_to_wallet_preview(self, info, order_number, amount=None, retention_bonus_percent=None):
        from django.conf import settings
        from django.utils.translation import gettext as _
        from saleor.order.models import Order

        number = (order_number or "").strip().lstrip("#")
        order = Order.objects.filter(pk=int(number)).first() if number.isdigit() and len(number) < 12 else None
        if order is None:
            return OrderRefundToWalletPreview(
                currency=settings.DEFAULT_CURRENCY, allowed=False, field="orderNumber",
                message=_("No order has this number."),
            )
        found = dict(
            order=order,
            order_id=graphene.Node.to_global_id("Order", order.pk),
            order_number=str(order.pk),
            customer_email=order.user_email or (order.user.email if order.user_id else ""),
            currency=order.currency,
        )
        try:
            preview = previews.refund(order, amount, retention_bonus_percent)
        except LedgerError as exc:
            return OrderRefundToWalletPreview(**found, allowed=False, field=exc.field, message=exc.message)
        fields = {k: v for k, v in preview.__dict__.items() if k not in ("order", "currency")}
        return OrderRefundToWalletPreview(**found, **fields)


class ReportMutations(graphene.ObjectType):
    ledger_export = LedgerExport.Field()
