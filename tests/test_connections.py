"""Requests must not leave database connections behind: nothing in the plugin opens a
connection outside the request's own (threads, tasks) without closing it."""
from django.db import connection

from .conftest import ApiClient

OPERATIONS = [
    ("{ myWallets { currency } }", {}),
    ("{ myPoints { introText } }", {}),
    ("{ loyaltyProgram { enabled } }", {}),
    ("{ myDigitalCard { maskedCode } }", {}),
    (
        "mutation($c: String!) { walletRedeemGiftCard(code: $c) { customerValueErrors { code } } }",
        {"c": "NOSUCHCODE"},
    ),
    (
        "mutation($a: Decimal!) { pointsConvertToWallet(points: $a) { customerValueErrors { code } } }",
        {"a": "sNaN"},
    ),
]


def _connections():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def test_500_sequential_requests_leave_the_connection_count_flat(customer_user):
    # given
    api = ApiClient(user=customer_user)
    for query, variables in OPERATIONS:  # warm up: the first digital card, caches
        api.post(query, variables)
    before = _connections()

    # when
    for n in range(500):
        query, variables = OPERATIONS[n % len(OPERATIONS)]
        api.post(query, variables)

    # then
    assert _connections() == before
