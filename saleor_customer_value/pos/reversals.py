"""``posReverse``: undo every booking a till made under one receipt reference.

Only the caller's own bookings (the same App, or the same staff user) with POS reasons
are reversed, newest first, in one DB transaction: all or nothing. Points may go below
zero (a clawback: the customer spent them already); wallet money never can, so a
top-up whose money was spent is refused and nothing is reversed.
"""
from typing import List

from django.db import transaction

from ..ledger import service
from ..ledger.errors import AlreadyReversed, InsufficientFunds, LedgerError, NotReversible
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import Reason
from ..loyalty import lots
from ..models import AccountKind, LedgerTransaction
from django.utils.translation import gettext as _

POS_REASONS = (
    Reason.POINTS_EARNED,
    Reason.POINTS_REDEEMED,
    Reason.POS_PAYMENT,
    Reason.TOPUP,
    Reason.TOPUP_BONUS,
)


class ReceiptNotFound(LedgerError):
    code = "NOT_FOUND"
    field = "receipt"


def _own(actor):
    if actor.app is not None:
        return {"actor_app": actor.app}
    return {"actor_user": actor.user, "actor_app__isnull": True}


def reverse_receipt(receipt, note, actor, idem: IdempotencyKey) -> List[LedgerTransaction]:
    from ..partners import clearing, merchants

    merchant = merchants.for_booking(actor)
    originals = list(
        LedgerTransaction.objects.filter(
            external_reference=receipt, reason__in=POS_REASONS, reversal_of__isnull=True, **_own(actor)
        ).order_by("-pk")
    )
    if not originals:
        raise ReceiptNotFound(_("This till booked nothing under receipt %(receipt)s.") % {"receipt": repr(receipt)})
    reversals = []
    with transaction.atomic():
        for original in originals:
            points = original.entries.filter(account__kind=AccountKind.POINTS)
            is_points = points.exists()
            key = IdempotencyKey(scope=idem.scope, key=f"{idem.key}#pos:reverse:{original.pk}")
            if not lots.already_used(key) and LedgerTransaction.objects.filter(
                reversal_of=original
            ).exists():
                continue  # reversed before by another request
            try:
                reversal = service.reverse(
                    original, actor=actor, note=note, allow_clawback=is_points, idem=key
                )
            except InsufficientFunds as exc:
                raise NotReversible(
                    _("The %(get_reason_display)s of receipt %(receipt)s cannot be reversed: the wallet money was spent in the meantime (%(message)s) Nothing was reversed.") % {"get_reason_display": original.get_reason_display().lower(), "receipt": receipt, "message": exc.message},
                    field="receipt",
                )
            if is_points:
                for entry in points.select_related("account"):
                    lots.sync(entry.account)
            if merchant is not None or original.merchant_id is not None:
                # A new booking for the original's merchant: its mirrored clearing lands
                # in that merchant's next statement, settled or not (issue 12).
                clearing.record_reversal(original, reversal, actor)
            reversals.append(reversal)
        if not reversals:
            raise AlreadyReversed(
                _("Everything booked under receipt %(receipt)s was reversed already.") % {"receipt": receipt}, field="receipt"
            )
    return reversals
