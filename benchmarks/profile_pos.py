"""Profile one POS lookup and one POS sale end to end, in process (no HTTP server):
the SQL each request sends (with EXPLAIN ANALYZE of every statement) and a cProfile of
N requests of each kind. Writes to stdout; used to write down where the time goes
(benchmarks/README.md). Runs against the database in DATABASE_URL with DEBUG off:

    DATABASE_URL=postgres://.../<name>_bench bin/bench --profile-pos [--requests 200]
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

LOOKUP = """
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
SALE = """
mutation Sale($input: PosAmountInput!) {
  posSaleRecord(input: $input) {
    pointsEarned replayed
    customer { customerId points { available posted held pending } }
    bookings { id reason amount unit }
    customerValueErrors { field code message }
  }
}
"""


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_shop.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
    os.environ.setdefault("ALLOWED_CLIENT_HOSTS", "localhost,127.0.0.1")
    os.environ.setdefault("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", "False")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="profile_pos")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args(argv)
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import pos_bench

    run = uuid.uuid4().hex[:8]
    token, codes = pos_bench.prepare_data(f"profile-{run}", 5)
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "127.0.0.1"}
    n = [0]

    def post(query, variables):
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
            **headers,
        )
        body = json.loads(response.content)
        assert response.status_code == 200 and "errors" not in body, body
        return body

    def lookup():
        return post(LOOKUP, {"code": codes[n[0] % len(codes)]})

    def sale():
        n[0] += 1
        return post(SALE, {"input": {
            "customer": {"code": codes[n[0] % len(codes)]}, "amount": "12.34",
            "currency": "EUR", "receipt": f"R-{run}-{n[0]}", "note": "profile",
            "idempotencyKey": f"{run}-{n[0]}"}})

    def shop():
        return post("{ shop { name } }", {})

    for _ in range(5):  # warm imports and lazy schema parts
        lookup(), sale(), shop()

    for name, call in (("shop", shop), ("lookup", lookup), ("sale", sale)):
        with CaptureQueriesContext(connection) as ctx:
            call()
        print(f"\n=== {name}: {len(ctx.captured_queries)} statements")
        for q in ctx.captured_queries:
            print(f"  {q['time']}s  {q['sql'][:220]}")
        if not args.no_explain:
            for q in ctx.captured_queries:
                sql = q["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE")):
                    continue
                with connection.cursor() as cur:
                    cur.execute("BEGIN")
                    try:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON) " + sql)
                        plan = [row[0] for row in cur.fetchall()]
                    except Exception as exc:  # noqa: BLE001 - report and go on
                        plan = [f"(not explainable: {type(exc).__name__})"]
                    finally:
                        cur.execute("ROLLBACK")
                        connection.needs_rollback = False
                total = [p for p in plan if "Execution Time" in p or "Planning Time" in p]
                print(f"  -- {sql[:90]}\n     {plan[0][:120]}\n     {' | '.join(t.strip() for t in total)}")

    for name, call in (("shop", shop), ("lookup", lookup), ("sale", sale)):
        started_cpu, started = time.process_time(), time.perf_counter()
        for _ in range(args.requests):
            call()
        cpu = (time.process_time() - started_cpu) / args.requests * 1000
        wall = (time.perf_counter() - started) / args.requests * 1000
        print(f"\n{name}: {wall:.2f} ms wall, {cpu:.2f} ms CPU of this process per request")
    for name, call in (("lookup", lookup), ("sale", sale)):
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call()
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats("saleor_customer_value|graphql/(execution|validation|language)|saleor/graphql/(views|middleware|core)|promise_list|psycopg2|commit", args.top)
        print(f"\n=== cProfile {name} x{args.requests} (cumulative)\n" + out.getvalue()[:14000])
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print(f"\n=== cProfile {name} x{args.requests} (own time)\n" + out.getvalue()[:9000])


if __name__ == "__main__":
    main()
