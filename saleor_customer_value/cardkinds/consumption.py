"""Employee consumption: each use of an employee group's discount is booked with the
employee, the items' value, the discount, a note and where it happened (checkout and
order, or a till's receipt), against a monthly allowance per employee.

Concurrency: every booking locks the employee's membership row (``SELECT … FOR
UPDATE``) and then sums the month's uses, inside one DB transaction, so two
concurrent uses queue and the second sees the first; no check-then-act outside the
lock. Online the use is **reserved** in ``preprocess_order_creation`` (before the card
is charged; a reservation counts against the allowance until it expires) and
**booked** with the order in ``order_created``. A use that would exceed the allowance
is refused (``ALLOWANCE_EXCEEDED``) and nothing is booked: at checkout completion the
order is not created and the card is not charged.

What counts: ``discount`` (what the discount took off, gross) against the amount, the
number of discounted items against the count. The month is the calendar month of the
shop's time zone.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import List, Optional

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Customer
from ..models.cardkinds import ConsumptionStatus, DiscountGroupMember, EmployeeConsumption
from .errors import AllowanceExceeded

RESERVATION = timedelta(hours=1)


def month_of(when=None) -> date:
    day = when or timezone.localdate()
    return day.replace(day=1)


@dataclass
class Usage:
    amount: Decimal
    count: int
    allowance_amount: Optional[Decimal]
    allowance_count: Optional[int]

    @property
    def remaining_amount(self) -> Optional[Decimal]:
        if self.allowance_amount is None:
            return None
        return max(Decimal(self.allowance_amount) - self.amount, Decimal(0))

    @property
    def remaining_count(self) -> Optional[int]:
        if self.allowance_count is None:
            return None
        return max(self.allowance_count - self.count, 0)


def _counting(member_id, month, exclude_checkout=None):
    rows = EmployeeConsumption.objects.filter(member_id=member_id, month=month).filter(
        Q(status=ConsumptionStatus.BOOKED)
        | Q(status=ConsumptionStatus.RESERVED, expires_at__gt=timezone.now())
    )
    if exclude_checkout is not None:
        rows = rows.exclude(checkout_token=exclude_checkout)
    return rows


def usage(member_id, group, month=None, exclude_checkout=None) -> Usage:
    totals = _counting(member_id, month or month_of(), exclude_checkout).aggregate(
        amount=Sum("discount"), count=Sum("item_count")
    )
    return Usage(
        Decimal(totals["amount"] or 0), int(totals["count"] or 0), group.allowance_amount, group.allowance_count
    )


def _check(usage_now: Usage, discount: Decimal, count: int, currency: str):
    amount_left, count_left = usage_now.remaining_amount, usage_now.remaining_count
    if amount_left is not None and discount > amount_left:
        raise AllowanceExceeded(
            _(
                "This use (%(discount)s %(currency)s) exceeds the monthly employee allowance: "
                "%(left)s %(currency)s of %(allowance)s %(currency)s are left this month."
            )
            % {"discount": discount, "left": amount_left, "allowance": usage_now.allowance_amount, "currency": currency}
        )
    if count_left is not None and count > count_left:
        raise AllowanceExceeded(
            _(
                "This use (%(count)s items) exceeds the monthly employee allowance: "
                "%(left)s of %(allowance)s items are left this month."
            )
            % {"count": count, "left": count_left, "allowance": usage_now.allowance_count}
        )


def _lock_member(member_id) -> DiscountGroupMember:
    return DiscountGroupMember.objects.select_for_update().select_related("group").get(pk=member_id)


def reserve_for_checkout(checkout, result):
    """Reserve the checkout's use (replacing an earlier reservation of the same
    checkout, e.g. a retried completion), or refuse it as a checkout error."""
    from saleor.checkout.error_codes import CheckoutErrorCode

    rates = result.rates
    member = _lock_member(rates.member_id)
    month = month_of()
    EmployeeConsumption.objects.filter(
        checkout_token=checkout.token, status=ConsumptionStatus.RESERVED
    ).delete()
    discount = result.discount.gross.amount
    try:
        _check(usage(member.pk, member.group, month), discount, result.item_count, checkout.currency)
    except AllowanceExceeded as exc:
        # Saleor's checkoutErrors only know Saleor's codes: field "allowance" names the
        # rule; the plugin's own APIs answer ALLOWANCE_EXCEEDED.
        raise ValidationError(
            {"allowance": ValidationError(f"ALLOWANCE_EXCEEDED: {exc.message}", code=CheckoutErrorCode.INVALID.value)}
        )
    return EmployeeConsumption.objects.create(
        member=member,
        customer_id=member.customer_id,
        group_id=member.group_id,
        month=month,
        status=ConsumptionStatus.RESERVED,
        items_value=result.items_value,
        discount=discount,
        item_count=result.item_count,
        currency=checkout.currency,
        note=_("Online order"),
        checkout_token=checkout.token,
        expires_at=timezone.now() + RESERVATION,
    )


def release_for_checkout(checkout) -> int:
    deleted, _rows = EmployeeConsumption.objects.filter(
        checkout_token=checkout.token, status=ConsumptionStatus.RESERVED
    ).delete()
    return deleted


def book_for_order(order) -> Optional[EmployeeConsumption]:
    """Inside the order's DB transaction: the reservation becomes a booking."""
    row = (
        EmployeeConsumption.objects.select_for_update()
        .filter(checkout_token=order.checkout_token, status=ConsumptionStatus.RESERVED)
        .first()
        if order.checkout_token
        else None
    )
    if row is None:
        return None
    row.status = ConsumptionStatus.BOOKED
    row.order = order
    row.expires_at = None
    row.note = _("Online order #%(number)s") % {"number": order.pk}
    row.save(update_fields=["status", "order", "expires_at", "note"])
    return row


