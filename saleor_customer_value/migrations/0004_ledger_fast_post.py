"""``cv_post``: one posting (``service.post``/``transfer``) in one statement.

It does, in the same order and under the same locks, what the ORM path of
``ledger/service.py`` does in five to seven round trips:

1. claims the idempotency key (``INSERT ... ON CONFLICT DO NOTHING``; the record points
   at the transaction id drawn up front, its foreign key is checked at commit) and
   returns NULL when the key is taken, so the caller replays the first result;
2. locks the customer accounts (ids given by the caller) with ``FOR UPDATE`` in id order;
3. releases the accounts' pending holds past their expiry if any account holds value;
4. runs the funds checks the caller lists (customer accounts the posting takes from,
   points under a clawback left out), in the caller's order, against the locked rows; a failure raises SQLSTATE ``CV001`` with ``DETAIL`` = ``id posted held`` of the
   account, from which the service raises ``NegativeBalance``/``InsufficientFunds``
   with the same messages as the ORM path;
5. inserts the transaction and its entries (the triggers of 0002 apply them and check
   every invariant, exactly as for any other insert) and returns the transaction's id.

It also lets a transaction's balance be checked once at commit instead of once per
entry plus once per transaction (the same aggregate each time): see the trigger below.

It writes nothing the ORM path could not write, so the database invariants of 0002
hold for it as for any other client: it adds speed, not trust.
"""
from django.db import migrations

FORWARD = r"""
CREATE FUNCTION cv_post(
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
LANGUAGE plpgsql AS $$
DECLARE
    v_txn_id bigint;
    v_claimed bigint;
    v_ids integer[];
    v_posted numeric[];
    v_held numeric[];
    v_any_held boolean;
    v_expired integer;
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
            UPDATE customer_value_hold
               SET status = 'expired', resolved_at = p_now
             WHERE account_id = ANY (v_ids) AND status = 'pending'
               AND expires_at <= p_now;
            GET DIAGNOSTICS v_expired = ROW_COUNT;
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

-- The balance check once per transaction instead of once per entry + once per
-- transaction. An entry queues its own check unless cv_post is inserting it into the
-- transaction it has just inserted (whose check is queued and cannot have run yet:
-- with the check immediate it would have failed on zero entries). Any other entry
-- (raw SQL, an entry added later to a transaction of this or an earlier DB
-- transaction) is checked as before.
DROP TRIGGER cv_entry_balanced ON customer_value_entry;
CREATE CONSTRAINT TRIGGER cv_entry_balanced
    AFTER INSERT ON customer_value_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (NEW.transaction_id::text
          IS DISTINCT FROM current_setting('cv.posting_transaction', true))
    EXECUTE FUNCTION cv_check_transaction_balanced();
"""

BACKWARD = r"""
DROP TRIGGER cv_entry_balanced ON customer_value_entry;
CREATE CONSTRAINT TRIGGER cv_entry_balanced
    AFTER INSERT ON customer_value_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cv_check_transaction_balanced();
DROP FUNCTION IF EXISTS cv_post(
    timestamptz, text, text, integer, integer, text, text, text, integer, integer,
    integer, uuid, bigint, bigint, text, boolean, jsonb, integer[], text[], numeric[],
    integer[], integer[], numeric[], text, text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("customer_value", "0003_loyalty")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
