"""Value reports (issue 14) through the API over generated ledger data, each checked
against a direct SQL sum over the entries, and the streamed CSV export."""
import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from saleor_customer_value.ledger import accounts
from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import Customer, ReportRollupDelta
from saleor_customer_value.reports import sample_data, values

from ..conftest import ApiClient, global_id, grant
from ..loyalty.conftest import configure, give_points
from ..wallet.conftest import fund_wallet

REPORT = """
query($f: ValueReportFilterInput) {
  valueReport(filter: $f) { unit count credit debit net average byReason { reason count credit debit net average } }
}
"""
LIABILITY = """{ valueLiability { wallets { currency outstanding held accounts }
  points { outstanding negative accounts value { amount currency } ratePoints rateAmount } } }"""
BREAKAGE = """query($from: Date, $p: ReportPeriodEnum) { valueBreakage(dateFrom: $from, period: $p) { periodStart unit expired count value } }"""
FORECAST = """{ pointsExpiryForecast { days points lots customers value { amount } } }"""
FLOW = """query($u: String!, $from: Date, $p: ReportPeriodEnum) { valueFlow(unit: $u, dateFrom: $from, period: $p) { periodStart topups spend credited debited net } }"""
EXPORT = """mutation($r: ValueReportKindEnum!, $f: ValueReportFilterInput, $p: ReportPeriodEnum) {
  valueReportExport(report: $r, filter: $f, period: $p) { file { url filename contentType } customerValueErrors { field code message } }
}"""


@pytest.fixture
def data(db):
    """2,000 generated entries over 60 days for 25 customers, plus real postings through
    the services (cv_post and the ORM path) for a real customer."""
    sample_data.generate(25, 2000, with_outbox=True, chunk=400, days=60)
    return True


@pytest.fixture
def auditor(staff_user):
    grant(staff_user, "view_ledger")
    return ApiClient(user=staff_user)


def sql_sums(where="TRUE", params=()):
    """The reference: customer entries joined to their transactions, summed directly."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT e.unit, t.reason, count(*),
                       coalesce(sum(e.amount) FILTER (WHERE e.direction = 1), 0),
                       coalesce(sum(e.amount) FILTER (WHERE e.direction = -1), 0)
                  FROM customer_value_entry e
                  JOIN customer_value_account a ON a.id = e.account_id
                  JOIN customer_value_ledgertransaction t ON t.id = e.transaction_id
                 WHERE a.kind <> 'system' AND {where}
                 GROUP BY 1, 2 ORDER BY 1, 2""",
            list(params),
        )
        return [(u, r, c, Decimal(cr), Decimal(db)) for u, r, c, cr, db in cursor.fetchall()]


def api_rows(report):
    return [
        (unit["unit"], line["reason"].lower(), line["count"], Decimal(str(line["credit"])), Decimal(str(line["debit"])))
        for unit in report for line in unit["byReason"]
    ]


def test_report_over_generated_data_matches_a_direct_sql_sum(data, auditor, customer_user):
    # given generated data plus real bookings through the services
    fund_wallet(customer_user, Decimal("30.00"))
    give_points(customer_user, 250)

    # when staff ask for the unfiltered report
    report = auditor.execute(REPORT, {})["valueReport"]

    # then every reason's count and sums equal the direct SQL sum, and the totals add up
    expected = sql_sums()
    assert api_rows(report) == expected
    assert len(expected) >= 6
    eur = next(u for u in report if u["unit"] == "EUR")
    eur_rows = [row for row in expected if row[0] == "EUR"]
    assert eur["count"] == sum(r[2] for r in eur_rows)
    assert Decimal(str(eur["credit"])) == sum(r[3] for r in eur_rows)
    assert Decimal(str(eur["net"])) == sum(r[3] - r[4] for r in eur_rows)
    assert Decimal(str(eur["average"])) == ((sum(r[3] + r[4] for r in eur_rows)) / eur["count"]).quantize(Decimal("0.001"))


