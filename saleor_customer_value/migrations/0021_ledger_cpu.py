"""Less server CPU per ledger posting (issue 16, session 4), every invariant unchanged.

Measured per posting in a scratch copy of the bench database (``cv_post`` in a loop,
one COMMIT each; see benchmarks/README.md, "Ledger posting: where the server CPU
goes"): the outbox trigger of 0010/0014 was about half of the server's CPU time. Its
events stay exactly as they were (same rows, payloads, numbers, order, same commit);
what changes is how they are built:

1. **The entries' accounts by primary key, whatever the statistics say.** The trigger
   read a transaction's entries joined to their accounts. Without statistics (a new
   installation, a table that grew faster than autovacuum analyses it, or a server
   without autovacuum such as the bench's) the planner expects hundreds of entries per
   transaction and hashes the whole account table: a sequential scan of every account
   page on every posting, growing with the number of customers. The account of each
   entry is now fetched by its key (a subquery the planner cannot turn into a hash
   join), and the entries, their JSON and the balance events are built by one
   aggregate instead of a PL/pgSQL loop with ``array_append``.
2. **The customer's event counter is updated, not upserted.** ``INSERT ... ON
   CONFLICT DO UPDATE`` on an existing counter row probes the index, locks the row
   (one WAL record) and then updates it (another); a plain ``UPDATE`` does the same
   in one. The first event of a customer still inserts the row (``ON CONFLICT`` for
   two first events racing). Numbers, gaps (none) and lock order are unchanged: the
   counter is still taken at commit, after the accounts.
3. **cv_post is planned once per connection.** See ``CV_POST`` below.
4. **``cv_global_id`` is inlined.** It was declared ``IMMUTABLE`` around
   ``convert_to``, which is only ``STABLE``, so PostgreSQL refused to inline it and ran
   it as a separate SQL function: its body parsed and planned again in every DB
   transaction (PL/pgSQL keeps the state of simple expressions per transaction), four
   times per posting (~0.08 ms). Declared ``STABLE``, which is what it is, it becomes
   part of the calling expression. Same result; nothing indexes it.

What was measured and left as it is (see the README): the deferred balance checks, the
report rollup, the immutability triggers, the foreign keys (0.01-0.03 ms each) and the
indexes of the transaction, entry and outbox tables (each has a reader or enforces an
invariant). The outbox keeps writing every event: it is also the public event log
(``customerValueEvents``), not only the webhooks' queue.
"""
from django.db import migrations

# Numbers for one customer's events: ``n`` more after the last one; returns the last.
SEQUENCE = r"""
CREATE FUNCTION cv_event_sequence_take(p_customer integer, p_n integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_last bigint;
BEGIN
    UPDATE customer_value_eventsequence SET last_sequence = last_sequence + p_n
     WHERE customer_id = p_customer
    RETURNING last_sequence INTO v_last;
    IF NOT FOUND THEN
        INSERT INTO customer_value_eventsequence AS s (customer_id, last_sequence)
        VALUES (p_customer, p_n)
        ON CONFLICT (customer_id) DO UPDATE SET last_sequence = s.last_sequence + p_n
        RETURNING last_sequence INTO v_last;
    END IF;
    RETURN v_last;
END $$;

CREATE OR REPLACE FUNCTION cv_outbox_add(p_customer integer, p_type text, p_payload jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_sequence bigint;
BEGIN
    IF p_customer IS NOT NULL THEN
        v_sequence := cv_event_sequence_take(p_customer, 1);
    END IF;
    INSERT INTO customer_value_outboxevent
        (event_id, event_type, customer_id, sequence, payload, created_at)
    VALUES (gen_random_uuid(), p_type, p_customer, v_sequence, p_payload, now());
END $$;

-- Several events in one statement: one counter update per customer (in customer id
-- order), numbers handed out in the order of the arrays.
CREATE OR REPLACE FUNCTION cv_outbox_add_all(p_customers integer[], p_types text[], p_payloads jsonb[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c record;
    v_ids integer[] := '{}';
    v_firsts bigint[] := '{}';
BEGIN
    FOR c IN SELECT cust, count(*)::integer AS n FROM unnest(p_customers) AS cust
              WHERE cust IS NOT NULL GROUP BY cust ORDER BY cust LOOP
        v_ids := v_ids || c.cust;
        v_firsts := v_firsts || (cv_event_sequence_take(c.cust, c.n) - c.n + 1);
    END LOOP;
    INSERT INTO customer_value_outboxevent
        (event_id, event_type, customer_id, sequence, payload, created_at)
    SELECT gen_random_uuid(), e.t, e.cust,
           f.first + row_number() OVER (PARTITION BY e.cust ORDER BY e.ord) - 1,
           e.p, now()
      FROM unnest(p_customers, p_types, p_payloads) WITH ORDINALITY AS e(cust, t, p, ord)
      LEFT JOIN unnest(v_ids, v_firsts) AS f(cust, first) ON f.cust = e.cust
     ORDER BY e.ord;
END $$;
"""

