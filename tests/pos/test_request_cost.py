"""The cheaper paths of a till's request (issue 16) give exactly what the general ones
give: the App and its permissions read in one statement, the JWT user settled once per
request (failures still answered by Saleor's own middleware), and a plain credit's lot
written by the SQL function of migration 0020."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.graphql.middleware import get_app

from saleor_customer_value.graphql import request_auth
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import PointsLot

from ..conftest import ApiClient, grant
from .test_query_counts import LOOKUP

LOT_FIELDS = (
    "source", "status", "points", "remaining", "earned_points", "taken_back", "order_id",
    "available_at", "resolved_at", "metadata",
)


def test_app_and_permissions_in_one_statement_as_saleor_reads_them(app):
    grant(app, "use_pos", "manage_cards")
    token = app.tokens.first().auth_token

    with CaptureQueriesContext(connection) as captured:
        fast = request_auth.app_for_token(token)
        permissions = fast.get_permissions()
    saleor = get_app(token)

    assert len(captured) == 1
    assert fast == saleor and fast.name == saleor.name and fast.is_active
    assert permissions == saleor.get_permissions() == {
        "customer_value.use_pos", "customer_value.manage_cards"
    }


def test_inactive_app_and_unknown_token_are_no_app(app):
    token = app.tokens.first().auth_token
    assert request_auth.app_for_token("no-such-token") is None
    app.is_active = False
    app.save(update_fields=["is_active"])
    assert request_auth.app_for_token(token) is None
    assert get_app(token) is None


def test_deactivated_till_is_refused(till, app, customer_user, erika_card, program):
    app.is_active = False
    app.save(update_fields=["is_active"])

    result = till.execute(LOOKUP, {"code": erika_card.code})["posCustomerLookup"]

    assert result["customers"] == []
    assert [e["code"] for e in result["customerValueErrors"]] == ["PERMISSION_DENIED"]


@pytest.mark.parametrize("header", ["JWT not-a-token", "JWT "])
def test_bad_jwt_is_answered_as_saleor_answers_it(customer_user, monkeypatch, header):
    query = "{ me { email } shop { name } }"
    client = ApiClient()

    def post():
        return client.client.post(
            "/graphql/", data={"query": query}, content_type="application/json",
            HTTP_AUTHORIZATION=header,
        ).json()

    ours = post()
    monkeypatch.setattr(request_auth, "slim_middleware", lambda request: None)
    saleor = post()

    assert ours == saleor


def test_jwt_user_is_authenticated_once_for_all_fields(customer_user, monkeypatch):
    calls = []
    authenticate = request_auth.authenticate
    monkeypatch.setattr(request_auth, "authenticate", lambda **kw: calls.append(1) or authenticate(**kw))

    data = ApiClient(user=customer_user).execute("{ me { email } shop { name } }")

    assert data["me"]["email"] == customer_user.email
    assert len(calls) == 1


def _credit(account, points, metadata):
    return lots.credit(
        account,
        points,
        service.Posting(reason=Reason.POINTS_ADJUSTMENT, actor=Actor.system("tests"), note="t", metadata=metadata),
    )


@pytest.mark.parametrize("expiry_days", [None, 0, 30, 365])
def test_plain_credit_lot_is_the_lot_python_writes(customer_user, monkeypatch, expiry_days):
    account = accounts.points_account(accounts.customer_for_user(customer_user))

    fast_txn = _credit(account, 7, {"expiry_days": expiry_days})
    monkeypatch.setattr(lots, "_sync_plain_credit", lambda account: False)
    slow_txn = _credit(account, 7, {"expiry_days": expiry_days})

    fast = PointsLot.objects.get(credit_transaction=fast_txn)
    slow = PointsLot.objects.get(credit_transaction=slow_txn)
    assert {f: getattr(fast, f) for f in LOT_FIELDS} == {f: getattr(slow, f) for f in LOT_FIELDS}
    assert (fast.created_at, slow.created_at) == (fast_txn.created_at, slow_txn.created_at)
    validity = [lot.expires_at - lot.created_at if lot.expires_at else None for lot in (fast, slow)]
    assert validity[0] == validity[1]
    if expiry_days:
        assert fast.expires_at == fast_txn.created_at + timedelta(days=expiry_days)
    else:
        assert fast.expires_at is None
    account.refresh_from_db()
    assert account.posted == Decimal(14)
    assert account.points_state.last_entry_id > 0


def test_credit_after_debt_or_with_program_expiry_takes_the_python_path(customer_user, monkeypatch):
    account = accounts.points_account(accounts.customer_for_user(customer_user))
    fast = []
    original = lots._sync_plain_credit
    monkeypatch.setattr(lots, "_sync_plain_credit", lambda a: fast.append(original(a)) or fast[-1])

    _credit(account, 5, {})  # no expiry_days: the program's rule, in Python
    _credit(account, 5, {"expiry_days": "30"})  # not a JSON number

    assert fast == [False, False]
    assert PointsLot.objects.filter(account=account, remaining=5).count() == 2
