"""The plugin's settings: declared once here, stored in Saleor's ``PluginConfiguration``.

Saleor keeps plugin settings as a list of ``{"name", "value"}`` pairs of strings or
booleans; ``get_config()`` turns them into a typed, validated ``Settings`` object.
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import ConfigurationTypeField

PLUGIN_ID = "saleor.customer_value"

HOLD_MINUTES = "Checkout reservation minutes"

DEFAULTS = {
    HOLD_MINUTES: "60",
}

DEFAULT_CONFIGURATION = [{"name": name, "value": value} for name, value in DEFAULTS.items()]

CONFIG_STRUCTURE = {
    HOLD_MINUTES: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "How long wallet money or points applied to a checkout stay reserved "
            "before an abandoned checkout releases them (whole minutes, 1 to 10080)."
        ),
        "label": "Checkout reservation (minutes)",
    },
}


@dataclass(frozen=True)
class Settings:
    active: bool
    hold_minutes: int


def _as_dict(configuration):
    values = dict(DEFAULTS)
    values.update({item["name"]: item["value"] for item in configuration or []})
    return values


def _int_in_range(values, name, low, high):
    raw = values.get(name)
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({name: f"{name} must be a whole number, got {raw!r}."})
    if not low <= number <= high:
        raise ValidationError({name: f"{name} must be between {low} and {high}."})
    return number


def parse(configuration, active=True) -> Settings:
    values = _as_dict(configuration)
    return Settings(
        active=active, hold_minutes=_int_in_range(values, HOLD_MINUTES, 1, 10080)
    )


def validate(configuration):
    parse(configuration)


def get_config() -> Settings:
    from saleor.plugins.models import PluginConfiguration

    stored = PluginConfiguration.objects.filter(identifier=PLUGIN_ID).first()
    if stored is None:
        return parse([], active=True)
    return parse(stored.configuration, active=stored.active)
