from decimal import Decimal, InvalidOperation

import graphene

from ...error_codes import CustomerValueErrorCode as Code
from ...reports import filters
from ..core import error
from django.utils.translation import gettext as _

AMOUNT_LIMIT = Decimal("1E17")


def plain_filter(data):
    """The API's ledger filter as plain data (see ``reports.filters``): customer IDs
    resolved to user keys, amounts checked before they reach SQL. Raises a
    ``ValidationError`` with a typed code."""
    from saleor.account.models import User

    data = dict(data or {})
    user_pks = None
    if data.get("customers"):
        wanted = []
        for global_id in data["customers"]:
            try:
                type_, pk = graphene.Node.from_global_id(global_id or "")
            except Exception:
                type_, pk = None, None
            if type_ != "User" or not str(pk).isdigit() or "\x00" in (global_id or ""):
                raise error("customers", _("Couldn't resolve to a customer: %(global_id)s") % {"global_id": global_id}, Code.NOT_FOUND)
            wanted.append(int(pk))
        user_pks = list(User.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if len(set(user_pks)) != len(set(wanted)):
            raise error("customers", _("Some of these customers do not exist."), Code.NOT_FOUND)
    for bound in ("gte", "lte"):
        value = (data.get("amount") or {}).get(bound)
        if value is None:
            continue
        try:
            ok = Decimal(str(value)).is_finite() and abs(Decimal(str(value))) < AMOUNT_LIMIT
        except InvalidOperation:
            ok = False
        if not ok:
            raise error("amount", _("%(value)s is not a usable amount.") % {"value": value}, Code.INVALID_AMOUNT)
    return filters.to_plain(data, user_pks)
