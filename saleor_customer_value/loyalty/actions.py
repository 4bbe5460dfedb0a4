"""Points for actions: account registration, newsletter sign-up, product reviews and
the shop's own action codes, each worth the fixed points the program sets.

An App or staff member records an action (``loyaltyActionRecord``); registration is
also recorded by the plugin when Saleor creates a customer. Each action is rewarded
once per customer ("once") or once per reference (a review ID): a
``LoyaltyActionRecord`` row with a unique (customer, action, reference-or-"once")
makes a second reward impossible, and the same idempotency key replays the first.
"""
import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from ..error_codes import CustomerValueErrorCode as Code
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.reasons import Reason
from ..models import IdempotencyRecord, LedgerTransaction, LoyaltyActionRecord
from . import lots
from . import program as programs
from .errors import ActionAlreadyRecorded, UnknownAction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LABELS = {"registration": "registering", "newsletter": "the newsletter", "review": "a review"}


def record_action(customer, action, reference, actor, idem=None) -> LedgerTransaction:
    program = programs.require_enabled()
    action = (action or "").strip()
    rule = programs.action_rule(program, action)
    if rule is None:
        raise UnknownAction(_("%(action)s is not an action of the loyalty program.") % {"action": repr(action)})
    if rule.points <= 0:
        raise UnknownAction(_("The action %(action)s earns no points at the moment.") % {"action": repr(action)})
    reference = (reference or "").strip()
    if not rule.once_per_customer and not reference:
        raise ValidationError(
            {
                "reference": ValidationError(
                    _("%(action)s is rewarded per reference (e.g. the review's ID); send one.") % {"action": repr(action)},
                    code=Code.REQUIRED.value,
                )
            }
        )
    dedupe = "once" if rule.once_per_customer else reference
    account = accounts.points_account(customer)
    with transaction.atomic():
        lots.sync(account)  # the account lock serialises two rewards of one customer
        existing = LoyaltyActionRecord.objects.filter(
            customer=customer, action=action, dedupe_key=dedupe
        ).first()
        if existing is not None:
            replay = idem and IdempotencyRecord.objects.filter(
                scope=idem.scope, key=idem.key, transaction_id=existing.transaction_id
            ).exists()
            if replay:
                txn = existing.transaction
                txn.replayed = True
                return txn
            raise ActionAlreadyRecorded(
                _("%(action)s was already rewarded for this customer.") % {"action": repr(action)}
                if rule.once_per_customer
                else _("%(action)s was already rewarded for %(reference)s.")
                % {"action": repr(action), "reference": repr(reference)}
            )
        txn = lots.credit(
            account,
            rule.points,
            service.Posting(
                reason=Reason.POINTS_ACTION,
                actor=actor,
                customer_note=f"{rule.points} points for {LABELS.get(action, action)}",
                metadata={
                    "action": action,
                    "points": rule.points,
                    "once_per_customer": rule.once_per_customer,
                    "reference": reference,
                    "expiry_days": program.expiry_days,
                },
                refs=service.References(external_reference=reference[:128]),
            ),
            idem=idem,
        )
        LoyaltyActionRecord.objects.create(
            customer=customer, action=action, dedupe_key=dedupe, reference=reference, transaction=txn
        )
    return txn


def customer_registered(user):
    """Saleor's ``customer_created``: points for registering, once. Never raises."""
    try:
        program = programs.get_program()
        if not program.enabled or not program.registration_points or user is None:
            return None
        with transaction.atomic():
            return record_action(
                accounts.customer_for_user(user),
                "registration",
                "",
                Actor.system("loyalty:registration"),
                idem=lots.key(f"registration:user:{user.pk}"),
            )
    except ActionAlreadyRecorded:
        return None
    except Exception:  # noqa: BLE001 - registration must never fail because of points
        logger.exception("Loyalty points for registering user %s failed", getattr(user, "pk", None))
        return None
