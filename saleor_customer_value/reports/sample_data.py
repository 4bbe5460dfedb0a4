"""Generated ledger data for the report benchmark (``bin/bench --reports``) and the
report tests: customers with a EUR wallet and a points account, and ledger transactions
of two entries each (customer leg + system leg) inserted in bulk with ``INSERT ...
SELECT generate_series``, one DB transaction per chunk, with the ledger's triggers on:
the entry trigger applies every entry to its balance (and refuses an overdraft), the
deferred balance checks run at each commit, the rollup's statement trigger collects
each chunk. Only the webhook outbox trigger is switched off while generating unless
``with_outbox`` (1,000,000 events for no subscriber; a DDL statement, so not inside a
test's transaction).

Rotation per customer (its k-th transaction): top-up 10-50 EUR, wallet payment 5-10
EUR, 100-500 points earned (with an active lot expiring 380 days after it), then 100
points redeemed or 25 points expired, alternately. No account is ever overdrawn.
Transactions are spread evenly over the last ``days`` days, oldest first. The lots are
not consumed by the redemptions (this data is for reading).
"""
import time

CHUNK = 50_000


def generate(customers, entries, with_outbox=False, progress=False, chunk=CHUNK, days=365):
    """Bulk data in SQL (see the module docstring). Returns seconds taken."""
    from django.db import connection, transaction

    from saleor_customer_value.ledger import accounts
    from saleor_customer_value.ledger.reasons import POINTS_UNIT, SystemAccountCode as S

    started = time.perf_counter()
    systems = {
        code: accounts.system_account(code, unit).pk
        for code, unit in [
            (S.FUNDING, "EUR"), (S.REDEMPTION, "EUR"), (S.POINTS_ISSUED, POINTS_UNIT),
            (S.POINTS_REDEEMED, POINTS_UNIT), (S.EXPIRY, POINTS_UNIT),
        ]
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO customer_value_customer (email, created_at, birthday) "
            "SELECT 'sample' || g || '@example.com', now(), NULL FROM generate_series(1, %s) g "
            "RETURNING id",
            [customers],
        )
        customer_ids = sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            "INSERT INTO customer_value_account (customer_id, kind, system_code, unit, posted, held, created_at) "
            "SELECT c, k.kind, '', k.unit, 0, 0, now() FROM unnest(%s::int[]) c, "
            "(VALUES ('wallet', 'EUR'), ('points', 'PTS')) AS k(kind, unit) ORDER BY c, k.kind DESC",
            [customer_ids],
        )
    transactions = entries // 2
    span = days * 86400.0
    if not with_outbox:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE customer_value_ledgertransaction DISABLE TRIGGER cv_outbox_ledger")
    try:
        done = 0
        while done < transactions:
            n = min(chunk, transactions - done)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT nextval('customer_value_ledgertransaction_id_seq')")
                base = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT setval('customer_value_ledgertransaction_id_seq', %s)", [base + n]
                )
                # Transaction i: customer (i mod C), its k-th movement (k = i div C) in
                # the rotation topup, payment, points earned, points redeemed/expired.
                cursor.execute(
                    f"""
                    DROP TABLE IF EXISTS bench_txn;
                    CREATE TEMP TABLE bench_txn ON COMMIT DROP AS
                    SELECT %(base)s + g AS id, g + %(done)s AS i,
                           (%(ids)s::int[])[1 + ((g + %(done)s) %% %(customers)s)] AS customer_id,
                           ((g + %(done)s) / %(customers)s) %% 4 AS step,
                           ((g + %(done)s) / %(customers)s / 4) %% 2 AS odd
                      FROM generate_series(0, %(n)s - 1) g;
                    INSERT INTO customer_value_ledgertransaction
                        (id, reason, created_at, actor_type, actor_label, note, customer_note,
                         customer_id, external_reference, is_clawback, metadata)
                    SELECT id,
                           CASE step WHEN 0 THEN 'topup' WHEN 1 THEN 'checkout_payment'
                                     WHEN 2 THEN 'points_earned'
                                     ELSE CASE odd WHEN 0 THEN 'points_redeemed' ELSE 'points_expired' END END,
                           now() - make_interval(secs => %(span)s * (1 - i::float8 / %(total)s)),
                           'system', 'bench', '', '', customer_id, '', false, '{{}}'::jsonb
                      FROM bench_txn ORDER BY id;
                    INSERT INTO customer_value_entry (transaction_id, account_id, unit, amount, direction)
                    SELECT b.id, leg.account_id, leg.unit, leg.amount, leg.direction
                      FROM bench_txn b
                      JOIN customer_value_account w ON w.customer_id = b.customer_id AND w.kind = 'wallet'
                      JOIN customer_value_account p ON p.customer_id = b.customer_id AND p.kind = 'points'
                      CROSS JOIN LATERAL (
                          SELECT CASE b.step WHEN 0 THEN 10 + (b.i %% 9) * 5
                                             WHEN 1 THEN 5 + (b.i %% 3) * 2.5
                                             WHEN 2 THEN 100 + (b.i %% 5) * 100
                                             ELSE CASE b.odd WHEN 0 THEN 100 ELSE 25 END END AS amount
                      ) a
                      CROSS JOIN LATERAL (VALUES
                          (1, CASE WHEN b.step < 2 THEN w.id ELSE p.id END,
                              CASE WHEN b.step < 2 THEN 'EUR' ELSE 'PTS' END,
                              a.amount, CASE WHEN b.step IN (0, 2) THEN 1 ELSE -1 END),
                          (2, CASE b.step WHEN 0 THEN %(funding)s WHEN 1 THEN %(redemption)s
                                          WHEN 2 THEN %(issued)s
                                          ELSE CASE b.odd WHEN 0 THEN %(redeemed)s ELSE %(expiry)s END END,
                              CASE WHEN b.step < 2 THEN 'EUR' ELSE 'PTS' END,
                              a.amount, CASE WHEN b.step IN (0, 2) THEN -1 ELSE 1 END)
                      ) AS leg(n, account_id, unit, amount, direction)
                     ORDER BY b.id, leg.n;
                    INSERT INTO customer_value_pointslot
                        (account_id, source, status, points, remaining, earned_points, taken_back,
                         credit_transaction_id, created_at, available_at, expires_at, metadata)
                    SELECT e.account_id, 'points_earned', 'active', e.amount, e.amount, e.amount, 0,
                           t.id, t.created_at, t.created_at,
                           t.created_at + make_interval(days => 380), '{{}}'::jsonb
                      FROM bench_txn b
                      JOIN customer_value_ledgertransaction t ON t.id = b.id
                      JOIN customer_value_entry e ON e.transaction_id = t.id AND e.direction = 1
                     WHERE b.step = 2;
                    """,
                    dict(
                        base=base, done=done, ids=customer_ids, customers=customers, n=n,
                        span=span, total=transactions, funding=systems[S.FUNDING],
                        redemption=systems[S.REDEMPTION], issued=systems[S.POINTS_ISSUED],
                        redeemed=systems[S.POINTS_REDEEMED], expiry=systems[S.EXPIRY],
                    ),
                )
            done += n
            if progress:
                print(f"    {done * 2:>9,} entries  {time.perf_counter() - started:6.1f} s", flush=True)
    finally:
        if not with_outbox:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE customer_value_ledgertransaction ENABLE TRIGGER cv_outbox_ledger")
    with connection.cursor() as cursor:
        # The bench's lots are not a projection of the entries: mark every points
        # account as projected so no reader re-projects 25 entries per account.
        cursor.execute(
            "INSERT INTO customer_value_pointsaccountstate (account_id, last_entry_id, debt) "
            "SELECT a.id, (SELECT max(id) FROM customer_value_entry), 0 "
            "FROM customer_value_account a WHERE a.kind = 'points' ON CONFLICT DO NOTHING"
        )
        if not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started
