"""Value reports (issue 14) on 1,000,000 ledger entries: the time of each report query.

Run it through ``bin/bench --reports`` (same environment as ``bin/bench``). It uses its
own database ``<name>_rptbench`` (created and migrated; the dev database is never
written to) and fills it once (a later run reuses the data; ``--regenerate`` drops it).

Data: ``--customers`` customers (default 20,000) with a EUR wallet and a points
account each, and ``--entries`` / 2 ledger transactions (default 500,000, so 1,000,000
entries: one customer leg and one system leg each), spread evenly over the last 365
days: top-ups of 10-50 EUR, wallet payments of 5-10 EUR, 100-500 points earned,
points redeemed and points expired, in a rotation that never overdraws an account.
They are inserted with ``INSERT ... SELECT generate_series`` in chunks of 50,000
transactions, one DB transaction per chunk, **with every ledger trigger on**: the entry
trigger applies each entry to its account's balance and writes ``balance_after``, the
deferred balance checks run at each commit, the immutability and account guards stay,
and the report rollup's statement trigger collects each chunk. Only the webhook outbox
trigger (``cv_outbox_ledger``, migration 0010) is disabled while generating, unless
``--with-outbox``: it would queue 1,000,000 events for no subscriber and is not part of
what a report reads. One active points lot is written per earning (expiring 15 to 380
days after it), so the expiry forecast has lots to read; the bench does not keep lots
consistent with later spending (nothing in the bench spends from lots).

Then it times each report query through the real GraphQL endpoint (in-process Django
test client, a staff user with VIEW_LEDGER; median and max of ``--repeat`` runs after
one warm-up), the CSV export (link + streamed download), and ``cv_report_compact()``.
Results go to ``benchmarks/results/reports-<timestamp>.json``.
"""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, timezone as dt_timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
TARGET_SECONDS = 1.0


def say(message):
    print(f"\033[1m==> {message}\033[0m", flush=True)