SEQUENCE_BACKWARD = r"""
CREATE OR REPLACE FUNCTION cv_outbox_add(p_customer integer, p_type text, p_payload jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_sequence bigint;
BEGIN
    IF p_customer IS NOT NULL THEN
        INSERT INTO customer_value_eventsequence AS s (customer_id, last_sequence)
        VALUES (p_customer, 1)
        ON CONFLICT (customer_id) DO UPDATE SET last_sequence = s.last_sequence + 1
        RETURNING last_sequence INTO v_sequence;
    END IF;
    INSERT INTO customer_value_outboxevent
        (event_id, event_type, customer_id, sequence, payload, created_at)
    VALUES (gen_random_uuid(), p_type, p_customer, v_sequence, p_payload, now());
END $$;

CREATE OR REPLACE FUNCTION cv_outbox_add_all(p_customers integer[], p_types text[], p_payloads jsonb[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c record;
    v_last bigint;
    v_ids integer[] := '{}';
    v_firsts bigint[] := '{}';
BEGIN
    FOR c IN SELECT cust, count(*)::integer AS n FROM unnest(p_customers) AS cust
              WHERE cust IS NOT NULL GROUP BY cust ORDER BY cust LOOP
        INSERT INTO customer_value_eventsequence AS s (customer_id, last_sequence)
        VALUES (c.cust, c.n)
        ON CONFLICT (customer_id) DO UPDATE SET last_sequence = s.last_sequence + c.n
        RETURNING last_sequence INTO v_last;
        v_ids := array_append(v_ids, c.cust);
        v_firsts := array_append(v_firsts, v_last - c.n + 1);
    END LOOP;
    INSERT INTO customer_value_outboxevent
        (event_id, event_type, customer_id, sequence, payload, created_at)
    SELECT gen_random_uuid(), e.t, e.cust,
           f.first + row_number() OVER (PARTITION BY e.cust ORDER BY e.ord) - 1,
           e.p, now()
      FROM unnest(p_customers, p_types, p_payloads) WITH ORDINALITY AS e(cust, t, p, ord)
      LEFT JOIN unnest(v_ids, v_firsts) AS f(cust, first) ON f.cust = e.cust
     ORDER BY e.ord;
END $$;

DROP FUNCTION cv_event_sequence_take(integer, integer);
"""

