"""cardRegister: linking, what wrong codes reveal, rate limits, merging a card's value."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from django.db.models import F

from saleor_customer_value.cards import codes, registration
from saleor_customer_value.models import RateLimitCounter
from saleor_customer_value.security import ratelimit
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import POINTS_UNIT, Reason, SystemAccountCode
from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import (
    Account,
    AccountKind,
    Card,
    CardState,
    LedgerTransaction,
    PointsLot,
)

from ..conftest import ApiClient
from .conftest import make_card

REGISTER = """
mutation($code: String!) {
  cardRegister(code: $code) {
    card { id state kind maskedCode code qrPayload }
    customerValueErrors { field code message }
  }
}
"""
MY_CARDS = "{ myCards { id state maskedCode code qrPayload } }"


def register(client, code):
    return client.execute(REGISTER, {"code": code})["cardRegister"]


def errors(data):
    return [(e["field"], e["code"], e["message"]) for e in data["customerValueErrors"]]


def test_a_shopper_registers_a_card_by_its_printed_code(customer_api, customer_user, card):
    data = register(customer_api, codes.formatted(card.code).lower())

    assert data["customerValueErrors"] == []
    assert data["card"]["state"] == "ACTIVE"
    assert data["card"]["code"] == codes.formatted(card.code)
    assert data["card"]["qrPayload"] == "CV1:" + card.code
    card.refresh_from_db()
    assert card.customer.user == customer_user and card.registered_at
    my = customer_api.execute(MY_CARDS)["myCards"]
    assert [c["id"] for c in my] == [data["card"]["id"]]
    # Registering one's own card again is harmless.
    assert register(customer_api, card.code)["customerValueErrors"] == []


def test_unknown_taken_blocked_and_expired_codes_get_the_same_error(
    customer_api, other_customer, db
):
    taken = make_card()
    registration.register(other_customer, taken.code)
    blocked = make_card(state=CardState.BLOCKED)
    replaced = make_card(state=CardState.REPLACED)
    expired = make_card(expires_at=date.today() - timedelta(days=1))
    unknown = codes.generate()

    seen = {
        errors(register(customer_api, code))[0]
        for code in [taken.code, blocked.code, replaced.code, expired.code, unknown]
    }

    assert seen == {("code", "INVALID_CARD_CODE", registration.INVALID_MESSAGE)}
    assert Card.objects.get(pk=taken.pk).customer.user == other_customer
    assert not Card.objects.filter(customer__user__email="erika@example.com").exists()


USER_LIMIT = ratelimit.rule("card-register:user").limit


def _age_counters(seconds):
    """Pretend the last failure (and the window start) was ``seconds`` ago."""
    delta = timedelta(seconds=seconds)
    RateLimitCounter.objects.update(
        last_at=F("last_at") - delta, window_ends=F("window_ends") - delta
    )


def test_a_typo_is_reported_as_such_and_not_counted(customer_api, card):
    typo = card.code[:5] + ("A" if card.code[5] != "A" else "B") + card.code[6:]
    for _ in range(USER_LIMIT + 2):
        assert errors(register(customer_api, typo))[0][:2] == ("code", "CARD_CODE_TYPO")
    assert errors(register(customer_api, "hello"))[0][:2] == ("code", "CARD_CODE_TYPO")
    assert register(customer_api, card.code)["customerValueErrors"] == []


def test_repeated_failures_are_rate_limited_per_user(customer_api, card):
    for _ in range(USER_LIMIT):
        assert errors(register(customer_api, codes.generate()))[0][1] == "INVALID_CARD_CODE"

    refused = errors(register(customer_api, card.code))[0]

    assert refused[:2] == ("code", "TOO_MANY_ATTEMPTS")
    assert "retry after 60 seconds" in refused[2]
    assert Card.objects.get(pk=card.pk).customer is None  # even a right code waits


def test_each_further_failure_doubles_the_wait(customer_api, card):
    # given: locked out after the free failures
    for _ in range(USER_LIMIT):
        register(customer_api, codes.generate())
    _age_counters(61)

    # when: the next attempt fails again
    assert errors(register(customer_api, codes.generate()))[0][1] == "INVALID_CARD_CODE"

    # then: the wait doubled, and it lifts once served
    assert "retry after 120 seconds" in errors(register(customer_api, card.code))[0][2]
    _age_counters(121)
    assert register(customer_api, card.code)["customerValueErrors"] == []


def test_the_address_limit_never_stops_a_shopper_who_has_not_failed(db, card, settings):
    from saleor.account.models import User

    # given: three shoppers behind one NAT address fail, reaching its limit of 3
    settings.CUSTOMER_VALUE_RATE_LIMITS = {"card-register:ip": {"limit": 3}}
    bots = [ApiClient(user=User.objects.create_user(f"bot{n}@example.com", "pw")) for n in range(3)]
    for bot in bots:
        assert errors(register(bot, codes.generate()))[0][1] == "INVALID_CARD_CODE"
    fresh = ApiClient(user=User.objects.create_user("fresh@example.com", "pw"))

    # when / then: those who failed are stopped, even with a valid code ...
    assert errors(register(bots[0], make_card().code))[0][1] == "TOO_MANY_ATTEMPTS"
    # ... a shopper who has not failed registers a valid card
    assert register(fresh, card.code)["customerValueErrors"] == []


def test_failures_are_counted_in_the_database_for_every_worker(customer_api, customer_user):
    # when
    for _ in range(3):
        register(customer_api, codes.generate())

    # then: one shared counter per account and per address, not per process
    counters = dict(RateLimitCounter.objects.values_list("key", "count"))
    assert counters == {
        f"card-register:user:{customer_user.pk}": 3,
        "card-register:ip:127.0.0.1": 3,
    }


def test_the_limit_lifts_after_the_backoff(customer_api, card):
    for _ in range(USER_LIMIT):
        register(customer_api, codes.generate())
    _age_counters(61)
    assert register(customer_api, card.code)["customerValueErrors"] == []


def test_anonymous_callers_cannot_register(api_client, card):
    data = register(api_client, card.code)
    assert errors(data)[0][1] == "PERMISSION_DENIED"


def _fund_anonymous(customer, money, points):
    wallet = accounts.wallet_account(customer, "EUR")
    service.transfer(
        accounts.system_account(SystemAccountCode.FUNDING, "EUR"), wallet, Decimal(money),
        service.Posting(reason=Reason.TOPUP, actor=Actor.system("till")),
    )
    soon = timezone.now() + timedelta(days=30)
    points_account = accounts.points_account(customer)
    for amount, expiry in [(100, soon), (50, None)]:
        lots.credit(
            points_account, amount,
            service.Posting(
                reason=Reason.POINTS_ADJUSTMENT, actor=Actor.system("till"),
                metadata={"expires_at": lots.iso(expiry)},
            ),
        )
    return wallet, points_account, soon


def test_value_on_an_anonymous_card_moves_to_the_shopper(
    customer_api, customer_user, anonymous_customer
):
    card = make_card(customer=anonymous_customer, state=CardState.ACTIVE)
    wallet, points, soon = _fund_anonymous(anonymous_customer, "25.50", 150)
    mine = accounts.wallet_account(accounts.customer_for_user(customer_user), "EUR")
    service.transfer(
        accounts.system_account(SystemAccountCode.FUNDING, "EUR"), mine, Decimal("4.50"),
        service.Posting(reason=Reason.TOPUP, actor=Actor.system("tests")),
    )

    data = register(customer_api, card.code)

    assert data["customerValueErrors"] == []
    wallet.refresh_from_db()
    mine.refresh_from_db()
    assert wallet.posted == 0 and mine.posted == Decimal("30.000")
    points.refresh_from_db()
    my_points = Account.objects.get(customer__user=customer_user, kind=AccountKind.POINTS)
    assert points.posted == 0 and my_points.posted == 150
    gap = lots.invariant_gap(my_points)
    assert gap["posted"] == gap["lots"] - gap["debt"] == 150
    gap = lots.invariant_gap(points)
    assert gap["posted"] == gap["lots"] - gap["debt"] == 0
    expiries = sorted(
        (lot.remaining, lot.expires_at) for lot in PointsLot.objects.filter(account=my_points, status="active")
    )
    assert expiries == [(50, None), (100, soon)]
    merges = LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE)
    assert merges.count() == 3 and {t.card_id for t in merges} == {card.pk}
    assert all(t.actor_type == "customer" for t in merges)


def test_a_failed_merge_changes_nothing(customer_api, anonymous_customer, monkeypatch):
    card = make_card(customer=anonymous_customer, state=CardState.ACTIVE)
    wallet, _points, _soon = _fund_anonymous(anonymous_customer, "10", 0)

    def boom(*_args, **_kwargs):
        raise RuntimeError("crash after the wallet moved")

    monkeypatch.setattr(lots, "prepare", boom)
    content = customer_api.post(REGISTER, {"code": card.code})
    assert content["errors"] and content["data"]["cardRegister"] is None

    wallet.refresh_from_db()
    card.refresh_from_db()
    assert wallet.posted == 10 and card.customer == anonymous_customer
    assert not LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE).exists()
