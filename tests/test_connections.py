"""Requests must not leave database connections behind: nothing in the plugin opens a
connection outside the request's own (threads, tasks) without closing it."""
import os
import re
import subprocess
import sys
import threading
import time

import pytest
import requests
from django.conf import settings
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_wsgi_server_keeps_one_connection_per_worker():
    # given: gunicorn with two workers serving the example shop from this test database
    database = settings.DATABASES["default"]
    env = dict(
        os.environ,
        DATABASE_URL="postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{k: database[k] or "" for k in ("USER", "HOST", "PORT", "NAME")}
        ),
        DJANGO_SETTINGS_MODULE="example_shop.settings",
        ALLOWED_HOSTS="*",
        SECRET_KEY="connections-test",
    )
    server = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "example_shop.wsgi", "--bind", "127.0.0.1:0", "--workers", "2",
            "--log-level", "info",
        ],
        env=env, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        stderr=subprocess.PIPE, text=True,
    )
    try:
        url = _listening_url(server)
        session = requests.Session()
        body = {"query": "{ loyaltyProgram { enabled } }"}
        for _ in range(20):  # warm up the workers
            assert session.post(url, json=body, timeout=30).status_code == 200

        # when
        for n in range(500):
            query, variables = OPERATIONS[n % len(OPERATIONS)]
            response = session.post(url, json={"query": query, "variables": variables}, timeout=30)
            assert response.status_code == 200

        # then: this test's own connection and at most one per worker
        assert _connections() <= 1 + 2
    finally:
        server.terminate()
        server.wait(timeout=30)


def _listening_url(server):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        match = re.search(r"Listening at: (http://[\d.]+:\d+)", line or "")
        if match:
            threading.Thread(target=server.stderr.read, daemon=True).start()  # keep draining
            url = match.group(1) + "/graphql/"
            for _ in range(60):  # workers boot after the master binds
                try:
                    requests.post(url, json={"query": "{ __typename }"}, timeout=30)
                    return url
                except requests.ConnectionError:
                    time.sleep(0.5)
        if server.poll() is not None:
            break
    raise AssertionError("gunicorn did not start")
