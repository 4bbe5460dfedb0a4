"""Webhooks: the transactional outbox, its delivery log, and offline till sync.

The outbox rows of ledger transactions, holds and cards are written by deferred
constraint triggers, so they exist exactly when the change commits, whichever path
wrote it (the ORM, ``cv_post`` in autocommit, a raw statement) and without any change
to ``cv_post``. Deferred triggers fire at commit, after every statement of the
transaction: the entries' ``balance_after`` and the points lots (``lots.sync``) are
final by then, and a savepoint that rolled back took its queued events with it.

Each event gets the next number of its customer's sequence (``cv_outbox_add``: one
upserted counter row per customer). The counter is only ever locked at commit, after
the accounts a posting locked, so it adds no lock-order cycle and no global hot row.
Events from Python (``webhooks.events.emit``) are inserted without a number and get it
from a deferred trigger as well, in the order their statements ran.
"""
import django.contrib.postgres.fields
import django.contrib.postgres.fields.jsonb
import django.contrib.postgres.indexes
from django.db import migrations, models
import django.db.models.deletion


FORWARD = r"""
CREATE FUNCTION cv_global_id(p_type text, p_id bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_id IS NULL THEN NULL
                ELSE encode(convert_to(p_type || ':' || p_id, 'UTF8'), 'base64') END
$$;

-- Decimal text as receivers expect it: whole points; money with at least two decimals
-- and never fewer than the ledger stored (the service rejects over-precision).
CREATE FUNCTION cv_amount_text(p_amount numeric, p_unit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_amount IS NULL THEN NULL
                WHEN p_unit = 'PTS' THEN trunc(p_amount)::text
                WHEN scale(trim_scale(p_amount)) < 2 THEN round(p_amount, 2)::text
                ELSE trim_scale(p_amount)::text END
$$;

CREATE FUNCTION cv_outbox_add(p_customer integer, p_type text, p_payload jsonb)
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

-- Several events in one statement: one counter update per customer (in customer id
-- order), numbers handed out in the order of the arrays.
CREATE FUNCTION cv_outbox_add_all(p_customers integer[], p_types text[], p_payloads jsonb[])
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

CREATE FUNCTION cv_balance_json(p_account_id integer, p_unit text, p_posted numeric)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'posted', cv_amount_text(p_posted, p_unit),
        'held', cv_amount_text(a.held, p_unit),
        'available', cv_amount_text(p_posted - a.held, p_unit))
      FROM customer_value_account a WHERE a.id = p_account_id
$$;

-- Ledger transactions: one event for the transaction, one balance event per customer
-- account it touched, and a gift voucher event for a gift voucher sale.
CREATE FUNCTION cv_outbox_ledger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    e record;
    v_entries jsonb := '[]'::jsonb;
    v_txn jsonb;
    v_change jsonb;
    v_customer integer;
    v_custs integer[] := '{}';
    v_types text[] := '{}';
    v_payloads jsonb[] := '{}';
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
    FOR e IN
        SELECT en.unit, en.amount * en.direction AS change, en.balance_after,
               a.id AS account_id, a.kind, a.customer_id, a.system_code, a.held
          FROM customer_value_entry en
          JOIN customer_value_account a ON a.id = en.account_id
         WHERE en.transaction_id = NEW.id
         ORDER BY en.id
    LOOP
        v_entries := v_entries || jsonb_build_object(
            'account', CASE WHEN e.kind = 'system' THEN 'system:' || e.system_code
                            ELSE e.kind END,
            'customerId', e.customer_id,
            'unit', e.unit,
            'amount', cv_amount_text(e.change, e.unit));
        IF e.kind = 'system' THEN
            CONTINUE;
        END IF;
        v_change := jsonb_build_object(
            'transactionId', v_txn->'id',
            'reason', NEW.reason,
            'reversalOf', v_txn->'reversalOf',
            'externalReference', NEW.external_reference,
            'change', cv_amount_text(e.change, e.unit),
            'balance', jsonb_build_object(
                'posted', cv_amount_text(e.balance_after, e.unit),
                'held', cv_amount_text(e.held, e.unit),
                'available', cv_amount_text(e.balance_after - e.held, e.unit)));
        IF e.kind = 'wallet' THEN
            v_custs := array_append(v_custs, e.customer_id);
            v_types := array_append(v_types, 'customer_value_wallet_balance_changed');
            v_payloads := array_append(v_payloads,
                                       v_change || jsonb_build_object('currency', e.unit));
        ELSE
            v_custs := array_append(v_custs, e.customer_id);
            v_types := array_append(v_types, 'customer_value_points_balance_changed');
            v_payloads := array_append(v_payloads, v_change || jsonb_build_object(
                    'pending', (SELECT coalesce(sum(l.points), 0)
                                  FROM customer_value_pointslot l
                                 WHERE l.account_id = e.account_id
                                   AND l.status = 'pending'),
                    'expiring', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                        'points', x.points, 'expiresAt', x.expires_at)
                                        ORDER BY x.expires_at), '[]'::jsonb)
                                   FROM (SELECT l.expires_at, sum(l.remaining) AS points
                                           FROM customer_value_pointslot l
                                          WHERE l.account_id = e.account_id
                                            AND l.status = 'active' AND l.remaining > 0
                                            AND l.expires_at IS NOT NULL
                                          GROUP BY l.expires_at
                                          ORDER BY l.expires_at LIMIT 3) x)));
        END IF;
    END LOOP;
    v_custs := array_append(v_custs, NEW.customer_id);
    v_types := array_append(v_types,
        CASE WHEN NEW.reversal_of_id IS NULL THEN 'customer_value_transaction_posted'
             ELSE 'customer_value_transaction_reversed' END);
    v_payloads := array_append(v_payloads, v_txn || jsonb_build_object('entries', v_entries));
    PERFORM cv_outbox_add_all(v_custs, v_types, v_payloads);
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

CREATE CONSTRAINT TRIGGER cv_outbox_ledger
    AFTER INSERT ON customer_value_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cv_outbox_ledger();

-- Holds: placed, posted, voided, expired (also when cv_post releases expired holds).
CREATE FUNCTION cv_outbox_hold() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    a record;
BEGIN
    SELECT id, kind, unit, customer_id, posted INTO a
      FROM customer_value_account WHERE id = NEW.account_id;
    PERFORM cv_outbox_add(
        a.customer_id,
        'customer_value_hold_' || CASE WHEN TG_OP = 'INSERT' THEN 'placed' ELSE NEW.status END,
        jsonb_build_object(
            'holdId', NEW.id,
            'status', NEW.status,
            'account', a.kind,
            'unit', a.unit,
            'amount', cv_amount_text(NEW.amount, a.unit),
            'postedAmount', cv_amount_text(NEW.posted_amount, a.unit),
            'reason', NEW.reason,
            'orderId', cv_global_id('Order', NEW.order_id),
            'externalReference', NEW.external_reference,
            'expiresAt', NEW.expires_at,
            'balance', cv_balance_json(a.id, a.unit, a.posted)));
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cv_outbox_hold_placed
    AFTER INSERT ON customer_value_hold
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION cv_outbox_hold();
CREATE CONSTRAINT TRIGGER cv_outbox_hold_resolved
    AFTER UPDATE ON customer_value_hold
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION cv_outbox_hold();

-- Cards with an owner: registered, linked (moved to another customer), blocked,
-- replaced, expired. Never the code: its last four characters only.
CREATE FUNCTION cv_outbox_card() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_card jsonb;
BEGIN
    v_card := jsonb_build_object(
        'cardId', cv_global_id('Card', NEW.id),
        'kind', NEW.kind,
        'state', NEW.state,
        'maskedCode', '••••-••••-••••-' || right(NEW.code, 4),
        'expiresAt', NEW.expires_at);
    IF TG_OP = 'INSERT' THEN
        PERFORM cv_outbox_add(NEW.customer_id, 'customer_value_card_registered', v_card);
        RETURN NULL;
    END IF;
    IF OLD.registered_at IS NULL AND NEW.registered_at IS NOT NULL THEN
        PERFORM cv_outbox_add(NEW.customer_id, 'customer_value_card_registered', v_card);
    ELSIF OLD.customer_id IS DISTINCT FROM NEW.customer_id THEN
        PERFORM cv_outbox_add(NEW.customer_id, 'customer_value_card_linked',
            v_card || jsonb_build_object('previousCustomerId', OLD.customer_id));
    END IF;
    IF OLD.state IS DISTINCT FROM NEW.state
       AND NEW.state IN ('blocked', 'replaced', 'expired') THEN
        PERFORM cv_outbox_add(NEW.customer_id, 'customer_value_card_' || NEW.state,
            v_card || jsonb_build_object(
                'blockedReason', CASE WHEN NEW.state = 'blocked' THEN NEW.blocked_reason END,
                'replacedBy', cv_global_id('Card', NEW.replaced_by_id)));
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cv_outbox_card_created
    AFTER INSERT ON customer_value_card
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL AND NEW.registered_at IS NOT NULL)
    EXECUTE FUNCTION cv_outbox_card();
CREATE CONSTRAINT TRIGGER cv_outbox_card_changed
    AFTER UPDATE ON customer_value_card
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.customer_id IS NOT NULL AND (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
        OR OLD.registered_at IS DISTINCT FROM NEW.registered_at))
    EXECUTE FUNCTION cv_outbox_card();

-- Events inserted by Python (emit) get their number at commit like the others.
CREATE FUNCTION cv_outbox_number() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_sequence bigint;
BEGIN
    INSERT INTO customer_value_eventsequence AS s (customer_id, last_sequence)
    VALUES (NEW.customer_id, 1)
    ON CONFLICT (customer_id) DO UPDATE SET last_sequence = s.last_sequence + 1
    RETURNING last_sequence INTO v_sequence;
    UPDATE customer_value_outboxevent SET sequence = v_sequence WHERE id = NEW.id;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cv_outbox_number
    AFTER INSERT ON customer_value_outboxevent
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.sequence IS NULL AND NEW.customer_id IS NOT NULL)
    EXECUTE FUNCTION cv_outbox_number();

ALTER TABLE customer_value_outboxevent
    ALTER COLUMN event_id SET DEFAULT gen_random_uuid(),
    ALTER COLUMN created_at SET DEFAULT now();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS cv_outbox_number ON customer_value_outboxevent;
DROP FUNCTION IF EXISTS cv_outbox_number();
DROP TRIGGER IF EXISTS cv_outbox_card_changed ON customer_value_card;
DROP TRIGGER IF EXISTS cv_outbox_card_created ON customer_value_card;
DROP FUNCTION IF EXISTS cv_outbox_card();
DROP TRIGGER IF EXISTS cv_outbox_hold_resolved ON customer_value_hold;
DROP TRIGGER IF EXISTS cv_outbox_hold_placed ON customer_value_hold;
DROP FUNCTION IF EXISTS cv_outbox_hold();
DROP TRIGGER IF EXISTS cv_outbox_ledger ON customer_value_ledgertransaction;
DROP FUNCTION IF EXISTS cv_outbox_ledger();
DROP FUNCTION IF EXISTS cv_balance_json(integer, text, numeric);
DROP FUNCTION IF EXISTS cv_outbox_add_all(integer[], text[], jsonb[]);
DROP FUNCTION IF EXISTS cv_outbox_add(integer, text, jsonb);
DROP FUNCTION IF EXISTS cv_amount_text(numeric, text);
DROP FUNCTION IF EXISTS cv_global_id(text, bigint);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('webhook', '0004_mount_app'),
        ('customer_value', '0009_badges'),
    ]

    operations = [
        migrations.CreateModel(
            name='DeliveryAttempt',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField()),
                ('duration_ms', models.PositiveIntegerField()),
                ('status_code', models.PositiveIntegerField(blank=True, null=True)),
                ('success', models.BooleanField()),
                ('response_excerpt', models.TextField(blank=True, default='')),
                ('error', models.TextField(blank=True, default='')),
            ],
            options={
                'ordering': ('-pk',),
            },
        ),
        migrations.CreateModel(
            name='EventSequence',
            fields=[
                ('customer_id', models.IntegerField(primary_key=True, serialize=False)),
                ('last_sequence', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='OutboxEvent',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('event_id', models.UUIDField()),
                ('event_type', models.CharField(max_length=64)),
                ('customer_id', models.IntegerField(blank=True, null=True)),
                ('sequence', models.BigIntegerField(blank=True, null=True)),
                ('payload', django.contrib.postgres.fields.jsonb.JSONField(default=dict)),
                ('created_at', models.DateTimeField()),
                ('dispatched_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ('-pk',),
            },
        ),
        migrations.CreateModel(
            name='PosSyncItem',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('scope', models.CharField(max_length=64)),
                ('key', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=16)),
                ('request_hash', models.CharField(max_length=64)),
                ('status', models.CharField(max_length=16)),
                ('code', models.CharField(blank=True, default='', max_length=64)),
                ('message', models.TextField(blank=True, default='')),
                ('receipt', models.CharField(blank=True, default='', max_length=255)),
                ('till_timestamp', models.DateTimeField(blank=True, null=True)),
                ('customer_id', models.IntegerField(blank=True, null=True)),
                ('transaction_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, size=None)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('customer_id', models.IntegerField(blank=True, null=True)),
                ('sequence', models.BigIntegerField(blank=True, null=True)),
                ('previous_sequence', models.BigIntegerField(blank=True, null=True)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('delivered', 'Delivered'), ('failed', 'Failed')], default='pending', max_length=16)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField()),
                ('next_attempt_at', models.DateTimeField()),
                ('last_attempt_at', models.DateTimeField(blank=True, null=True)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='customer_value.OutboxEvent')),
                ('webhook', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='customer_value_deliveries', to='webhook.Webhook')),
            ],
            options={
                'ordering': ('-pk',),
            },
        ),
        migrations.AddConstraint(
            model_name='possyncitem',
            constraint=models.UniqueConstraint(fields=('scope', 'key'), name='cv_pos_sync_item_key'),
        ),
        migrations.AddIndex(
            model_name='outboxevent',
            index=models.Index(condition=models.Q(dispatched_at__isnull=True), fields=['id'], name='cv_outbox_undispatched_idx'),
        ),
        migrations.AddIndex(
            model_name='outboxevent',
            index=django.contrib.postgres.indexes.BrinIndex(fields=['created_at'], name='cv_outbox_created_brin'),
        ),
        migrations.AddConstraint(
            model_name='outboxevent',
            constraint=models.UniqueConstraint(fields=('customer_id', 'sequence'), name='cv_outbox_customer_sequence'),
        ),
        migrations.AddField(
            model_name='deliveryattempt',
            name='delivery',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='customer_value.WebhookDelivery'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(condition=models.Q(status='pending'), fields=['webhook', 'customer_id', 'sequence', 'event'], name='cv_delivery_stream_idx'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['webhook', '-id'], name='cv_delivery_webhook_idx'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['created_at'], name='cv_delivery_created_idx'),
        ),
        migrations.AddConstraint(
            model_name='webhookdelivery',
            constraint=models.UniqueConstraint(fields=('event', 'webhook'), name='cv_delivery_once'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
