"""Value reports of issue 14 (VIEW_LEDGER): points and wallet summary, liability,
breakage, points expiry forecast, top-ups vs spend, and their CSV export."""
from decimal import Decimal as D

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql import GraphQLError
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.core.types.money import Money
from saleor.graphql.decorators import permission_required

from ...error_codes import CustomerValueErrorCode as Code
from ...ledger.reasons import POINTS_UNIT
from ...models import Customer
from ...permissions import CustomerValuePermissions as Perm
from ...reports import downloads, values
from ..core import CustomerValueMutation, error
from ..enums import LedgerReasonEnum
from ..ledger.filters import DecimalRangeInput
from .types import LedgerExportFile

AMOUNT_LIMIT = D("1E17")

ReportPeriodEnum = graphene.Enum("ReportPeriodEnum", [(p.upper(), p) for p in values.PERIODS])
ValueReportKindEnum = graphene.Enum("ValueReportKindEnum", [(k.upper(), k) for k in values.KINDS])


class ValueReportFilterInput(graphene.InputObjectType):
    date_from = graphene.Date(description="First day (shop time zone), included.")
    date_to = graphene.Date(description="Last day, included.")
    customers = graphene.List(graphene.NonNull(graphene.ID), description="Saleor user IDs.")
    amount = graphene.Field(DecimalRangeInput, description="Size of a single movement.")
    reasons = graphene.List(graphene.NonNull(LedgerReasonEnum))
    unit = graphene.String(description="A currency code or PTS; all units when empty.")


def _unit(value):
    value = (value or "").strip().upper()
    if value and (len(value) > 8 or not value.isalpha()):
        raise error("unit", _("%(unit)s is not a unit.") % {"unit": value[:8]}, Code.INVALID)
    return value or None


def to_filter(data) -> values.Filter:
    """The API's filter as the service's; raises ``ValidationError`` (typed code)."""
    from saleor.graphql.account.types import User

    from ..inputs import decode_id

    data = data or {}
    customer_ids = None
    if data.get("customers") is not None:
        user_pks = [decode_id(gid, User, field="customers") for gid in data["customers"]]
        customer_ids = list(Customer.objects.filter(user_id__in=user_pks).values_list("pk", flat=True))
    amount = data.get("amount") or {}
    for bound in ("gte", "lte"):
        value = amount.get(bound)
        if value is not None and not (D(str(value)).is_finite() and abs(D(str(value))) < AMOUNT_LIMIT):
            raise error("amount", _("%(value)s is not a usable amount.") % {"value": value}, Code.INVALID_AMOUNT)
    if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
        raise error("dateFrom", _("The first day is after the last day."), Code.INVALID)
    return values.Filter(
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        customer_ids=customer_ids,
        amount_min=amount.get("gte"),
        amount_max=amount.get("lte"),
        reasons=[getattr(r, "value", r) for r in data.get("reasons") or []] or None,
        unit=_unit(data.get("unit")),
    )


def _query_filter(data):
    try:
        return to_filter(data)
    except ValidationError as exc:
        code = getattr(exc, "error_dict", {})
        first = next(iter(code.values()))[0] if code else exc
        raise GraphQLError(f"{str(first.code).upper()}: {first.messages[0]}")


# --- types ---------------------------------------------------------------------------


class ValueReportLine(graphene.ObjectType):
    reason = LedgerReasonEnum(required=True)
    count = graphene.Int(required=True, description="Movements on customer accounts.")
    credit = Decimal(required=True)
    debit = Decimal(required=True)
    net = Decimal(required=True)
    average = Decimal(required=True, description="(credit + debit) / count.")


class ValueReportUnit(graphene.ObjectType):
    unit = graphene.String(required=True)
    count = graphene.Int(required=True)
    credit = Decimal(required=True)
    debit = Decimal(required=True)
    net = Decimal(required=True)
    average = Decimal(required=True)
    by_reason = graphene.List(graphene.NonNull(ValueReportLine), required=True)

    @staticmethod
    def of(total):
        return ValueReportUnit(
            unit=total.unit, count=total.count, credit=total.credit, debit=total.debit,
            net=total.net, average=total.average,
            by_reason=[
                ValueReportLine(reason=l.reason, count=l.count, credit=l.credit, debit=l.debit,
                                net=l.net, average=l.average)
                for l in total.by_reason
            ],
        )