def test_filters_match_sql_with_and_without_compaction(data, auditor, customer_user):
    today = timezone.localdate()
    start = today - timedelta(days=20)
    begin = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    end = timezone.make_aware(timezone.datetime.combine(today + timedelta(days=1), timezone.datetime.min.time()))
    cases = [
        ({"dateFrom": str(start), "dateTo": str(today)}, "t.created_at >= %s AND t.created_at < %s", [begin, end]),
        ({"reasons": ["TOPUP", "POINTS_EXPIRED"]}, "t.reason IN ('topup', 'points_expired')", []),
        ({"unit": "pts"}, "e.unit = 'PTS'", []),
        ({"amount": {"gte": "20", "lte": "30"}}, "e.amount BETWEEN 20 AND 30", []),
        (
            {"amount": {"gte": "100"}, "dateFrom": str(start), "unit": "PTS"},
            "e.amount >= 100 AND t.created_at >= %s AND e.unit = 'PTS'", [begin],
        ),
    ]
    for compacted in (False, True):
        if compacted:
            assert ReportRollupDelta.objects.exists()
            values.compact()
            assert not ReportRollupDelta.objects.exists()
        for flt, where, params in cases:
            report = auditor.execute(REPORT, {"f": flt})["valueReport"]
            assert api_rows(report) == sql_sums(where, params), (flt, compacted)


def test_customer_filter_reads_that_customers_entries(data, auditor, customer_user, other_customer):
    fund_wallet(customer_user, Decimal("12.50"))
    fund_wallet(other_customer, Decimal("99.00"))
    give_points(customer_user, 40)

    report = auditor.execute(REPORT, {"f": {"customers": [global_id("User", customer_user.pk)]}})["valueReport"]

    customer = Customer.objects.get(user=customer_user)
    assert api_rows(report) == sql_sums("a.customer_id = %s", [customer.pk])
    assert {(u["unit"], Decimal(str(u["credit"]))) for u in report} == {("EUR", Decimal("12.5")), ("PTS", 40)}


def test_liability_breakage_forecast_and_flow_match_sql(data, auditor):
    configure(redeem_points=100, redeem_amount=Decimal("1.00"))
    liability = auditor.execute(LIABILITY)["valueLiability"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, unit, sum(posted), count(*) FILTER (WHERE posted <> 0) FROM customer_value_account "
                       "WHERE kind <> 'system' GROUP BY 1, 2 ORDER BY 1, 2")
        balances = {(k, u): (Decimal(s), n) for k, u, s, n in cursor.fetchall()}
    points, _ = balances[("points", "PTS")]
    assert [(w["currency"], Decimal(str(w["outstanding"])), w["accounts"]) for w in liability["wallets"]] == [
        ("EUR", *balances[("wallet", "EUR")])
    ]
    assert liability["points"]["outstanding"] == int(points)
    assert Decimal(str(liability["points"]["value"]["amount"])) == (points / 100).quantize(Decimal("0.01"))

    # breakage: every expired point of the period, by month
    breakage = auditor.execute(BREAKAGE, {"from": str(timezone.localdate() - timedelta(days=90)), "p": "MONTH"})["valueBreakage"]
    expired = sum(r[4] - r[3] for r in sql_sums("t.reason = 'points_expired'"))
    assert expired > 0
    assert sum(Decimal(str(r["expired"])) for r in breakage) == expired
    assert {r["periodStart"][-2:] for r in breakage} == {"01"}

    # forecast: lots expiring within 30/60/90 days, cumulative
    forecast = auditor.execute(FORECAST)["pointsExpiryForecast"]
    now = timezone.now()
    for row in forecast:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(remaining), 0), count(*) FROM customer_value_pointslot WHERE status = 'active' "
                "AND expires_at > %s AND expires_at <= %s", [now, now + timedelta(days=row["days"])]
            )
            remaining, count = cursor.fetchone()
        assert (row["points"], row["lots"]) == (int(remaining), count)
    assert [r["days"] for r in forecast] == [30, 60, 90]

    # flow: per week, top-ups and payments equal their reasons' sums, every day covered once
    flow = auditor.execute(FLOW, {"u": "EUR", "from": str(timezone.localdate() - timedelta(days=70)), "p": "WEEK"})["valueFlow"]
    topups = sum(r[3] for r in sql_sums("t.reason IN ('topup', 'topup_bonus', 'gift_card_redemption') AND e.unit = 'EUR'"))
    spend = sum(r[4] for r in sql_sums("t.reason IN ('checkout_payment', 'pos_payment') AND e.unit = 'EUR'"))
    assert sum(Decimal(str(r["topups"])) for r in flow) == topups
    assert sum(Decimal(str(r["spend"])) for r in flow) == spend
    assert len(flow) in (11, 12)


