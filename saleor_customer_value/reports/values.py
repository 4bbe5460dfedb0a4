"""Value reports (issue 14): points and wallet summaries, liability, breakage, the
points expiry forecast and top-ups vs spend, each also as CSV rows.

Where the figures come from (see ``benchmarks/README.md`` for the timings on 1,000,000
entries):

- filters by days, reason and unit only: the daily rollup (``ReportRollup`` +
  not yet compacted ``ReportRollupDelta`` rows, summed in one statement; migration
  0014), a few hundred rows whatever the size of the ledger;
- a customer filter: that customer's entries through the entry index on the account;
- an amount range: the entries themselves (a parallel scan of the narrow entry table
  joined to the transactions' day and reason).
- liability: the balances on the account rows (kept by the entry trigger);
- expiry forecast: the active lots through the partial index ``cv_lot_expiry_idx``.

Every figure counts customer accounts only (wallets and points): the system accounts
are their mirror image. ``count`` is the number of movements (customer entries);
``average`` is (credited + debited) / count.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator, List, Optional, Sequence

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger.amounts import precision
from ..ledger.reasons import POINTS_UNIT, Reason

MAX_DAYS = 3660
PERIODS = ("day", "week", "month")
HORIZONS = (30, 60, 90)
MAX_HORIZON = 3660

WALLET_IN = (Reason.TOPUP, Reason.TOPUP_BONUS, Reason.GIFT_CARD_REDEMPTION)
WALLET_OUT = (Reason.CHECKOUT_PAYMENT, Reason.POS_PAYMENT)
POINTS_IN = (Reason.POINTS_EARNED, Reason.POINTS_ACTION, Reason.POINTS_ADJUSTMENT)
POINTS_OUT = (Reason.POINTS_REDEEMED, Reason.POINTS_CONVERTED)
EXPIRED = (Reason.POINTS_EXPIRED, Reason.BREAKAGE)

_ROLLUP = """(
    SELECT day, unit, account_kind, reason, credit_count, credit, debit_count, debit
      FROM customer_value_reportrollup
    UNION ALL
    SELECT day, unit, account_kind, reason, credit_count, credit, debit_count, debit
      FROM customer_value_reportrollupdelta
) AS r"""


@dataclass(frozen=True)
class Filter:
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    customer_ids: Optional[Sequence[int]] = None  # plugin Customer pks
    amount_min: Optional[Decimal] = None
    amount_max: Optional[Decimal] = None
    reasons: Optional[Sequence[str]] = None
    unit: Optional[str] = None

    @property
    def needs_entries(self) -> bool:
        return (
            self.customer_ids is not None
            or self.amount_min is not None
            or self.amount_max is not None
        )


@dataclass
class Line:
    reason: str
    unit: str
    count: int = 0
    credit: Decimal = Decimal(0)
    debit: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        return self.credit - self.debit

    @property
    def average(self) -> Decimal:
        if not self.count:
            return Decimal(0)
        return _round((self.credit + self.debit) / self.count, self.unit)


@dataclass
class UnitSummary:
    unit: str
    count: int = 0
    credit: Decimal = Decimal(0)
    debit: Decimal = Decimal(0)
    by_reason: List[Line] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.credit - self.debit

    @property
    def average(self) -> Decimal:
        if not self.count:
            return Decimal(0)
        return _round((self.credit + self.debit) / self.count, self.unit)


def _round(value: Decimal, unit: str) -> Decimal:
    places = 0 if unit == POINTS_UNIT else min(precision(unit), 2) + 1
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _days(date_from: Optional[date], date_to: Optional[date], default_days=30):
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or (date_to - timedelta(days=default_days - 1))
    if (date_to - date_from).days >= MAX_DAYS:
        date_from = date_to - timedelta(days=MAX_DAYS - 1)
    return date_from, date_to


def _query(sql: str, params) -> List[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- points and wallet summary -------------------------------------------------------


def summary(flt: Filter) -> List[UnitSummary]:
    """Totals, count, average and the per-reason breakdown, per unit."""
    rows = _summary_from_entries(flt) if flt.needs_entries else _summary_from_rollup(flt)
    units = {}
    for unit, reason, count, credit, debit in rows:
        total = units.setdefault(unit, UnitSummary(unit))
        line = Line(reason, unit, int(count), credit or Decimal(0), debit or Decimal(0))
        total.by_reason.append(line)
        total.count += line.count
        total.credit += line.credit
        total.debit += line.debit
    return [units[unit] for unit in sorted(units)]


def _summary_from_rollup(flt: Filter):
    where, params = ["TRUE"], []
    if flt.date_from:
        where.append("r.day >= %s")
        params.append(flt.date_from)
    if flt.date_to:
        where.append("r.day <= %s")
        params.append(flt.date_to)
    if flt.reasons:
        where.append("r.reason = ANY(%s)")
        params.append(list(flt.reasons))
    if flt.unit:
        where.append("r.unit = %s")
        params.append(flt.unit)
    return _query(
        f"""SELECT r.unit, r.reason, sum(r.credit_count + r.debit_count), sum(r.credit), sum(r.debit)
              FROM {_ROLLUP} WHERE {' AND '.join(where)}
             GROUP BY r.unit, r.reason
            HAVING sum(r.credit_count + r.debit_count) > 0
             ORDER BY r.unit, r.reason""",
        params,
    )


def _entry_conditions(flt: Filter):
    where, params = ["a.kind <> 'system'"], []
    if flt.customer_ids is not None:
        where.append("a.customer_id = ANY(%s)")
        params.append(list(flt.customer_ids))
    if flt.unit:
        where.append("e.unit = %s")
        params.append(flt.unit)
    if flt.amount_min is not None:
        where.append("e.amount >= %s")
        params.append(flt.amount_min)
    if flt.amount_max is not None:
        where.append("e.amount <= %s")
        params.append(flt.amount_max)
    if flt.date_from:
        where.append("t.created_at >= %s")
        params.append(_start(flt.date_from))
    if flt.date_to:
        where.append("t.created_at < %s")
        params.append(_start(flt.date_to + timedelta(days=1)))
    if flt.reasons:
        where.append("t.reason = ANY(%s)")
        params.append(list(flt.reasons))
    return " AND ".join(where), params


def _summary_from_entries(flt: Filter):
    where, params = _entry_conditions(flt)
    return _query(
        f"""SELECT e.unit, t.reason, count(*),
                   coalesce(sum(e.amount) FILTER (WHERE e.direction = 1), 0),
                   coalesce(sum(e.amount) FILTER (WHERE e.direction = -1), 0)
              FROM customer_value_entry e
              JOIN customer_value_account a ON a.id = e.account_id
              JOIN customer_value_ledgertransaction t ON t.id = e.transaction_id
             WHERE {where}
             GROUP BY e.unit, t.reason
             ORDER BY e.unit, t.reason""",
        params,
    )


# --- liability ------------------------------------------------------------------------


@dataclass
class WalletLiability:
    currency: str
    outstanding: Decimal
    held: Decimal
    accounts: int


@dataclass
class PointsLiability:
    outstanding: int
    negative: int
    accounts: int
    value: Decimal
    currency: str
    rate_points: int
    rate_amount: Decimal


@dataclass
class Liability:
    wallets: List[WalletLiability]
    points: PointsLiability


def points_value(points, program=None) -> Decimal:
    """The money ``points`` are worth at the program's redemption rate."""
    from ..loyalty import program as programs

    program = program or programs.get_program()
    if not program.redeem_points:
        return Decimal(0)
    value = Decimal(points) * program.redeem_amount / program.redeem_points
    return value.quantize(Decimal(1).scaleb(-precision(settings.DEFAULT_CURRENCY)), rounding=ROUND_HALF_UP)


