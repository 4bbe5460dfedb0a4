"""The ledger's audit trail and reversals through Saleor's GraphQL API."""
from decimal import Decimal

import graphene
import pytest

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.models import Customer

from ..conftest import grant
from .helpers import earn_points, refresh, spend, top_up

pytestmark = pytest.mark.django_db

TRANSACTIONS = """
query($filter: LedgerTransactionFilterInput) {
  ledgerTransactions(first: 20, filter: $filter) {
    totalCount
    edges { node {
      id reason actorType note externalReference
      reversalOf { id } reversedBy { id }
      entries { unit amount balanceAfter account { kind systemCode customerEmail } }
    } }
  }
}
"""

REVERSE = """
mutation($id: ID!, $note: String!, $key: String, $clawback: Boolean) {
  ledgerTransactionReverse(id: $id, note: $note, idempotencyKey: $key,
                           allowClawback: $clawback) {
    transaction { id reason reversalOf { id } }
    customerValueErrors { field code message }
  }
}
"""


def txn_id(txn):
    return graphene.Node.to_global_id("LedgerTransaction", txn.pk)


@pytest.fixture
def erika_wallet(customer_user):
    customer = Customer.objects.create(user=customer_user, email=customer_user.email)
    wallet = accounts.wallet_account(customer, "EUR")
    top_up(wallet, "40.00", refs=service.References(external_reference="R-1"))
    spend(wallet, "15.00", refs=service.References(external_reference="R-2"))
    return wallet


def test_staff_with_view_ledger_sees_the_audit_trail(staff_api, staff_user, erika_wallet):
    grant(staff_user, "view_ledger")

    data = staff_api.execute(TRANSACTIONS)["ledgerTransactions"]

    assert data["totalCount"] == 2
    newest = data["edges"][0]["node"]
    assert newest["reason"] == "CHECKOUT_PAYMENT"
    assert newest["externalReference"] == "R-2"
    wallet_entry = next(e for e in newest["entries"] if e["account"]["kind"] == "WALLET")
    assert wallet_entry == {
        "unit": "EUR",
        "amount": -15.0,
        "balanceAfter": 25.0,
        "account": {"kind": "WALLET", "systemCode": None, "customerEmail": "erika@example.com"},
    }


@pytest.mark.parametrize(
    "filter_, expected_reasons",
    [
        ({"reasons": ["TOPUP"]}, ["TOPUP"]),
        ({"reference": "R-2"}, ["CHECKOUT_PAYMENT"]),
        ({"amount": {"gte": 20}}, ["TOPUP"]),
        ({"amount": {"lte": 20}}, ["CHECKOUT_PAYMENT"]),
        ({"unit": "PTS"}, []),
        ({"created": {"gte": "2000-01-01T00:00:00+00:00"}}, ["CHECKOUT_PAYMENT", "TOPUP"]),
        ({"created": {"lte": "2000-01-01T00:00:00+00:00"}}, []),
    ],
)
def test_audit_trail_filters(staff_api, staff_user, erika_wallet, filter_, expected_reasons):
    grant(staff_user, "view_ledger")

    data = staff_api.execute(TRANSACTIONS, {"filter": filter_})["ledgerTransactions"]

    assert [e["node"]["reason"] for e in data["edges"]] == expected_reasons


def test_audit_trail_filter_by_customer(
    staff_api, staff_user, erika_wallet, other_customer
):
    grant(staff_user, "view_ledger")
    other = accounts.wallet_account(Customer.objects.create(user=other_customer), "EUR")
    top_up(other, "5.00")

    user_id = graphene.Node.to_global_id("User", other_customer.pk)
    data = staff_api.execute(TRANSACTIONS, {"filter": {"customers": [user_id]}})

    assert data["ledgerTransactions"]["totalCount"] == 1


@pytest.mark.parametrize("client", ["customer_api", "api_client", "app_api"])
def test_audit_trail_needs_view_ledger(request, client, erika_wallet):
    api = request.getfixturevalue(client)

    content = api.post(TRANSACTIONS)

    assert content["data"]["ledgerTransactions"] is None
    assert "permission" in content["errors"][0]["message"]