# The events of 0014's cv_outbox_ledger, built in one statement: a transaction event
# with every entry, and a balance event per wallet or points entry (credit lines have
# none: their bookings are in the transaction event), in entry order, then the
# transaction event; a gift voucher event for a gift voucher sale.
OUTBOX_LEDGER = r"""
CREATE OR REPLACE FUNCTION cv_outbox_ledger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_txn jsonb;
    v_entries jsonb;
    v_custs integer[];
    v_types text[];
    v_payloads jsonb[];
    v_customer integer;
BEGIN
    v_txn := jsonb_build_object(
        'id', cv_global_id('LedgerTransaction', NEW.id),
        'reason', NEW.reason,
        'createdAt', NEW.created_at,
        'customerNote', NEW.customer_note,
        'orderId', cv_global_id('Order', NEW.order_id),
        'cardId', cv_global_id('Card', NEW.card_id),
        'externalReference', NEW.external_reference,
        'reversalOf', cv_global_id('LedgerTransaction', NEW.reversal_of_id),
        'holdId', NEW.hold_id,
        'isClawback', NEW.is_clawback);
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'account', CASE WHEN x.kind = 'system' THEN 'system:' || x.system_code
                               ELSE x.kind END,
               'customerId', x.customer_id,
               'unit', x.unit,
               'amount', cv_amount_text(x.change, x.unit)) ORDER BY x.id), '[]'::jsonb),
           array_agg(x.customer_id ORDER BY x.id) FILTER (WHERE x.kind IN ('wallet', 'points')),
           array_agg(CASE WHEN x.kind = 'wallet' THEN 'customer_value_wallet_balance_changed'
                          ELSE 'customer_value_points_balance_changed' END ORDER BY x.id)
               FILTER (WHERE x.kind IN ('wallet', 'points')),
           array_agg(jsonb_build_object(
               'transactionId', v_txn->'id',
               'reason', NEW.reason,
               'reversalOf', v_txn->'reversalOf',
               'externalReference', NEW.external_reference,
               'change', cv_amount_text(x.change, x.unit),
               'balance', jsonb_build_object(
                   'posted', cv_amount_text(x.balance_after, x.unit),
                   'held', cv_amount_text(x.held, x.unit),
                   'available', cv_amount_text(x.balance_after - x.held, x.unit)))
               || CASE WHEN x.kind = 'wallet' THEN jsonb_build_object('currency', x.unit)
                  ELSE jsonb_build_object(
                    'pending', (SELECT coalesce(sum(l.points), 0)
                                  FROM customer_value_pointslot l
                                 WHERE l.account_id = x.account_id
                                   AND l.status = 'pending'),
                    'expiring', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                        'points', y.points, 'expiresAt', y.expires_at)
                                        ORDER BY y.expires_at), '[]'::jsonb)
                                   FROM (SELECT l.expires_at, sum(l.remaining) AS points
                                           FROM customer_value_pointslot l
                                          WHERE l.account_id = x.account_id
                                            AND l.status = 'active' AND l.remaining > 0
                                            AND l.expires_at IS NOT NULL
                                          GROUP BY l.expires_at
                                          ORDER BY l.expires_at LIMIT 3) y)) END
               ORDER BY x.id) FILTER (WHERE x.kind IN ('wallet', 'points'))
      INTO v_entries, v_custs, v_types, v_payloads
      FROM (SELECT en.id, en.unit, en.amount * en.direction AS change, en.balance_after,
                   a.account_id, a.kind, a.customer_id, a.system_code, a.held
              FROM customer_value_entry en
             CROSS JOIN LATERAL (
                   -- OFFSET 0: fetched by key per entry, never a hash of all accounts
                   SELECT ac.id AS account_id, ac.kind, ac.customer_id, ac.system_code,
                          ac.held
                     FROM customer_value_account ac WHERE ac.id = en.account_id
                   OFFSET 0) a
             WHERE en.transaction_id = NEW.id) x;
    PERFORM cv_outbox_add_all(
        coalesce(v_custs, '{}') || NEW.customer_id,
        coalesce(v_types, '{}') || CASE WHEN NEW.reversal_of_id IS NULL
                                        THEN 'customer_value_transaction_posted'
                                        ELSE 'customer_value_transaction_reversed' END,
        coalesce(v_payloads, '{}') || (v_txn || jsonb_build_object('entries', v_entries)));
    IF NEW.reason = 'gift_voucher_sale' AND NEW.reversal_of_id IS NULL THEN
        SELECT c.id INTO v_customer
          FROM order_order o JOIN customer_value_customer c ON c.user_id = o.user_id
         WHERE o.id = NEW.order_id;
        PERFORM cv_outbox_add(v_customer, 'customer_value_gift_voucher_issued',
            jsonb_build_object(
                'giftCardId', cv_global_id('GiftCard', (NEW.metadata->>'gift_card_id')::bigint),
                'orderId', v_txn->'orderId',
                'transactionId', v_txn->'id',
                'amount', (SELECT cv_amount_text(en.amount, en.unit)
                             FROM customer_value_entry en
                            WHERE en.transaction_id = NEW.id LIMIT 1),
                'currency', (SELECT en.unit FROM customer_value_entry en
                              WHERE en.transaction_id = NEW.id LIMIT 1)));
    END IF;
    RETURN NULL;
END $$;
"""