def liability() -> Liability:
    from ..loyalty import program as programs

    rows = _query(
        """SELECT kind, unit,
                  coalesce(sum(posted) FILTER (WHERE posted > 0), 0),
                  coalesce(sum(posted) FILTER (WHERE posted < 0), 0),
                  coalesce(sum(held), 0),
                  count(*) FILTER (WHERE posted <> 0)
             FROM customer_value_account WHERE kind <> 'system'
            GROUP BY kind, unit ORDER BY kind, unit""",
        [],
    )
    program = programs.get_program()
    wallets, points = [], PointsLiability(0, 0, 0, Decimal(0), settings.DEFAULT_CURRENCY,
                                          program.redeem_points, program.redeem_amount)
    for kind, unit, positive, negative, held, count in rows:
        if kind == "points":
            points.outstanding = int(positive)
            points.negative = int(negative)
            points.accounts = int(count)
            points.value = points_value(positive, program)
        else:
            wallets.append(WalletLiability(unit, positive, held, int(count)))
    return Liability(wallets, points)


# --- breakage -------------------------------------------------------------------------


@dataclass
class BreakageRow:
    period_start: date
    unit: str
    amount: Decimal
    count: int
    value: Decimal  # money: points at the redemption rate, money as is


def _period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    return period


def breakage(date_from=None, date_to=None, period="month", unit=None) -> List[BreakageRow]:
    """Value that expired per period: expired points and money booked as breakage."""
    date_from, date_to = _days(date_from, date_to, default_days=365)
    params = [_period(period), date_from, date_to, list(EXPIRED)]
    unit_sql = ""
    if unit:
        unit_sql = " AND r.unit = %s"
        params.append(unit)
    rows = _query(
        f"""SELECT date_trunc(%s, r.day)::date, r.unit, sum(r.debit - r.credit), sum(r.debit_count)
              FROM {_ROLLUP}
             WHERE r.day >= %s AND r.day <= %s AND r.reason = ANY(%s){unit_sql}
             GROUP BY 1, 2 ORDER BY 1, 2""",
        params,
    )
    from ..loyalty import program as programs

    program = programs.get_program()
    return [
        BreakageRow(
            start, row_unit, amount, int(count),
            points_value(amount, program) if row_unit == POINTS_UNIT else amount,
        )
        for start, row_unit, amount, count in rows
    ]