MAX_VALUE = Decimal("1000000")
MAX_ITEMS = 1_000_000


def _check_input(items_value, discount, item_count):
    from ..ledger.errors import InvalidAmount

    for name, value in (("itemsValue", items_value), ("discount", discount)):
        if Decimal(value) < 0 or Decimal(value) > MAX_VALUE:
            raise InvalidAmount(_("A value is between 0 and 1,000,000."), field=name)
    if not 0 <= int(item_count or 0) <= MAX_ITEMS:
        raise InvalidAmount(_("An item count is between 0 and 1,000,000."), field="itemCount")


def book(customer: Customer, items_value, discount, item_count, currency, note, receipt="", idem=None):
    """Book a use outside a checkout (a till, or staff). Idempotent per key: a replay
    returns the first booking."""
    if idem is not None:
        done = EmployeeConsumption.objects.filter(
            idempotency_scope=idem.scope, idempotency_key=idem.key
        ).first()
        if done is not None:
            done.replayed = True
            return done
    _check_input(items_value, discount, item_count)
    member = DiscountGroupMember.objects.filter(customer=customer).values_list("pk", flat=True).first()
    if member is None:
        from .errors import NotInDiscountGroup

        raise NotInDiscountGroup(_("This customer is not in a discount group."))
    member = _lock_member(member)
    month = month_of()
    _check(usage(member.pk, member.group, month), Decimal(discount), int(item_count or 0), currency)
    return EmployeeConsumption.objects.create(
        member=member,
        customer=customer,
        group_id=member.group_id,
        month=month,
        status=ConsumptionStatus.BOOKED,
        items_value=items_value,
        discount=discount,
        item_count=int(item_count or 0),
        currency=currency,
        note=note or "",
        receipt=receipt or "",
        idempotency_scope=idem.scope if idem else "",
        idempotency_key=idem.key if idem else "",
    )


# --- the monthly report (payroll) ------------------------------------------------------


@dataclass
class ReportRow:
    customer_id: int
    user_id: Optional[int]
    email: str
    name: str
    group: str
    uses: int
    item_count: int
    items_value: Decimal
    discount: Decimal
    currency: str
    allowance_amount: Optional[Decimal]
    allowance_count: Optional[int]


def monthly_report(month: date, group_id=None) -> List[ReportRow]:
    rows = EmployeeConsumption.objects.filter(month=month_of(month), status=ConsumptionStatus.BOOKED)
    if group_id is not None:
        rows = rows.filter(group_id=group_id)
    grouped = (
        rows.values(
            "customer_id", "customer__user_id", "customer__email", "customer__user__email", "customer__user__first_name",
            "customer__user__last_name", "group__name", "currency", "group__allowance_amount",
            "group__allowance_count",
        )
        .annotate(uses=Count("pk"), items=Sum("item_count"), value=Sum("items_value"), discount=Sum("discount"))
        .order_by("customer__user__last_name", "customer__user__email", "customer_id", "currency")
    )
    return [
        ReportRow(
            customer_id=r["customer_id"],
            user_id=r["customer__user_id"],
            email=r["customer__user__email"] or r["customer__email"] or "",
            name=" ".join(p for p in (r["customer__user__first_name"], r["customer__user__last_name"]) if p),
            group=r["group__name"],
            uses=r["uses"],
            item_count=int(r["items"] or 0),
            items_value=Decimal(r["value"] or 0),
            discount=Decimal(r["discount"] or 0),
            currency=r["currency"],
            allowance_amount=r["group__allowance_amount"],
            allowance_count=r["group__allowance_count"],
        )
        for r in grouped
    ]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # no spreadsheet formulas


def report_csv(month: date, group_id=None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["month", "customer_id", "email", "name", "group", "uses", "items", "items_value", "discount",
         "currency", "allowance_amount", "allowance_count"]
    )
    for row in monthly_report(month, group_id):
        writer.writerow(
            [_cell(v) for v in (
                month_of(month).strftime("%Y-%m"), row.customer_id, row.email, row.name, row.group, row.uses,
                row.item_count, row.items_value, row.discount, row.currency, row.allowance_amount,
                row.allowance_count,
            )]
        )
    return out.getvalue()
