"""cardSignupLinkCreate and accountRegisterWithCard: a shared link creates the account
and its digital card in one step."""
import time

import pytest
from django.core import signing

from saleor.account.models import User
from saleor_customer_value.cards import signup
from saleor_customer_value.models import Card, CardKind, CardState, Customer

from ..conftest import ApiClient, grant
from ..loyalty.conftest import on_commit_callbacks

LINK = """
mutation($redirectUrl: String, $days: Int) {
  cardSignupLinkCreate(redirectUrl: $redirectUrl, validityDays: $days) {
    signupLink { token url expiresAt }
    customerValueErrors { field code message }
  }
}
"""
REGISTER = """
mutation($token: String!, $email: String!, $password: String!, $redirectUrl: String) {
  accountRegisterWithCard(
    token: $token, email: $email, password: $password,
    firstName: "Jana", lastName: "Novak", redirectUrl: $redirectUrl
  ) {
    user { email firstName lastName isActive }
    card { kind state expiresAt }
    requiresConfirmation
    customerValueErrors { field code message }
  }
}
"""
STOREFRONT = "http://localhost:3000/signup/"


def errors(data):
    return [(e["field"], e["code"]) for e in data["customerValueErrors"]]


def create_link(client, **variables):
    return client.execute(LINK, variables)["cardSignupLinkCreate"]


def register(token, email="jana@example.com", password="a-long-passphrase", **extra):
    variables = {"token": token, "email": email, "password": password, "redirectUrl": STOREFRONT}
    variables.update(extra)
    return ApiClient().execute(REGISTER, variables)["accountRegisterWithCard"]


@pytest.fixture
def manager_api(staff_user, staff_api):
    grant(staff_user, "manage_cards")
    return staff_api


@pytest.fixture
def token(manager_api):
    return create_link(manager_api)["signupLink"]["token"]


@pytest.fixture(params=[False, True], ids=["no-confirmation", "confirmation"])
def confirmation(request, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = request.param
    return request.param


def test_staff_get_a_shareable_link(manager_api):
    data = create_link(manager_api, redirectUrl=STOREFRONT, days=7)

    assert data["customerValueErrors"] == []
    link = data["signupLink"]
    assert link["url"].startswith(STOREFRONT + "?token=")
    assert signup.check_token(link["token"])["x"] == pytest.approx(time.time() + 7 * 86400, abs=60)


def test_the_link_needs_manage_cards(staff_api, customer_api, api_client, app_api, app):
    for client in (staff_api, customer_api, api_client, app_api):
        assert errors(create_link(client)) == [(None, "PERMISSION_DENIED")]
    grant(app, "manage_cards")
    assert create_link(app_api)["signupLink"]["token"]


def test_bad_validity_is_refused(manager_api):
    assert errors(create_link(manager_api, days=0)) == [("validityDays", "INVALID")]
    assert errors(create_link(manager_api, days=366)) == [("validityDays", "INVALID")]


def test_a_link_creates_the_account_and_the_card_in_one_step(token, confirmation, monkeypatch):
    from saleor.account import emails

    sent = []  # Saleor's e-mail templates are not installed here: record the call
    monkeypatch.setattr(
        emails, "send_account_confirmation_email", lambda user, url: sent.append((user.email, url))
    )
    with on_commit_callbacks():  # the confirmation e-mail goes out after the commit
        data = register(token)

    assert data["customerValueErrors"] == []
    assert data["user"] == {
        "email": "jana@example.com", "firstName": "Jana", "lastName": "Novak",
        "isActive": not confirmation,
    }
    assert data["requiresConfirmation"] is confirmation
    assert data["card"]["kind"] == "DIGITAL" and data["card"]["state"] == "ACTIVE"
    user = User.objects.get(email="jana@example.com")
    assert user.check_password("a-long-passphrase") and not user.is_staff
    card = Card.objects.get(customer__user=user)
    assert card.kind == CardKind.DIGITAL and card.state == CardState.ACTIVE and card.expires_at
    assert sent == ([("jana@example.com", STOREFRONT)] if confirmation else [])


def test_the_new_user_sees_the_same_card(token, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    register(token)
    user = User.objects.get(email="jana@example.com")
    mine = ApiClient(user=user).execute("{ myDigitalCard { id } myCards { id } }")
    assert [c["id"] for c in mine["myCards"]] == [mine["myDigitalCard"]["id"]]


def test_expired_and_tampered_links_are_refused(manager_api, token, staff_user, monkeypatch):
    expired, _ = signup.make_token(user=staff_user, days=1, now=time.time() - 2 * 86400)
    forged = signing.dumps({"k": "signup", "x": time.time() + 999, "u": staff_user.pk, "a": None}, salt="other")
    for bad in [expired, forged, token[:-3] + "abc", "nonsense"]:
        data = register(bad)
        assert errors(data) == [("token", "INVALID_SIGNUP_LINK")]
    assert not User.objects.filter(email="jana@example.com").exists()
    assert not Card.objects.exists()


def test_a_link_dies_with_its_makers_permission(token, staff_user):
    staff_user.user_permissions.clear()
    assert errors(register(token)) == [("token", "INVALID_SIGNUP_LINK")]


def test_an_existing_email_is_refused_as_saleor_does(token, customer_user):
    data = register(token, email="erika@example.com")

    assert errors(data) == [("email", "UNIQUE")]
    assert data["customerValueErrors"][0]["message"] == "User with this Email already exists."
    assert data["user"] is None
    assert not Card.objects.exists()
    assert Customer.objects.filter(user=customer_user).count() <= 1


def test_saleors_password_validators_apply(token):
    data = register(token, password="short")
    assert errors(data) == [("password", "PASSWORD_TOO_SHORT")]
    data = register(token, email="not-an-email")
    assert errors(data) == [("email", "INVALID")]
    assert not User.objects.filter(email="jana@example.com").exists()


def test_a_failure_after_the_user_was_saved_leaves_nothing(token, monkeypatch, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = False
    from saleor_customer_value.cards import digital

    def boom(_customer):
        raise RuntimeError("card issuing failed")

    monkeypatch.setattr(digital, "for_customer", boom)
    content = ApiClient().post(
        REGISTER, {"token": token, "email": "jana@example.com", "password": "a-long-passphrase"}
    )
    assert content["errors"]
    assert not User.objects.filter(email="jana@example.com").exists()
    assert not Customer.objects.filter(email="jana@example.com").exists()


def test_confirmation_needs_a_storefront_url_like_saleor(token, settings):
    settings.ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = True
    assert errors(register(token, redirectUrl=None)) == [("redirectUrl", "REQUIRED")]
    assert errors(register(token, redirectUrl="http://evil.example/")) == [("redirectUrl", "INVALID")]
    assert not User.objects.filter(email="jana@example.com").exists()
