"""What the checkout calculation hooks need, loaded once per request.

Saleor 2.10 recalculates a checkout's total many times per request (each price field of
the checkout, every mutation's own checks) and calls the plugin's
``calculate_checkout_total`` each time with the same checkout instance. Loading the
reservations, the loyalty program and the eligible basket in every call multiplied the
plugin's queries (issue 16). ``for_checkout(checkout)`` returns one ``CheckoutContext``
per checkout instance and request that loads each part once, when first used:

- ``holds`` (one query): the checkout's pending reservations with their accounts and
  the points reservation row; ``wallet_hold``, ``credit_hold`` and
  ``points_reservation`` pick from them
  (still checking the expiry time on every use);
- ``program`` (one query, only when points are applied): the loyalty program with the
  ids of its include/exclude lists;
- ``basket(lines, discounts, program)``: the eligible lines, remembered per state of
  the cart (lines, quantities, voucher, shipping), so a changed cart is priced again;
- ``manager``: the plugins manager whose hook is running (never a second one);
- ``cached(key, compute)``: the same for any other feature's per-checkout data (a
  discount function of another feature stores what it loaded here, see
  ARCHITECTURE.md).

A context is dropped when a new request starts and whenever this process writes a
hold (``invalidate``, called by the ledger's hold functions): a calculation after an
apply or a removal in the same request sees the new reservations.
"""
import sys
from functools import cached_property
from typing import Any, Callable, Dict, Hashable, List, Optional

from django.core.signals import request_started
from django.utils import timezone

_ATTRIBUTE = "_customer_value_context"
_generation = 0


def invalidate(**_kwargs):
    """Forget every context built so far (new request, or a hold was written)."""
    global _generation
    _generation += 1


request_started.connect(invalidate, dispatch_uid="customer_value_checkout_context")


def calling_manager():
    """The PluginsManager whose hook is running, if a hook is running.

    Saleor 2.10 calls every plugin method from ``PluginsManager`` with the manager as
    ``self`` a few frames up; using it keeps the calculation on the caller's plugin
    instances and configuration instead of building (and querying) a second manager.
    """
    from saleor.plugins.manager import PluginsManager

    frame = sys._getframe(1)
    for _ in range(16):
        frame = frame.f_back
        if frame is None:
            return None
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, PluginsManager):
            return candidate
    return None


def _cart_state(checkout, lines, discounts) -> tuple:
    return (
        tuple((line.pk, line.variant_id, line.quantity) for line in lines),
        tuple(sorted(str(getattr(getattr(d, "sale", None), "pk", d)) for d in (discounts or []))),
        checkout.voucher_code,
        checkout.discount_amount,
        checkout.shipping_method_id,
        checkout.shipping_address_id,
        checkout.currency,
    )


_STATE_SQL = (
    "SELECT kind, discounts, program_lists, hold, account, reservation, program, product_type "
    "FROM cv_checkout_state(%s, %s, %s, %s)"
)
# The whole-row columns of cv_checkout_state are composites of these tables; psycopg2
# reads them into typed named tuples once their types are registered on the connection.
_COMPOSITE_TABLES = (
    "customer_value_hold",
    "customer_value_account",
    "customer_value_checkoutpointsreservation",
    "customer_value_loyaltyprogram",
    "product_producttype",
)


def _register_composites(connection):
    """Register the state's row types on this DB connection (once per connection).

    Selecting each column of each composite by name instead made PostgreSQL plan a
    100-column select list on every call (~0.3 ms, more than the function runs). Like
    Django's own session set-up (time zone), the one catalogue read runs on the raw
    connection, once per connection, not per request.
    """
    from psycopg2.extensions import register_type
    from psycopg2.extras import CompositeCaster

    connection.ensure_connection()
    raw = connection.connection
    if getattr(connection, "_cv_state_types", None) is raw:
        return
    with raw.cursor() as cursor:
        cursor.execute(
            "SELECT t.typname, t.oid, t.typarray, "
            "       array_agg(a.attname::text ORDER BY a.attnum), array_agg(a.atttypid ORDER BY a.attnum) "
            "  FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid "
            " WHERE t.typname = ANY(%s) AND t.typnamespace = to_regnamespace(current_schema()) "
            "   AND a.attnum > 0 AND NOT a.attisdropped "
            " GROUP BY t.typname, t.oid, t.typarray",
            [list(_COMPOSITE_TABLES)],
        )
        for name, oid, array_oid, names, types in cursor.fetchall():
            caster = CompositeCaster(name, oid, list(zip(names, types)), array_oid)
            register_type(caster.typecaster, raw)
    connection._cv_state_types = raw


def _state_models():
    from saleor.product.models import ProductType

    from .models import Account, CheckoutPointsReservation, Hold, LoyaltyProgram

    return (Hold, Account, CheckoutPointsReservation, LoyaltyProgram, ProductType)


_POSITIONS: Dict[tuple, List[int]] = {}


def _instance(model, row, connection):
    """The model instance of a composite read by psycopg2 (None where it is NULL); its
    attributes are matched to the model's fields by column name."""
    from . import db_rows

    if row is None:
        return None
    key = (model, type(row))
    if key not in _POSITIONS:
        _POSITIONS[key] = [row._fields.index(field.column) for field in model._meta.concrete_fields]
    return db_rows.instance(model, [row[position] for position in _POSITIONS[key]], connection)


