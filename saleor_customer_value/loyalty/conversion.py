"""Converting points into wallet money at the program's rate.

One ledger transaction with legs in both units (points -> CONVERSION in PTS,
CONVERSION -> wallet in money): each unit balances on its own, and the two halves
cannot be separated: a customer never loses points without getting the money, or the
other way round. Points convert in whole steps of the rate (100 points = 1.00: 130
points are refused, naming 100 and 200), so no fraction is lost to rounding and the
shopper sees the step the shop announced.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from django.db import transaction
from django.utils.translation import gettext

from ..ledger import accounts, service
from ..ledger.amounts import to_amount
from ..ledger.errors import InsufficientFunds, InvalidAmount, NegativeBalance
from ..ledger.reasons import POINTS_UNIT, Reason, SystemAccountCode
from . import lots
from . import program as programs
from .errors import LoyaltyDisabled, PointsBelowMinimum
from django.utils.translation import gettext as _


def _whole_steps(rate, points: int):
    """The money for ``points``, which must be whole steps of the rate (100 points =
    1.00: 100, 200, ...). A remainder is refused rather than kept back silently, so
    the shopper decides and a replayed request always means the same thing."""
    if points % rate.points:
        lower = points - points % rate.points
        values = {
            "step": rate.points,
            "amount": programs.plain(rate.amount),
            "currency": rate.currency,
            "points": points,
            "lower": lower,
            "upper": lower + rate.points,
        }
        message = (
            gettext(
                "Points convert in steps of %(step)s (%(step)s points = %(amount)s "
                "%(currency)s); %(points)s is not a whole step: convert %(lower)s or %(upper)s."
            )
            if lower
            else gettext(
                "Points convert in steps of %(step)s (%(step)s points = %(amount)s "
                "%(currency)s); convert %(upper)s or more."
            )
        )
        raise InvalidAmount(message % values, field="points")
    return rate.value(points)


def _checked(points):
    """The program's rules for a conversion of ``points`` (no balance involved)."""
    program = programs.require_enabled()
    rate = programs.convert_rate(program)
    if rate is None:
        raise LoyaltyDisabled(_("Converting points into wallet money is switched off."))
    points = int(to_amount(points, POINTS_UNIT, field="points"))
    if points < program.convert_min_points:
        raise PointsBelowMinimum(
            _("At least %(convert_min_points)s points can be converted at a time.") % {"convert_min_points": program.convert_min_points}
        )
    return program, rate, points, _whole_steps(rate, points)


@dataclass
class ConversionPreview:
    points: int
    amount: Decimal
    currency: str
    available: int


def preview(customer, points) -> ConversionPreview:
    """What ``convert_to_wallet`` would book, without booking or locking: the same rules
    and messages (raises the same errors). The booking checks the balance again under
    its lock."""
    from . import queries

    _program, rate, points, amount = _checked(points)
    view = queries.view(customer)
    available = view.available
    if points > available:
        raise InsufficientFunds(
            _("Only %(available)s points are available; %(points)s were requested.") % {"available": available, "points": points}, field="points"
        )
    return ConversionPreview(points=points, amount=amount, currency=rate.currency, available=available)


def preview_without_account(points):
    """A customer without any account yet has no points: the rules first, then that."""
    _checked(points)
    raise InsufficientFunds(_("Only 0 points are available; %(points)s were requested.") % {"points": int(points)}, field="points")


def convert_to_wallet(customer, points, actor, idem=None):
    program, rate, points, amount = _checked(points)
    account = accounts.points_account(customer)
    wallet = accounts.wallet_account(customer, rate.currency)
    with transaction.atomic():
        if not lots.already_used(idem):
            fresh = lots.prepare(account)
            if fresh.posted < 0:
                raise NegativeBalance(
                    _("Your points balance is %(posted)s after a clawback; points can be converted again once it is positive.") % {"posted": int(fresh.posted)},
                    field="points",
                )
            if points > fresh.available:
                raise InsufficientFunds(
                    _("Only %(available)s points are available; %(points)s were requested.") % {"available": int(fresh.available), "points": points},
                    field="points",
                )
        txn = service.post(
            [
                service.Leg(account, -points),
                service.Leg(accounts.system_account(SystemAccountCode.CONVERSION, POINTS_UNIT), points),
                service.Leg(accounts.system_account(SystemAccountCode.CONVERSION, rate.currency), -amount),
                service.Leg(wallet, amount),
            ],
            service.Posting(
                reason=Reason.POINTS_CONVERTED,
                actor=actor,
                customer_note=f"{points} points converted into {amount} {rate.currency}",
                metadata={
                    "rate": rate.as_metadata(),
                    "min_points": program.convert_min_points,
                    "points": points,
                    "amount": str(amount),
                },
            ),
            idem,
        )
        lots.sync(account)
    return txn