class WalletLiabilityType(graphene.ObjectType):
    currency = graphene.String(required=True)
    outstanding = Decimal(required=True, description="Wallet money customers hold.")
    held = Decimal(required=True, description="Part of it reserved for open checkouts.")
    accounts = graphene.Int(required=True)

    class Meta:
        name = "WalletLiability"


class PointsLiabilityType(graphene.ObjectType):
    outstanding = graphene.Int(required=True, description="Points on positive balances.")
    negative = graphene.Int(required=True, description="Sum of negative balances (clawbacks).")
    accounts = graphene.Int(required=True)
    value = graphene.Field(Money, required=True, description="At the redemption rate.")
    rate_points = graphene.Int(required=True)
    rate_amount = Decimal(required=True)

    class Meta:
        name = "PointsLiability"


class ValueLiability(graphene.ObjectType):
    wallets = graphene.List(graphene.NonNull(WalletLiabilityType), required=True)
    points = graphene.Field(PointsLiabilityType, required=True)


class BreakagePeriod(graphene.ObjectType):
    period_start = graphene.Date(required=True)
    unit = graphene.String(required=True)
    expired = Decimal(required=True)
    count = graphene.Int(required=True)
    value = Decimal(required=True, description="Money; points at the redemption rate.")


class PointsExpiryForecastRow(graphene.ObjectType):
    days = graphene.Int(required=True)
    until = graphene.DateTime(required=True)
    points = graphene.Int(required=True, description="Expiring within the horizon (cumulative).")
    lots = graphene.Int(required=True)
    customers = graphene.Int(required=True)
    value = graphene.Field(Money, required=True)


class ValueFlowPeriod(graphene.ObjectType):
    period_start = graphene.Date(required=True)
    topups = Decimal(required=True, description="Money: top-ups, their bonus, redeemed gift cards. Points: earned, actions, staff bookings.")
    spend = Decimal(required=True, description="Money: paid at checkout and tills. Points: redeemed, converted.")
    credited = Decimal(required=True, description="Everything credited to customers.")
    debited = Decimal(required=True, description="Everything debited from customers.")
    net = Decimal(required=True)


def _money(amount):
    from django.conf import settings
    from prices import Money as PricesMoney

    return PricesMoney(amount, settings.DEFAULT_CURRENCY)