def _backward_outbox_ledger():
    # 0014's function, as it was before this migration.
    import importlib

    credit_lines = importlib.import_module(
        "saleor_customer_value.migrations.0014_credit_lines"
    )
    return credit_lines.OUTBOX_LEDGER


# cv_post of 0004, planned once per connection (``plan_cache_mode``): its account lock
# (``id = ANY (p_lock_ids)``) was re-planned on every call, because the generic plan's
# estimate for an array of unknown length costs more than the custom plan for the one or
# two ids a posting locks, so PL/pgSQL never switched to it. Every statement of cv_post
# (and of the row triggers it fires) is an access by key; the release of expired holds
# is now one statement per locked account so that its generic plan uses the pending
# holds' (account, expiry) index too. Otherwise unchanged: same arguments, locks, checks,
# rows and result.
CV_POST = r"""
CREATE OR REPLACE FUNCTION cv_post(
    p_now timestamptz,
    p_reason text,
    p_actor_type text,
    p_actor_user_id integer,
    p_actor_app_id integer,
    p_actor_label text,
    p_note text,
    p_customer_note text,
    p_customer_id integer,
    p_order_id integer,
    p_payment_id integer,
    p_checkout_token uuid,
    p_card_id bigint,
    p_merchant_id bigint,
    p_external_reference text,
    p_is_clawback boolean,
    p_metadata jsonb,
    p_entry_accounts integer[],
    p_entry_units text[],
    p_entry_amounts numeric[],
    p_lock_ids integer[],
    p_check_ids integer[],
    p_check_amounts numeric[],
    p_idem_scope text,
    p_idem_key text,
    p_idem_operation text,
    p_idem_hash text
) RETURNS bigint
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_txn_id bigint;
    v_claimed bigint;
    v_ids integer[];
    v_posted numeric[];
    v_held numeric[];
    v_any_held boolean;
    v_expired integer;
    v_released integer;
    v_id integer;
    i integer;
    j integer;
BEGIN
    v_txn_id := nextval('customer_value_ledgertransaction_id_seq'::regclass);

    -- 1. Claim the idempotency key; a concurrent duplicate waits here until we commit.
    IF p_idem_key IS NOT NULL THEN
        INSERT INTO customer_value_idempotencyrecord
            (scope, key, operation, request_hash, created_at, transaction_id)
        VALUES (p_idem_scope, p_idem_key, p_idem_operation, p_idem_hash, p_now, v_txn_id)
        ON CONFLICT (scope, key) DO NOTHING
        RETURNING id INTO v_claimed;
        IF v_claimed IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;

    -- 2. Lock the customer accounts in id order (no deadlocks).
    IF cardinality(p_lock_ids) > 0 THEN
        SELECT array_agg(id ORDER BY id), array_agg(posted ORDER BY id),
               array_agg(held ORDER BY id), bool_or(held <> 0)
          INTO v_ids, v_posted, v_held, v_any_held
          FROM (SELECT id, posted, held FROM customer_value_account
                 WHERE id = ANY (p_lock_ids) ORDER BY id FOR UPDATE) AS locked;

        -- 3. Release expired holds under the same lock (held is kept by trigger:
        -- zero means there is no pending hold).
        IF v_any_held THEN
            -- One account per statement: ``account_id = $1`` is planned on the pending
            -- holds' (account, expiry) index with or without statistics; with an
            -- ``= ANY`` array the generic plan may scan every expired pending hold.
            v_expired := 0;
            FOREACH v_id IN ARRAY v_ids LOOP
                UPDATE customer_value_hold
                   SET status = 'expired', resolved_at = p_now
                 WHERE account_id = v_id AND status = 'pending'
                   AND expires_at <= p_now;
                GET DIAGNOSTICS v_released = ROW_COUNT;
                v_expired := v_expired + v_released;
            END LOOP;
            IF v_expired > 0 THEN
                SELECT array_agg(id ORDER BY id), array_agg(posted ORDER BY id),
                       array_agg(held ORDER BY id)
                  INTO v_ids, v_posted, v_held
                  FROM customer_value_account WHERE id = ANY (v_ids);
            END IF;
        END IF;

        -- 4. Funds checks, in the caller's order, against the locked rows.
        FOR i IN 1 .. coalesce(cardinality(p_check_ids), 0) LOOP
            j := array_position(v_ids, p_check_ids[i]);
            -- posted < 0 only happens to points (after a clawback): NegativeBalance.
            IF j IS NOT NULL AND (v_posted[j] < 0
                                  OR p_check_amounts[i] > v_posted[j] - v_held[j]) THEN
                RAISE EXCEPTION 'insufficient funds on ledger account %', p_check_ids[i]
                    USING ERRCODE = 'CV001',
                          DETAIL = p_check_ids[i] || ' ' || v_posted[j] || ' ' || v_held[j];
            END IF;
        END LOOP;
    END IF;

    -- 5. The transaction and its entries; the 0002 triggers do the rest.
    INSERT INTO customer_value_ledgertransaction
        (id, reason, created_at, actor_type, actor_user_id, actor_app_id, actor_label,
         note, customer_note, customer_id, order_id, payment_id, checkout_token,
         card_id, merchant_id, external_reference, reversal_of_id, hold_id,
         is_clawback, metadata)
    VALUES
        (v_txn_id, p_reason, p_now, p_actor_type, p_actor_user_id, p_actor_app_id,
         p_actor_label, p_note, p_customer_note, p_customer_id, p_order_id, p_payment_id,
         p_checkout_token, p_card_id, p_merchant_id, p_external_reference, NULL, NULL,
         p_is_clawback, p_metadata);
    -- While these entries go in, their per-entry balance check is not queued: the
    -- transaction row above queued the same check, which runs at commit after them.
    PERFORM set_config('cv.posting_transaction', v_txn_id::text, true);
    INSERT INTO customer_value_entry (transaction_id, account_id, unit, amount, direction)
    SELECT v_txn_id, e.account_id, e.unit, abs(e.amount), sign(e.amount)::smallint
      FROM unnest(p_entry_accounts, p_entry_units, p_entry_amounts)
           WITH ORDINALITY AS e(account_id, unit, amount, n)
     ORDER BY e.n;
    PERFORM set_config('cv.posting_transaction', '', true);
    RETURN v_txn_id;
END $$;
"""


def _backward_cv_post():
    # 0004's function, as it was before this migration (CREATE OR REPLACE drops the SET).
    import importlib

    fast_post = importlib.import_module(
        "saleor_customer_value.migrations.0004_ledger_fast_post"
    )
    text = fast_post.FORWARD
    return text[: text.index("END $$;") + len("END $$;")].replace(
        "CREATE FUNCTION cv_post(", "CREATE OR REPLACE FUNCTION cv_post(", 1
    )


INLINE_GLOBAL_ID = "ALTER FUNCTION cv_global_id(text, bigint) STABLE;"
INLINE_GLOBAL_ID_BACKWARD = "ALTER FUNCTION cv_global_id(text, bigint) IMMUTABLE;"


class Migration(migrations.Migration):
    dependencies = [("customer_value", "0020_pos_lots")]

    operations = [
        migrations.RunSQL(SEQUENCE, SEQUENCE_BACKWARD),
        migrations.RunSQL(OUTBOX_LEDGER, _backward_outbox_ledger()),
        migrations.RunSQL(CV_POST, _backward_cv_post()),
        migrations.RunSQL(INLINE_GLOBAL_ID, INLINE_GLOBAL_ID_BACKWARD),
    ]
