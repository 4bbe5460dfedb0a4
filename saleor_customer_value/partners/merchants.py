"""Who acts for which merchant, and what a caller may see.

A till (Saleor App) or a staff user acts for at most one merchant (``MerchantTill``,
``MerchantStaff``: one row per App/user). The operator holds ``MANAGE_PARTNERS`` and sees
every merchant; anybody else sees only the merchant they act for, and another merchant's
data is ``NOT_FOUND`` (its existence is not revealed).
"""
from django.utils.translation import gettext as _
from typing import Optional

from django.db.models import Q

from ..models import Merchant, MerchantStaff, MerchantStatus, MerchantTill
from ..permissions import CustomerValuePermissions
from .errors import MerchantNotFound, MerchantSuspended

MANAGE_PARTNERS = CustomerValuePermissions.MANAGE_PARTNERS


def for_actor(actor) -> Optional[Merchant]:
    """The merchant a ledger actor books for (``None``: the operator's own tills)."""
    if actor is None:
        return None
    if actor.app is not None:
        link = MerchantTill.objects.select_related("merchant").filter(app=actor.app).first()
        return link.merchant if link else None
    if actor.user is not None:
        link = MerchantStaff.objects.select_related("merchant").filter(user=actor.user).first()
        return link.merchant if link else None
    return None


def for_booking(actor) -> Optional[Merchant]:
    """``for_actor``, refusing a suspended merchant's tills and staff."""
    merchant = for_actor(actor)
    if merchant is not None and merchant.status != MerchantStatus.ACTIVE:
        raise MerchantSuspended(
            _("%(merchant)s is suspended from the partner network; its tills cannot book.")
            % {"merchant": merchant.name}
        )
    return merchant


def for_request(user=None, app=None) -> Optional[Merchant]:
    if app is not None:
        link = MerchantTill.objects.select_related("merchant").filter(app=app).first()
        return link.merchant if link else None
    if user is not None and getattr(user, "is_authenticated", False):
        link = MerchantStaff.objects.select_related("merchant").filter(user=user).first()
        return link.merchant if link else None
    return None


def is_operator(user=None, app=None) -> bool:
    perm = MANAGE_PARTNERS.value
    if app is not None:
        return app.is_active and app.has_perm(perm)
    return bool(user and getattr(user, "is_authenticated", False) and user.is_staff and user.has_perm(perm))


def visible(user=None, app=None):
    """The merchants the caller may see."""
    if is_operator(user, app):
        return Merchant.objects.all()
    own = for_request(user, app)
    return Merchant.objects.filter(pk=own.pk) if own else Merchant.objects.none()


def get_visible(pk, user=None, app=None) -> Merchant:
    merchant = visible(user, app).filter(pk=pk).first() if pk is not None else None
    if merchant is None:
        raise MerchantNotFound(_("No merchant has the ID %(id)s.") % {"id": pk})
    return merchant


def search(query: str):
    return Merchant.objects.filter(Q(name__icontains=query) | Q(contact_email__iexact=query))