def bench_database(drop=False):
    import psycopg2
    from psycopg2 import sql

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saleor_customer_value")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_rptbench"
    conn = psycopg2.connect(
        dbname="postgres", host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
        user=parts.username or "postgres", password=parts.password,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        if drop:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    return urlunsplit(parts._replace(path="/" + name))


def django_setup(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "reports-bench-only")
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_shop.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- data ---------------------------------------------------------------------------

def entry_count():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customer_value_entry")
        return cursor.fetchone()[0]


# --- timing -------------------------------------------------------------------------

QUERIES = [
    ("valueReport, no filter (rollup)", "{ valueReport { unit count credit debit net average byReason { reason count average } } }", {}),
    ("valueReport, 90 days + reasons + unit (rollup)",
     "query($f: ValueReportFilterInput) { valueReport(filter: $f) { unit count credit debit average byReason { reason count } } }",
     {"f": "RECENT"}),
    ("valueReport, one customer (entries by account)",
     "query($f: ValueReportFilterInput) { valueReport(filter: $f) { unit count credit debit average byReason { reason count } } }",
     {"f": "CUSTOMER"}),
    ("valueReport, amount range, all customers (entries)",
     "query($f: ValueReportFilterInput) { valueReport(filter: $f) { unit count credit debit average byReason { reason count } } }",
     {"f": {"amount": {"gte": "20", "lte": "30"}}}),
    ("valueReport, amount range + 30 days (entries)",
     "query($f: ValueReportFilterInput) { valueReport(filter: $f) { unit count credit debit average byReason { reason count } } }",
     {"f": "AMOUNT_RECENT"}),
    ("valueLiability", "{ valueLiability { wallets { currency outstanding held accounts } points { outstanding accounts value { amount currency } } } }", {}),
    ("valueBreakage, 365 days by month", "{ valueBreakage(period: MONTH) { periodStart unit expired count value } }", {}),
    ("pointsExpiryForecast 30/60/90", "{ pointsExpiryForecast { days points lots customers value { amount } } }", {}),
    ("valueFlow EUR, 30 days by day", "{ valueFlow(unit: \"EUR\") { periodStart topups spend net } }", {}),
    ("valueFlow EUR, 365 days by week", "query($from: Date) { valueFlow(unit: \"EUR\", dateFrom: $from, period: WEEK) { periodStart topups spend net } }", {"from": "YEAR"}),
    ("valueFlow PTS, 365 days by month", "query($from: Date) { valueFlow(unit: \"PTS\", dateFrom: $from, period: MONTH) { periodStart topups spend net } }", {"from": "YEAR"}),
]


def _variables(raw, customer_gid):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    out = {}
    for key, value in raw.items():
        if value == "RECENT":
            value = {"dateFrom": str(today - timedelta(days=89)), "dateTo": str(today),
                     "reasons": ["TOPUP", "CHECKOUT_PAYMENT"], "unit": "EUR"}
        elif value == "CUSTOMER":
            value = {"customers": [customer_gid]}
        elif value == "AMOUNT_RECENT":
            value = {"amount": {"gte": "20", "lte": "30"}, "dateFrom": str(today - timedelta(days=29))}
        elif value == "YEAR":
            value = str(today - timedelta(days=364))
        out[key] = value
    return out


def staff_client():
    import graphene
    from django.contrib.auth.models import Permission
    from django.test import Client
    from graphql_jwt.shortcuts import get_token
    from saleor.account.models import User

    from saleor_customer_value.models import Customer

    staff, _ = User.objects.get_or_create(email="report-bench@example.com", defaults={"is_staff": True})
    staff.user_permissions.add(Permission.objects.get(codename="view_ledger"))
    shopper, _ = User.objects.get_or_create(email="bench-shopper@example.com")
    customer = Customer.objects.filter(user=shopper).first() or (
        Customer.objects.filter(user__isnull=True, accounts__kind="wallet").order_by("pk").first()
    )
    if customer is not None and customer.user_id is None:
        from django.db import connection

        with connection.cursor() as cursor:  # a plain column update: no ledger row changes
            cursor.execute("UPDATE customer_value_customer SET user_id = %s WHERE id = %s", [shopper.pk, customer.pk])
    customer_gid = graphene.Node.to_global_id("User", shopper.pk)
    return Client(HTTP_AUTHORIZATION=f"JWT {get_token(staff)}"), customer_gid


def time_call(fn, repeat):
    fn()  # warm-up (plans, caches)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def run(args):
    client, customer_gid = staff_client()
    results = []

    def post(query, variables):
        response = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables}),
                               content_type="application/json")
        body = json.loads(response.content)
        assert response.status_code == 200 and "errors" not in body, body
        return body

    print(f"\n{'query':<52} {'median':>9} {'max':>9}  < {TARGET_SECONDS:.0f} s")
    for label, query, raw in QUERIES:
        variables = _variables(raw, customer_gid)
        median, worst = time_call(lambda: post(query, variables), args.repeat)
        results.append({"query": label, "median_s": median, "max_s": worst, "met": worst < TARGET_SECONDS})
        print(f"{label:<52} {median * 1000:7.1f}ms {worst * 1000:7.1f}ms  {'yes' if worst < TARGET_SECONDS else 'NO'}", flush=True)

    export = "mutation($r: ValueReportKindEnum!) { valueReportExport(report: $r, filter: {unit: \"EUR\"}) { file { url } customerValueErrors { code } } }"

    for kind in ("SUMMARY", "FLOW", "BREAKAGE", "EXPIRY_FORECAST", "LIABILITY"):
        def download():
            url = post(export, {"r": kind})["data"]["valueReportExport"]["file"]["url"]
            response = client.get(urlsplit(url).path)
            assert response.streaming, "the export must stream"
            return b"".join(response.streaming_content)

        median, worst = time_call(download, args.repeat)
        label = f"CSV export {kind.lower()} (link + streamed body)"
        results.append({"query": label, "median_s": median, "max_s": worst, "met": worst < TARGET_SECONDS})
        print(f"{label:<52} {median * 1000:7.1f}ms {worst * 1000:7.1f}ms  {'yes' if worst < TARGET_SECONDS else 'NO'}", flush=True)
    return results


