"""The points lot projection of a plain credit in one statement (issue 16).

``loyalty.lots.credit`` posts points and then projects the new entry onto the lots
under the account's lock: lock, state, new entries, lot insert, state update: five
statements and the ORM building each. ``cv_lots_credit_fast(account)`` does the same in
one call for the common case and returns the id of the entry it projected; in every
other case it changes nothing but the (possibly created) state row and returns NULL,
and ``lots.sync`` does the work in Python as before:

* more than one unprojected entry, or a debit;
* debt to pay back first;
* a reversal (lots to restore);
* a pending lot to release (``lot`` in the transaction's metadata);
* an expiry that needs Python's rules: ``expires_at`` in the metadata, or
  ``expiry_days`` missing (the program's default) or not a whole number.

The lot it writes is the one ``lots._credit`` writes for that case: ``points`` =
``remaining`` = ``earned_points`` = the entry's amount, active, from the transaction's
reason, order and time, ``expires_at`` = created + ``expiry_days`` x 24 h (none for 0
or null, like Python's ``if days``), metadata ``{"expiry_days": ...}``.
"""
from django.db import migrations

FORWARD = r"""
CREATE FUNCTION cv_lots_credit_fast(p_account integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_state customer_value_pointsaccountstate%ROWTYPE;
    v_entry customer_value_entry%ROWTYPE;
    v_txn customer_value_ledgertransaction%ROWTYPE;
    v_count integer;
    v_days jsonb;
    v_expires timestamptz;
BEGIN
    -- Accounts before lots, as everywhere (a no-op when the posting already locked it).
    PERFORM 1 FROM customer_value_account WHERE id = p_account FOR UPDATE;
    INSERT INTO customer_value_pointsaccountstate (account_id, last_entry_id, debt)
    VALUES (p_account, 0, 0) ON CONFLICT (account_id) DO NOTHING;
    SELECT * INTO v_state FROM customer_value_pointsaccountstate WHERE account_id = p_account;
    IF v_state.debt <> 0 THEN
        RETURN NULL;
    END IF;

    SELECT count(*) INTO v_count FROM (
        SELECT 1 FROM customer_value_entry
        WHERE account_id = p_account AND id > v_state.last_entry_id LIMIT 2
    ) AS unseen;
    IF v_count <> 1 THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v_entry FROM customer_value_entry
    WHERE account_id = p_account AND id > v_state.last_entry_id;
    IF v_entry.direction <= 0 OR v_entry.amount <> trunc(v_entry.amount) THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v_txn FROM customer_value_ledgertransaction WHERE id = v_entry.transaction_id;
    IF v_txn.reversal_of_id IS NOT NULL
       OR v_txn.metadata ? 'lot'
       OR v_txn.metadata ? 'expires_at'
       OR NOT v_txn.metadata ? 'expiry_days' THEN
        RETURN NULL;
    END IF;

    v_days := v_txn.metadata -> 'expiry_days';
    IF jsonb_typeof(v_days) = 'null' THEN
        v_expires := NULL;
    ELSIF jsonb_typeof(v_days) = 'number' AND (v_days #>> '{}')::numeric = trunc((v_days #>> '{}')::numeric) THEN
        IF (v_days #>> '{}')::numeric = 0 THEN
            v_expires := NULL;
        ELSE
            v_expires := v_txn.created_at + (v_days #>> '{}')::bigint * interval '24 hours';
        END IF;
    ELSE
        RETURN NULL;
    END IF;

    INSERT INTO customer_value_pointslot (
        account_id, source, status, points, remaining, earned_points, taken_back,
        credit_transaction_id, order_id, created_at, available_at, expires_at,
        resolved_at, metadata
    ) VALUES (
        p_account, v_txn.reason, 'active', v_entry.amount::bigint, v_entry.amount::bigint,
        v_entry.amount::bigint, 0, v_txn.id, v_txn.order_id, v_txn.created_at, NULL,
        v_expires, NULL, jsonb_build_object('expiry_days', v_days)
    );
    UPDATE customer_value_pointsaccountstate SET last_entry_id = v_entry.id
    WHERE account_id = p_account;
    RETURN v_entry.id;
END;
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS cv_lots_credit_fast(integer);"


class Migration(migrations.Migration):

    dependencies = [
        ("customer_value", "0019_checkout_state"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
