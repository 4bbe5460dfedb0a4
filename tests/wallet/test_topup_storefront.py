"""A top-up line renders in any storefront's cart, while the top-up product stays out
of the catalogue."""
import pytest

from ..conftest import ApiClient, global_id
from .stored_value_flow import add_top_up, new_checkout

pytestmark = pytest.mark.django_db

CART = """
query($token: UUID!) {
  checkout(token: $token) {
    lines { quantity variant { sku name product { name } } }
  }
}
"""
CATALOGUE = """
query($id: ID!) {
  products(first: 50) { edges { node { name } } }
  product(id: $id) { name }
}
"""


def test_the_cart_with_a_top_up_renders_for_its_owner(customer_api, warehouse):
    # given a checkout with a top-up line
    checkout = new_checkout(customer_api)
    assert add_top_up(customer_api, checkout, 20)["customerValueErrors"] == []

    # when the storefront asks for the cart with the products of its lines
    cart = customer_api.execute(CART, {"token": checkout["token"]})["checkout"]

    # then the top-up line shows its product
    assert cart["lines"] == [
        {
            "quantity": 1,
            "variant": {
                "sku": "wallet-topup-EUR-20.00",
                "name": "20.00 EUR",
                "product": {"name": "Wallet top-up"},
            },
        }
    ]


def test_the_top_up_product_is_not_in_the_catalogue(customer_api, warehouse):
    # given a top-up exists
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 20)
    from saleor.product.models import Product

    product = Product.objects.get(slug="customer-value-wallet-top-up")

    # when shoppers (logged in or not) browse the catalogue
    for api in (customer_api, ApiClient()):
        data = api.execute(CATALOGUE, {"id": global_id("Product", product.pk)})

        # then the top-up product is neither listed nor found by its ID
        assert data["products"]["edges"] == []
        assert data["product"] is None
