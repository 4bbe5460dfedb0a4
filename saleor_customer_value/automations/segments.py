"""Segments: the shop's customers (Saleor users, staff left out) filtered by points
balance, badges or tier held, last order date, total spent, registration date and Saleor
customer fields. A definition is plain JSON (stored on segments, runs and gifts);
``parse`` checks it and ``users`` turns it into one SQL query.

Definition keys (all optional, combined with AND):
``points_min``/``points_max`` (posted balance, customers without points count as 0),
``badge_ids`` (holds any of them, in grace included; a tier is a badge),
``last_order_from``/``last_order_to`` (dates of the last order, drafts left out),
``no_orders`` (true: only customers who never ordered),
``total_spent_min``/``total_spent_max`` (sum of order totals, drafts and cancelled left out),
``joined_from``/``joined_to`` (``date_joined``), ``email_contains``, ``is_active``,
``country`` (of the default billing address), ``birthday`` ("MM-DD", used by birthday
gifts; 02-29 matches 02-28 in other years when asked for 02-28).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import List, Optional

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ..error_codes import CustomerValueErrorCode as Code

LIMIT = Decimal("1E15")
MAX_POINTS = 1_000_000_000
DATE_KEYS = ("last_order_from", "last_order_to", "joined_from", "joined_to")
INT_KEYS = ("points_min", "points_max")
MONEY_KEYS = ("total_spent_min", "total_spent_max")
KEYS = set(DATE_KEYS + INT_KEYS + MONEY_KEYS) | {
    "badge_ids", "no_orders", "email_contains", "is_active", "country", "birthday",
}


def _error(field, message):
    return ValidationError({field: ValidationError(message, code=Code.INVALID.value)})


def parse(definition: Optional[dict]) -> dict:
    """A checked, normalised copy of ``definition``; raises ``ValidationError``."""
    from ..models import Badge

    clean = {}
    for key, value in (definition or {}).items():
        if value is None or value == "" or value == []:
            continue
        if key not in KEYS:
            raise _error(key, _("Unknown segment filter: %(key)s.") % {"key": key})
        if key in DATE_KEYS:
            try:
                value = value if isinstance(value, date) else date.fromisoformat(str(value))
            except ValueError:
                raise _error(key, _("%(value)s is not a date.") % {"value": str(value)[:20]})
            clean[key] = value.isoformat()
        elif key in INT_KEYS:
            try:
                clean[key] = int(value)
            except (TypeError, ValueError):
                raise _error(key, _("Points are whole numbers."))
            if abs(clean[key]) > MAX_POINTS:
                raise _error(key, _("At most %(max)s points.") % {"max": MAX_POINTS})
        elif key in MONEY_KEYS:
            try:
                amount = Decimal(str(value))
                ok = amount.is_finite() and abs(amount) < LIMIT
            except InvalidOperation:
                ok = False
            if not ok:
                raise _error(key, _("%(value)s is not a usable amount.") % {"value": str(value)[:20]})
            clean[key] = str(amount)
        elif key == "badge_ids":
            ids = sorted({int(v) for v in value})
            if Badge.objects.filter(pk__in=ids).count() != len(ids):
                raise _error(key, _("Some of these badges do not exist."))
            clean[key] = ids
        elif key in ("no_orders", "is_active"):
            clean[key] = bool(value)
        elif key == "email_contains":
            text = str(value).strip()
            if "\x00" in text or len(text) > 254:
                raise _error(key, _("Not a usable e-mail fragment."))
            clean[key] = text
        elif key == "country":
            code = str(value).strip().upper()
            if len(code) != 2 or not code.isalpha():
                raise _error(key, _("A country is a two-letter code such as DE."))
            clean[key] = code
        elif key == "birthday":
            try:
                month, day = (int(part) for part in str(value).split("-"))
                date(2000, month, day)
            except ValueError:
                raise _error(key, _("A birthday filter is MM-DD."))
            clean[key] = f"{month:02d}-{day:02d}"
    for low, high in (("points_min", "points_max"), ("total_spent_min", "total_spent_max"),
                      ("last_order_from", "last_order_to"), ("joined_from", "joined_to")):
        if low in clean and high in clean and _value(clean[low]) > _value(clean[high]):
            raise _error(low, _("The lower bound is above the upper bound."))
    return clean


def _value(raw):
    try:
        return Decimal(raw)
    except (InvalidOperation, TypeError):
        return raw


def users(definition: dict):
    """The Saleor users of the segment (a queryset; ``definition`` as ``parse`` returns)."""
    from saleor.account.models import User
    from saleor.order import OrderStatus
    from saleor.order.models import Order

    from ..models import Account, AccountKind, CustomerBadge
    from ..models.badges import CustomerBadgeStatus

    d = definition
    qs = User.objects.filter(is_staff=False)
    if "points_min" in d or "points_max" in d:
        posted = Account.objects.filter(
            customer__user=OuterRef("pk"), kind=AccountKind.POINTS
        ).values("posted")[:1]
        qs = qs.annotate(cv_points=Coalesce(Subquery(posted, output_field=DecimalField()), Decimal(0)))
        if "points_min" in d:
            qs = qs.filter(cv_points__gte=d["points_min"])
        if "points_max" in d:
            qs = qs.filter(cv_points__lte=d["points_max"])
    if d.get("badge_ids"):
        qs = qs.filter(
            Exists(
                CustomerBadge.objects.filter(
                    customer__user=OuterRef("pk"), badge_id__in=d["badge_ids"],
                    status__in=CustomerBadgeStatus.HELD,
                )
            )
        )
    orders = Order.objects.filter(user=OuterRef("pk")).exclude(status=OrderStatus.DRAFT)
    if "last_order_from" in d or "last_order_to" in d:
        last = orders.order_by("-created").values("created")[:1]
        qs = qs.annotate(cv_last_order=Subquery(last))
        if "last_order_from" in d:
            qs = qs.filter(cv_last_order__date__gte=d["last_order_from"])
        if "last_order_to" in d:
            qs = qs.filter(cv_last_order__date__lte=d["last_order_to"])
    if d.get("no_orders"):
        qs = qs.filter(~Exists(orders))
    if "total_spent_min" in d or "total_spent_max" in d:
        spent = (
            orders.exclude(status=OrderStatus.CANCELED)
            .order_by().values("user").annotate(total=Sum("total_gross_amount")).values("total")[:1]
        )
        qs = qs.annotate(
            cv_spent=Coalesce(Subquery(spent, output_field=DecimalField()), Decimal(0))
        )
        if "total_spent_min" in d:
            qs = qs.filter(cv_spent__gte=Decimal(d["total_spent_min"]))
        if "total_spent_max" in d:
            qs = qs.filter(cv_spent__lte=Decimal(d["total_spent_max"]))
    if "joined_from" in d:
        qs = qs.filter(date_joined__date__gte=d["joined_from"])
    if "joined_to" in d:
        qs = qs.filter(date_joined__date__lte=d["joined_to"])
    if d.get("email_contains"):
        qs = qs.filter(email__icontains=d["email_contains"])
    if "is_active" in d:
        qs = qs.filter(is_active=d["is_active"])
    if d.get("country"):
        qs = qs.filter(default_billing_address__country=d["country"])
    if d.get("birthday"):
        month, day = (int(part) for part in d["birthday"].split("-"))
        match = Q(customer_value__birthday__month=month, customer_value__birthday__day=day)
        if (month, day) == (2, 28) and not _is_leap(d.get("year")):
            match |= Q(customer_value__birthday__month=2, customer_value__birthday__day=29)
        qs = qs.filter(match)
    return qs.order_by("pk")


def _is_leap(year) -> bool:
    import calendar

    return calendar.isleap(int(year)) if year else True


@dataclass
class Preview:
    count: int
    sample: List[object]


def preview(definition: dict, sample=10) -> Preview:
    qs = users(parse(definition))
    return Preview(qs.count(), list(qs[:sample]))