# --- expiry forecast ------------------------------------------------------------------


@dataclass
class ForecastRow:
    days: int
    until: datetime
    points: int
    lots: int
    customers: int
    value: Decimal


def expiry_forecast(horizons: Sequence[int] = HORIZONS, now=None) -> List[ForecastRow]:
    """Points that expire within each horizon from now (cumulative), from the active
    lots (what is left of them)."""
    now = now or timezone.now()
    horizons = sorted({int(h) for h in horizons if 0 < int(h) <= MAX_HORIZON}) or list(HORIZONS)
    until = now + timedelta(days=horizons[-1])
    cases = ", ".join(
        f"coalesce(sum(l.remaining) FILTER (WHERE l.expires_at <= %s), 0), "
        f"count(*) FILTER (WHERE l.expires_at <= %s), "
        f"count(DISTINCT l.account_id) FILTER (WHERE l.expires_at <= %s)"
        for _ in horizons
    )
    params = []
    for h in horizons:
        params += [now + timedelta(days=h)] * 3
    params += [now, until]
    row = _query(
        f"""SELECT {cases} FROM customer_value_pointslot l
             WHERE l.status = 'active' AND l.remaining > 0
               AND l.expires_at > %s AND l.expires_at <= %s""",
        params,
    )[0]
    from ..loyalty import program as programs

    program = programs.get_program()
    result = []
    for i, h in enumerate(horizons):
        points, lots, customers = row[3 * i: 3 * i + 3]
        result.append(ForecastRow(h, now + timedelta(days=h), int(points), int(lots), int(customers),
                                  points_value(points, program)))
    return result


# --- top-ups vs spend -----------------------------------------------------------------


@dataclass
class FlowRow:
    period_start: date
    topups: Decimal
    spend: Decimal
    credited: Decimal
    debited: Decimal

    @property
    def net(self):
        return self.credited - self.debited


def flow(unit: str, date_from=None, date_to=None, period="day") -> List[FlowRow]:
    """Per day, week or month: value put in (wallet top-ups incl. bonus and redeemed
    gift cards; points earned, for actions and booked by staff), value spent (wallet
    payments at checkout and tills; points redeemed and converted), and everything
    credited and debited. Periods without movements are included."""
    date_from, date_to = _days(date_from, date_to)
    is_points = unit == POINTS_UNIT
    ins, outs = (POINTS_IN, POINTS_OUT) if is_points else (WALLET_IN, WALLET_OUT)
    rows = _query(
        f"""SELECT date_trunc(%s, r.day)::date,
                   coalesce(sum(r.credit) FILTER (WHERE r.reason = ANY(%s)), 0),
                   coalesce(sum(r.debit) FILTER (WHERE r.reason = ANY(%s)), 0),
                   sum(r.credit), sum(r.debit)
              FROM {_ROLLUP}
             WHERE r.unit = %s AND r.day >= %s AND r.day <= %s
             GROUP BY 1""",
        [_period(period), list(ins), list(outs), unit, date_from, date_to],
    )
    by_start = {row[0]: row for row in rows}
    result, start = [], _truncate(date_from, period)
    while start <= date_to:
        row = by_start.get(start)
        zero = Decimal(0)
        result.append(FlowRow(start, *(row[1:] if row else (zero, zero, zero, zero))))
        start = _next(start, period)
    return result