def posting_cost(postings, rounds=4):
    """What the rollup's statement trigger adds to a posting: ``service.transfer``
    (cv_post, autocommit) top-up/spend pairs on one bench wallet, in alternating rounds
    with ``cv_report_collect`` enabled and disabled (same process, same data)."""
    from decimal import Decimal

    from django.db import connection

    from saleor_customer_value.ledger import accounts, service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode as S
    from saleor_customer_value.models import Account

    wallet = Account.objects.filter(kind="wallet", posted__gt=0).order_by("pk").first()
    funding = accounts.system_account(S.FUNDING, "EUR")
    redemption = accounts.system_account(S.REDEMPTION, "EUR")
    actor = Actor.system("bench")
    topup = service.Posting(reason=Reason.TOPUP, actor=actor)
    spend = service.Posting(reason=Reason.CHECKOUT_PAYMENT, actor=actor)
    per = {"on": [], "off": []}
    for round_ in range(rounds * 2):
        mode = "on" if round_ % 2 == 0 else "off"
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE customer_value_entry {'ENABLE' if mode == 'on' else 'DISABLE'} TRIGGER cv_report_collect")
        started = time.perf_counter()
        for _ in range(postings // 2):
            service.transfer(funding, wallet, Decimal("1.00"), topup)
            service.transfer(wallet, redemption, Decimal("1.00"), spend)
        per[mode].append((time.perf_counter() - started) / (postings // 2 * 2))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE customer_value_entry ENABLE TRIGGER cv_report_collect")
        # the postings made with the trigger off are missing from the rollup: refill it
        from django.conf import settings

        rebuilt = time.perf_counter()
        cursor.execute("SELECT cv_report_rebuild(%s)", [settings.TIME_ZONE])
        rebuilt = time.perf_counter() - rebuilt
    on, off = statistics.median(per["on"]) * 1000, statistics.median(per["off"]) * 1000
    print(f"\nposting (cv_post, autocommit), median of {rounds} rounds of {postings}:")
    print(f"  rollup trigger on   {on:6.3f} ms")
    print(f"  rollup trigger off  {off:6.3f} ms")
    print(f"  added               {on - off:+6.3f} ms per posting ({(on / off - 1) * 100:+.0f} %)")
    print(f"  (rollup rebuilt from all entries afterwards in {rebuilt:.1f} s)")
    return {"on_ms": on, "off_ms": off, "added_ms": on - off, "rebuild_s": rebuilt}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true", help="drop the bench database first")
    parser.add_argument("--postings", type=int, default=2000, help="per round of the posting-cost part (0: skip)")
    parser.add_argument("--with-outbox", action="store_true", help="keep the webhook outbox trigger on while generating")
    args = parser.parse_args()

    url = bench_database(drop=args.regenerate)
    say(f"Database {urlsplit(url).path.lstrip('/')}")
    django_setup(url)
    report = {"started": datetime.now(dt_timezone.utc).isoformat(), "entries_wanted": args.entries}
    have = entry_count()
    if have < args.entries:
        say(f"Generating {args.entries - have:,} entries for {args.customers:,} customers (every ledger trigger on)")
        from saleor_customer_value.reports import sample_data

        report["generate_seconds"] = sample_data.generate(
            args.customers, args.entries - have, with_outbox=args.with_outbox, progress=True
        )
        print(f"    done in {report['generate_seconds']:.0f} s")
    report["entries"] = entry_count()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM customer_value_reportrollupdelta")
        deltas = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute("SELECT cv_report_compact()")
        report["compact"] = {"deltas": deltas, "seconds": time.perf_counter() - started}
        cursor.execute("SELECT count(*) FROM customer_value_reportrollup")
        report["rollup_rows"] = cursor.fetchone()[0]
    say(f"{report['entries']:,} entries; compacted {deltas:,} delta rows in "
        f"{report['compact']['seconds'] * 1000:.0f} ms; rollup has {report['rollup_rows']:,} rows")
    report["queries"] = run(args)
    if args.postings:
        report["posting_cost"] = posting_cost(args.postings)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"reports-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2))
    say(f"Results: {path.relative_to(ROOT)}")
    return 0 if all(q["met"] for q in report["queries"]) else 1


if __name__ == "__main__":
    sys.exit(main())
