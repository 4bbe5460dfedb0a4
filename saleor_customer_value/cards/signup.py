"""Shareable sign-up links: staff with MANAGE_CARDS (or the shop's App) get a signed
token; whoever opens the link creates a Saleor account and their digital card in one
step (``accountRegisterWithCard``), in one DB transaction.

The token is signed with Django's ``SECRET_KEY`` (salted), carries its own expiry and
who made it; a link stops working when it expires or its maker loses MANAGE_CARDS (or
is deactivated). It may be used by many people: it is meant to be shared (a poster, a
newsletter), so it grants nothing but the right to sign up.
"""
import time
from dataclasses import dataclass
from typing import Optional

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..ledger import accounts
from ..models import Card
from ..security import ratelimit
from . import digital, downloads
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SALT = "customer_value.card_signup"
DEFAULT_VALIDITY_DAYS = 30
MAX_VALIDITY_DAYS = 365


class SignupLinkInvalid(Exception):
    message = gettext_lazy("This sign-up link is invalid or has expired.")


class TooManySignups(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _count_attempt(ip: str):
    """Every attempt from an address counts (``card-signup:ip``): the link is public,
    so this is what stops one client from creating accounts in bulk."""
    if not ip:
        return
    limiter = ratelimit.limiter("card-signup:ip", ip)
    wait = limiter.retry_after()
    if wait:
        raise TooManySignups(ratelimit.Limited(wait).message)
    limiter.record()


def make_token(user=None, app=None, days: int = DEFAULT_VALIDITY_DAYS, now=None) -> (str, int):
    expires = int((now or time.time()) + days * 86400)
    token = signing.dumps(
        {
            "k": "signup",
            "x": expires,
            "u": user.pk if user is not None and user.is_authenticated else None,
            "a": app.pk if app is not None else None,
        },
        salt=SALT,
        compress=True,
    )
    return token, expires


def check_token(token: str, now=None) -> dict:
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise SignupLinkInvalid()
    if not isinstance(data, dict) or data.get("k") != "signup":
        raise SignupLinkInvalid()
    if data.get("x", 0) < (now or time.time()):
        raise SignupLinkInvalid()
    if not downloads._still_allowed(data):
        raise SignupLinkInvalid()
    return data


@dataclass
class SignupResult:
    user: object
    card: Card
    requires_confirmation: bool


def register(
    token: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    redirect_url: Optional[str] = None,
    plugins=None,
    ip: str = "",
) -> SignupResult:
    """Create the account and its digital card. Raises ``SignupLinkInvalid`` or a
    ``ValidationError`` keyed by field (Saleor's own codes and messages)."""
    from saleor.account import emails, events as account_events
    from saleor.account.models import User
    from saleor.core.utils.url import validate_storefront_url

    _count_attempt(ip)
    check_token(token)
    confirm = settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL
    if confirm:
        if not redirect_url:
            raise ValidationError(
                {"redirect_url": ValidationError(_("This field is required."), code="required")}
            )
        try:
            validate_storefront_url(redirect_url)
        except ValidationError as exc:
            raise ValidationError({"redirect_url": ValidationError(exc.message, code="invalid")})
    email = User.objects.normalize_email((email or "").strip())
    user = User(
        email=email,
        first_name=(first_name or "").strip()[:256],
        last_name=(last_name or "").strip()[:256],
        is_active=not confirm,
    )
    # Saleor's accountRegister runs the model validation (e-mail shape, unique e-mail:
    # "User with this Email already exists.") and the password validators.
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as exc:
        errors["password"] = exc.error_list
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email,
                    password,
                    is_active=user.is_active,
                    first_name=user.first_name,
                    last_name=user.last_name,
                )
        except IntegrityError:  # the same e-mail signed up concurrently
            raise ValidationError(
                {"email": ValidationError(_("User with this Email already exists."), code="unique")}
            )
        card = digital.for_customer(accounts.customer_for_user(user))
        account_events.customer_account_created_event(user=user)
        if confirm:
            transaction.on_commit(
                lambda: emails.send_account_confirmation_email(user, redirect_url)
            )
        if plugins is not None:
            transaction.on_commit(lambda: plugins.customer_created(customer=user))
    return SignupResult(user=user, card=card, requires_confirmation=confirm)
