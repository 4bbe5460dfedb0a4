"""The shipped e-mail templates: subject and plain text per event and language (German
and English). Staff override them per event and language in the database
(``NotificationTemplate``); the HTML part of a default is its text in the shop's HTML
layout. Variables: see ``context.VARIABLES``.
"""
from django.utils.html import escape

E = "points_credited points_digest points_expiring badge_unlocked tier_reached reward_reachable wallet_credited gift_voucher_received card_registered card_blocked card_replaced".split()

_SIGN = {
    "de": "\n\nIhr Kundenkonto: {{ account_url }}\n\nViele Grüße\n{{ site_name }}",
    "en": "\n\nYour account: {{ account_url }}\n\nKind regards,\n{{ site_name }}",
}

DEFAULTS = {
    "de": {
        "points_credited": (
            "{{ points }} Punkte für Sie bei {{ site_name }}",
            "Guten Tag {{ customer_name }},\n\nwir haben Ihnen {{ points }} Punkte gutgeschrieben ({{ reason }}).{% if note %}\n{{ note }}{% endif %}\nIhr Punktestand: {{ points_balance }} Punkte.",
        ),
        "points_digest": (
            "Heute {{ points }} Punkte bei {{ site_name }} gesammelt",
            "Guten Tag {{ customer_name }},\n\nam {{ date }} haben Sie {{ points }} Punkte gesammelt.\nIhr Punktestand: {{ points_balance }} Punkte.",
        ),
        "points_expiring": (
            "{{ points }} Punkte verfallen am {{ expiry_date }}",
            "Guten Tag {{ customer_name }},\n\n{{ points }} Ihrer Punkte verfallen am {{ expiry_date }} (in {{ days }} Tagen). Lösen Sie sie vorher ein!\nIhr Punktestand: {{ points_balance }} Punkte.",
        ),
        "badge_unlocked": (
            "Neues Abzeichen: {{ badge }}",
            "Guten Tag {{ customer_name }},\n\nherzlichen Glückwunsch: Sie haben das Abzeichen „{{ badge }}“ erreicht.{% if badge_description %}\n{{ badge_description }}{% endif %}",
        ),
        "tier_reached": (
            "Willkommen in der Stufe {{ badge }}",
            "Guten Tag {{ customer_name }},\n\nherzlichen Glückwunsch: Sie haben die Stufe „{{ badge }}“ erreicht.{% if badge_description %}\n{{ badge_description }}{% endif %}\nIhr Punktestand: {{ points_balance }} Punkte.",
        ),
        "reward_reachable": (
            "Jetzt einlösbar: {{ reward }}",
            "Guten Tag {{ customer_name }},\n\nmit {{ points_balance }} Punkten können Sie jetzt die Prämie „{{ reward }}“ ({{ reward_points }} Punkte) einlösen.",
        ),
        "wallet_credited": (
            "{{ amount }} Guthaben bei {{ site_name }}",
            "Guten Tag {{ customer_name }},\n\nwir haben Ihrem Guthaben {{ amount }} gutgeschrieben ({{ reason }}).{% if note %}\n{{ note }}{% endif %}\nIhr Guthaben: {{ wallet_balance }}.",
        ),
        "gift_voucher_received": (
            "Ihr Geschenkgutschein über {{ amount }}",
            "Guten Tag {{ customer_name }},\n\nIhr Geschenkgutschein über {{ amount }}{% if order_number %} aus Bestellung Nr. {{ order_number }}{% endif %} wurde ausgestellt. Den Code erhalten Sie in einer eigenen E-Mail.",
        ),
        "card_registered": (
            "Ihre Karte ist registriert",
            "Guten Tag {{ customer_name }},\n\nIhre Karte {{ card }} ist jetzt mit Ihrem Kundenkonto verbunden. Punkte und Guthaben auf der Karte gehören nun zu Ihrem Konto.",
        ),
        "card_blocked": (
            "Ihre Karte wurde gesperrt",
            "Guten Tag {{ customer_name }},\n\nIhre Karte {{ card }} wurde gesperrt{% if reason %} ({{ reason }}){% endif %}. Ihr Guthaben und Ihre Punkte bleiben erhalten. Falls Sie das nicht veranlasst haben, kontaktieren Sie uns bitte.",
        ),
        "card_replaced": (
            "Ihre Karte wurde ersetzt",
            "Guten Tag {{ customer_name }},\n\nIhre Karte {{ card }} wurde durch eine neue Karte ersetzt. Ihr Guthaben und Ihre Punkte wurden übertragen; die alte Karte ist nicht mehr gültig.",
        ),
    },
    "en": {
        "points_credited": (
            "{{ points }} points for you at {{ site_name }}",
            "Hello {{ customer_name }},\n\nwe credited {{ points }} points to your account ({{ reason }}).{% if note %}\n{{ note }}{% endif %}\nYour points balance: {{ points_balance }} points.",
        ),
        "points_digest": (
            "You collected {{ points }} points at {{ site_name }} today",
            "Hello {{ customer_name }},\n\non {{ date }} you collected {{ points }} points.\nYour points balance: {{ points_balance }} points.",
        ),
        "points_expiring": (
            "{{ points }} points expire on {{ expiry_date }}",
            "Hello {{ customer_name }},\n\n{{ points }} of your points expire on {{ expiry_date }} (in {{ days }} days). Redeem them before then!\nYour points balance: {{ points_balance }} points.",
        ),
        "badge_unlocked": (
            "New badge: {{ badge }}",
            "Hello {{ customer_name }},\n\ncongratulations: you unlocked the badge “{{ badge }}”.{% if badge_description %}\n{{ badge_description }}{% endif %}",
        ),
        "tier_reached": (
            "Welcome to {{ badge }}",
            "Hello {{ customer_name }},\n\ncongratulations: you reached the tier “{{ badge }}”.{% if badge_description %}\n{{ badge_description }}{% endif %}\nYour points balance: {{ points_balance }} points.",
        ),
        "reward_reachable": (
            "You can now redeem: {{ reward }}",
            "Hello {{ customer_name }},\n\nwith {{ points_balance }} points you can now redeem the reward “{{ reward }}” ({{ reward_points }} points).",
        ),
        "wallet_credited": (
            "{{ amount }} credited to your wallet at {{ site_name }}",
            "Hello {{ customer_name }},\n\nwe credited {{ amount }} to your wallet ({{ reason }}).{% if note %}\n{{ note }}{% endif %}\nYour wallet balance: {{ wallet_balance }}.",
        ),
        "gift_voucher_received": (
            "Your gift voucher for {{ amount }}",
            "Hello {{ customer_name }},\n\nyour gift voucher for {{ amount }}{% if order_number %} from order #{{ order_number }}{% endif %} has been issued. The code comes in a separate e-mail.",
        ),
        "card_registered": (
            "Your card is registered",
            "Hello {{ customer_name }},\n\nyour card {{ card }} is now linked to your account. Points and money on the card now belong to your account.",
        ),
        "card_blocked": (
            "Your card was blocked",
            "Hello {{ customer_name }},\n\nyour card {{ card }} was blocked{% if reason %} ({{ reason }}){% endif %}. Your money and points are safe. If you did not ask for this, please contact us.",
        ),
        "card_replaced": (
            "Your card was replaced",
            "Hello {{ customer_name }},\n\nyour card {{ card }} was replaced by a new card. Your money and points moved over; the old card is no longer valid.",
        ),
    },
}

