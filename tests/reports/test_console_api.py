"""The queries and mutations behind the staff console, through Saleor's GraphQL API."""
import csv
import io

import pytest
from django.core.cache import cache
from saleor.order.models import Order

from saleor_customer_value.cards import codes
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import CardState, LedgerTransaction

from ..cards.conftest import make_card
from ..checkout_flow import complete, create_checkout, pay, set_shipping
from ..conftest import ApiClient, global_id, grant
from ..wallet.conftest import fund_wallet

SEARCH = """query($q: String!) { customerValueSearch(query: $q) { id email matchedBy card { maskedCode } } }"""
REPORT = """
query($filter: LedgerTransactionFilterInput, $unit: String!) {
  ledgerReport(filter: $filter) { count totals { reason unit count credit debit net } }
  ledgerSeries(unit: $unit) { date topups spend outstanding }
}
"""
EXPORT = """
mutation($filter: LedgerTransactionFilterInput) {
  ledgerExport(filter: $filter) { file { url filename contentType } customerValueErrors { field code message } }
}
"""
REVERSAL_PREVIEW = """
query($id: ID!) {
  ledgerReversalPreview(id: $id) {
    reversible needsClawback blockedBy message
    legs { accountKind unit change balanceBefore balanceAfter clawback }
  }
}
"""
REFUND_PREVIEW = """
query($number: String!, $amount: Decimal, $percent: Decimal) {
  orderRefundToWalletPreview(orderNumber: $number, amount: $amount, retentionBonusPercent: $percent) {
    orderNumber customerEmail captured refundable amount bonus totalCredit walletBefore walletAfter
    allowed field message
  }
}
"""


def _topup(user, amount):
    return fund_wallet(user, amount)


def _txn_id(txn):
    return global_id("LedgerTransaction", txn.pk)


# --- customer search ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_search_by_scanned_qr_payload_typed_code_and_chip(staff_api, staff_user, customer_user):
    # given a registered card with a chip, and support staff who may only manage cards
    grant(staff_user, "manage_cards")
    card = make_card(accounts.customer_for_user(customer_user), state=CardState.ACTIVE, chip_uid="04A2B3C4")

    # when staff scan the QR code, type the code with dashes, or read the chip
    results = [
        staff_api.execute(SEARCH, {"q": q})["customerValueSearch"]
        for q in (codes.qr_payload(card.code), codes.formatted(card.code).lower(), "04:a2:b3:c4")
    ]

    # then each finds exactly the owner, with the card masked
    expected_id = global_id("User", customer_user.pk)
    assert [[(r["id"], r["matchedBy"]) for r in result] for result in results] == [
        [(expected_id, "card")], [(expected_id, "card")], [(expected_id, "chip")]
    ]
    assert card.code not in str(results)


def test_search_by_email_and_name(staff_api, staff_user, customer_user, other_customer):
    grant(staff_user, "view_ledger")

    by_email = staff_api.execute(SEARCH, {"q": "erika@"})["customerValueSearch"]
    by_name = staff_api.execute(SEARCH, {"q": "Erika"})["customerValueSearch"]

    assert [(r["email"], r["matchedBy"]) for r in by_email] == [("erika@example.com", "email")]
    assert [(r["email"], r["matchedBy"]) for r in by_name] == [("erika@example.com", "name")]


@pytest.mark.parametrize("query", ["", " ", "a", "CV1:NOTACODE", "1E+28"])
def test_search_with_junk_finds_nobody(staff_api, staff_user, customer_user, query):
    grant(staff_user, "manage_wallets")
    assert staff_api.execute(SEARCH, {"q": query})["customerValueSearch"] == []


