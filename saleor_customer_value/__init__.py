"""saleor-customer-value: one ledger for wallets, gift vouchers, loyalty points and cards.

A Saleor 2.10 plugin. Domain rules live in plain service modules (``ledger``, ...);
the plugin class, GraphQL mutations and Celery tasks are thin adapters over them.
"""
__version__ = "0.1.0"

default_app_config = "saleor_customer_value.apps.CustomerValueConfig"
