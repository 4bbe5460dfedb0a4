"""Fixtures that build real Saleor objects through Saleor's models, and a GraphQL client
that calls the real ``/graphql/`` endpoint as staff, customer, App or anonymous caller.

The database is the real PostgreSQL named by DATABASE_URL (pytest-django creates
``test_<name>`` per xdist worker). Nothing of Saleor, the database or the ledger is
mocked.
"""
import json
from decimal import Decimal

import graphene
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from graphql_jwt.shortcuts import get_token
from prices import Money

from saleor.account.models import Address, User
from saleor.app.models import App
from saleor.product.models import (
    Category,
    Product,
    ProductType,
    ProductVariant,
)
from saleor.shipping.models import ShippingMethod, ShippingZone
from saleor.warehouse.models import Stock, Warehouse

API_URL = "/graphql/"


class ApiClient:
    """Posts GraphQL to Saleor's endpoint with the caller's credentials."""

    def __init__(self, user=None, app_token=None):
        self.client = Client()
        self.user = user
        self.app_token = app_token

    def _headers(self):
        if self.app_token:
            return {"HTTP_AUTHORIZATION": f"Bearer {self.app_token}"}
        if self.user is not None:
            return {"HTTP_AUTHORIZATION": f"JWT {get_token(self.user)}"}
        return {}

    def post(self, query, variables=None):
        response = self.client.post(
            API_URL,
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **self._headers(),
        )
        assert response.status_code == 200, response.content[:2000]
        return json.loads(response.content)

    def execute(self, query, variables=None):
        """Post and return ``data``; fail loudly on top-level GraphQL errors."""
        content = self.post(query, variables)
        assert "errors" not in content, content["errors"]
        return content["data"]


def perm(codename):
    return Permission.objects.get(codename=codename)


@pytest.fixture
def api_client():
    return ApiClient()


@pytest.fixture
def address(db):
    return Address.objects.create(
        first_name="Erika",
        last_name="Mustermann",
        street_address_1="Hauptstrasse 1",
        city="BERLIN",
        postal_code="10115",
        country="DE",
        phone="+493012345678",
    )


@pytest.fixture
def customer_user(db, address):
    user = User.objects.create_user(
        "erika@example.com", "password-erika", first_name="Erika", last_name="M"
    )
    user.addresses.add(address)
    user.default_billing_address = address
    user.default_shipping_address = address
    user.save()
    return user


@pytest.fixture
def other_customer(db):
    return User.objects.create_user("max@example.com", "password-max")


@pytest.fixture
def staff_user(db):
    return User.objects.create_user(
        "staff@example.com", "password-staff", is_staff=True, is_active=True
    )


def grant(user_or_app, *codenames):
    user_or_app.user_permissions.add(*[perm(c) for c in codenames]) if isinstance(
        user_or_app, User
    ) else user_or_app.permissions.add(*[perm(c) for c in codenames])
    return user_or_app


@pytest.fixture
def staff_api(staff_user):
    """A staff client; grant permissions with ``grant(staff_user, ...)``."""
    return ApiClient(user=staff_user)


@pytest.fixture
def customer_api(customer_user):
    return ApiClient(user=customer_user)


@pytest.fixture
def app(db):
    app = App.objects.create(name="Till 1", is_active=True)
    app.tokens.create(name="default")
    return app


@pytest.fixture
def app_api(app):
    return ApiClient(app_token=app.tokens.first().auth_token)


@pytest.fixture
def shipping_method(db):
    zone = ShippingZone.objects.create(name="Europe", countries=["DE", "FR", "PL"])
    return ShippingMethod.objects.create(
        name="DHL",
        type="price",
        shipping_zone=zone,
        price=Money(Decimal("5.00"), "EUR"),
    )


@pytest.fixture
def warehouse(db, address, shipping_method):
    warehouse = Warehouse.objects.create(
        name="Berlin", slug="berlin", company_name="Shop", address=address,
        email="wh@example.com",
    )
    warehouse.shipping_zones.add(shipping_method.shipping_zone)
    return warehouse


def make_variant(warehouse, name="T-Shirt", price="20.00", sku=None, quantity=100):
    product_type, created = ProductType.objects.get_or_create(
        slug="apparel", defaults={"name": "Apparel", "has_variants": True}
    )
    if created:
        # The standard VAT rate applies when a tax plugin is active (see german_vat).
        product_type.store_value_in_metadata(
            {"vatlayer.code": "standard", "vatlayer.description": "standard"}
        )
        product_type.save()
    category, _ = Category.objects.get_or_create(
        slug="clothes", defaults={"name": "Clothes"}
    )
    slug = (sku or name).lower().replace(" ", "-")
    product = Product.objects.create(
        name=name,
        slug=slug,
        product_type=product_type,
        category=category,
        price=Money(Decimal(price), "EUR"),
        minimal_variant_price=Money(Decimal(price), "EUR"),
        is_published=True,
        charge_taxes=True,
    )
    variant = ProductVariant.objects.create(product=product, sku=sku or slug)
    Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=quantity)
    return variant


@pytest.fixture
def variant(warehouse):
    return make_variant(warehouse)


def global_id(type_name, pk):
    return graphene.Node.to_global_id(type_name, pk)
