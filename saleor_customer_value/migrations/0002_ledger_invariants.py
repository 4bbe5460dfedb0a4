"""Ledger invariants enforced by PostgreSQL, whatever code writes to the tables.

1. Every transaction balances: its entries sum to zero per unit and there are at least
   two (deferred constraint triggers, checked at commit).
2. Entries and transactions are immutable: no UPDATE or DELETE (a correction is a
   reversal transaction).
3. Entries carry their account's unit (composite foreign key); points are whole.
4. Customer balances are maintained only by these triggers: an entry updates its
   account's ``posted`` and records ``balance_after``; a hold updates ``held`` when it
   is placed and when it leaves ``pending``. Direct writes to ``posted``/``held`` fail.
   With the account's CHECK constraints, wallet money never goes below zero (held value
   included) and points only through a transaction flagged ``is_clawback``.
5. Holds are resolved at most once and never deleted.

Raised errors use SQLSTATE class 23 (integrity) so Django raises ``IntegrityError``.
"""
from django.db import migrations

FORWARD = r"""
-- 3. Entries carry their account's unit; points are whole numbers.
ALTER TABLE customer_value_account
    ADD CONSTRAINT cv_account_id_unit UNIQUE (id, unit);
ALTER TABLE customer_value_entry
    ADD CONSTRAINT cv_entry_account_unit FOREIGN KEY (account_id, unit)
        REFERENCES customer_value_account (id, unit) DEFERRABLE INITIALLY IMMEDIATE,
    ADD CONSTRAINT cv_entry_points_whole CHECK (unit <> 'PTS' OR amount = trunc(amount));

-- 1. Balanced transactions, checked at commit.
CREATE FUNCTION cv_check_transaction_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    txn_id bigint;
    n_entries bigint;
    unbalanced text;
BEGIN
    IF TG_TABLE_NAME = 'customer_value_entry' THEN
        txn_id := NEW.transaction_id;
    ELSE
        txn_id := NEW.id;
    END IF;
    SELECT sum(per_unit.n),
           string_agg(per_unit.unit || ' ' || per_unit.total::text, ', ')
               FILTER (WHERE per_unit.total <> 0)
      INTO n_entries, unbalanced
      FROM (SELECT unit, count(*) AS n, sum(amount * direction) AS total
              FROM customer_value_entry
             WHERE transaction_id = txn_id
             GROUP BY unit) AS per_unit;
    IF coalesce(n_entries, 0) < 2 THEN
        RAISE EXCEPTION 'ledger transaction % has % entries; at least two are required',
            txn_id, coalesce(n_entries, 0) USING ERRCODE = 'check_violation';
    END IF;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: %', txn_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cv_entry_balanced
    AFTER INSERT ON customer_value_entry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cv_check_transaction_balanced();
CREATE CONSTRAINT TRIGGER cv_transaction_balanced
    AFTER INSERT ON customer_value_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cv_check_transaction_balanced();

-- 2. Immutable journal.
CREATE FUNCTION cv_forbid_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable; book a reversal instead', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER cv_entry_immutable
    BEFORE UPDATE OR DELETE ON customer_value_entry
    FOR EACH ROW EXECUTE FUNCTION cv_forbid_change();
CREATE TRIGGER cv_transaction_immutable
    BEFORE UPDATE OR DELETE ON customer_value_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION cv_forbid_change();

-- 4. Balances follow entries and holds, and nothing else.
CREATE FUNCTION cv_apply_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    acct record;
    clawback boolean;
BEGIN
    UPDATE customer_value_account
       SET posted = posted + NEW.amount * NEW.direction
     WHERE id = NEW.account_id AND kind <> 'system'
    RETURNING posted, held, kind INTO acct;
    IF FOUND THEN
        NEW.balance_after := acct.posted;
        IF acct.kind = 'points' AND NEW.direction < 0 AND acct.posted - acct.held < 0 THEN
            SELECT is_clawback INTO clawback
              FROM customer_value_ledgertransaction WHERE id = NEW.transaction_id;
            IF NOT coalesce(clawback, false) THEN
                RAISE EXCEPTION 'points account % would go below its available balance',
                    NEW.account_id USING ERRCODE = 'check_violation';
            END IF;
        END IF;
    ELSE
        NEW.balance_after := NULL;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cv_entry_apply
    BEFORE INSERT ON customer_value_entry
    FOR EACH ROW EXECUTE FUNCTION cv_apply_entry();

CREATE FUNCTION cv_guard_account() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger accounts are never deleted'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id <> OLD.id OR NEW.unit <> OLD.unit OR NEW.kind <> OLD.kind
       OR NEW.system_code <> OLD.system_code
       OR NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
        RAISE EXCEPTION 'a ledger account''s identity cannot change'
            USING ERRCODE = 'restrict_violation';
    END IF;
    -- Depth 1 is a statement from outside; the ledger's own triggers run at depth 2.
    IF (NEW.posted <> OLD.posted OR NEW.held <> OLD.held) AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'balances change only through ledger entries and holds'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cv_account_guard
    BEFORE UPDATE OR DELETE ON customer_value_account
    FOR EACH ROW EXECUTE FUNCTION cv_guard_account();

CREATE FUNCTION cv_guard_account_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.posted <> 0 OR NEW.held <> 0 THEN
        RAISE EXCEPTION 'a ledger account starts at zero'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cv_account_insert_guard
    BEFORE INSERT ON customer_value_account
    FOR EACH ROW EXECUTE FUNCTION cv_guard_account_insert();

-- 5. Holds: counted in ``held`` while pending, resolved once, never deleted.
CREATE FUNCTION cv_apply_hold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'holds are never deleted; void them'
            USING ERRCODE = 'restrict_violation';
    ELSIF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'pending' THEN
            RAISE EXCEPTION 'a hold starts pending' USING ERRCODE = 'check_violation';
        END IF;
        UPDATE customer_value_account SET held = held + NEW.amount
         WHERE id = NEW.account_id;
    ELSE
        IF OLD.status <> 'pending' THEN
            RAISE EXCEPTION 'hold % is already %', OLD.id, OLD.status
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.amount <> OLD.amount OR NEW.account_id <> OLD.account_id
           OR NEW.counter_account_id <> OLD.counter_account_id THEN
            RAISE EXCEPTION 'a hold''s amount and accounts cannot change'
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.status <> 'pending' THEN
            UPDATE customer_value_account SET held = held - OLD.amount
             WHERE id = OLD.account_id;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cv_hold_apply
    BEFORE INSERT OR UPDATE OR DELETE ON customer_value_hold
    FOR EACH ROW EXECUTE FUNCTION cv_apply_hold();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS cv_hold_apply ON customer_value_hold;
DROP FUNCTION IF EXISTS cv_apply_hold();
DROP TRIGGER IF EXISTS cv_account_insert_guard ON customer_value_account;
DROP FUNCTION IF EXISTS cv_guard_account_insert();
DROP TRIGGER IF EXISTS cv_account_guard ON customer_value_account;
DROP FUNCTION IF EXISTS cv_guard_account();
DROP TRIGGER IF EXISTS cv_entry_apply ON customer_value_entry;
DROP FUNCTION IF EXISTS cv_apply_entry();
DROP TRIGGER IF EXISTS cv_transaction_immutable ON customer_value_ledgertransaction;
DROP TRIGGER IF EXISTS cv_entry_immutable ON customer_value_entry;
DROP FUNCTION IF EXISTS cv_forbid_change();
DROP TRIGGER IF EXISTS cv_transaction_balanced ON customer_value_ledgertransaction;
DROP TRIGGER IF EXISTS cv_entry_balanced ON customer_value_entry;
DROP FUNCTION IF EXISTS cv_check_transaction_balanced();
ALTER TABLE customer_value_entry DROP CONSTRAINT IF EXISTS cv_entry_points_whole;
ALTER TABLE customer_value_entry DROP CONSTRAINT IF EXISTS cv_entry_account_unit;
ALTER TABLE customer_value_account DROP CONSTRAINT IF EXISTS cv_account_id_unit;
"""


class Migration(migrations.Migration):
    dependencies = [("customer_value", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