def test_app_with_view_ledger_sees_the_audit_trail(app_api, app, erika_wallet):
    grant(app, "view_ledger")

    data = app_api.execute(TRANSACTIONS)

    assert data["ledgerTransactions"]["totalCount"] == 2


def test_staff_reverses_a_wallet_movement(staff_api, staff_user, erika_wallet):
    # given
    grant(staff_user, "manage_wallets")
    payment = erika_wallet.entries.order_by("-id").first().transaction

    # when
    data = staff_api.execute(
        REVERSE, {"id": txn_id(payment), "note": "booked twice by mistake"}
    )["ledgerTransactionReverse"]

    # then
    assert data["customerValueErrors"] == []
    assert data["transaction"]["reason"] == "REVERSAL"
    assert data["transaction"]["reversalOf"]["id"] == txn_id(payment)
    assert refresh(erika_wallet).posted == Decimal("40.000")
    reversal = payment.reversed_by
    assert reversal.actor_type == "staff" and reversal.actor_user_id == staff_user.pk


def test_reversal_replayed_with_its_key_reverses_once(staff_api, staff_user, erika_wallet):
    grant(staff_user, "manage_wallets")
    payment = erika_wallet.entries.order_by("-id").first().transaction
    variables = {"id": txn_id(payment), "note": "duplicate", "key": "rev-1"}

    first = staff_api.execute(REVERSE, variables)["ledgerTransactionReverse"]
    second = staff_api.execute(REVERSE, variables)["ledgerTransactionReverse"]

    assert second["transaction"]["id"] == first["transaction"]["id"]
    assert refresh(erika_wallet).posted == Decimal("40.000")


@pytest.mark.parametrize(
    "variables, field, code",
    [
        ({"note": "  "}, "note", "REQUIRED"),
        ({"id": "TGVkZ2VyVHJhbnNhY3Rpb246OTk5OTk5"}, "id", "NOT_FOUND"),
        ({"id": "not-an-id"}, "id", "INVALID"),
    ],
)
def test_reversal_bad_input(staff_api, staff_user, erika_wallet, variables, field, code):
    grant(staff_user, "manage_wallets")
    payment = erika_wallet.entries.order_by("-id").first().transaction
    full = {"id": txn_id(payment), "note": "why", **variables}

    data = staff_api.execute(REVERSE, full)["ledgerTransactionReverse"]

    assert data["transaction"] is None
    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [(field, code)]
    assert refresh(erika_wallet).posted == Decimal("25.000")


def test_reversing_twice_is_an_error(staff_api, staff_user, erika_wallet):
    grant(staff_user, "manage_wallets")
    payment = erika_wallet.entries.order_by("-id").first().transaction
    staff_api.execute(REVERSE, {"id": txn_id(payment), "note": "first"})

    data = staff_api.execute(REVERSE, {"id": txn_id(payment), "note": "second"})

    errors = data["ledgerTransactionReverse"]["customerValueErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("transaction", "ALREADY_REVERSED")]


def test_reversal_needs_the_permission_of_the_unit(staff_api, staff_user, customer_user):
    # given a points movement and a staff member who may only book money
    grant(staff_user, "manage_wallets")
    customer = Customer.objects.create(user=customer_user)
    earned = earn_points(accounts.points_account(customer), 100)

    # when
    data = staff_api.execute(REVERSE, {"id": txn_id(earned), "note": "x"})

    # then
    errors = data["ledgerTransactionReverse"]["customerValueErrors"]
    assert [e["code"] for e in errors] == ["PERMISSION_DENIED"]
    assert refresh(accounts.points_account(customer)).posted == Decimal("100")


@pytest.mark.parametrize("client", ["customer_api", "api_client"])
def test_reversal_is_refused_to_customers_and_anonymous(request, client, erika_wallet):
    api = request.getfixturevalue(client)
    payment = erika_wallet.entries.order_by("-id").first().transaction

    data = api.execute(REVERSE, {"id": txn_id(payment), "note": "mine"})

    errors = data["ledgerTransactionReverse"]["customerValueErrors"]
    assert [e["code"] for e in errors] == ["PERMISSION_DENIED"]
    assert refresh(erika_wallet).posted == Decimal("25.000")
