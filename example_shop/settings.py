"""Settings of the example shop: Saleor 2.10.1's own settings plus the plugin.

A host shop that wants the plugin does the same three things: start from
``saleor.settings``, add the app and the plugin path, and route ``/graphql/`` to the
extended schema (see ``example_shop.urls``).
"""
import os

from saleor.settings import *  # noqa: F401,F403
from saleor.settings import INSTALLED_APPS, PLUGINS

from . import compat

compat.apply()

DATABASES = {
    "default": dj_database_url.config(  # noqa: F405
        default="postgres://postgres@127.0.0.1:5432/saleor_customer_value",
        conn_max_age=600,
    )
}

INSTALLED_APPS = INSTALLED_APPS + ["saleor_customer_value"]
PLUGINS = PLUGINS + [
    "saleor_customer_value.plugin.CustomerValuePlugin",
    "saleor_customer_value.gateway_plugin.WalletGatewayPlugin",
    "saleor_customer_value.gateway_plugin.CreditGatewayPlugin",
]
ROOT_URLCONF = "example_shop.urls"

# Saleor puts media next to its installed package; keep the shop's files in the repo's
# ignored data folder instead.
_DATA_DIR = os.environ.get(
    "CV_DATA_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), ".data")
)
MEDIA_ROOT = os.path.join(_DATA_DIR, "media")
STATIC_ROOT = os.path.join(_DATA_DIR, "static")

# Saleor's wheel ships without its templates folder; the example shop brings the two
# pages a browser reaches (API explorer, home).
TEMPLATES[0]["DIRS"] = [  # noqa: F405
    os.path.join(os.path.dirname(__file__), "templates")
] + TEMPLATES[0]["DIRS"]  # noqa: F405

# Saleor's default is a US shop; the example is a European one. Saleor 2.10 sells in one
# currency; wallets may hold the others listed (a CHF till, a USD partner).
DEFAULT_CURRENCY = os.environ.get("DEFAULT_CURRENCY", "EUR")
DEFAULT_COUNTRY = os.environ.get("DEFAULT_COUNTRY", "DE")
DEFAULT_DECIMAL_PLACES = get_currency_fraction(DEFAULT_CURRENCY)  # noqa: F405
AVAILABLE_CURRENCIES = [DEFAULT_CURRENCY] + [
    code for code in ("EUR", "CHF", "USD") if code != DEFAULT_CURRENCY
]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")

# Periodic jobs of the plugin (hold expiry, ...); a worker started with ``-B`` runs them.
from saleor_customer_value.schedule import CELERY_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE = dict(CELERY_BEAT_SCHEDULE)

# The plugin's own audit logger: never logs secrets or full card codes.
LOGGING["loggers"]["saleor_customer_value"] = {  # noqa: F405
    "handlers": ["console"],
    "level": "INFO",
    "propagate": False,
}


# --- Serving like production (gunicorn + whitenoise; README "Production settings") ---
# Static files are served by the WSGI application itself from STATIC_ROOT
# (``manage.py collectstatic``, run by bin/demo), with far-future caching of hashed
# names and compressed variants; no separate web server is needed for them. In
# development (DEBUG) they are also found without collectstatic.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware"] + [  # noqa: F405
    m for m in MIDDLEWARE[1:] if m != "whitenoise.middleware.WhiteNoiseMiddleware"  # noqa: F405
]
WHITENOISE_USE_FINDERS = DEBUG  # noqa: F405
# Uploaded media through Django only where no storage or web server does it (bin/demo).
SERVE_MEDIA = get_bool_from_env("SERVE_MEDIA", False)  # noqa: F405

# The shopper's customer area (/account/customer-value/): where "Top up" sends the shopper
# to pay (the storefront's checkout page), where Saleor's password reset e-mail links to
# (default: the customer area itself; its host must be in ALLOWED_CLIENT_HOSTS), and which
# storefront origins may embed it in an iframe (CSP frame-ancestors; none: not framable).
CUSTOMER_VALUE_STOREFRONT_CHECKOUT_URL = os.environ.get("CUSTOMER_VALUE_STOREFRONT_CHECKOUT_URL", "")
CUSTOMER_VALUE_PASSWORD_RESET_URL = os.environ.get("CUSTOMER_VALUE_PASSWORD_RESET_URL", "")
CUSTOMER_VALUE_ACCOUNT_FRAME_ANCESTORS = [
    origin.strip()
    for origin in os.environ.get("CUSTOMER_VALUE_ACCOUNT_FRAME_ANCESTORS", "").split(",")
    if origin.strip()
]

# Card batch print files (they carry the codes): a private place, never the public media
# storage. A shop sets CUSTOMER_VALUE_EXPORT_STORAGE (a storage class path, e.g. a
# private S3 bucket) or a directory.
CUSTOMER_VALUE_EXPORT_ROOT = os.environ.get(
    "CUSTOMER_VALUE_EXPORT_ROOT", os.path.join(_DATA_DIR, "exports")
)
