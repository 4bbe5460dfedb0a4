"""Oracles and limits: gift card redemption answers alike and is rate-limited, sign-up
links are rate-limited per address, counters are shared by all workers (database,
atomic upserts), and client addresses honour X-Forwarded-For only from trusted proxies."""
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from saleor.account.models import User
from saleor.giftcard.models import GiftCard

from saleor_customer_value.models import RateLimitCounter
from saleor_customer_value.security import client, ratelimit

from .cards.test_signup import REGISTER as SIGNUP, create_link, grant
from .conftest import ApiClient

REDEEM = """
mutation($code: String!) {
  walletRedeemGiftCard(code: $code) {
    amount { amount }
    customerValueErrors { field code message }
  }
}
"""


def redeem(api, code):
    return api.execute(REDEEM, {"code": code})["walletRedeemGiftCard"]


def gift_card(code, **extra):
    return GiftCard.objects.create(
        code=code,
        **{"initial_balance_amount": Decimal("10"), "current_balance_amount": Decimal("10"), **extra},
    )


def test_unknown_and_used_gift_card_codes_get_the_same_answer(customer_api):
    # given
    gift_card("USEDUP", current_balance_amount=Decimal("0"), is_active=False)

    # when
    unknown = redeem(customer_api, "NOSUCHCODE")["customerValueErrors"]
    used = redeem(customer_api, "USEDUP")["customerValueErrors"]

    # then
    assert unknown == used
    assert [(e["field"], e["code"]) for e in used] == [("code", "INVALID_GIFT_CARD_CODE")]


def test_gift_card_guessing_is_rate_limited_per_account(customer_api, customer_user, other_customer):
    # given: the free failures are used up
    gift_card("VALIDCODE")
    for n in range(ratelimit.rule("gift-card:user").limit):
        assert redeem(customer_api, f"GUESS{n}")["customerValueErrors"][0]["code"] == (
            "INVALID_GIFT_CARD_CODE"
        )

    # when
    refused = redeem(customer_api, "VALIDCODE")["customerValueErrors"]

    # then: even a right code waits; another shopper (same address) is not affected
    assert [(e["code"], "retry after 60 seconds" in e["message"]) for e in refused] == [
        ("TOO_MANY_ATTEMPTS", True)
    ]
    assert GiftCard.objects.get(code="VALIDCODE").current_balance_amount == Decimal("10")
    assert redeem(ApiClient(user=other_customer), "VALIDCODE")["customerValueErrors"] == []


def test_sign_up_links_are_rate_limited_per_address(staff_user, staff_api, settings):
    # given
    settings.CUSTOMER_VALUE_RATE_LIMITS = {"card-signup:ip": {"limit": 2}}
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    grant(staff_user, "manage_cards")
    token = create_link(staff_api)["signupLink"]["token"]
    anonymous = ApiClient()

    def sign_up(n):
        variables = {"token": token, "email": f"new{n}@example.com", "password": "a-long-passphrase"}
        return anonymous.execute(SIGNUP, variables)["accountRegisterWithCard"]

    # when
    answers = [sign_up(n) for n in range(3)]

    # then
    assert [[e["code"] for e in a["customerValueErrors"]] for a in answers] == [
        [], [], ["TOO_MANY_ATTEMPTS"]
    ]
    assert not User.objects.filter(email="new2@example.com").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_workers_share_one_counter_and_lose_no_increment():
    # given: 4 "workers", each with its own database connection
    limiter = ratelimit.limiter("card-register:ip", "203.0.113.7")

    def worker():
        try:
            for _ in range(25):
                limiter.hit()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert RateLimitCounter.objects.get(key=limiter.key).count == 100
    assert limiter.retry_after() == pytest.approx(3600, abs=5)


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/graphql/", **extra)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.CUSTOMER_VALUE_TRUSTED_PROXIES = []
    assert client.client_ip(_request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"


def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(settings):
    settings.CUSTOMER_VALUE_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]

    # from the proxy: the client it saw; a client's own forged entries on the left
    # are skipped, and chained trusted proxies are walked through
    assert client.client_ip(_request("10.1.2.3", "203.0.113.5")) == "203.0.113.5"
    assert client.client_ip(_request("10.1.2.3", "6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    assert client.client_ip(_request("10.1.2.3", "203.0.113.5, 192.0.2.1")) == "203.0.113.5"
    # not from a proxy: the header is whatever the client wrote
    assert client.client_ip(_request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"
    # garbage in the header: the last address a trusted proxy vouched for
    assert client.client_ip(_request("10.1.2.3", "not-an-ip")) == "10.1.2.3"


def test_shoppers_behind_a_trusted_proxy_are_counted_by_their_own_address(
    customer_api, settings
):
    # given
    settings.CUSTOMER_VALUE_TRUSTED_PROXIES = ["127.0.0.1"]

    # when: the request comes through the proxy (the test client's peer is 127.0.0.1)
    customer_api.client.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.5"
    redeem(customer_api, "NOSUCHCODE")

    # then
    assert RateLimitCounter.objects.filter(key="gift-card:ip:203.0.113.5", count=1).exists()