HTML_LAYOUT = (
    '<!DOCTYPE html>\n<html>\n<body style="font-family: sans-serif; color: #222;">\n'
    "{body}\n</body>\n</html>\n"
)


def html_from_text(text: str) -> str:
    """The text as HTML paragraphs (template tags kept; variables autoescaped)."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        paragraphs.append("<p>" + "<br>\n".join(_keep_tags_escape(line) for line in lines) + "</p>")
    return HTML_LAYOUT.format(body="\n".join(paragraphs))


def _keep_tags_escape(line: str) -> str:
    # Escape literal text (quotes, &) but not the template syntax inside it.
    out, i = [], 0
    while i < len(line):
        start = min([p for p in (line.find("{{", i), line.find("{%", i)) if p != -1] or [len(line)])
        out.append(escape(line[i:start]))
        if start == len(line):
            break
        end = line.find("}}" if line[start + 1] == "{" else "%}", start)
        end = len(line) if end == -1 else end + 2
        out.append(line[start:end])
        i = end
    return "".join(out)


def default(event: str, language: str):
    """(subject, text, html) shipped for the event in the language (English if the
    language has no defaults)."""
    texts = DEFAULTS.get(language) or DEFAULTS["en"]
    subject, body = texts[event]
    body = body + _SIGN.get(language, _SIGN["en"])
    return subject, body, html_from_text(body)