class ValueReportQueries(graphene.ObjectType):
    value_report = graphene.List(
        graphene.NonNull(ValueReportUnit),
        filter=ValueReportFilterInput(),
        required=True,
        description="Points and wallet report per unit: totals, count, average per movement and per-reason breakdown (VIEW_LEDGER).",
    )
    value_liability = graphene.Field(
        ValueLiability, required=True,
        description="Outstanding wallet money per currency and points with their value (VIEW_LEDGER).",
    )
    value_breakage = graphene.List(
        graphene.NonNull(BreakagePeriod),
        date_from=graphene.Date(), date_to=graphene.Date(),
        period=ReportPeriodEnum(default_value="month"), unit=graphene.String(),
        required=True,
        description="Expired value per period (expired points, money booked as breakage); default the last 365 days (VIEW_LEDGER).",
    )
    points_expiry_forecast = graphene.List(
        graphene.NonNull(PointsExpiryForecastRow),
        days=graphene.List(graphene.NonNull(graphene.Int), description="Horizons; default 30, 60, 90."),
        required=True,
        description="Points expiring within the next N days, from the lots (VIEW_LEDGER).",
    )
    value_flow = graphene.List(
        graphene.NonNull(ValueFlowPeriod),
        unit=graphene.Argument(graphene.String, required=True),
        date_from=graphene.Date(), date_to=graphene.Date(),
        period=ReportPeriodEnum(default_value="day"),
        required=True,
        description="Top-ups vs spend per day, week or month in one unit; default the last 30 days (VIEW_LEDGER).",
    )

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_value_report(self, info, filter=None):
        return [ValueReportUnit.of(total) for total in values.summary(_query_filter(filter))]

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_value_liability(self, info):
        result = values.liability()
        p = result.points
        return ValueLiability(
            wallets=[WalletLiabilityType(**w.__dict__) for w in result.wallets],
            points=PointsLiabilityType(
                outstanding=p.outstanding, negative=p.negative, accounts=p.accounts,
                value=_money(p.value), rate_points=p.rate_points, rate_amount=p.rate_amount,
            ),
        )

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_value_breakage(self, info, date_from=None, date_to=None, period="month", unit=None):
        rows = values.breakage(date_from, date_to, getattr(period, "value", period), _checked_unit(unit))
        return [
            BreakagePeriod(period_start=r.period_start, unit=r.unit, expired=r.amount, count=r.count, value=r.value)
            for r in rows
        ]

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_points_expiry_forecast(self, info, days=None):
        if days and any(not 1 <= d <= values.MAX_HORIZON for d in days):
            raise GraphQLError(f"INVALID: a horizon is 1 to {values.MAX_HORIZON} days.")
        return [
            PointsExpiryForecastRow(days=r.days, until=r.until, points=r.points, lots=r.lots,
                                    customers=r.customers, value=_money(r.value))
            for r in values.expiry_forecast(days or values.HORIZONS)
        ]

    @permission_required(Perm.VIEW_LEDGER)
    def resolve_value_flow(self, info, unit, date_from=None, date_to=None, period="day"):
        unit = _checked_unit(unit) or POINTS_UNIT
        return [
            ValueFlowPeriod(period_start=r.period_start, topups=r.topups, spend=r.spend,
                            credited=r.credited, debited=r.debited, net=r.net)
            for r in values.flow(unit, date_from, date_to, getattr(period, "value", period))
        ]


def _checked_unit(unit):
    try:
        return _unit(unit)
    except ValidationError:
        raise GraphQLError(f"INVALID: {unit!r:.20} is not a unit.")


class ValueReportExport(CustomerValueMutation):
    file = graphene.Field(LedgerExportFile)

    class Arguments:
        report = ValueReportKindEnum(required=True)
        filter = ValueReportFilterInput(description="SUMMARY: the filter; BREAKAGE and FLOW: dateFrom, dateTo, unit.")
        period = ReportPeriodEnum(description="BREAKAGE (default month) and FLOW (default day).")
        days = graphene.List(graphene.NonNull(graphene.Int), description="EXPIRY_FORECAST horizons.")

    class Meta:
        description = "A CSV download link (10 minutes, streamed) of one value report with the same arguments as its query."
        permissions = (Perm.VIEW_LEDGER,)

    @classmethod
    def perform_mutation(cls, _root, info, report, filter=None, period=None, days=None):
        kind = getattr(report, "value", report)
        flt = to_filter(filter)
        extra = {}
        if period is not None:
            extra["period"] = getattr(period, "value", period)
        if days:
            if any(not 1 <= int(d) <= values.MAX_HORIZON for d in days):
                raise error("days", _("A horizon is 1 to %(max)s days.") % {"max": values.MAX_HORIZON}, Code.INVALID)
            extra["horizons"] = [int(d) for d in days]
        if kind == values.KINDS[4] and not flt.unit:  # flow needs a unit
            raise error("filter", _("Say which unit (a currency code or PTS)."), Code.REQUIRED)
        url = downloads.report_url_for(
            kind, values.plain_args(flt, **extra), user=info.context.user, app=getattr(info.context, "app", None)
        )
        return cls(
            file=LedgerExportFile(
                url=info.context.build_absolute_uri(url),
                filename=downloads.report_filename(kind),
                content_type="text/csv",
            )
        )


class ValueReportMutations(graphene.ObjectType):
    value_report_export = ValueReportExport.Field()
