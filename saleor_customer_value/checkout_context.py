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
        """One statement for the reservations (with their accounts and points
        reservation rows) and the owner's card discounts (as one JSON column): the
        first calculation of a request with nothing applied costs one query (issue 16)."""
        import json
        from decimal import Decimal

        from django.db import connection

        from .cardkinds import groups
        from .models import Account, CheckoutPointsReservation, Hold, HoldStatus

        models = (Hold, Account, CheckoutPointsReservation)
        columns = [[f.column for f in m._meta.concrete_fields] for m in models]
        aliases = ("h", "a", "r")
        select = ", ".join(
            f'{alias}."{column}"' for alias, cols in zip(aliases, columns) for column in cols
        )
        params = {"token": self.checkout.token, "pending": HoldStatus.PENDING, "now": timezone.now()}
        discounts = "NULL::text"
        if self.checkout.user_id is not None:
            sql, extra = groups.discounts_sql(user_id=self.checkout.user_id)
            params.update(extra)
            discounts = (
                "(SELECT json_agg(json_build_array(d.k, d.i, d.v, d.n, d.t, d.c, d.a, d.m, d.s, d.r))::text "
                f"FROM ({sql}) AS d(k, i, v, n, t, c, a, m, s, r))"
            )
        sql = (
            f"SELECT {discounts}, {select} FROM (SELECT 1) AS one "
            f'LEFT JOIN ("{Hold._meta.db_table}" h '
            f'INNER JOIN "{Account._meta.db_table}" a ON a."id" = h."account_id" '
            f'LEFT JOIN "{CheckoutPointsReservation._meta.db_table}" r ON r."hold_id" = h."id") '
            f'ON h."checkout_token" = %(token)s AND h."status" = %(pending)s AND h."expires_at" > %(now)s '
            f'ORDER BY h."id"'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        holds = []
        db = connection.alias
        names = [[f.attname for f in m._meta.concrete_fields] for m in models]
        for row in rows:
            if row[1] is None:  # no reservation: the LEFT JOIN's empty side
                continue
            values, start = [], 1
            for cols in columns:
                values.append(row[start : start + len(cols)])
                start += len(cols)
            hold = Hold.from_db(db, names[0], values[0])
            hold.account = Account.from_db(db, names[1], values[1])
            reservation = None
            if values[2][0] is not None:
                reservation = CheckoutPointsReservation.from_db(db, names[2], values[2])
                reservation.hold = hold
            # as select_related does: a cached None makes the accessor raise DoesNotExist
            Hold.points_reservation.related.set_cached_value(hold, reservation)
            holds.append(hold)
        self.__dict__["holds"] = holds
        found = rows[0][0] if rows else None
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

    def basket(self, lines, discounts, program=None):
        from .loyalty.eligibility import basket

        program = program or self.program
        key = ("basket", program.pk, _cart_state(self.checkout, lines, discounts))
        return self.cached(
            key, lambda: basket(self.checkout, lines, discounts, self.manager, program)
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
