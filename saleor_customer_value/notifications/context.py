"""The variables a notification template sees: plain strings, formatted in the reader's
language (amounts ``1.234,50 €`` / ``€1,234.50``, dates ``5. Dezember 2026``)."""
from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger.reasons import POINTS_UNIT, Reason
from ..models import Account, AccountKind, Badge, Card, NotificationEvent as E, Reward

# name -> what it is (listed by the GraphQL API for the template editor)
VARIABLES = {
    "customer_name": "The customer's full name (else the e-mail address).",
    "customer_email": "The customer's e-mail address.",
    "site_name": "The shop's name.",
    "domain": "The shop's domain.",
    "shop_url": "The shop's address.",
    "account_url": "The customer area (wallet, points, card).",
    "points_balance": "Available points now.",
    "wallet_balance": "Available wallet money now, in the shop's currency.",
    "points": "Points of the event (credited, collected today, expiring).",
    "amount": "Money of the event with its currency (wallet credit, gift voucher).",
    "reason": "Why value moved (or why a card was blocked).",
    "note": "The note for the customer that came with a booking.",
    "date": "The day of a daily digest.",
    "expiry_date": "When the points expire.",
    "days": "Days until the points expire.",
    "badge": "Name of the badge or tier.",
    "badge_description": "Description of the badge or tier.",
    "reward": "Name of the reward.",
    "reward_points": "Points the reward costs.",
    "card": "The card, masked (last four characters).",
    "order_number": "The order of a gift voucher.",
}


def _locale(language: str) -> str:
    return (language or "en").split("-")[0]


def points_text(value, language) -> str:
    return format_decimal(int(Decimal(str(value))), locale=_locale(language))


def money_text(amount, currency, language) -> str:
    return format_currency(Decimal(str(amount)), currency, locale=_locale(language))


def date_text(value, language) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, format="long", locale=_locale(language))


def _available(customer, kind, unit):
    row = Account.objects.filter(customer=customer, kind=kind, unit=unit).values("posted", "held").first()
    return (row["posted"] - row["held"]) if row else Decimal(0)


def account_url(domain: str) -> str:
    configured = getattr(settings, "CUSTOMER_VALUE_ACCOUNT_URL", "")
    if configured:
        return configured
    scheme = "https" if getattr(settings, "ENABLE_SSL", False) else "http"
    return f"{scheme}://{domain}/account/customer-value/"


def base(customer, language, site: dict) -> dict:
    user = customer.user
    email = (user.email if user else "") or customer.email
    name = (user.get_full_name() if user else "") or email
    currency = settings.DEFAULT_CURRENCY
    scheme = "https" if getattr(settings, "ENABLE_SSL", False) else "http"
    return {
        "customer_name": name,
        "customer_email": email,
        "site_name": site.get("site_name", ""),
        "domain": site.get("domain", ""),
        "shop_url": f"{scheme}://{site.get('domain', '')}/",
        "account_url": account_url(site.get("domain", "")),
        "points_balance": points_text(_available(customer, AccountKind.POINTS, POINTS_UNIT), language),
        "wallet_balance": money_text(_available(customer, AccountKind.WALLET, currency), currency, language),
    }


def event_values(event: str, data: dict, language: str) -> dict:
    """The event's own variables from what was recorded (``Notification.data``)."""
    values = {}
    if "points" in data:
        values["points"] = points_text(data["points"], language)
    if "amount" in data:
        values["amount"] = money_text(data["amount"], data.get("currency") or settings.DEFAULT_CURRENCY, language)
    if data.get("reason"):
        values["reason"] = str(dict(Reason.CHOICES).get(data["reason"], data["reason"]))
    if data.get("blocked_reason"):
        values["reason"] = data["blocked_reason"]
    for key in ("note", "card", "order_number", "badge", "badge_description", "reward", "days"):
        if data.get(key) not in (None, ""):
            values[key] = str(data[key])
    if data.get("badge_id"):
        badge = Badge.objects.filter(pk=data["badge_id"]).first()
        if badge is not None:
            german = _locale(language) == "de"
            values["badge"] = (badge.title_de if german and badge.title_de else badge.title)
            values["badge_description"] = (
                badge.description_de if german and badge.description_de else badge.description
            )
    if data.get("reward_points") is not None:
        values["reward_points"] = points_text(data["reward_points"], language)
    if data.get("expires_at"):
        values["expiry_date"] = date_text(data["expires_at"], language)
    if data.get("date"):
        values["date"] = date_text(data["date"], language)
    return values


def sample_data(event: str, customer) -> dict:
    """Plausible values for a preview: the customer's own card, the first badge and
    reward of the shop, 100 points, 10 in the shop's currency, expiry in 7 days."""
    currency = settings.DEFAULT_CURRENCY
    data = {"points": 100, "amount": "10.00", "currency": currency}
    if event in (E.POINTS_CREDITED,):
        data["reason"] = Reason.POINTS_EARNED
    if event == E.WALLET_CREDITED:
        data["reason"] = Reason.GOODWILL
    if event == E.POINTS_DIGEST:
        data["date"] = timezone.localdate().isoformat()
    if event == E.POINTS_EXPIRING:
        data["expires_at"] = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
        data["days"] = 7
    if event in (E.BADGE_UNLOCKED, E.TIER_REACHED):
        badge = Badge.objects.filter(is_tier=(event == E.TIER_REACHED)).order_by("pk").first()
        if badge is not None:
            data["badge_id"] = badge.pk
        else:
            data["badge"] = "Gold"
    if event == E.REWARD_REACHABLE:
        reward = Reward.objects.filter(is_active=True).order_by("points", "pk").first()
        data["reward"] = reward.name if reward else _("Reward")
        data["reward_points"] = reward.points if reward else 100
    if event in (E.CARD_REGISTERED, E.CARD_BLOCKED, E.CARD_REPLACED):
        card = Card.objects.filter(customer=customer).order_by("-pk").first()
        data["card"] = "••••-••••-••••-" + (card.code[-4:] if card else "1234")
    if event == E.GIFT_VOUCHER_RECEIVED:
        data["order_number"] = "1001"
    return data
