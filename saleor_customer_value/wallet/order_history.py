"""Store credit, cashback and reversals of an order appear in Saleor's order history.

Saleor's dashboard shows an order's events (``saleor.order.events``); wallet refunds,
cashback and reversals (points taken back or returned on cancel, cashback taken back)
are booked in the plugin's ledger, so without an event staff would see nothing of
them on the order. ``sync`` adds one note event per such ledger transaction of the
order, at most once (the transaction's id is kept in the event's parameters), so every
caller may call it after its bookings, replays included.
"""
from django.utils.translation import gettext
from saleor.order.events import order_note_added_event
from saleor.order.models import OrderEvent

from ..ledger.amounts import in_unit
from ..ledger.reasons import POINTS_UNIT, Reason
from ..models import LedgerTransaction

RECORDED = (Reason.REFUND, Reason.CASHBACK, Reason.REVERSAL)
PARAMETER = "customer_value_transaction"


def _message(txn) -> str:
    parts = []
    for entry in txn.entries.select_related("account").filter(account__customer__isnull=False):
        amount = entry.signed_amount
        if entry.unit == POINTS_UNIT:
            parts.append(gettext("%(points)+d points") % {"points": int(amount)})
        else:
            parts.append(f"{in_unit(amount, entry.unit):+} {entry.unit} " + gettext("wallet"))
    what = txn.customer_note or txn.get_reason_display()
    return gettext("Customer value: %(what)s (%(amounts)s)") % {
        "what": what,
        "amounts": ", ".join(parts),
    }


def sync(order) -> int:
    """Add the missing history events of ``order``; returns how many were added."""
    if order is None or order.pk is None:
        return 0
    done = {
        params.get(PARAMETER)
        for params in OrderEvent.objects.filter(order=order).values_list("parameters", flat=True)
        if isinstance(params, dict)
    }
    added = 0
    for txn in LedgerTransaction.objects.filter(order_id=order.pk, reason__in=RECORDED).order_by("pk"):
        if txn.pk in done:
            continue
        event = order_note_added_event(order=order, user=None, message=_message(txn))
        event.parameters[PARAMETER] = txn.pk
        event.save(update_fields=["parameters"])
        added += 1
    return added
