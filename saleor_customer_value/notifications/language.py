"""Which language a person reads: the request's or the customer's.

Saleor 2.10 has no ``LocaleMiddleware``; the plugin's GraphQL view activates the
language per request (``urls.CustomerValueGraphQLView``):

1. an ``Accept-Language`` header (Django's ``get_language_from_request`` semantics:
   the ``django_language`` cookie first, then the header, matched against
   ``settings.LANGUAGES``) - the client says what it displays;
2. else the logged-in customer's stored preference (``CustomerPreference.language``);
3. else the shop's ``settings.LANGUAGE_CODE``.

E-mails use the customer's preference, else the shop's language.
"""
from typing import Optional

from django.conf import settings
from django.utils import translation

SUPPORTED = ("de", "en")  # languages the plugin ships texts and e-mail defaults for


def normalize(code: Optional[str]) -> str:
    """``de-DE`` → ``de``; an unknown language → empty string."""
    code = (code or "").strip().lower().replace("_", "-")
    if not code:
        return ""
    known = {c.lower() for c, _name in settings.LANGUAGES}
    if code in known:
        return code
    base = code.split("-")[0]
    return base if base in known else ""


def shop_language() -> str:
    return normalize(settings.LANGUAGE_CODE) or "en"


def customer_language(customer) -> str:
    """The customer's stored language, else the shop's."""
    from ..models import CustomerPreference

    if customer is None:
        return shop_language()
    stored = (
        CustomerPreference.objects.filter(customer=customer)
        .values_list("language", flat=True)
        .first()
    )
    return normalize(stored) or shop_language()


def user_language(user) -> str:
    """A Saleor user's stored language (through the plugin's customer), else the shop's."""
    from ..models import CustomerPreference

    if user is None or not getattr(user, "pk", None):
        return shop_language()
    stored = (
        CustomerPreference.objects.filter(customer__user_id=user.pk)
        .values_list("language", flat=True)
        .first()
    )
    return normalize(stored) or shop_language()


def _jwt_username(request) -> Optional[str]:
    """The user name (e-mail) in the request's JWT, decoded without a query; an invalid
    token is answered by Saleor's own middleware later."""
    try:
        from graphql_jwt.settings import jwt_settings
        from graphql_jwt.utils import get_credentials, get_payload

        token = get_credentials(request)
        if not token:
            return None
        return jwt_settings.JWT_PAYLOAD_GET_USERNAME_HANDLER(get_payload(token))
    except Exception:  # noqa: BLE001
        return None


def _stored_language_of(username: str) -> str:
    from ..models import CustomerPreference

    stored = (
        CustomerPreference.objects.filter(customer__user__email=username)
        .values_list("language", flat=True)
        .first()
    )
    return normalize(stored)


def request_language(request) -> str:
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.META.get(
        "HTTP_ACCEPT_LANGUAGE"
    ):
        return translation.get_language_from_request(request)
    username = _jwt_username(request)
    if username:
        return _stored_language_of(username) or shop_language()
    return shop_language()