def test_search_with_a_nul_byte_is_refused(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_wallets")
    content = staff_api.post(SEARCH, {"q": "erika\x00"})
    assert (content["data"] or {}).get("customerValueSearch") is None
    assert [e["message"].split(":")[0] for e in content["errors"]] == ["INVALID"]


def test_search_needs_a_plugin_staff_permission(staff_api, customer_api, customer_user):
    for client in (staff_api, customer_api, ApiClient()):
        content = client.post(SEARCH, {"q": "erika@example.com"})
        assert content["data"] is None  # a non-null field refused: no data at all
        assert "permission" in content["errors"][0]["message"].lower()


# --- ledger report, series, CSV export -----------------------------------------------


def test_report_totals_per_reason_and_unit(staff_api, staff_user, customer_user, other_customer):
    # given two top-ups, a goodwill credit and a payment
    grant(staff_user, "view_ledger")
    _topup(customer_user, "30.00")
    _topup(other_customer, "20.00")
    wallet = accounts.wallet_account(accounts.customer_for_user(customer_user), "EUR")
    actor = Actor.system("tests")
    service.transfer(accounts.system_account(SystemAccountCode.GOODWILL, "EUR"), wallet, "5.00",
                     service.Posting(reason=Reason.GOODWILL, actor=actor))
    service.transfer(wallet, accounts.system_account(SystemAccountCode.REDEMPTION, "EUR"), "12.50",
                     service.Posting(reason=Reason.POS_PAYMENT, actor=actor))

    # when the report is read for all, and for one customer
    everything = staff_api.execute(REPORT, {"unit": "EUR"})
    erika = staff_api.execute(REPORT, {"unit": "EUR", "filter": {"customers": [global_id("User", customer_user.pk)]}})

    # then totals are per reason and unit over customer accounts
    totals = {(t["reason"], t["unit"]): (t["count"], t["credit"], t["debit"], t["net"])
              for t in everything["ledgerReport"]["totals"]}
    assert totals == {
        ("GOODWILL", "EUR"): (1, 5.0, 0.0, 5.0),
        ("POS_PAYMENT", "EUR"): (1, 0.0, 12.5, -12.5),
        ("TOPUP", "EUR"): (2, 50.0, 0.0, 50.0),
    }
    assert everything["ledgerReport"]["count"] == 4
    assert erika["ledgerReport"]["count"] == 3
    # and the series ends today with what customers hold, top-ups and spend of the day
    today = everything["ledgerSeries"][-1]
    assert len(everything["ledgerSeries"]) == 30
    assert (today["topups"], today["spend"], today["outstanding"]) == (50.0, 12.5, 42.5)


def test_report_needs_view_ledger(staff_api, staff_user):
    grant(staff_user, "manage_wallets")
    content = staff_api.post(REPORT, {"unit": "EUR"})
    assert content["data"] is None or content["data"].get("ledgerReport") is None
    assert "permission" in content["errors"][0]["message"].lower()


def test_ledger_export_streams_the_filtered_rows(staff_api, staff_user, customer_user, other_customer):
    # given top-ups of two customers
    grant(staff_user, "view_ledger")
    _topup(customer_user, "30.00")
    _topup(other_customer, "20.00")
    customer_gid = global_id("User", customer_user.pk)

    # when staff export Erika's top-ups and follow the link
    data = staff_api.execute(EXPORT, {"filter": {"customers": [customer_gid], "reasons": ["TOPUP"]}})["ledgerExport"]
    response = staff_api.client.get(data["file"]["url"].replace("http://testserver", ""))

    # then the CSV holds exactly the rows the API lists
    assert data["customerValueErrors"] == []
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    txn = LedgerTransaction.objects.get(customer__user=customer_user)
    assert rows[0][:6] == ["transaction_id", "created_at", "reason", "customer_email", "unit", "amount"]
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows[1:]] == [
        (str(txn.pk), "topup", "erika@example.com", "EUR", "30.000")
    ]


def test_ledger_export_link_is_signed_and_checks_the_permission_again(staff_api, staff_user, customer_user):
    grant(staff_user, "view_ledger")
    url = staff_api.execute(EXPORT, {})["ledgerExport"]["file"]["url"].replace("http://testserver", "")

    tampered = staff_api.client.get(url[:-3] + "abc/")
    staff_user.user_permissions.clear()
    revoked = staff_api.client.get(url)

    assert tampered.status_code == 403
    assert revoked.status_code == 403