def test_csv_export_streams_the_report(data, auditor):
    # when staff export the filtered summary
    flt = {"unit": "EUR"}
    answer = auditor.execute(EXPORT, {"r": "SUMMARY", "f": flt})["valueReportExport"]
    assert answer["customerValueErrors"] == []

    response = auditor.client.get(answer["file"]["url"])

    # then the response is streamed (a generator, no Content-Length) and holds the report
    assert response.status_code == 200
    assert response.streaming
    assert not response.has_header("Content-Length")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["unit", "reason", "count", "credit", "debit", "net", "average"]
    expected = [r for r in sql_sums("e.unit = 'EUR'")]
    assert [(r[0], r[1], int(r[2]), Decimal(r[3]), Decimal(r[4])) for r in rows[1:-1]] == expected
    assert rows[-1][1] == "total"


@pytest.mark.parametrize("kind", ["LIABILITY", "BREAKAGE", "EXPIRY_FORECAST", "FLOW"])
def test_every_report_exports(data, auditor, kind):
    answer = auditor.execute(EXPORT, {"r": kind, "f": {"unit": "PTS"}, "p": "MONTH"})["valueReportExport"]
    assert answer["customerValueErrors"] == []
    response = auditor.client.get(answer["file"]["url"])
    assert response.streaming
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) >= 2


def test_reports_need_view_ledger(staff_api, staff_user, customer_api):
    grant(staff_user, "manage_wallets")
    for client in (staff_api, customer_api, ApiClient()):
        content = client.post(REPORT, {})
        assert content["data"] is None
        assert "permission" in content["errors"][0]["message"].lower()
    answer = staff_api.execute(EXPORT, {"r": "SUMMARY"})["valueReportExport"]
    assert [e["code"] for e in answer["customerValueErrors"]] == ["PERMISSION_DENIED"]


def test_export_link_is_refused_after_the_permission_is_gone(data, auditor, staff_user):
    url = auditor.execute(EXPORT, {"r": "SUMMARY"})["valueReportExport"]["file"]["url"]
    staff_user.user_permissions.clear()
    assert ApiClient().client.get(url).status_code == 403
    assert ApiClient().client.get(url[:-3] + "xx/").status_code == 403


def test_bad_filters_are_typed_errors(auditor):
    content = auditor.post(REPORT, {"f": {"amount": {"gte": "1E+30"}}})
    assert content["errors"][0]["message"].startswith("INVALID_AMOUNT")
    content = auditor.post(REPORT, {"f": {"dateFrom": "2026-02-01", "dateTo": "2026-01-01"}})
    assert content["errors"][0]["message"].startswith("INVALID")
    content = auditor.post(REPORT, {"f": {"customers": ["not-an-id"]}})
    assert content["errors"][0]["message"].startswith("INVALID")


def test_rollup_follows_postings_and_reversals_in_the_same_db_transaction(auditor, customer_user):
    from saleor_customer_value.ledger import service
    from saleor_customer_value.ledger.actors import Actor

    from saleor_customer_value.models import LedgerTransaction

    wallet = fund_wallet(customer_user, Decimal("20.00"))
    txn = LedgerTransaction.objects.filter(entries__account=wallet).get()
    service.reverse(txn, Actor.system("test"), note="wrong top-up")

    report = auditor.execute(REPORT, {"f": {"unit": "EUR"}})["valueReport"]

    assert api_rows(report) == sql_sums("e.unit = 'EUR'")
    assert {r[1] for r in api_rows(report)} >= {"reversal"}
