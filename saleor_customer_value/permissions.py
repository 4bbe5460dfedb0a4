"""The plugin's permissions, registered with Saleor's own permission list.

Saleor only lets staff groups and Apps be granted permissions listed in
``saleor.core.permissions.PERMISSIONS_ENUMS``, and builds its GraphQL ``PermissionEnum``
from that list when ``saleor.graphql.core.enums`` is first imported. Registering from the
app's ``ready()`` runs before any URL configuration (and so any schema) is loaded.
"""
import sys

from saleor.core.permissions import PERMISSIONS_ENUMS, BasePermissionEnum


class CustomerValuePermissions(BasePermissionEnum):
    MANAGE_WALLETS = "customer_value.manage_wallets"
    MANAGE_LOYALTY = "customer_value.manage_loyalty"
    MANAGE_CARDS = "customer_value.manage_cards"
    USE_POS = "customer_value.use_pos"
    VIEW_LEDGER = "customer_value.view_ledger"
    MANAGE_DISCOUNT_GROUPS = "customer_value.manage_discount_groups"
    MANAGE_CREDIT = "customer_value.manage_credit"
    MANAGE_NOTIFICATIONS = "customer_value.manage_notifications"
    MANAGE_PARTNERS = "customer_value.manage_partners"


PERMISSION_DESCRIPTIONS = {
    CustomerValuePermissions.MANAGE_WALLETS: "Book, correct and refund wallet money.",
    CustomerValuePermissions.MANAGE_LOYALTY: "Book points and manage the loyalty program.",
    CustomerValuePermissions.MANAGE_CARDS: "Generate, export, block and replace cards.",
    CustomerValuePermissions.USE_POS: "Act as a point-of-sale terminal.",
    CustomerValuePermissions.VIEW_LEDGER: "Read the ledger's audit trail and reports.",
    CustomerValuePermissions.MANAGE_DISCOUNT_GROUPS: (
        "Manage discount groups, members, the wallet-payment promotion and employee consumption."
    ),
    CustomerValuePermissions.MANAGE_CREDIT: (
        "Grant credit lines, change limits, close billing cycles, record bill payments."
    ),
    CustomerValuePermissions.MANAGE_NOTIFICATIONS: "Edit customer e-mail templates and settings.",
    CustomerValuePermissions.MANAGE_PARTNERS: "Manage partner merchants and settle with them.",
}


def register_permissions():
    if CustomerValuePermissions in PERMISSIONS_ENUMS:
        return
    if "saleor.graphql.core.enums" in sys.modules:
        raise RuntimeError(
            "saleor_customer_value must be in INSTALLED_APPS before Saleor's GraphQL "
            "schema is imported, otherwise its permissions cannot be granted."
        )
    PERMISSIONS_ENUMS.append(CustomerValuePermissions)
