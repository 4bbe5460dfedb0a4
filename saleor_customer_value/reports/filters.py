"""The ledger filter of the API as plain data, so a report and a signed CSV link apply
exactly the same filter (the link carries it, signed)."""
from decimal import Decimal

from django.utils.dateparse import parse_datetime

from ..models import Customer


def to_plain(data: dict, user_pks=None) -> dict:
    """``data`` is the API's ``LedgerTransactionFilterInput`` (already parsed);
    ``user_pks`` the primary keys of the Saleor users in ``customers``."""
    data = data or {}
    created = data.get("created") or {}
    amount = data.get("amount") or {}
    plain = {
        "created_from": created.get("gte").isoformat() if created.get("gte") else None,
        "created_to": created.get("lte").isoformat() if created.get("lte") else None,
        "reasons": [getattr(r, "value", r) for r in data.get("reasons") or [] if r] or None,
        "users": list(user_pks) if user_pks is not None else None,
        "unit": (data.get("unit") or "").strip().upper() or None,
        "amount_min": str(amount["gte"]) if amount.get("gte") is not None else None,
        "amount_max": str(amount["lte"]) if amount.get("lte") is not None else None,
        "reference": (data.get("reference") or "").strip() or None,
        "hide_reversed": bool(data.get("hide_reversed")),
    }
    return {key: value for key, value in plain.items() if value not in (None, False)}


def to_kwargs(plain: dict) -> dict:
    """Keyword arguments for ``ledger.queries.filter_transactions``."""
    kwargs = {}
    if plain.get("created_from"):
        kwargs["created_from"] = parse_datetime(plain["created_from"])
    if plain.get("created_to"):
        kwargs["created_to"] = parse_datetime(plain["created_to"])
    if plain.get("reasons"):
        kwargs["reasons"] = plain["reasons"]
    if plain.get("users") is not None:
        kwargs["customer_ids"] = list(
            Customer.objects.filter(user_id__in=plain["users"]).values_list("pk", flat=True)
        )
    if plain.get("unit"):
        kwargs["unit"] = plain["unit"]
    if plain.get("amount_min") is not None:
        kwargs["amount_min"] = Decimal(plain["amount_min"])
    if plain.get("amount_max") is not None:
        kwargs["amount_max"] = Decimal(plain["amount_max"])
    if plain.get("reference"):
        kwargs["reference"] = plain["reference"]
    if plain.get("hide_reversed"):
        kwargs["hide_reversed"] = True
    return kwargs
