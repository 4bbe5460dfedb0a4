"""Less server work per ledger posting, with every invariant still enforced by PostgreSQL.

Measured with ``bin/bench`` (issue 16): a posting cost the server ~2.3-3.5x a ``pgbench
-N`` transaction. What it paid for and what changes:

1. **Index entries for NULLs.** A transaction row went into 8 indexes, four of them on
   references that most postings leave empty (``checkout_token``, ``order_id``, and the
   unique ``hold_id`` and ``reversal_of_id``); an idempotency record into two such
   (``hold_id``, ``transaction_id``: one of them is always empty). These become partial
   indexes ``WHERE <column> IS NOT NULL`` under the same names: every lookup by a value
   still uses them, uniqueness of the non-null values is enforced exactly as before
   (NULLs never conflicted), and an empty reference costs nothing.
2. **Non-HOT account updates.** Every posting updates its customer accounts' ``posted``
   and every hold ``held``; on a full page PostgreSQL writes a new row version *and* a
   new entry in each of the account's five indexes. With free room on the page
   (``fillfactor``) the update is HOT: no index work, a smaller WAL record. Tables whose
   rows are rewritten on each posting or hold get room; existing pages get it as they
   are rewritten (``VACUUM FULL`` applies it at once).
3. **A row lock on the shared system account.** The composite foreign key
   ``cv_entry_account_unit`` (entry ``(account_id, unit)`` -> account ``(id, unit)``)
   took ``FOR KEY SHARE`` on the system account row in every posting, from every
   worker at once (multixacts, contended). The same rule is now checked by the entry
   trigger that already reads or updates the account: an entry whose account does not
   exist or has another unit is refused with the same constraint name
   (``cv_entry_account_unit``, SQLSTATE 23503). It stays true afterwards because an
   account can be neither deleted nor given another id or unit (trigger
   ``cv_account_guard``) and an entry can never change (``cv_entry_immutable``).
   Only ``TRUNCATE`` of the account table alone, which skips row triggers, is no longer
   refused; it already bypassed every other ledger trigger (immutability too).
"""
from django.db import migrations

PARTIAL_INDEXES = [
    # (table, index name, column, unique, was a UNIQUE constraint)
    ("customer_value_ledgertransaction", "customer_value_ledgertransaction_checkout_token_0d172b97", "checkout_token", False, False),
    ("customer_value_ledgertransaction", "customer_value_ledgertransaction_order_id_69f7ef90", "order_id", False, False),
    ("customer_value_ledgertransaction", "customer_value_ledgertransaction_hold_id_key", "hold_id", True, True),
    ("customer_value_ledgertransaction", "customer_value_ledgertransaction_reversal_of_id_key", "reversal_of_id", True, True),
    ("customer_value_idempotencyrecord", "customer_value_idempotencyrecord_hold_id_94834de4", "hold_id", False, False),
    ("customer_value_idempotencyrecord", "customer_value_idempotencyrecord_transaction_id_2b01b4d8", "transaction_id", False, False),
]

FILLFACTORS = [
    ("customer_value_account", 50),
    ("customer_value_hold", 70),
    ("customer_value_pointsaccountstate", 50),
    ("customer_value_pointslot", 80),
]


def _drop(table, name, constraint):
    if constraint:
        return f"ALTER TABLE {table} DROP CONSTRAINT {name};"
    return f"DROP INDEX {name};"


def _forward_indexes():
    statements = []
    for table, name, column, unique, constraint in PARTIAL_INDEXES:
        statements.append(_drop(table, name, constraint))
        statements.append(
            f"CREATE {'UNIQUE ' if unique else ''}INDEX {name} ON {table} ({column}) "
            f"WHERE {column} IS NOT NULL;"
        )
    return "\n".join(statements)


def _backward_indexes():
    statements = []
    for table, name, column, unique, constraint in PARTIAL_INDEXES:
        statements.append(f"DROP INDEX {name};")
        if constraint:
            statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({column});")
        else:
            statements.append(f"CREATE INDEX {name} ON {table} ({column});")
    return "\n".join(statements)


ENTRY_TRIGGER = r"""
CREATE OR REPLACE FUNCTION cv_apply_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    acct record;
    clawback boolean;
    system_unit text;
BEGIN
    UPDATE customer_value_account
       SET posted = posted + NEW.amount * NEW.direction
     WHERE id = NEW.account_id AND kind <> 'system'
    RETURNING posted, held, kind, unit INTO acct;
    IF FOUND THEN
        IF acct.unit <> NEW.unit THEN
            RAISE EXCEPTION 'cv_entry_account_unit: entry in % on account % kept in %',
                NEW.unit, NEW.account_id, acct.unit USING ERRCODE = 'foreign_key_violation';
        END IF;
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
        -- A system account (no balance kept) or no account at all: read, do not lock.
        SELECT unit INTO system_unit FROM customer_value_account WHERE id = NEW.account_id;
        IF system_unit IS DISTINCT FROM NEW.unit THEN
            RAISE EXCEPTION 'cv_entry_account_unit: entry in % on account % (%)',
                NEW.unit, NEW.account_id, coalesce('kept in ' || system_unit, 'no such account')
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        NEW.balance_after := NULL;
    END IF;
    RETURN NEW;
END $$;
ALTER TABLE customer_value_entry DROP CONSTRAINT cv_entry_account_unit;
"""

ENTRY_TRIGGER_BACKWARD = r"""
ALTER TABLE customer_value_entry
    ADD CONSTRAINT cv_entry_account_unit FOREIGN KEY (account_id, unit)
        REFERENCES customer_value_account (id, unit) DEFERRABLE INITIALLY IMMEDIATE;
CREATE OR REPLACE FUNCTION cv_apply_entry() RETURNS trigger
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
"""

FORWARD = "\n".join(
    [_forward_indexes()]
    + [f"ALTER TABLE {table} SET (fillfactor = {value});" for table, value in FILLFACTORS]
    + [ENTRY_TRIGGER]
)
BACKWARD = "\n".join(
    [ENTRY_TRIGGER_BACKWARD]
    + [f"ALTER TABLE {table} RESET (fillfactor);" for table, _ in FILLFACTORS]
    + [_backward_indexes()]
)


class Migration(migrations.Migration):
    dependencies = [("customer_value", "0010_webhooks")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
