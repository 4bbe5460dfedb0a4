"""Webhooks: what the outbox costs a ledger posting, and events delivered per second.

Run it through ``bin/bench --webhooks`` (same environment as ``bin/bench``). It uses
its own database ``<name>_whbench`` (created and migrated; the dev database is never
written to) and a receiver on 127.0.0.1 (first free port of 8150-8159).

1. Outbox cost: one client posts wallet top-ups/spends on its own customer through
   ``service.transfer`` (the ``cv_post`` fast path, autocommit), in alternating rounds
   with the outbox triggers enabled and disabled (``ALTER TABLE ... DISABLE TRIGGER``),
   same process, same data. Reports postings/s of each and their ratio, and the added
   milliseconds per posting (two outbox rows per posting: balance + transaction).
2. Delivery: N postings spread over C customers, one App webhook subscribed to every
   event it may see; one dispatcher pass (``dispatch.run``: fan-out + signed POSTs over
   a keep-alive session, in order per customer) until everything is delivered to a
   receiver process that verifies each signature. Reports events/s.

Results go to ``benchmarks/results/webhooks-<timestamp>.json``.
"""
import argparse
import hashlib
import hmac
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
SECRET = "bench-secret"
LEDGER_TRIGGER = "ALTER TABLE customer_value_ledgertransaction {} TRIGGER cv_outbox_ledger"


def say(message):
    print(f"\033[1m==> {message}\033[0m", flush=True)


def bench_database():
    import psycopg2
    from psycopg2 import sql

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/saleor_customer_value")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_whbench"
    conn = psycopg2.connect(
        dbname="postgres", host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
        user=parts.username or "postgres", password=parts.password,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    return urlunsplit(parts._replace(path="/" + name))


def django_setup(url):
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1")
    os.environ.setdefault("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_shop.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- the receiver (its own process: it must not share the dispatcher's GIL) ----------


def _serve(port_queue, counter):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real receiver

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            expected = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            ok = hmac.compare_digest(expected, self.headers.get("X-Saleor-HMAC-SHA256", ""))
            with counter.get_lock():
                counter.value += 1 if ok else 0
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    for port in range(8150, 8160):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    else:
        port_queue.put(None)
        return
    port_queue.put(port)
    server.serve_forever()


# --- scenarios ------------------------------------------------------------------------


def _wallet(email):
    from saleor_customer_value.ledger import accounts, service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
    from saleor_customer_value.models import Customer

    customer = Customer.objects.create(email=email)
    wallet = accounts.wallet_account(customer, "EUR")
    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")
    service.transfer(funding, wallet, Decimal("1000000.00"),
                     service.Posting(reason=Reason.TOPUP, actor=Actor.system("bench")))
    return wallet


def _post(wallet, n):
    from saleor_customer_value.ledger import accounts, service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode

    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")
    sink = accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")
    actor = Actor.system("bench")
    amount = Decimal("1.00")
    for i in range(n):
        if i % 2:
            service.transfer(funding, wallet, amount, service.Posting(reason=Reason.TOPUP, actor=actor))
        else:
            service.transfer(wallet, sink, amount, service.Posting(reason=Reason.POS_PAYMENT, actor=actor))


def outbox_cost(rounds, per_round):
    from django.db import connection

    wallet = _wallet(f"cost-{time.time()}@bench")
    _post(wallet, 200)  # warm-up
    rates = {"with": [], "without": []}
    try:
        for r in range(rounds):
            for mode in (("with", "without") if r % 2 == 0 else ("without", "with")):
                with connection.cursor() as cursor:
                    cursor.execute(LEDGER_TRIGGER.format("ENABLE" if mode == "with" else "DISABLE"))
                started = time.perf_counter()
                _post(wallet, per_round)
                rates[mode].append(per_round / (time.perf_counter() - started))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(LEDGER_TRIGGER.format("ENABLE"))
    with_, without = statistics.median(rates["with"]), statistics.median(rates["without"])
    return {
        "postings_per_s_with_outbox": round(with_, 1),
        "postings_per_s_without_outbox": round(without, 1),
        "ratio_with_over_without": round(with_ / without, 3),
        "added_ms_per_posting": round(1000 / with_ - 1000 / without, 3),
        "rounds": rounds,
        "postings_per_round": per_round,
    }


def delivery_rate(customers, postings):
    from saleor.app.models import App
    from saleor.webhook.models import Webhook, WebhookEvent
    from django.contrib.auth.models import Permission

    from saleor_customer_value.models import OutboxEvent, WebhookDelivery
    from saleor_customer_value.webhooks import dispatch

    # Only this run's events: older ones are marked dispatched.
    OutboxEvent.objects.filter(dispatched_at__isnull=True).update(dispatched_at=datetime.now(timezone.utc))
    WebhookDelivery.objects.filter(status="pending").update(status="failed")
    ctx = mp.get_context("spawn")
    ports, counter = ctx.Queue(), ctx.Value("i", 0)
    receiver = ctx.Process(target=_serve, args=(ports, counter), daemon=True)
    receiver.start()
    port = ports.get(timeout=30)
    if port is None:
        raise SystemExit("no free port in 8150-8159 for the receiver")
    try:
        app = App.objects.create(name=f"bench {time.time()}", is_active=True)
        app.permissions.add(*Permission.objects.filter(codename__in=["use_pos", "view_ledger"]))
        hook = Webhook.objects.create(app=app, target_url=f"http://127.0.0.1:{port}/", secret_key=SECRET)
        WebhookEvent.objects.create(webhook=hook, event_type="any_events")
        wallets = [_wallet(f"d-{time.time()}-{i}@bench") for i in range(customers)]
        per = max(1, postings // customers)
        for wallet in wallets:
            _post(wallet, per)
        started = time.perf_counter()
        result = dispatch.run(budget_seconds=600)
        while WebhookDelivery.objects.filter(webhook=hook, status="pending").exists():
            more = dispatch.run(budget_seconds=600)
            result["delivered"] += more["delivered"]
        elapsed = time.perf_counter() - started
        hook.delete()
        app.delete()
        return {
            "customers": customers,
            "events": result["delivered"],
            "verified_by_receiver": counter.value,
            "seconds": round(elapsed, 2),
            "events_per_s": round(result["delivered"] / elapsed, 1),
        }
    finally:
        receiver.terminate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="alternating with/without rounds")
    parser.add_argument("--per-round", type=int, default=500, help="postings per round")
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--postings", type=int, default=1000, help="postings for the delivery run (2 events each)")
    args = parser.parse_args()

    url = bench_database()
    say(f"Database {urlsplit(url).path.lstrip('/')} (migrating)")
    django_setup(url)
    say(f"Outbox cost: {args.rounds} rounds x {args.per_round} postings, with and without")
    cost = outbox_cost(args.rounds, args.per_round)
    for key, value in cost.items():
        print(f"    {key}: {value}")
    say(f"Delivery: {args.postings} postings over {args.customers} customers to a local receiver")
    rate = delivery_rate(args.customers, args.postings)
    for key, value in rate.items():
        print(f"    {key}: {value}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"webhooks-{stamp}.json"
    out.write_text(json.dumps({"outbox_cost": cost, "delivery": rate, "cpus": os.cpu_count()}, indent=2))
    say(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
