"""The Saleor plugin: a thin adapter from Saleor's hooks to the plugin's services.

Settings are edited through Saleor's own ``plugins``/``pluginUpdate`` API and dashboard;
``config.get_config()`` reads them for the services.
"""
from copy import deepcopy

from saleor.plugins.base_plugin import BasePlugin

from . import config


class CustomerValuePlugin(BasePlugin):
    PLUGIN_ID = config.PLUGIN_ID
    PLUGIN_NAME = "Customer value"
    PLUGIN_DESCRIPTION = (
        "Wallets, gift vouchers, loyalty points and customer cards in one ledger."
    )
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = config.DEFAULT_CONFIGURATION
    CONFIG_STRUCTURE = config.CONFIG_STRUCTURE

    def __init__(self, *, configuration, active):
        # Saleor passes DEFAULT_CONFIGURATION itself and then edits its dicts in place
        # (labels, updated values): without a copy one shop's settings would leak
        # into the class default.
        super().__init__(configuration=deepcopy(configuration), active=active)

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration):
        config.validate(plugin_configuration.configuration)
