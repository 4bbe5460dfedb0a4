"""POS scenario over HTTP vs. Saleor's own ``{ shop { name } }``, against one running
server, in one run.

Run it through ``bin/bench --pos`` (venv, environment and PostgreSQL as for the ledger
benchmark); ``bin/bench --pos --help`` lists the options. See benchmarks/README.md.

What it does:

1. Creates (or reuses) the Django database ``<name>_bench`` next to the one in
   DATABASE_URL and migrates it (the same database and stamp as ``ledger_bench.py``),
   so the dev database is never written to.
2. Prepares data through Django: one App with a token and the USE_POS permission, the
   loyalty program enabled (1 point per 1.00 EUR), ``--customers`` customers (Saleor
   users) each with an active card.
3. Starts gunicorn as ``bin/demo`` does (``example_shop/gunicorn.conf.py``, DEBUG off;
   ``--server runserver`` for Django's development server) on 127.0.0.1:<free port> on
   that database (no Celery broker: tasks run eagerly) and waits until ``/graphql/``
   answers.
4. For each client count: N client threads, each with its own keep-alive
   ``http.client`` connection, send (a) ``{ shop { name } }`` (the baseline) and (b) the
   POS pair ``posCustomerLookup(code)`` + ``posSaleRecord(input: {customer: {code},
   amount, currency: "EUR", receipt, note, idempotencyKey})`` in a loop for a fixed time
   after a warm-up. Every sale has a unique idempotency key and receipt.
5. Prints a table (requests/s, p50/p99, ratio to the baseline), writes JSON to
   ``benchmarks/results/pos-<timestamp>.json`` and stops the server (also on Ctrl+C
   or an error).
"""
import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ledger_bench as lb  # noqa: E402  (database helpers shared with the ledger benchmark)

ROOT = lb.ROOT
RESULTS_DIR = lb.RESULTS_DIR
HOST = "127.0.0.1"
CURRENCY = "EUR"
MAX_CONSECUTIVE_ERRORS = 200
SERVER_START_TIMEOUT = 180

SHOP_QUERY = "{ shop { name } }"
LOOKUP_QUERY = """
query Lookup($code: String) {
  posCustomerLookup(code: $code) {
    customers {
      customerId name email
      card { maskedCode state kind }
      points { available posted held pending }
    }
    customerValueErrors { field code message }
  }
}
"""
SALE_QUERY = """
mutation Sale($input: PosAmountInput!) {
  posSaleRecord(input: $input) {
    pointsEarned replayed
    customer { customerId points { available posted held pending } }
    bookings { id reason amount unit }
    customerValueErrors { field code message }
  }
}
"""

say, status, status_done, percentile = lb.say, lb.status, lb.status_done, lb.percentile


# --- data ----------------------------------------------------------------------------


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_shop.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_data(run_id, count):
    """One App + token with USE_POS, the loyalty program on, ``count`` customers with
    an active card each. Returns (token, [card codes])."""
    from django.contrib.auth.models import Permission
    from saleor.account.models import User
    from saleor.app.models import App

    from saleor_customer_value.cards import codes
    from saleor_customer_value.ledger import accounts
    from saleor_customer_value.loyalty.program import get_program
    from saleor_customer_value.models import Card, CardKind, CardState

    app = App.objects.create(name=f"POS bench {run_id}", is_active=True)
    token = app.tokens.create(name="bench").auth_token
    app.permissions.add(Permission.objects.get(codename="use_pos"))

    program = get_program()
    for name, value in dict(
        enabled=True,
        earn_points=1,
        earn_amount=Decimal("1.00"),
        earn_rounding="down",
        redeem_points=100,
        redeem_amount=Decimal("1.00"),
        redeem_min_balance=0,
    ).items():
        setattr(program, name, value)
    program.save()

    card_codes = []
    for i in range(count):
        user = User.objects.create_user(
            f"pos-bench-{run_id}-{i}@example.com".lower(),
            None,
            first_name="Bench",
            last_name=f"Customer {i}",
        )
        customer = accounts.customer_for_user(user)
        card = Card.objects.create(
            code=codes.generate(), kind=CardKind.QR, state=CardState.ACTIVE, customer=customer
        )
        card_codes.append(card.code)
    return token, card_codes


