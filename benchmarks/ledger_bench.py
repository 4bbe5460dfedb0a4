"""Ledger write throughput vs. pgbench, against the same PostgreSQL server, in one run.

Run it through ``bin/bench`` (which sets up the venv, the environment and the server);
``bin/bench --help`` lists the options. See benchmarks/README.md for what each figure
means and how to read the ratio.

What it does:

1. Creates (or reuses) a separate Django database ``<name>_bench`` next to the one in
   DATABASE_URL and migrates it, so the dev database is never written to.
2. Creates (or reuses) a database ``<name>_pgbench`` and initialises it with
   ``pgbench -i -s 1``.
3. Ledger scenarios: N worker *processes* (spawned, each with ``django.setup()`` and its
   own connection) call ``service.transfer`` in a loop for a fixed time, alternating
   spend (wallet -> redemption) and top-up (funding -> wallet) of the same amount, so a
   wallet never runs dry; a share of the postings carries an idempotency key. Either
   every worker has its own customer wallet ("separate wallets") or all of them share
   one ("one shared wallet", the contended case). A warm-up precedes the measured time.
4. pgbench's built-in simple-update script (``pgbench -N``) with the same client counts
   and the same duration.
5. Prints a table (postings/s, pgbench TPS, ratio, p50/p99 posting latency) and writes
   everything as JSON to ``benchmarks/results/ledger-<timestamp>.json``.
6. Profiles single postings in this process: SQL statements per posting, their shapes,
   and how the wall time splits between Python and waiting for the database.

Nothing here runs as part of the test suite (pytest only collects ``tests/``).
"""
import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from glob import glob
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
CURRENCY = "EUR"
INITIAL_BALANCE = Decimal("1000000.00")
IDEM_SCOPE_LABEL = "bench"


# --- small helpers -------------------------------------------------------------------


def say(message):
    print(f"\033[1m==> {message}\033[0m", flush=True)


_last_plain_status = [0.0]


def status(message):
    """One self-overwriting status line; when not on a terminal, a plain line at most
    every 5 s."""
    if sys.stdout.isatty():
        print(f"\r\033[K    {message}", end="", flush=True)
    elif time.monotonic() - _last_plain_status[0] >= 5:
        _last_plain_status[0] = time.monotonic()
        print(f"    {message}", flush=True)


def status_done(message=None):
    if sys.stdout.isatty():
        print("\r\033[K", end="")
    if message:
        print(f"    {message}", flush=True)


def percentile(sorted_values, q):
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def db_params(url):
    import dj_database_url

    config = dj_database_url.parse(url)
    return {
        "name": config["NAME"],
        "host": config["HOST"] or "127.0.0.1",
        "port": int(config["PORT"] or 5432),
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
    }


def with_db_name(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def admin_connect(params):
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        host=params["host"],
        port=params["port"],
        user=params["user"],
        password=params["password"],
        connect_timeout=5,
    )
    conn.autocommit = True
    return conn


def database_exists(params, name):
    conn = admin_connect(params)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        conn.close()


def ensure_database(params, name, drop=False):
    from psycopg2 import sql

    conn = admin_connect(params)
    try:
        with conn.cursor() as cursor:
            if drop:
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                )
                return True
    finally:
        conn.close()
    return False


_STAMP_PREFIX = "ledger_bench migrations "


def migrations_fingerprint():
    """Hash of the plugin's migration files. Migrations edited in place (same name)
    would not be re-applied by ``migrate`` to a reused bench database."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "saleor_customer_value" / "migrations").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def database_stamp(params, name):
    conn = admin_connect(params)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = %s",
                [name],
            )
            row = cursor.fetchone()
    finally:
        conn.close()
    comment = (row[0] if row else None) or ""
    return comment[len(_STAMP_PREFIX):] if comment.startswith(_STAMP_PREFIX) else None


def set_database_stamp(params, name, stamp):
    from psycopg2 import sql

    conn = admin_connect(params)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(_STAMP_PREFIX + stamp)
                )
            )
    finally:
        conn.close()


def server_info(params):
    conn = admin_connect(params)
    info = {}
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT version()")
            info["version"] = cursor.fetchone()[0]
            for setting in (
                "synchronous_commit",
                "fsync",
                "shared_buffers",
                "max_connections",
                "wal_level",
            ):
                cursor.execute(f"SHOW {setting}")
                info[setting] = cursor.fetchone()[0]
    finally:
        conn.close()
    return info


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(pid):
    """User+system CPU seconds of a local process from /proc, or None (remote server,
    no /proc, no permission)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


