"""Saleor's checkout total calculation with the plugin on and off, in one process.

Run it through ``bin/bench --checkout`` (or as part of ``bin/bench``); see
benchmarks/README.md. It migrates/uses the same ``<name>_bench`` database as the other
benchmarks, creates a small catalogue, a customer with points and wallet money, and two
checkouts (2 x 20.00 EUR + 5.00 shipping): one with nothing applied, one with 1000
points (10.00) and 5.00 of wallet money applied.

For each checkout it times ``manager.calculate_checkout_total(checkout, lines,
discounts)`` with Saleor's plugins manager *with* the plugin and *without* it (the same
list less the plugin's two entries), interleaved (on, off, on, off, ...) so load on the
host hits both alike:

* **first**: the first calculation of a request (a fresh checkout instance with its
  lines, a new request as far as the plugin knows): what a request pays once;
* **again**: a further calculation on the same instance in the same request (Saleor
  calculates the total many times per request).

It also counts the SQL statements of each. Prints a table and writes JSON to
``benchmarks/results/checkout-<timestamp>.json``.
"""
import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ledger_bench as lb  # noqa: E402
import pos_bench  # noqa: E402

ROOT = lb.ROOT
OURS = (
    "saleor_customer_value.plugin.CustomerValuePlugin",
    "saleor_customer_value.gateway_plugin.WalletGatewayPlugin",
    "saleor_customer_value.gateway_plugin.CreditGatewayPlugin",
)
say = lb.say


def prepare(run_id):
    import saleor.product.utils  # noqa: F401  (Saleor's import order: tasks import it)
    from prices import Money
    from saleor.account.models import Address, User
    from saleor.checkout.models import Checkout, CheckoutLine
    from saleor.discount.utils import fetch_discounts
    from saleor.plugins.manager import get_plugins_manager
    from saleor.product.models import Category, Product, ProductType, ProductVariant
    from saleor.shipping.models import ShippingMethod, ShippingZone
    from saleor.warehouse.models import Stock, Warehouse

    from saleor_customer_value.ledger import accounts, service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
    from saleor_customer_value.loyalty import checkout as points_checkout
    from saleor_customer_value.loyalty import lots
    from saleor_customer_value.loyalty.program import get_program
    from saleor_customer_value.wallet import checkout as wallet_checkout

    program = get_program()
    for name, value in dict(
        enabled=True, earn_points=1, earn_amount=Decimal("1.00"), redeem_points=100,
        redeem_amount=Decimal("1.00"), redeem_min_balance=0, redeem_min_cart=Decimal(0),
    ).items():
        setattr(program, name, value)
    program.save()

    def address():
        return Address.objects.create(
            first_name="Erika", last_name="Mustermann", street_address_1="Hauptstrasse 1",
            city="BERLIN", postal_code="10115", country="DE", phone="+493012345678",
        )

    zone = ShippingZone.objects.create(name=f"Bench {run_id}", countries=["DE"])
    method = ShippingMethod.objects.create(
        name="DHL", type="price", shipping_zone=zone, price=Money(Decimal("5.00"), "EUR")
    )
    warehouse = Warehouse.objects.create(
        name=f"Bench {run_id}", slug=f"bench-{run_id}".lower(), company_name="Shop",
        address=address(), email="wh@example.com",
    )
    warehouse.shipping_zones.add(zone)
    product_type, _ = ProductType.objects.get_or_create(
        slug="bench-goods", defaults={"name": "Bench goods", "has_variants": True}
    )
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    product = Product.objects.create(
        name=f"T-Shirt {run_id}", slug=f"t-shirt-{run_id}".lower(), product_type=product_type,
        category=category, price=Money(Decimal("20.00"), "EUR"),
        minimal_variant_price=Money(Decimal("20.00"), "EUR"), is_published=True,
    )
    variant = ProductVariant.objects.create(product=product, sku=f"bench-{run_id}")
    Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=10 ** 6)

    user = User.objects.create_user(f"checkout-bench-{run_id}@example.com".lower(), None)
    customer = accounts.customer_for_user(user)
    lots.credit(
        accounts.points_account(customer), 5000,
        service.Posting(reason=Reason.POINTS_ADJUSTMENT, actor=Actor.system("bench")),
    )
    service.transfer(
        accounts.system_account(SystemAccountCode.FUNDING, "EUR"),
        accounts.wallet_account(customer, "EUR"), Decimal("100.00"),
        service.Posting(reason=Reason.TOPUP, actor=Actor.system("bench")),
    )

    def checkout():
        shipping = address()
        created = Checkout.objects.create(
            user=user, email=user.email, shipping_address=shipping, billing_address=address(),
            shipping_method=method, currency="EUR", country="DE",
        )
        CheckoutLine.objects.create(checkout=created, variant=variant, quantity=2)
        return created

    plain, applied = checkout(), checkout()
    manager = get_plugins_manager()
    discounts = fetch_discounts(datetime.now(timezone.utc))
    points_checkout.apply(applied, list(applied), discounts, manager, points=1000)
    wallet_checkout.apply(applied, list(applied), discounts, manager, amount=Decimal("5.00"))
    return {"nothing applied": plain.token, "wallet + points applied": applied.token}, user