@pytest.mark.parametrize(
    "bad_filter, field, code",
    [
        ({"amount": {"gte": "1E+28"}}, "gte", "INVALID_AMOUNT"),
        ({"amount": {"lte": "sNaN"}}, "lte", "INVALID_AMOUNT"),
        ({"amount": {"gte": "1e309"}}, "gte", "INVALID_AMOUNT"),
        ({"customers": [""]}, "customers", "INVALID"),
        ({"customers": ["bm9wZQ=="]}, "customers", "INVALID"),
        ({"customers": ["VXNlcjox\x00"]}, "customers", "INVALID"),
    ],
)
def test_ledger_export_refuses_bad_filters(staff_api, staff_user, bad_filter, field, code):
    grant(staff_user, "view_ledger")
    content = staff_api.post(EXPORT, {"filter": bad_filter})
    if "errors" in content:  # the scalar itself refused the value: nothing exported either
        assert content["data"] is None or content["data"]["ledgerExport"] is None
        return
    data = content["data"]["ledgerExport"]
    assert data["file"] is None
    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [(field, code)]


def test_ledger_export_needs_view_ledger(staff_api, staff_user):
    grant(staff_user, "manage_wallets", "manage_cards")
    data = staff_api.execute(EXPORT, {})["ledgerExport"]
    assert data["file"] is None
    assert data["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"


# --- reversal preview -----------------------------------------------------------------


def test_reversal_preview_warns_about_spent_points(staff_api, staff_user, customer_user):
    # given 300 points earned, then 250 spent
    grant(staff_user, "manage_loyalty")
    account = accounts.points_account(accounts.customer_for_user(customer_user))
    actor = Actor.system("tests")
    earned = lots.credit(account, 300, service.Posting(reason=Reason.POINTS_EARNED, actor=actor))
    lots.prepare(account)
    lots.debit(account, 250, service.Posting(reason=Reason.POINTS_REDEEMED, actor=actor))
    before = LedgerTransaction.objects.count()

    # when staff preview reversing the credit
    preview = staff_api.execute(REVERSAL_PREVIEW, {"id": _txn_id(earned)})["ledgerReversalPreview"]

    # then it needs a clawback and would leave -250 points; nothing was booked
    assert preview["reversible"] is True and preview["needsClawback"] is True
    assert preview["legs"] == [{
        "accountKind": "POINTS", "unit": "PTS", "change": -300.0,
        "balanceBefore": 50.0, "balanceAfter": -250.0, "clawback": True,
    }]
    assert "negative" in preview["message"]
    assert LedgerTransaction.objects.count() == before


def test_reversal_preview_of_spent_money_and_of_a_reversed_transaction(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_wallets")
    wallet = _topup(customer_user, "30.00")
    topup = LedgerTransaction.objects.get()
    actor = Actor.system("tests")
    service.transfer(wallet, accounts.system_account(SystemAccountCode.REDEMPTION, "EUR"), "20.00",
                     service.Posting(reason=Reason.POS_PAYMENT, actor=actor))
    payment = LedgerTransaction.objects.get(reason=Reason.POS_PAYMENT)
    service.reverse(payment, actor, "mistake")

    spent = staff_api.execute(REVERSAL_PREVIEW, {"id": _txn_id(topup)})["ledgerReversalPreview"]
    again = staff_api.execute(REVERSAL_PREVIEW, {"id": _txn_id(payment)})["ledgerReversalPreview"]

    assert (spent["reversible"], spent["blockedBy"]) == (True, None)  # 30.00 are back after the reversal
    assert (again["reversible"], again["blockedBy"]) == (False, "ALREADY_REVERSED")


def test_reversal_preview_needs_a_booking_permission(staff_api, staff_user, customer_user):
    grant(staff_user, "view_ledger")
    _topup(customer_user, "30.00")
    content = staff_api.post(REVERSAL_PREVIEW, {"id": _txn_id(LedgerTransaction.objects.get())})
    assert content["data"]["ledgerReversalPreview"] is None
    assert "permission" in content["errors"][0]["message"].lower()


# --- refund to wallet preview ---------------------------------------------------------


@pytest.fixture
def paid_order(customer_api, variant, shipping_method):
    checkout = create_checkout(customer_api, variant, quantity=2)
    set_shipping(customer_api, checkout, shipping_method)
    pay(customer_api, checkout, 45.0)
    complete(customer_api, checkout)
    return Order.objects.get()


def test_refund_preview_by_order_number(staff_api, staff_user, paid_order):
    grant(staff_user, "manage_wallets")
    before = LedgerTransaction.objects.count()

    preview = staff_api.execute(
        REFUND_PREVIEW, {"number": f"#{paid_order.pk}", "amount": "20.00", "percent": "10"}
    )["orderRefundToWalletPreview"]

    assert preview == {
        "orderNumber": str(paid_order.pk), "customerEmail": "erika@example.com",
        "captured": 45.0, "refundable": 45.0, "amount": 20.0, "bonus": 2.0, "totalCredit": 22.0,
        "walletBefore": 0.0, "walletAfter": 22.0, "allowed": True, "field": None, "message": "",
    }
    assert LedgerTransaction.objects.count() == before


@pytest.mark.parametrize(
    "variables, field",
    [
        ({"number": "999999"}, "orderNumber"),
        ({"number": "\x00"}, "orderNumber"),
        ({"number": "1" * 40}, "orderNumber"),
        ({"amount": "1E+28"}, "amount"),
        ({"amount": "sNaN"}, "amount"),
        ({"amount": "1e309"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "0.001"}, "amount"),
        ({"percent": "sNaN"}, "retentionBonusPercent"),
        ({"percent": "101"}, "retentionBonusPercent"),
        ({"amount": "45.01"}, None),
    ],
)
def test_refund_preview_refuses_bad_input(staff_api, staff_user, paid_order, variables, field):
    grant(staff_user, "manage_wallets")
    content = staff_api.post(REFUND_PREVIEW, {"number": str(paid_order.pk), **variables})
    if "errors" in content:  # the Decimal scalar refused it before the resolver
        assert not content["data"] or content["data"].get("orderRefundToWalletPreview") is None
        return
    preview = content["data"]["orderRefundToWalletPreview"]
    assert preview["allowed"] is False
    assert preview["field"] == field
    assert preview["message"]


def test_refund_preview_needs_manage_wallets(staff_api, staff_user, paid_order):
    grant(staff_user, "view_ledger")
    content = staff_api.post(REFUND_PREVIEW, {"number": str(paid_order.pk)})
    assert "permission" in content["errors"][0]["message"].lower()


# --- console page ----------------------------------------------------------------------


def test_console_page_and_assets_are_served_by_the_shop(client, tmp_path, monkeypatch):
    from saleor_customer_value.dashboard import views

    (tmp_path / "assets").mkdir()
    (tmp_path / "staff.html").write_text("<!doctype html><title>console</title>")
    (tmp_path / "assets" / "staff-1.js").write_text("console.log(1)")
    monkeypatch.setattr(views, "BUILD_DIR", str(tmp_path))

    page = client.get("/dashboard/customer-value/")
    deep_link = client.get("/dashboard/customer-value/customers/anything")
    asset = client.get("/dashboard/customer-value/assets/staff-1.js")
    escape = client.get("/dashboard/customer-value/assets/../../staff.html")

    assert page.status_code == 200 and b"console" in page.content
    assert page["Cache-Control"] == "no-cache"
    assert deep_link.status_code == 200
    assert asset.status_code == 200 and "immutable" in asset["Cache-Control"]
    assert escape.status_code == 404


def test_console_page_explains_a_missing_build(client, tmp_path, monkeypatch):
    from saleor_customer_value.dashboard import views

    monkeypatch.setattr(views, "BUILD_DIR", str(tmp_path / "missing"))
    response = client.get("/dashboard/customer-value/")
    assert response.status_code == 503
    assert b"bin/demo" in response.content


def test_program_update_with_an_empty_list_clears_it(staff_api, staff_user, variant):
    # given a program limited to one product (the console always sends every list)
    grant(staff_user, "manage_loyalty")
    update = """mutation($i: LoyaltyProgramInput!) { loyaltyProgramUpdate(input: $i) {
      loyaltyProgram { redeemIncludeProducts { id } } customerValueErrors { field code } } }"""
    product_id = global_id("Product", variant.product_id)
    staff_api.execute(update, {"i": {"redeemIncludeProducts": [product_id]}})

    # when the console saves the form after the product was removed
    data = staff_api.execute(update, {"i": {"redeemIncludeProducts": [], "redeemExcludeCategories": []}})

    # then the list is empty, and no error is reported for the empty ones
    assert data["loyaltyProgramUpdate"] == {"loyaltyProgram": {"redeemIncludeProducts": []}, "customerValueErrors": []}
