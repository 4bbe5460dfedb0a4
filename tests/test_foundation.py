"""The plugin inside a real Saleor 2.10.1: listed, configurable, and harmless to
Saleor's own checkout."""
from decimal import Decimal

from saleor.order.models import Order
from saleor.plugins.manager import get_plugins_manager

from saleor_customer_value.config import PLUGIN_ID
from saleor_customer_value.plugin import CustomerValuePlugin

from .checkout_flow import (
    checkout_total,
    complete,
    create_checkout,
    pay,
    set_shipping,
)
from .conftest import grant

PLUGINS_QUERY = """
{
  plugins(first: 20) {
    edges { node { id name active configuration { name type value label } } }
  }
}
"""

PLUGIN_UPDATE = """
mutation($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { active configuration { name value } }
    pluginsErrors { field code message }
  }
}
"""


def test_plugin_is_loaded_and_active_in_saleors_plugin_manager(db):
    # when
    manager = get_plugins_manager()

    # then
    plugin = manager.get_plugin(PLUGIN_ID)
    assert isinstance(plugin, CustomerValuePlugin)
    assert plugin.active is True


def test_plugins_query_lists_the_plugin_with_its_configuration(staff_api, staff_user):
    # given
    grant(staff_user, "manage_plugins")

    # when
    data = staff_api.execute(PLUGINS_QUERY)

    # then
    nodes = {edge["node"]["id"]: edge["node"] for edge in data["plugins"]["edges"]}
    plugin = nodes[PLUGIN_ID]
    assert plugin["name"] == "Customer value"
    assert plugin["active"] is True
    fields = {field["name"]: field for field in plugin["configuration"]}
    assert fields["Checkout reservation minutes"]["value"] == "60"
    assert fields["Checkout reservation minutes"]["type"] == "STRING"


def test_plugin_update_stores_valid_configuration(staff_api, staff_user):
    # given
    grant(staff_user, "manage_plugins")
    config = [{"name": "Checkout reservation minutes", "value": "15"}]

    # when
    data = staff_api.execute(
        PLUGIN_UPDATE, {"id": PLUGIN_ID, "input": {"configuration": config}}
    )["pluginUpdate"]

    # then
    assert data["pluginsErrors"] == []
    from saleor_customer_value.config import get_config

    assert get_config().hold_minutes == 15


def test_plugin_update_rejects_invalid_configuration(staff_api, staff_user):
    # given
    grant(staff_user, "manage_plugins")
    config = [{"name": "Checkout reservation minutes", "value": "soon"}]

    # when
    data = staff_api.execute(
        PLUGIN_UPDATE, {"id": PLUGIN_ID, "input": {"configuration": config}}
    )["pluginUpdate"]

    # then
    assert data["plugin"] is None
    assert data["pluginsErrors"][0]["code"] == "INVALID"
    from saleor_customer_value.config import get_config

    assert get_config().hold_minutes == 60


def test_plugin_permissions_are_grantable_through_saleors_permission_list(
    staff_api, staff_user
):
    # given
    grant(staff_user, "manage_apps", "use_pos", "manage_wallets")

    # when
    data = staff_api.execute(
        """
        mutation {
          appCreate(input: {name: "POS", permissions: [USE_POS, MANAGE_WALLETS]}) {
            app { permissions { code } }
            appErrors { field code message }
          }
        }
        """
    )["appCreate"]

    # then
    assert data["appErrors"] == []
    codes = {p["code"] for p in data["app"]["permissions"]}
    assert codes == {"USE_POS", "MANAGE_WALLETS"}


def test_shop_lists_plugin_permissions(staff_api):
    # when
    data = staff_api.execute("{ shop { permissions { code name } } }")

    # then
    codes = {p["code"] for p in data["shop"]["permissions"]}
    assert {
        "MANAGE_WALLETS",
        "MANAGE_LOYALTY",
        "MANAGE_CARDS",
        "USE_POS",
        "VIEW_LEDGER",
    } <= codes


def test_storefront_checkout_with_dummy_gateway_creates_a_paid_order(
    customer_api, variant, shipping_method
):
    # given a checkout of 2 x 20.00 EUR with 5.00 shipping
    checkout = create_checkout(customer_api, variant, quantity=2)
    set_shipping(customer_api, checkout, shipping_method)
    total = checkout_total(customer_api, checkout)["totalPrice"]["gross"]
    assert total == {"amount": 45.0, "currency": "EUR"}

    # when the customer pays the total with the dummy gateway and completes
    payment = pay(customer_api, checkout, 45.0)
    assert payment["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # then Saleor created a fully paid order of that total
    assert result["checkoutErrors"] == []
    order = result["order"]
    assert order["paymentStatus"] == "FULLY_CHARGED"
    assert order["isPaid"] is True
    assert order["total"]["gross"] == {"amount": 45.0, "currency": "EUR"}
    db_order = Order.objects.get()
    assert db_order.total_gross_amount == Decimal("45.00")
    assert db_order.user.email == "erika@example.com"


def test_migrations_match_the_models(db):
    from django.core.management import call_command

    # --check exits non-zero when a model change has no migration yet
    call_command("makemigrations", "customer_value", "--check", "--dry-run", verbosity=0)


def test_demo_data_command_is_idempotent(db):
    from django.core.management import call_command

    from saleor_customer_value.loyalty.program import get_program
    from saleor_customer_value.models import Account

    def balances():
        return {
            (a.customer.email, a.kind, a.unit): a.posted
            for a in Account.objects.filter(customer__isnull=False).select_related("customer")
        }

    # when it runs twice
    call_command("customer_value_demo", stdout=open("/dev/null", "w"))
    first = balances()
    call_command("customer_value_demo", stdout=open("/dev/null", "w"))

    # then every demo customer has one set of bookings (the shopper: 62.50 and 1,200
    # points of today plus four weeks of seeded history) and the program is on
    assert balances() == first
    assert first[("shopper@example.com", "wallet", "EUR")] == Decimal("328.360")
    assert first[("shopper@example.com", "points", "PTS")] == Decimal("2110.000")
    # the city network's shopper (issue 12): 80.00 + 30.00 top-up at the bakery - 12.50
    # at the cinema - 4.00 at the museum; 300 + 12 (bakery plan, 1 per 2.00) - 100 redeemed
    assert first[("citycard@example.com", "wallet", "EUR")] == Decimal("93.500")
    assert first[("citycard@example.com", "points", "PTS")] == Decimal("212.000")
    # the shopper's credit line ("pay later", 45.80 billed + 18.40 open), nothing else
    assert first[("shopper@example.com", "credit", "EUR")] == Decimal("-64.200")
    assert len(first) == 13  # the shopper (3), four more customers and the city card shopper
    program = get_program()
    assert (program.enabled, program.earn_points, program.earn_amount) == (True, 10, Decimal("5.00"))