def host_load():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def run_with_heartbeat(cmd, label, env=None, cwd=None):
    """Run ``cmd`` quietly, printing the elapsed time; show its output if it fails."""
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        status(f"{label}: {time.monotonic() - started:4.0f} s")
        time.sleep(1)
    reader.join()
    status_done(f"{label}: done in {time.monotonic() - started:.1f} s")
    if proc.returncode != 0:
        sys.stderr.write("".join(output))
        sys.exit(f"error: {' '.join(map(str, cmd))} failed ({proc.returncode})")
    return "".join(output)


# --- Django side ---------------------------------------------------------------------


def django_setup():
    # DEBUG=True would make every cursor a debug cursor (query log, timing): the
    # benchmark measures the production configuration. Saleor insists on
    # ALLOWED_CLIENT_HOSTS (and, with its default, no e-mail confirmation) once DEBUG
    # is off; neither matters here: no HTTP, no e-mail.
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1")
    os.environ.setdefault("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_shop.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def analyze_statistics():
    """``ANALYZE`` the bench database after its data is made, as autovacuum would.

    A production server keeps planner statistics current (autovacuum); a server run
    without it (this machine's, for one) leaves freshly filled tables unanalysed, and
    the planner then picks plans no shop would get (e.g. a hash join over the whole
    account table in every posting). Both sides of every comparison run after this.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute("ANALYZE")
    say(f"ANALYZE of the bench database: {time.perf_counter() - started:.1f} s (server autovacuum: {autovacuum})")


def create_wallets(run_id, count):
    """``count`` fresh customers, each with a wallet holding INITIAL_BALANCE."""
    from saleor_customer_value.ledger import accounts, service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
    from saleor_customer_value.models import Customer

    funding = accounts.system_account(SystemAccountCode.FUNDING, CURRENCY)
    actor = Actor.system(IDEM_SCOPE_LABEL)
    wallet_ids = []
    for i in range(count):
        customer = Customer.objects.create(email=f"bench-{run_id}-{i}@example.com")
        wallet = accounts.wallet_account(customer, CURRENCY)
        service.transfer(
            funding,
            wallet,
            INITIAL_BALANCE,
            service.Posting(reason=Reason.TOPUP, actor=actor, note="bench seed"),
        )
        wallet_ids.append(wallet.pk)
    return wallet_ids


class PostingLoop:
    """Alternating spend / top-up of the same amount on one wallet."""

    def __init__(self, wallet_id, idem_share, seed, key_prefix):
        from saleor_customer_value.ledger import accounts
        from saleor_customer_value.ledger.actors import Actor
        from saleor_customer_value.ledger.reasons import SystemAccountCode
        from saleor_customer_value.models import Account

        self.wallet = Account.objects.get(pk=wallet_id)
        self.funding = accounts.system_account(SystemAccountCode.FUNDING, CURRENCY)
        self.sink = accounts.system_account(SystemAccountCode.REDEMPTION, CURRENCY)
        self.actor = Actor.system(IDEM_SCOPE_LABEL)
        self.rnd = random.Random(seed)
        self.idem_share = idem_share
        self.key_prefix = key_prefix
        self.n = 0
        self.amount = None

    def next_call(self):
        """Return (kind, uses_idem, thunk) for the next posting."""
        from saleor_customer_value.ledger import service
        from saleor_customer_value.ledger.idempotency import IdempotencyKey
        from saleor_customer_value.ledger.reasons import Reason

        self.n += 1
        spend = self.n % 2 == 1
        if spend:
            self.amount = Decimal(self.rnd.randint(1, 5000)).scaleb(-2)  # 0.01..50.00
        idem = None
        if self.rnd.random() < self.idem_share:
            idem = IdempotencyKey(
                self.actor.idempotency_scope, f"{self.key_prefix}-{self.n}"
            )
        if spend:
            args = (
                self.wallet,
                self.sink,
                self.amount,
                service.Posting(reason=Reason.CHECKOUT_PAYMENT, actor=self.actor),
                idem,
            )
        else:
            args = (
                self.funding,
                self.wallet,
                self.amount,
                service.Posting(reason=Reason.TOPUP, actor=self.actor),
                idem,
            )
        return ("spend" if spend else "topup"), idem is not None, (
            lambda: service.transfer(*args)
        )


def _worker(index, wallet_id, cfg, barrier, counters, results):
    """One benchmark process: its own Django, its own DB connection, one wallet."""
    try:
        django_setup()
        from django.db import connection

        loop = PostingLoop(
            wallet_id,
            cfg["idem_share"],
            seed=zlib.crc32(f"{cfg['run_id']}-{cfg['scenario']}-{index}".encode()),
            key_prefix=f"{cfg['run_id']}-{cfg['scenario']}-{index}",
        )
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
    except BaseException as exc:  # noqa: B902 - report, then let the run fail cleanly
        barrier.abort()
        results.put({"index": index, "fatal": f"{type(exc).__name__}: {exc}"})
        return

    barrier.wait()
    warmup_end = time.monotonic() + cfg["warmup"]
    errors, first_error = Counter(), {}
    latencies, by_kind = [], {}
    measuring, ops, consecutive_errors = False, 0, 0
    measure_start = measure_end = None
    cpu_start = backend_cpu_start = None
    while True:
        now = time.monotonic()
        if not measuring and now >= warmup_end:
            measuring, measure_start = True, now
            measure_end = now + cfg["seconds"]
            cpu_start = time.process_time()
            backend_cpu_start = process_cpu_seconds(backend_pid)
        if measuring and now >= measure_end:
            break
        kind, idem, call = loop.next_call()
        t0 = time.perf_counter()
        try:
            call()
        except Exception as exc:  # noqa: B902 - counted, the loop goes on
            name = type(exc).__name__
            errors[name] += 1
            first_error.setdefault(name, str(exc)[:300])
            consecutive_errors += 1
            if consecutive_errors >= 200:
                break
            continue
        elapsed = time.perf_counter() - t0
        consecutive_errors = 0
        if measuring:
            ops += 1
            latencies.append(elapsed)
            label = f"{kind}{'+idem' if idem else ''}"
            by_kind.setdefault(label, []).append(elapsed)
            counters[index] = ops
    duration = time.monotonic() - measure_start if measure_start else 0.0
    cpu = time.process_time() - cpu_start if cpu_start is not None else None
    backend_cpu_end = process_cpu_seconds(backend_pid)
    backend_cpu = (
        backend_cpu_end - backend_cpu_start
        if backend_cpu_start is not None and backend_cpu_end is not None
        else None
    )
    results.put(
        {
            "index": index,
            "ops": ops,
            "duration": duration,
            "client_cpu_s": cpu,
            "backend_cpu_s": backend_cpu,
            "latencies": latencies,
            "by_kind": by_kind,
            "errors": dict(errors),
            "first_error": first_error,
        }
    )


def run_ledger_scenario(name, label, wallet_ids, cfg):
    """Spawn one process per wallet id; return the aggregated result."""
    ctx = mp.get_context("spawn")
    workers = len(wallet_ids)
    barrier = ctx.Barrier(workers + 1)
    counters = ctx.Array("q", workers, lock=False)
    results = ctx.Queue()
    wcfg = dict(cfg, scenario=name)
    procs = [
        ctx.Process(
            target=_worker,
            args=(i, wallet_id, wcfg, barrier, counters, results),
            daemon=True,
        )
        for i, wallet_id in enumerate(wallet_ids)
    ]
    say(f"ledger: {label}, {workers} worker process(es)")
    load_before = host_load()
    started = time.monotonic()
    for proc in procs:
        proc.start()
    status(f"starting {workers} process(es) (django.setup() in each) ...")
    try:
        barrier.wait(timeout=300)
    except threading.BrokenBarrierError:
        status_done()
        fatal = []
        while not results.empty():
            item = results.get()
            if "fatal" in item:
                fatal.append(item["fatal"])
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
        sys.exit(f"error: a worker failed to start: {fatal or 'timeout'}")
    status_done(f"{workers} process(es) ready after {time.monotonic() - started:.1f} s")
    t0 = time.monotonic()
    warmup, seconds = cfg["warmup"], cfg["seconds"]
    total = warmup + seconds
    while True:
        elapsed = time.monotonic() - t0
        if elapsed >= total or not any(p.is_alive() for p in procs):
            break
        if elapsed < warmup:
            status(f"{label}: warm-up, {warmup - elapsed:4.1f} s left")
        else:
            done = sum(counters)
            rate = done / max(elapsed - warmup, 1e-9)
            status(
                f"{label}: measuring, {total - elapsed:4.1f} s left, "
                f"{done} postings ({rate:,.0f}/s)"
            )
        time.sleep(0.5)
    status(f"{label}: collecting results ...")
    collected = []
    deadline = time.monotonic() + 120
    while len(collected) < workers and time.monotonic() < deadline:
        try:
            collected.append(results.get(timeout=1))
        except Exception:  # queue.Empty
            if not any(p.is_alive() for p in procs) and results.empty():
                break
    for proc in procs:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
    status_done()
    fatal = [c["fatal"] for c in collected if "fatal" in c]
    if fatal or len(collected) < workers:
        sys.exit(f"error: {workers - len(collected)} worker(s) lost; {fatal}")

    latencies = sorted(x for c in collected for x in c["latencies"])
    by_kind = {}
    for c in collected:
        for kind, values in c["by_kind"].items():
            by_kind.setdefault(kind, []).extend(values)
    errors, first_error = Counter(), {}
    for c in collected:
        errors.update(c["errors"])
        for k, v in c["first_error"].items():
            first_error.setdefault(k, v)
    ops = sum(c["ops"] for c in collected)

    def cpu_ms_per_posting(key):
        values = [c[key] for c in collected]
        if not ops or any(v is None for v in values):
            return None
        return round(sum(values) / ops * 1000, 3)
    # Sum of per-worker rates: each worker measured its own window of ~``seconds``.
    rate = sum(c["ops"] / c["duration"] for c in collected if c["duration"] > 0)

    def ms(value):
        return None if value is None else round(value * 1000, 3)

    result = {
        "scenario": name,
        "label": label,
        "workers": workers,
        "distinct_wallets": len(set(wallet_ids)),
        "postings": ops,
        "postings_per_s": round(rate, 1),
        "per_worker_postings": [c["ops"] for c in sorted(collected, key=lambda c: c["index"])],
        "latency_ms": {
            "p50": ms(percentile(latencies, 50)),
            "p90": ms(percentile(latencies, 90)),
            "p99": ms(percentile(latencies, 99)),
            "max": ms(latencies[-1] if latencies else None),
            "mean": ms(statistics.fmean(latencies) if latencies else None),
        },
        "latency_ms_by_kind": {
            kind: {
                "count": len(values),
                "p50": ms(percentile(sorted(values), 50)),
                "p99": ms(percentile(sorted(values), 99)),
            }
            for kind, values in sorted(by_kind.items())
        },
        "cpu_ms_per_posting": {
            "client": cpu_ms_per_posting("client_cpu_s"),
            "server": cpu_ms_per_posting("backend_cpu_s"),
        },
        "host_load_1min": {"before": load_before, "after": host_load()},
        "errors": dict(errors),
        "first_error": first_error,
    }
    lat = result["latency_ms"]
    print(
        f"    {ops} postings, {rate:,.1f}/s, p50 {lat['p50']} ms, p99 {lat['p99']} ms"
        + (f", errors {dict(errors)}" if errors else ""),
        flush=True,
    )
    return result


# --- pgbench -------------------------------------------------------------------------


def find_pgbench():
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def pgbench_env(params):
    env = dict(os.environ)
    env.update(PGHOST=params["host"], PGPORT=str(params["port"]), PGUSER=params["user"])
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return env


def run_pgbench(pgbench, params, dbname, clients, threads, seconds, label, warmup):
    env = pgbench_env(params)
    base = [pgbench, "-N", "-c", str(clients), "-j", str(threads)]
    say(f"pgbench: {label} (-N -c {clients} -j {threads})")
    if warmup > 0:
        # Not measured; pgbench has no warm-up of its own.
        status(f"{label}: warm-up, {warmup} s ...")
        subprocess.run(
            base + ["-T", str(int(round(warmup))), dbname],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    cmd = base + ["-T", str(seconds), "-P", "1", dbname]
    load_before = host_load()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    other = []
    # Server CPU per transaction: CPU of pgbench's backends between the first and the
    # last progress report, over the transactions reported in between.
    pids, cpu_first, cpu_last, txns_between = None, None, None, 0.0
    for line in proc.stderr:
        match = re.match(r"progress: ([\d.]+) s, ([\d.]+) tps", line)
        if match:
            if pids is None:
                pids = _pgbench_backends(params, dbname)
                cpu_first = _sum_cpu(pids)
            else:
                txns_between += float(match.group(2))  # reports come once a second
                cpu_last = _sum_cpu(pids)
            left = seconds - float(match.group(1))
            status(
                f"{label}: measuring, {left:4.1f} s left, {float(match.group(2)):,.0f} tps"
            )
        else:
            other.append(line)
    out = proc.stdout.read()
    proc.wait()
    status_done()
    if proc.returncode != 0:
        sys.stderr.write(out + "".join(other))
        sys.exit(f"error: pgbench failed ({proc.returncode})")
    tps = re.search(r"tps = ([\d.]+) \((?:without|excluding)", out)
    lat = re.search(r"latency average = ([\d.]+) ms", out)
    txns = re.search(r"number of transactions actually processed: (\d+)", out)
    result = {
        "label": label,
        "clients": clients,
        "threads": threads,
        "tps": round(float(tps.group(1)), 1) if tps else None,
        "latency_avg_ms": float(lat.group(1)) if lat else None,
        "transactions": int(txns.group(1)) if txns else None,
        "server_cpu_ms_per_txn": (
            round((cpu_last - cpu_first) / txns_between * 1000, 3)
            if cpu_first is not None and cpu_last is not None and txns_between
            else None
        ),
        "host_load_1min": {"before": load_before, "after": host_load()},
        "command": " ".join(cmd),
    }
    print(
        f"    {result['tps']:,.1f} tps, latency avg {result['latency_avg_ms']} ms",
        flush=True,
    )
    return result


def _pgbench_backends(params, dbname):
    try:
        conn = admin_connect(params)
    except Exception:  # noqa: B902 - CPU figures are optional
        return []
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = 'pgbench'",
                [dbname],
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        conn.close()


def _sum_cpu(pids):
    values = [process_cpu_seconds(pid) for pid in pids]
    if not values or any(v is None for v in values):
        return None
    return sum(values)


# --- profile of single postings ------------------------------------------------------


_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_COLUMNS = re.compile(r'\((?:"[a-z_]+", )+"[a-z_]+"\)')
_SELECT_COLUMNS = re.compile(r'SELECT (?:"[a-z_]+"\."[a-z_]+", )+"[a-z_]+"\."[a-z_]+"')
_VALUES = re.compile(r"VALUES (?:\((?:[^()]|\([^()]*\))*\)(?:, )?)+")
_IN_LIST = re.compile(r"IN \((?:\?, )*\?\)")


def sql_shape(sql):
    shape = _LITERAL.sub("?", sql)
    shape = _IN_LIST.sub("IN (...)", shape)

    def cols(match):
        return f"(<{match.group(0).count(',') + 1} cols>)"

    shape = _COLUMNS.sub(cols, shape)
    shape = _SELECT_COLUMNS.sub(
        lambda m: f"SELECT <{m.group(0).count(',') + 1} cols>", shape
    )

    def values(match):
        rows = match.group(0).count("), (") + 1
        return f"VALUES <{rows} row{'s' if rows > 1 else ''}> "

    shape = _VALUES.sub(values, shape)
    return re.sub(r"\s+", " ", shape).strip()


def profile_postings(wallet_id, count, run_id):
    """Statements and time split of single postings, in this process, uncontended."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    connection = connections["default"]

    say(f"profile: {count} postings of each kind, one process, one wallet")
    loop = PostingLoop(wallet_id, 0.0, seed=1, key_prefix=f"{run_id}-profile")

    db_time = [0.0]
    commit_time = [0.0]
    commits = [0]

    def timed_execute(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - t0

    original_commit = connection._commit

    def timed_commit():
        t0 = time.perf_counter()
        try:
            return original_commit()
        finally:
            commit_time[0] += time.perf_counter() - t0
            commits[0] += 1

    kinds = {}
    connection._commit = timed_commit
    try:
        with connection.execute_wrapper(timed_execute):
            for kind_name, idem_share in (("plain", 0.0), ("idem", 1.0)):
                loop.idem_share = idem_share
                # Pairs: spend then top-up, so the wallet stays where it was.
                for i in range(count * 2 + 20):
                    kind, idem, call = loop.next_call()
                    label = f"{kind}{'+idem' if idem else ''}"
                    warm = i < 20
                    db_time[0] = commit_time[0] = 0.0
                    commits[0] = 0
                    with CaptureQueriesContext(connection) as captured:
                        t0 = time.perf_counter()
                        call()
                        wall = time.perf_counter() - t0
                    if warm:
                        continue
                    entry = kinds.setdefault(
                        label,
                        {"n": 0, "wall": [], "db": [], "commit": [], "sql": None,
                         "commits": 0},
                    )
                    entry["n"] += 1
                    entry["wall"].append(wall)
                    entry["db"].append(db_time[0])
                    entry["commit"].append(commit_time[0])
                    if entry["sql"] is None:
                        entry["sql"] = [q["sql"] for q in captured.captured_queries]
                        entry["commits"] = commits[0]
    finally:
        del connection._commit  # back to the class's method

    profile = {}
    for label, entry in kinds.items():
        wall = statistics.median(entry["wall"])
        db = statistics.median(entry["db"])
        commit = statistics.median(entry["commit"])
        statements = len(entry["sql"])
        profile[label] = {
            "samples": entry["n"],
            "statements": statements,
            # In a transaction psycopg2 sends BEGIN before the first statement and
            # COMMIT separately; a statement in autocommit mode is its own transaction
            # (no BEGIN/COMMIT, the deferred checks and the WAL flush end it).
            "explicit_transaction": bool(entry["commits"]),
            "round_trips": statements + (2 if entry["commits"] else 0),
            "median_ms": {
                "wall": round(wall * 1000, 3),
                "db_statements": round(db * 1000, 3),
                "commit": round(commit * 1000, 3),
                "python": round((wall - db - commit) * 1000, 3),
            },
            "sql_shapes": [sql_shape(s) for s in entry["sql"]],
        }
    return profile


# --- report --------------------------------------------------------------------------


def print_table(rows):
    headers = [
        "scenario",
        "workers",
        "ledger postings/s",
        "pgbench TPS",
        "ratio",
        "p50 ms",
        "p99 ms",
    ]
    table = [headers] + [
        [
            r["scenario"],
            str(r["workers"]),
            f"{r['ledger_postings_per_s']:,.1f}",
            f"{r['pgbench_tps']:,.1f}" if r["pgbench_tps"] else "n/a",
            f"{r['ratio']:.3f}" if r["ratio"] is not None else "n/a",
            f"{r['p50_ms']:.2f}",
            f"{r['p99_ms']:.2f}",
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    right = {1, 2, 3, 4, 5, 6}

    def fmt(row):
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        )

    print()
    print(fmt(headers))
    print("  ".join("-" * w for w in widths))
    for row in table[1:]:
        print(fmt(row))
    print()


def print_cpu(rows):
    """CPU per posting: noise-robust where wall-clock throughput is not (a busy host
    slows both the ledger and pgbench, but not always by the same factor)."""

    def fmt(value):
        return "n/a" if value is None else f"{value:.3f}"

    print("  CPU ms per posting (worker process / its PostgreSQL backend) vs. per")
    print("  pgbench -N transaction (its backends):")
    for r in rows:
        print(
            f"    {r['scenario']:<18} x{r['workers']:<2}  ledger client "
            f"{fmt(r['client_cpu_ms_per_posting'])}, ledger server "
            f"{fmt(r['server_cpu_ms_per_posting'])}, pgbench server "
            f"{fmt(r['pgbench_server_cpu_ms_per_txn'])}"
        )
    print()


def print_profile(profile):
    for label, p in sorted(profile.items()):
        m = p["median_ms"]
        framing = (
            "+ BEGIN/COMMIT" if p.get("explicit_transaction", True) else "in autocommit"
        )
        print(
            f"  {label}: {p['statements']} statements {framing} = "
            f"{p['round_trips']} round trips; median wall {m['wall']:.3f} ms = "
            f"python {m['python']:.3f} + statements {m['db_statements']:.3f} + "
            f"commit {m['commit']:.3f}"
        )
        for i, shape in enumerate(p["sql_shapes"], 1):
            print(f"      {i}. {shape[:160]}{'...' if len(shape) > 160 else ''}")
    print()


# --- main ----------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="bin/bench",
        description="Ledger postings/s through service.transfer vs. pgbench -N TPS, "
        "on the same PostgreSQL server.",
    )
    parser.add_argument("--seconds", type=float, default=10, help="measured time per scenario (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured warm-up per scenario (default 2)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 8],
        help="worker/client counts for the separate-wallet runs (default: 1 8)",
    )
    parser.add_argument(
        "--contended-workers", type=int, default=None,
        help="workers sharing one wallet (default: the largest --workers; 0 = skip)",
    )
    parser.add_argument(
        "--idem-share", type=float, default=0.25,
        help="share of postings with an idempotency key (default 0.25)",
    )
    parser.add_argument("--pgbench-threads", type=int, default=2, help="pgbench -j cap (default 2)")
    parser.add_argument("--pgbench-scale", type=int, default=1, help="pgbench -i -s (default 1)")
    parser.add_argument("--skip-pgbench", action="store_true", help="ledger scenarios only")
    parser.add_argument(
        "--profile-postings", type=int, default=200,
        help="postings per kind in the single-process profile (default 200; 0 = skip)",
    )
    parser.add_argument(
        "--fresh", action="store_true",
        help="drop and re-create the bench databases first (re-migrates: ~20 s)",
    )
    parser.add_argument("--no-json", action="store_true", help="do not write the JSON file")
    parser.add_argument("--json", help="write the JSON here instead of benchmarks/results/")
    args = parser.parse_args(argv)
    if args.contended_workers is None:
        args.contended_workers = max(args.workers)
    if not 0 <= args.idem_share <= 1:
        parser.error("--idem-share must be between 0 and 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    dev_url = os.environ.get("DATABASE_URL")
    if not dev_url:
        sys.exit("error: DATABASE_URL is not set (run this through bin/bench)")
    params = db_params(dev_url)
    bench_db = f"{params['name']}_bench"
    pgbench_db = f"{params['name']}_pgbench"
    bench_url = with_db_name(dev_url, bench_db)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    seconds = args.seconds
    pg_seconds = max(1, int(round(seconds)))

    pgbench = None
    if not args.skip_pgbench:
        pgbench = find_pgbench()
        if not pgbench:
            sys.exit(
                "error: pgbench not found (looked on PATH and in "
                "/usr/lib/postgresql/*/bin).\n"
                "  Debian/Ubuntu: apt-get install postgresql-client   "
                "(older releases: postgresql-contrib)\n"
                "  macOS: brew install libpq  |  or run with --skip-pgbench"
            )

    say(
        f"PostgreSQL at {params['host']}:{params['port']} as {params['user']}; "
        f"dev database {params['name']} is not touched"
    )
    info = server_info(params)
    load_at_start = host_load()
    print(f"    {info['version'].split(' on ')[0]}, synchronous_commit={info['synchronous_commit']}, "
          f"fsync={info['fsync']}, {os.cpu_count()} CPU(s) on this host", flush=True)

    # 1. The Django bench database, migrated. It is re-created when the plugin's
    # migration files changed since it was built (edited in place, not only added).
    fingerprint = migrations_fingerprint()
    drop = args.fresh
    if not drop and database_exists(params, bench_db):
        stamp = database_stamp(params, bench_db)
        if stamp != fingerprint:
            say(
                f"the plugin's migrations changed since {bench_db} was built "
                f"({stamp or 'no stamp'} -> {fingerprint}): re-creating it"
            )
            drop = True
    if ensure_database(params, bench_db, drop=drop):
        say(f"created database {bench_db}; migrating (first time: ~20-30 s)")
    else:
        say(f"migrating database {bench_db} (reused; --fresh starts over)")
    env = dict(os.environ, DATABASE_URL=bench_url)
    run_with_heartbeat(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        "manage.py migrate",
        env=env,
        cwd=str(ROOT),
    )
    set_database_stamp(params, bench_db, fingerprint)

    # 2. The pgbench database, initialised.
    if pgbench:
        ensure_database(params, pgbench_db, drop=args.fresh)
        say(f"pgbench -i -s {args.pgbench_scale} {pgbench_db}")
        run_with_heartbeat(
            [pgbench, "-i", "-q", "-s", str(args.pgbench_scale), pgbench_db],
            "pgbench -i",
            env=pgbench_env(params),
        )

    # 3. Django in this process, on the bench database; the workers inherit the URL.
    os.environ["DATABASE_URL"] = bench_url
    django_setup()
    from django.db import connections

    separate = sorted(set(args.workers))
    needed = max(separate + [1])
    say(f"creating {needed + 1} customers with a wallet of {INITIAL_BALANCE} {CURRENCY} each")
    wallet_ids = create_wallets(run_id, needed + 1)
    analyze_statistics()
    shared_wallet = wallet_ids[-1]
    connections.close_all()  # nothing inherited by the workers

    cfg = {
        "run_id": run_id,
        "seconds": seconds,
        "warmup": args.warmup,
        "idem_share": args.idem_share,
    }
    ledger, pgbench_results, rows = [], {}, []

    def pgbench_for(clients):
        if not pgbench:
            return None
        if clients not in pgbench_results:
            threads = max(1, min(clients, args.pgbench_threads))
            pgbench_results[clients] = run_pgbench(
                pgbench, params, pgbench_db, clients, threads, pg_seconds,
                f"pgbench -N, {clients} client(s)", args.warmup,
            )
        return pgbench_results[clients]

    def add_row(result, pg):
        tps = pg["tps"] if pg else None
        rows.append(
            {
                "scenario": result["label"],
                "workers": result["workers"],
                "ledger_postings_per_s": result["postings_per_s"],
                "pgbench_tps": tps,
                "ratio": round(result["postings_per_s"] / tps, 4) if tps else None,
                "p50_ms": result["latency_ms"]["p50"],
                "p99_ms": result["latency_ms"]["p99"],
                "client_cpu_ms_per_posting": result["cpu_ms_per_posting"]["client"],
                "server_cpu_ms_per_posting": result["cpu_ms_per_posting"]["server"],
                "pgbench_server_cpu_ms_per_txn": (
                    pg["server_cpu_ms_per_txn"] if pg else None
                ),
            }
        )

    for workers in separate:
        result = run_ledger_scenario(
            f"separate-{workers}", "separate wallets", wallet_ids[:workers], cfg
        )
        ledger.append(result)
        add_row(result, pgbench_for(workers))
    if args.contended_workers > 0:
        n = args.contended_workers
        result = run_ledger_scenario(
            f"shared-{n}", "one shared wallet", [shared_wallet] * n, cfg
        )
        ledger.append(result)
        add_row(result, pgbench_for(n))

    profile = None
    if args.profile_postings > 0:
        profile = profile_postings(wallet_ids[0], args.profile_postings, run_id)

    say(
        f"results ({seconds:g} s measured per scenario after {args.warmup:g} s warm-up; "
        f"{args.idem_share:.0%} of postings with an idempotency key)"
    )
    print_table(rows)
    print_cpu(rows)
    if load_at_start is not None and load_at_start > 0.5 * (os.cpu_count() or 1):
        print(
            f"  note: the host was busy before the run (1-min load {load_at_start} on "
            f"{os.cpu_count()} CPUs); throughput figures are noisy, CPU per posting "
            "less so.\n"
        )
    if profile:
        say("profile of one posting (single process, no contention; medians)")
        print_profile(profile)

    report = {
        "run_id": run_id,
        "args": vars(args),
        "host": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": dict(info, host=params["host"], port=params["port"]),
        "databases": {"ledger": bench_db, "pgbench": pgbench_db},
        "git_commit": _git_commit(),
        "host_load_1min_at_start": load_at_start,
        "table": rows,
        "ledger": ledger,
        "pgbench": list(pgbench_results.values()),
        "profile": profile,
    }
    if not args.no_json:
        path = Path(args.json) if args.json else RESULTS_DIR / f"ledger-{run_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str) + "\n")
        say(f"wrote {path}")
    return report


def _git_commit():
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True,
        ).stdout.strip()
        return out + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


if __name__ == "__main__":
    main()