# --- server --------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_command(kind, port):
    if kind == "runserver":
        return [sys.executable, str(ROOT / "manage.py"), "runserver", f"{HOST}:{port}", "--noreload"]
    # The production-like server of bin/demo (example_shop/gunicorn.conf.py).
    return [
        sys.executable, "-m", "gunicorn", "-c", str(ROOT / "example_shop" / "gunicorn.conf.py"),
        "--bind", f"{HOST}:{port}", "example_shop.wsgi:application",
    ]


def server_cpu_seconds(pid):
    """CPU seconds of the server process and its children (gunicorn's workers)."""
    total = lb.process_cpu_seconds(pid)
    if total is None:
        return None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += lb.process_cpu_seconds(int(entry)) or 0
    return total


def start_server(bench_url, port, debug, log_path, kind="gunicorn", workers=None):
    env = dict(os.environ, DATABASE_URL=bench_url, DJANGO_SETTINGS_MODULE="example_shop.settings")
    for name in ("CELERY_BROKER_URL", "CLOUDAMQP_URL"):
        env.pop(name, None)  # no broker: Saleor sets CELERY_TASK_ALWAYS_EAGER
    if not debug:
        env["DEBUG"] = "False"
        env.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
        env.setdefault("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1")
        env.setdefault("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", "False")
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    log = open(log_path, "w")
    proc = subprocess.Popen(
        server_command(kind, port),
        env=env,
        cwd=str(ROOT),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one, not by Ctrl+C
    )
    proc._bench_log = log
    return proc