class CheckoutContext:
    def __init__(self, checkout, manager=None):
        self.checkout = checkout
        self.generation = _generation
        self._manager = manager
        self._memo: Dict[Hashable, Any] = {}

    # --- the plugins manager -----------------------------------------------------------

    @property
    def manager(self):
        if self._manager is None:
            self._manager = calling_manager()
        if self._manager is None:  # called outside any hook (a script, a test)
            from saleor.plugins.manager import get_plugins_manager

            self._manager = get_plugins_manager()
        return self._manager

    # --- reservations ------------------------------------------------------------------

    @cached_property
    def holds(self) -> List[object]:
        self._load_holds_and_discounts()
        return self.__dict__["holds"]

    @cached_property
    def discount_rows(self) -> List[tuple]:
        """The rows of the owner's card discounts (``cardkinds.groups``: discount group,
        held discount badges, wallet promotion), read in the same statement as the
        reservations; empty for an anonymous checkout."""
        self._load_holds_and_discounts()
        return self.__dict__["discount_rows"]

    def _load_holds_and_discounts(self):
        """One call of ``cv_checkout_state`` (migration 0019): the reservations (with
        their accounts and points reservation rows), the owner's card discounts (as one
        JSON column), and when a discount can apply the lines' product types and, with
        points applied, the loyalty program with its lists. PostgreSQL keeps the
        function's plans per connection: the first calculation of a request costs one
        query, planned once (issue 16)."""
        import json
        from decimal import Decimal

        from django.db import connection

        params = (self.checkout.token, self.checkout.user_id, timezone.now(), timezone.localdate())
        _register_composites(connection)
        with connection.cursor() as cursor:
            cursor.execute(_STATE_SQL, params)
            rows = cursor.fetchall()
        Hold, Account, CheckoutPointsReservation, LoyaltyProgram, ProductType = _state_models()
        holds, product_types, program = [], {}, None
        for kind, _discounts, lists, hold_row, account_row, reservation_row, program_row, type_row in rows:
            if kind == "t":
                product_type = _instance(ProductType, type_row, connection)
                product_types[product_type.pk] = product_type
            elif kind == "p":
                program = _instance(LoyaltyProgram, program_row, connection)
                program.cv_redeem_ids = {name: set(ids) for name, ids in json.loads(lists).items()}
            elif hold_row is not None:  # an 'h' row without a hold carries only the discounts
                hold = _instance(Hold, hold_row, connection)
                hold.account = _instance(Account, account_row, connection)
                reservation = _instance(CheckoutPointsReservation, reservation_row, connection)
                if reservation is not None:
                    reservation.hold = hold
                # as select_related does: a cached None makes the accessor raise DoesNotExist
                Hold.points_reservation.related.set_cached_value(hold, reservation)
                holds.append(hold)
        self.__dict__["holds"] = holds
        self.__dict__["product_types"] = product_types
        if program is not None:
            self.__dict__["program"] = program
        found = next((row[1] for row in rows if row[0] == "h"), None)
        # numerics come back as JSON numbers: read them as Decimal, never float
        self.__dict__["discount_rows"] = [tuple(r) for r in json.loads(found, parse_float=Decimal)] if found else []

    def _live(self):
        now = timezone.now()
        return [hold for hold in self.holds if hold.expires_at > now]

    @property
    def wallet_hold(self):
        from .ledger.reasons import Reason
        from .models import AccountKind

        for hold in self._live():
            if hold.reason == Reason.CHECKOUT_PAYMENT and hold.account.kind == AccountKind.WALLET:
                return hold
        return None

    @property
    def credit_hold(self):
        """The part paid on the credit line (``credit.checkout``)."""
        from .ledger.reasons import Reason
        from .models import AccountKind

        for hold in self._live():
            if hold.reason == Reason.CREDIT_PURCHASE and hold.account.kind == AccountKind.CREDIT:
                return hold
        return None

    @property
    def points_reservation(self):
        from .ledger.reasons import Reason
        from .models import CheckoutPointsReservation

        found = None
        for hold in self._live():
            if hold.reason != Reason.POINTS_REDEEMED:
                continue
            try:
                reservation = hold.points_reservation
            except CheckoutPointsReservation.DoesNotExist:
                continue
            if found is None or reservation.pk > found.pk:
                found = reservation
        return found

    # --- loyalty -----------------------------------------------------------------------

    @cached_property
    def program(self):
        from .loyalty import program as programs

        return programs.get_program_with_lists()

    @cached_property
    def product_types(self) -> Dict[int, object]:
        """The product types of the checkout's lines (id -> ProductType), read with the
        reservations when a discount can apply; empty otherwise (the basket then reads
        them itself)."""
        self._load_holds_and_discounts()
        return self.__dict__["product_types"]

    def basket(self, lines, discounts, program=None):
        from .loyalty.eligibility import basket

        program = program or self.program
        key = ("basket", program.pk, _cart_state(self.checkout, lines, discounts))
        return self.cached(
            key,
            lambda: basket(self.checkout, lines, discounts, self.manager, program, self.product_types),
        )

    # --- anything else -----------------------------------------------------------------

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per checkout and request for ``key``."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def for_checkout(checkout, manager=None) -> CheckoutContext:
    """The context of ``checkout`` for this request (built on first use)."""
    context: Optional[CheckoutContext] = getattr(checkout, _ATTRIBUTE, None)
    if context is None or context.generation != _generation:
        context = CheckoutContext(checkout, manager)
        setattr(checkout, _ATTRIBUTE, context)
    elif manager is not None and context._manager is None:
        context._manager = manager
    return context