def _truncate(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next(day: date, period: str) -> date:
    if period == "week":
        return day + timedelta(days=7)
    if period == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def compact() -> int:
    """Move the rollup's deltas into the rollup (the beat task; safe to run anytime)."""
    return _query("SELECT cv_report_compact()", [])[0][0]


# --- CSV ------------------------------------------------------------------------------

KINDS = ("summary", "liability", "breakage", "expiry_forecast", "flow")


def csv_rows(kind: str, args: dict) -> Iterator[List[str]]:
    """Rows of one report for the streamed CSV export (``downloads.report_download``);
    ``args`` is the signed plain form of the report's arguments (``plain_args``)."""
    if kind == "summary":
        yield [_("unit"), _("reason"), _("count"), _("credit"), _("debit"), _("net"), _("average")]
        for total in summary(filter_from_plain(args)):
            for line in total.by_reason:
                yield [total.unit, line.reason, line.count, line.credit, line.debit, line.net, line.average]
            yield [total.unit, _("total"), total.count, total.credit, total.debit, total.net, total.average]
    elif kind == "liability":
        result = liability()
        yield [_("unit"), _("outstanding"), _("held"), _("accounts"), _("value"), _("currency")]
        for wallet in result.wallets:
            yield [wallet.currency, wallet.outstanding, wallet.held, wallet.accounts, wallet.outstanding, wallet.currency]
        p = result.points
        yield [POINTS_UNIT, p.outstanding, 0, p.accounts, p.value, p.currency]
    elif kind == "breakage":
        yield [_("period_start"), _("unit"), _("expired"), _("count"), _("value")]
        for row in breakage(_date(args.get("date_from")), _date(args.get("date_to")),
                            args.get("period") or "month", args.get("unit")):
            yield [row.period_start.isoformat(), row.unit, row.amount, row.count, row.value]
    elif kind == "expiry_forecast":
        yield [_("days"), _("until"), _("points"), _("lots"), _("customers"), _("value")]
        for row in expiry_forecast(args.get("horizons") or HORIZONS):
            yield [row.days, row.until.isoformat(), row.points, row.lots, row.customers, row.value]
    elif kind == "flow":
        yield [_("period_start"), _("topups"), _("spend"), _("credited"), _("debited"), _("net")]
        for row in flow(args.get("unit") or settings.DEFAULT_CURRENCY, _date(args.get("date_from")),
                        _date(args.get("date_to")), args.get("period") or "day"):
            yield [row.period_start.isoformat(), row.topups, row.spend, row.credited, row.debited, row.net]
    else:
        raise ValueError(f"unknown report {kind!r}")


def _date(value):
    return date.fromisoformat(value) if value else None


def plain_args(flt: Optional[Filter] = None, **extra) -> dict:
    """A report's arguments as signable plain data."""
    plain = {}
    if flt is not None:
        plain.update(
            date_from=flt.date_from.isoformat() if flt.date_from else None,
            date_to=flt.date_to.isoformat() if flt.date_to else None,
            customer_ids=list(flt.customer_ids) if flt.customer_ids is not None else None,
            amount_min=str(flt.amount_min) if flt.amount_min is not None else None,
            amount_max=str(flt.amount_max) if flt.amount_max is not None else None,
            reasons=list(flt.reasons) if flt.reasons else None,
            unit=flt.unit,
        )
    for key, value in extra.items():
        plain[key] = value.isoformat() if isinstance(value, date) else value
    return {key: value for key, value in plain.items() if value is not None}


def filter_from_plain(plain: dict) -> Filter:
    return Filter(
        date_from=_date(plain.get("date_from")),
        date_to=_date(plain.get("date_to")),
        customer_ids=plain.get("customer_ids"),
        amount_min=Decimal(plain["amount_min"]) if plain.get("amount_min") is not None else None,
        amount_max=Decimal(plain["amount_max"]) if plain.get("amount_max") is not None else None,
        reasons=plain.get("reasons"),
        unit=plain.get("unit"),
    )