def stop_server(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    finally:
        proc._bench_log.close()


class Client:
    """One keep-alive HTTP/1.1 connection to ``/graphql/``."""

    def __init__(self, port, token=None):
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn = None
        self.connects = 0

    def post(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                self.connects += 1
            try:
                self.conn.request("POST", "/graphql/", body, self.headers)
                quickack(self.conn)
                response = self.conn.getresponse()
                data = response.read()
                if response.will_close:
                    self.close()
                return response.status, data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def quickack(conn):
    """runserver (wsgiref) writes the headers and the body in separate small sends with
    Nagle on; with the client's delayed ACK that costs ~40 ms per response on
    loopback. TCP_QUICKACK (Linux) before reading ACKs at once: the figures are the
    server's, not a TCP timer's."""
    sock = conn.sock
    if sock is not None and hasattr(socket, "TCP_QUICKACK"):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except OSError:
            pass


def wait_for_server(proc, port, log_path):
    started = time.monotonic()
    client = Client(port)
    while time.monotonic() - started < SERVER_START_TIMEOUT:
        if proc.poll() is not None:
            status_done()
            sys.stderr.write(Path(log_path).read_text()[-4000:])
            sys.exit(f"error: the server exited ({proc.returncode}); log: {log_path}")
        try:
            code, body = client.post(SHOP_QUERY)
            if code == 200 and b'"shop"' in body:
                client.close()
                status_done(f"/graphql/ answers after {time.monotonic() - started:.1f} s")
                return
        except OSError:
            client.close()
        status(f"waiting for the server: {time.monotonic() - started:4.0f} s")
        time.sleep(0.5)
    sys.exit(f"error: the server did not answer within {SERVER_START_TIMEOUT} s; log: {log_path}")


# --- requests ------------------------------------------------------------------------


class Failure(Exception):
    pass


def check(code, body, field):
    if code != 200:
        raise Failure(f"HTTP {code}: {body[:200]!r}")
    content = json.loads(body)
    if content.get("errors"):
        raise Failure(f"GraphQL errors: {str(content['errors'])[:300]}")
    data = (content.get("data") or {}).get(field)
    if data is None:
        raise Failure(f"no data.{field}: {body[:200]!r}")
    if data.get("customerValueErrors"):
        raise Failure(f"customerValueErrors: {data['customerValueErrors']}")
    return data


def shop_step(client, state):
    t0 = time.perf_counter()
    code, body = client.post(SHOP_QUERY)
    elapsed = time.perf_counter() - t0
    check(code, body, "shop")
    return [("shop", elapsed)]


def pos_step(client, state):
    card_code = state["codes"][state["n"] % len(state["codes"])]
    state["n"] += 1
    t0 = time.perf_counter()
    code, body = client.post(LOOKUP_QUERY, {"code": card_code})
    t1 = time.perf_counter()
    found = check(code, body, "posCustomerLookup")
    if len(found["customers"]) != 1:
        raise Failure(f"lookup found {len(found['customers'])} customers")
    amount = Decimal(state["rnd"].randint(100, 9999)).scaleb(-2)  # 1.00..99.99
    key = f"{state['prefix']}-{state['n']}"
    sale_input = {
        "customer": {"code": card_code},
        "amount": str(amount),
        "currency": CURRENCY,
        "receipt": f"R-{key}",
        "note": "pos bench",
        "idempotencyKey": key,
    }
    t2 = time.perf_counter()
    code, body = client.post(SALE_QUERY, {"input": sale_input})
    t3 = time.perf_counter()
    sale = check(code, body, "posSaleRecord")
    if sale["replayed"] or sale["pointsEarned"] != int(amount):
        raise Failure(f"unexpected sale result: {sale}")
    return [("lookup", t1 - t0), ("sale", t3 - t2), ("pair", t3 - t0)]


def _client_thread(index, cfg, step, stop, barrier, counters, results):
    client = Client(cfg["port"], cfg.get("token"))
    state = {
        "n": index * 7,  # spread the clients over the customers
        "codes": cfg.get("codes", []),
        "rnd": random.Random(f"{cfg['run_id']}-{cfg['scenario']}-{index}"),
        "prefix": f"{cfg['run_id']}-{cfg['scenario']}-{index}",
    }
    latencies = {}
    errors, first_error = Counter(), {}
    consecutive = 0
    try:
        barrier.wait(timeout=60)
    except threading.BrokenBarrierError:
        return
    measure_from = cfg["measure_from"]
    measure_until = cfg["measure_until"]
    while not stop.is_set():
        now = time.monotonic()
        if now >= measure_until:
            break
        try:
            samples = step(client, state)
        except Exception as exc:  # noqa: B902 - counted, the loop goes on (bounded)
            name = type(exc).__name__
            errors[name] += 1
            first_error.setdefault(name, str(exc)[:300])
            client.close()
            consecutive += 1
            if consecutive >= MAX_CONSECUTIVE_ERRORS:
                break
            continue
        consecutive = 0
        if now >= measure_from and time.monotonic() <= measure_until:
            for kind, elapsed in samples:
                latencies.setdefault(kind, []).append(elapsed)
            counters[index] += 1
    client.close()
    results[index] = {
        "latencies": latencies,
        "errors": dict(errors),
        "first_error": first_error,
        "connects": client.connects,
    }


def run_scenario(name, label, step, clients, cfg, server_pid):
    say(f"{label}, {clients} client(s)")
    stop = threading.Event()
    barrier = threading.Barrier(clients + 1)
    counters = [0] * clients
    results = [None] * clients
    start = time.monotonic() + 0.2
    scfg = dict(
        cfg,
        scenario=name,
        measure_from=start + cfg["warmup"],
        measure_until=start + cfg["warmup"] + cfg["seconds"],
    )
    threads = [
        threading.Thread(
            target=_client_thread,
            args=(i, scfg, step, stop, barrier, counters, results),
            daemon=True,
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=60)
    load_before = lb.host_load()
    cpu = {}
    try:
        while any(t.is_alive() for t in threads):
            now = time.monotonic()
            if now < scfg["measure_from"]:
                status(f"{label} x{clients}: warm-up, {scfg['measure_from'] - now:4.1f} s left")
            else:
                if "server_start" not in cpu:
                    cpu["server_start"] = server_cpu_seconds(server_pid)
                    cpu["client_start"] = time.process_time()
                    cpu["ops_start"] = sum(counters)
                done = sum(counters)
                rate = done / max(now - scfg["measure_from"], 1e-9)
                status(
                    f"{label} x{clients}: measuring, "
                    f"{max(0.0, scfg['measure_until'] - now):4.1f} s left, "
                    f"{done} iterations ({rate:,.0f}/s)"
                )
                if now >= scfg["measure_until"] and "server_end" not in cpu:
                    cpu["server_end"] = server_cpu_seconds(server_pid)
                    cpu["client_end"] = time.process_time()
                    cpu["ops_end"] = sum(counters)
            if now > scfg["measure_until"] + 60:
                stop.set()  # bounded: a hung request cannot keep the run going
            # Wake up on the window's edges so the CPU samples frame it.
            edges = [e - now for e in (scfg["measure_from"], scfg["measure_until"]) if e > now]
            time.sleep(min([0.25] + edges) + 0.001)
    except BaseException:
        stop.set()
        raise
    for thread in threads:
        thread.join(timeout=35)
    if "server_start" in cpu and "server_end" not in cpu:
        # The clients stopped before the last wake-up: sample now (a little late).
        cpu["server_end"] = server_cpu_seconds(server_pid)
        cpu["client_end"] = time.process_time()
        cpu["ops_end"] = sum(counters)
    status_done()
    collected = [r for r in results if r is not None]
    if len(collected) < clients:
        print(f"    warning: {clients - len(collected)} client thread(s) did not report", flush=True)

    kinds = {}
    for r in collected:
        for kind, values in r["latencies"].items():
            kinds.setdefault(kind, []).extend(values)
    errors, first_error = Counter(), {}
    for r in collected:
        errors.update(r["errors"])
        for k, v in r["first_error"].items():
            first_error.setdefault(k, v)
    seconds = cfg["seconds"]
    iterations = sum(counters)

    def ms(value):
        return None if value is None else round(value * 1000, 3)

    by_kind = {}
    for kind, values in kinds.items():
        values.sort()
        by_kind[kind] = {
            "count": len(values),
            "per_s": round(len(values) / seconds, 1),
            "p50_ms": ms(percentile(values, 50)),
            "p90_ms": ms(percentile(values, 90)),
            "p99_ms": ms(percentile(values, 99)),
            "max_ms": ms(values[-1] if values else None),
            "mean_ms": ms(statistics.fmean(values) if values else None),
        }
    http_kinds = [k for k in kinds if k != "pair"]
    requests = sum(len(kinds[k]) for k in http_kinds)
    all_requests = sorted(x for k in http_kinds for x in kinds[k])

    def per_request(key_start, key_end):
        if cpu.get(key_start) is None or cpu.get(key_end) is None or not requests:
            return None
        window_ops = cpu["ops_end"] - cpu["ops_start"]
        per_iteration = len(http_kinds) if http_kinds else 1
        if window_ops <= 0:
            return None
        return round((cpu[key_end] - cpu[key_start]) / (window_ops * per_iteration) * 1000, 3)

    result = {
        "scenario": name,
        "label": label,
        "clients": clients,
        "seconds": seconds,
        "iterations": iterations,
        "requests": requests,
        "requests_per_s": round(requests / seconds, 1),
        "latency_ms_all_requests": {
            "p50": ms(percentile(all_requests, 50)),
            "p99": ms(percentile(all_requests, 99)),
        },
        "by_kind": by_kind,
        "cpu_ms_per_request": {
            "server_process": per_request("server_start", "server_end"),
            "client_process": per_request("client_start", "client_end"),
        },
        "connections_opened": sum(r["connects"] for r in collected),
        "host_load_1min": {"before": load_before, "after": lb.host_load()},
        "errors": dict(errors),
        "first_error": first_error,
    }
    lat = result["latency_ms_all_requests"]
    print(
        f"    {requests} requests, {result['requests_per_s']:,.1f}/s, p50 {lat['p50']} ms, "
        f"p99 {lat['p99']} ms, {result['connections_opened']} connection(s)"
        + (f", errors {dict(errors)} first: {first_error}" if errors else ""),
        flush=True,
    )
    return result


# --- report --------------------------------------------------------------------------


def build_rows(shop, pos):
    base = shop["by_kind"].get("shop", {})
    base_rate = shop["requests_per_s"]
    base_p50 = base.get("p50_ms")
    rows = [
        {
            "what": "shop { name } (baseline)",
            "clients": shop["clients"],
            "per_s": base_rate,
            "p50_ms": base_p50,
            "p99_ms": base.get("p99_ms"),
            "ratio_rate": 1.0,
            "ratio_p50": 1.0,
        }
    ]
    for kind, what in (
        ("lookup", "posCustomerLookup"),
        ("sale", "posSaleRecord"),
    ):
        k = pos["by_kind"].get(kind, {})
        rows.append(
            {
                "what": what,
                "clients": pos["clients"],
                "per_s": k.get("per_s"),
                "p50_ms": k.get("p50_ms"),
                "p99_ms": k.get("p99_ms"),
                "ratio_rate": None,
                "ratio_p50": round(k["p50_ms"] / base_p50, 2) if k.get("p50_ms") and base_p50 else None,
            }
        )
    all_lat = pos["latency_ms_all_requests"]
    rows.append(
        {
            "what": "POS requests (lookup+sale)",
            "clients": pos["clients"],
            "per_s": pos["requests_per_s"],
            "p50_ms": all_lat["p50"],
            "p99_ms": all_lat["p99"],
            "ratio_rate": round(pos["requests_per_s"] / base_rate, 3) if base_rate else None,
            "ratio_p50": round(all_lat["p50"] / base_p50, 2) if all_lat["p50"] and base_p50 else None,
        }
    )
    pair = pos["by_kind"].get("pair", {})
    rows.append(
        {
            "what": "POS pairs (lookup→sale)",
            "clients": pos["clients"],
            "per_s": pair.get("per_s"),
            "p50_ms": pair.get("p50_ms"),
            "p99_ms": pair.get("p99_ms"),
            "ratio_rate": round(pair["per_s"] / base_rate, 3) if pair.get("per_s") and base_rate else None,
            "ratio_p50": None,
        }
    )
    return rows


def print_table(rows):
    headers = ["what", "clients", "per s", "p50 ms", "p99 ms", "rate ÷ shop", "p50 ÷ shop"]

    def num(value, fmt):
        return "" if value is None else format(value, fmt)

    table = [
        [
            r["what"],
            str(r["clients"]),
            num(r["per_s"], ",.1f"),
            num(r["p50_ms"], ".2f"),
            num(r["p99_ms"], ".2f"),
            num(r["ratio_rate"], ".3f"),
            num(r["ratio_p50"], ".2f"),
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [headers] + table) for i in range(len(headers))]

    def fmt(row):
        return "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )

    print()
    print(fmt(headers))
    print("  ".join("-" * w for w in widths))
    previous = None
    for r, row in zip(rows, table):
        if previous is not None and r["clients"] != previous:
            print()
        previous = r["clients"]
        print(fmt(row))
    print()


# --- main ----------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bin/bench --pos",
        description="POS lookup+sale over HTTP vs. Saleor's { shop { name } }, one "
        "server (gunicorn by default) on the bench database.",
    )
    parser.add_argument("--seconds", type=float, default=10, help="measured time per scenario (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured warm-up per scenario (default 2)")
    parser.add_argument(
        "--clients", type=int, nargs="+", default=[1, 16],
        help="concurrent client threads (default: 1 16)",
    )
    parser.add_argument("--customers", type=int, default=50, help="customers with a card (default 50)")
    parser.add_argument(
        "--debug", choices=["true", "false"], default="false",
        help="the server's DEBUG (default false, as in production; false sets ALLOWED_CLIENT_HOSTS)",
    )
    parser.add_argument(
        "--server", choices=["gunicorn", "runserver"], default="gunicorn",
        help="gunicorn as bin/demo runs it (default), or Django's development server",
    )
    parser.add_argument(
        "--workers", type=int, default=None,
        help="gunicorn workers (default: example_shop/gunicorn.conf.py, 2 per CPU)",
    )
    parser.add_argument("--json", help="write the JSON here instead of benchmarks/results/")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the bench database first")
    parser.add_argument("--no-json", action="store_true", help="do not write the JSON file")
    args = parser.parse_args(argv)
    if any(c < 1 or c > 256 for c in args.clients):
        parser.error("--clients must be between 1 and 256")
    if args.customers < 1 or args.seconds <= 0 or args.warmup < 0:
        parser.error("--customers >= 1, --seconds > 0, --warmup >= 0")
    return args


def prepare_database(params, bench_db, bench_url, fresh):
    fingerprint = lb.migrations_fingerprint()
    drop = fresh
    if not drop and lb.database_exists(params, bench_db):
        stamp = lb.database_stamp(params, bench_db)
        if stamp != fingerprint:
            say(f"the plugin's migrations changed since {bench_db} was built: re-creating it")
            drop = True
    if lb.ensure_database(params, bench_db, drop=drop):
        say(f"created database {bench_db}; migrating (first time: ~20-30 s)")
    else:
        say(f"migrating database {bench_db} (reused; --fresh starts over)")
    lb.run_with_heartbeat(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        "manage.py migrate",
        env=dict(os.environ, DATABASE_URL=bench_url),
        cwd=str(ROOT),
    )
    lb.set_database_stamp(params, bench_db, fingerprint)


def main(argv=None):
    args = parse_args(argv)
    dev_url = os.environ.get("DATABASE_URL")
    if not dev_url:
        sys.exit("error: DATABASE_URL is not set (run this through bin/bench --pos)")
    params = lb.db_params(dev_url)
    bench_db = f"{params['name']}_bench"
    bench_url = lb.with_db_name(dev_url, bench_db)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    debug = args.debug == "true"

    say(
        f"PostgreSQL at {params['host']}:{params['port']}; dev database {params['name']} "
        f"is not touched, the server runs on {bench_db}"
    )
    info = lb.server_info(params)
    load_at_start = lb.host_load()
    print(
        f"    {info['version'].split(' on ')[0]}, synchronous_commit={info['synchronous_commit']}, "
        f"{os.cpu_count()} CPU(s) on this host, 1-min load {load_at_start}",
        flush=True,
    )
    prepare_database(params, bench_db, bench_url, args.fresh)

    os.environ["DATABASE_URL"] = bench_url
    django_setup()
    from django.db import connections

    say(f"creating an App with USE_POS, the loyalty program and {args.customers} customers with a card")
    token, card_codes = prepare_data(run_id, args.customers)
    lb.analyze_statistics()
    connections.close_all()

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RESULTS_DIR / f"pos-{run_id}-server.log"
    port = args.port or free_port()
    server = None
    scenarios, rows = [], []
    try:
        say(
            f"starting {args.server} on {HOST}:{port} (DEBUG={debug}, "
            f"no Celery broker; log: {log_path.relative_to(ROOT)})"
        )
        server = start_server(bench_url, port, debug, log_path, args.server, args.workers)
        wait_for_server(server, port, log_path)
        # Prime both paths once (first requests import and build lazily).
        prime = Client(port, token)
        pos_step(prime, {"n": 0, "codes": card_codes, "rnd": random.Random(0),
                         "prefix": f"{run_id}-prime"})
        prime.close()

        cfg = {
            "run_id": run_id,
            "port": port,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "token": token,
            "codes": card_codes,
        }
        for clients in args.clients:
            shop = run_scenario(f"shop-{clients}", "shop { name }", shop_step, clients, cfg, server.pid)
            pos = run_scenario(f"pos-{clients}", "POS lookup+sale", pos_step, clients, cfg, server.pid)
            scenarios += [shop, pos]
            rows += build_rows(shop, pos)
            if server.poll() is not None:
                sys.exit(f"error: the server died ({server.returncode}); log: {log_path}")
    except KeyboardInterrupt:
        status_done()
        say("interrupted: stopping the server")
        raise SystemExit(130)
    finally:
        stop_server(server)

    say(
        f"results ({args.seconds:g} s measured per scenario after {args.warmup:g} s warm-up; "
        f"{args.server}, DEBUG={debug}, clients are threads in one Python process)"
    )
    print_table(rows)
    print(f"  CPU ms per HTTP request ({args.server} processes / this client process):")
    for s in scenarios:
        c = s["cpu_ms_per_request"]
        print(
            f"    {s['label']:<16} x{s['clients']:<3} server {c['server_process']}, "
            f"client {c['client_process']}"
        )
    print()
    if load_at_start is not None and load_at_start > 0.5 * (os.cpu_count() or 1):
        print(
            f"  note: the host was busy before the run (1-min load {load_at_start} on "
            f"{os.cpu_count()} CPUs); throughput figures are noisy.\n"
        )
    total_errors = sum(sum(s["errors"].values()) for s in scenarios)
    if total_errors:
        print(f"  note: {total_errors} failed request(s); see the JSON (first_error).\n")

    report = {
        "run_id": run_id,
        "args": vars(args),
        "host": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": {"postgres": dict(info, host=params["host"], port=params["port"]),
                   "http": " ".join(server_command(args.server, port)), "debug": debug},
        "database": bench_db,
        "git_commit": lb._git_commit(),
        "host_load_1min_at_start": load_at_start,
        "table": rows,
        "scenarios": scenarios,
    }
    if not args.no_json:
        path = Path(args.json) if args.json else RESULTS_DIR / f"pos-{run_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str) + "\n")
        say(f"wrote {path}")
    return report


if __name__ == "__main__":
    main()