# What a storefront asks for on its checkout page: every price field makes Saleor
# calculate again (the total alone twice: totalPrice and the gateways' amount checks).
CHECKOUT_QUERY = """
query Checkout($token: UUID!) {
  checkout(token: $token) {
    token
    totalPrice { gross { amount currency } net { amount } }
    subtotalPrice { gross { amount } }
    shippingPrice { gross { amount } }
    lines { quantity totalPrice { gross { amount } } }
    availablePaymentGateways { id name }
  }
}
"""


def measure_request(token, user, rounds):
    """The storefront's checkout query through the real ``/graphql/`` view (in process,
    DEBUG off, the customer's JWT), with the plugin in ``PLUGINS`` and without it,
    interleaved: the whole request a shopper waits for, not one calculation."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from graphql_jwt.shortcuts import get_token

    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"JWT {get_token(user)}")
    body = json.dumps({"query": CHECKOUT_QUERY, "variables": {"token": str(token)}})
    plugin_lists = {
        "on": list(settings.PLUGINS),
        "off": [p for p in settings.PLUGINS if p not in OURS],
    }

    def request(name):
        with override_settings(PLUGINS=plugin_lists[name]):
            response = client.post("/graphql/", body, content_type="application/json")
        data = response.json()
        if response.status_code != 200 or data.get("errors") or not data["data"]["checkout"]:
            raise SystemExit(f"checkout query failed ({name}): {response.status_code} {data}")
        return data["data"]["checkout"]

    answers, queries = {}, {}
    for name in plugin_lists:
        with CaptureQueriesContext(connection) as captured:
            answers[name] = request(name)
        queries[name] = len(captured.captured_queries)
    times = {name: [] for name in plugin_lists}
    for _ in range(rounds):
        for name in plugin_lists:
            t0 = time.perf_counter()
            request(name)
            times[name].append(time.perf_counter() - t0)
    on = statistics.median(times["on"]) * 1000
    off = statistics.median(times["off"]) * 1000
    return {
        "on_ms": round(on, 3),
        "off_ms": round(off, 3),
        "ratio": round(on / off, 3),
        "on_queries": queries["on"],
        "off_queries": queries["off"],
        "extra_queries": queries["on"] - queries["off"],
        "total_on": answers["on"]["totalPrice"]["gross"]["amount"],
        "total_off": answers["off"]["totalPrice"]["gross"]["amount"],
    }


def measure(token, rounds):
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from saleor.checkout.models import Checkout
    from saleor.discount.utils import fetch_discounts
    from saleor.plugins.manager import PluginsManager

    from saleor_customer_value import checkout_context

    managers = {
        "on": PluginsManager(settings.PLUGINS),
        "off": PluginsManager([p for p in settings.PLUGINS if p not in OURS]),
    }
    discounts = fetch_discounts(datetime.now(timezone.utc))
    times = {(m, k): [] for m in managers for k in ("first", "again")}
    queries, totals = {}, {}
    for round_number in range(rounds + 1):
        for name, manager in managers.items():
            checkout_context.invalidate()  # what a new request does
            checkout = Checkout.objects.get(token=token)
            lines = list(checkout)
            if round_number == 0:  # untimed: count the statements and check the totals
                with CaptureQueriesContext(connection) as first:
                    totals[name] = manager.calculate_checkout_total(checkout, lines, discounts)
                with CaptureQueriesContext(connection) as again:
                    manager.calculate_checkout_total(checkout, lines, discounts)
                queries[name] = (len(first.captured_queries), len(again.captured_queries))
                if os.environ.get("CV_BENCH_SHOW_SQL"):
                    print(name, *[q["sql"][:150] for q in first.captured_queries], sep="\n  ")
                continue
            t0 = time.perf_counter()
            manager.calculate_checkout_total(checkout, lines, discounts)
            t1 = time.perf_counter()
            manager.calculate_checkout_total(checkout, lines, discounts)
            t2 = time.perf_counter()
            times[(name, "first")].append(t1 - t0)
            times[(name, "again")].append(t2 - t1)
    result = {"totals": {k: str(v.gross.amount) for k, v in totals.items()}}
    for kind in ("first", "again"):
        on = statistics.median(times[("on", kind)]) * 1000
        off = statistics.median(times[("off", kind)]) * 1000
        index = 0 if kind == "first" else 1
        result[kind] = {
            "on_ms": round(on, 3),
            "off_ms": round(off, 3),
            "ratio": round(on / off, 3),
            "on_queries": queries["on"][index],
            "off_queries": queries["off"][index],
            "extra_queries": queries["on"][index] - queries["off"][index],
        }
    return result


def print_table(results):
    headers = ["checkout", "calculation", "on ms", "off ms", "on ÷ off", "queries on/off", "extra"]
    rows = []
    for name, result in results.items():
        for kind, label in (("first", "first in request"), ("again", "again, same request"),
                            ("request", "storefront checkout query")):
            r = result[kind]
            rows.append([name, label, f"{r['on_ms']:.3f}", f"{r['off_ms']:.3f}", f"{r['ratio']:.3f}",
                         f"{r['on_queries']}/{r['off_queries']}", f"+{r['extra_queries']}"])
    widths = [max(len(x[i]) for x in [headers] + rows) for i in range(len(headers))]
    fmt = lambda row: "  ".join(  # noqa: E731
        c.ljust(widths[i]) if i < 2 else c.rjust(widths[i]) for i, c in enumerate(row)
    )
    print()
    print(fmt(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt(row))
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bin/bench --checkout")
    parser.add_argument("--rounds", type=int, default=300, help="timed calculations per case (default 300)")
    parser.add_argument("--requests", type=int, default=100,
                        help="storefront checkout queries per case, plugin on and off (default 100)")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the bench database first")
    parser.add_argument("--no-json", action="store_true")
    parser.add_argument("--json", help="write the JSON here instead of benchmarks/results/")
    args = parser.parse_args(argv)
    dev_url = os.environ.get("DATABASE_URL")
    if not dev_url:
        sys.exit("error: DATABASE_URL is not set (run this through bin/bench --checkout)")
    params = lb.db_params(dev_url)
    bench_db = f"{params['name']}_bench"
    bench_url = lb.with_db_name(dev_url, bench_db)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    load_at_start = lb.host_load()
    say(f"checkout total calculation, plugin on and off, on {bench_db} (1-min load {load_at_start})")
    pos_bench.prepare_database(params, bench_db, bench_url, args.fresh)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.pop("CELERY_BROKER_URL", None)
    # As the POS benchmark's server: DEBUG off (no query log kept per statement).
    os.environ.update(DEBUG="False", ALLOWED_CLIENT_HOSTS="localhost,127.0.0.1",
                      ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL="False")
    pos_bench.django_setup()
    tokens, user = prepare(run_id)
    lb.analyze_statistics()
    results = {}
    for name, token in tokens.items():
        lb.status(f"{name}: {args.rounds} rounds")
        results[name] = measure(token, args.rounds)
        lb.status_done()
        lb.status(f"{name}: {args.requests} storefront checkout queries")
        results[name]["request"] = measure_request(token, user, args.requests)
        lb.status_done()
    say(f"results (median of {args.rounds} calculations each; on = Saleor's plugins + this plugin)")
    print_table(results)
    report = {
        "run_id": run_id,
        "args": vars(args),
        "host_load_1min": {"before": load_at_start, "after": lb.host_load()},
        "git_commit": lb._git_commit(),
        "results": results,
    }
    if not args.no_json:
        path = Path(args.json) if args.json else lb.RESULTS_DIR / f"checkout-{run_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str) + "\n")
        say(f"wrote {path}")
    return report


if __name__ == "__main__":
    main()
