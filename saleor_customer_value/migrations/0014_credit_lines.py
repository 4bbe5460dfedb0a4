"""Debit cards (issue 13): credit lines in the same ledger.

- Accounts of kind ``credit`` (the customer's receivable, negative while owed) with a
  ``credit_limit`` column; ``cv_credit_within_limit`` refuses any balance (held value
  included) beyond it, and a limit on any other kind of account.
- Reasons ``credit_purchase``, ``credit_settlement``, ``credit_refund`` join the closed
  list ``cv_txn_reason_known``.
- Credit lines, their limit history and billing statements.
- The outbox trigger of 0010 skips credit accounts (no bogus points balance event).
"""
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.db.models.expressions


# The ledger's outbox trigger of 0010, unchanged except that entries on credit accounts
# raise no balance event (0010 sent every non-wallet customer account as points).
OUTBOX_LEDGER = r"""
CREATE OR REPLACE FUNCTION cv_outbox_ledger() RETURNS trigger
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
        IF e.kind IN ('system', 'credit') THEN
            -- credit lines (0016) have no balance event of their own: their bookings
            -- are in the transaction event.
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
"""

OUTBOX_LEDGER_BACKWARD = r"""
CREATE OR REPLACE FUNCTION cv_outbox_ledger() RETURNS trigger
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
"""


class Migration(migrations.Migration):

    dependencies = [
        ('app', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('customer_value', "0013_cardkinds"),
    ]

    operations = [
        migrations.CreateModel(
            name='CreditLimitChange',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_limit', models.DecimalField(decimal_places=3, max_digits=20)),
                ('new_limit', models.DecimalField(decimal_places=3, max_digits=20)),
                ('note', models.TextField()),
                ('actor_type', models.CharField(max_length=16)),
                ('actor_label', models.CharField(blank=True, default='', max_length=255)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='CreditLine',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=8)),
                ('billing_cycle', models.CharField(choices=[('monthly', 'Monthly')], default='monthly', max_length=16)),
                ('due_days', models.PositiveIntegerField(default=14)),
                ('status', models.CharField(choices=[('active', 'Active'), ('suspended', 'Suspended'), ('closed', 'Closed')], default='active', max_length=16)),
                ('cycle_start', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='CreditStatement',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('period_start', models.DateTimeField()),
                ('period_end', models.DateTimeField()),
                ('last_entry_id', models.BigIntegerField(default=0)),
                ('opening_balance', models.DecimalField(decimal_places=3, max_digits=20)),
                ('closing_balance', models.DecimalField(decimal_places=3, max_digits=20)),
                ('purchases', models.DecimalField(decimal_places=3, max_digits=20)),
                ('credits', models.DecimalField(decimal_places=3, max_digits=20)),
                ('amount_due', models.DecimalField(decimal_places=3, max_digits=20)),
                ('paid_amount', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('due_date', models.DateField()),
                ('status', models.CharField(choices=[('open', 'Open'), ('paid', 'Paid')], max_length=8)),
                ('closed_at', models.DateTimeField()),
                ('settled_at', models.DateTimeField(blank=True, null=True)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-period_start'],
            },
        ),
        migrations.AlterModelOptions(
            name='account',
            options={'permissions': (('manage_wallets', 'Book, correct and refund wallet money.'), ('manage_loyalty', 'Book points and manage the loyalty program.'), ('manage_cards', 'Generate, export, block and replace cards.'), ('use_pos', 'Act as a point-of-sale terminal.'), ('view_ledger', "Read the ledger's audit trail and reports."), ('manage_credit', 'Grant credit lines, close billing cycles, record payments.'))},
        ),
        migrations.RemoveConstraint(
            model_name='account',
            name='cv_account_kind_shape',
        ),
        migrations.RemoveConstraint(
            model_name='account',
            name='cv_account_points_unit',
        ),
        migrations.RemoveConstraint(
            model_name='ledgertransaction',
            name='cv_txn_reason_known',
        ),
        migrations.AddField(
            model_name='account',
            name='credit_limit',
            field=models.DecimalField(decimal_places=3, default=0, max_digits=20),
        ),
        migrations.AlterField(
            model_name='account',
            name='kind',
            field=models.CharField(choices=[('wallet', 'Wallet'), ('points', 'Points'), ('system', 'System'), ('credit', 'Credit line')], max_length=16),
        ),
        migrations.AlterField(
            model_name='account',
            name='system_code',
            field=models.CharField(blank=True, choices=[('funding', 'Top-up funding'), ('goodwill', 'Merchant goodwill'), ('bonus', 'Bonuses'), ('cashback', 'Cashback'), ('refunds', 'Refunds to wallet'), ('redemption', 'Redemption (spent value)'), ('expiry', 'Expiry'), ('breakage', 'Breakage'), ('gift_vouchers', 'Gift vouchers'), ('corrections', 'Corrections'), ('conversion', 'Points conversion'), ('points_issued', 'Points issued'), ('points_redeemed', 'Points redeemed'), ('clearing', 'Partner clearing'), ('credit_sales', 'Sales on credit'), ('credit_settlements', 'Credit bills paid')], default='', max_length=32),
        ),
        migrations.AlterField(
            model_name='hold',
            name='reason',
            field=models.CharField(choices=[('topup', 'Top-up'), ('topup_bonus', 'Top-up bonus'), ('goodwill', 'Goodwill credit'), ('correction', 'Manual correction'), ('refund', 'Refund to wallet'), ('retention_bonus', 'Retention bonus on a refund'), ('cashback', 'Cashback'), ('b2b_bonus', 'B2B annual bonus'), ('gift_card_redemption', 'Gift card redeemed into the wallet'), ('gift_voucher_sale', 'Gift voucher sold (value now owed to its holder)'), ('checkout_payment', 'Paid at checkout'), ('pos_payment', 'Paid at a point of sale'), ('points_earned', 'Points earned on a purchase'), ('points_action', 'Points for an action'), ('points_redeemed', 'Points redeemed as a discount'), ('points_converted', 'Points converted into wallet money'), ('points_expired', 'Points expired'), ('points_adjustment', 'Manual points booking'), ('card_merge', 'Balances merged from another card'), ('partner_clearing', 'Clearing between partner merchants'), ('breakage', 'Breakage'), ('credit_purchase', 'Bought on the credit line (billed later)'), ('credit_settlement', 'Payment of a credit line bill'), ('credit_refund', 'Refund to the credit line'), ('reversal', 'Reversal')], max_length=32),
        ),
        migrations.AlterField(
            model_name='ledgertransaction',
            name='reason',
            field=models.CharField(choices=[('topup', 'Top-up'), ('topup_bonus', 'Top-up bonus'), ('goodwill', 'Goodwill credit'), ('correction', 'Manual correction'), ('refund', 'Refund to wallet'), ('retention_bonus', 'Retention bonus on a refund'), ('cashback', 'Cashback'), ('b2b_bonus', 'B2B annual bonus'), ('gift_card_redemption', 'Gift card redeemed into the wallet'), ('gift_voucher_sale', 'Gift voucher sold (value now owed to its holder)'), ('checkout_payment', 'Paid at checkout'), ('pos_payment', 'Paid at a point of sale'), ('points_earned', 'Points earned on a purchase'), ('points_action', 'Points for an action'), ('points_redeemed', 'Points redeemed as a discount'), ('points_converted', 'Points converted into wallet money'), ('points_expired', 'Points expired'), ('points_adjustment', 'Manual points booking'), ('card_merge', 'Balances merged from another card'), ('partner_clearing', 'Clearing between partner merchants'), ('breakage', 'Breakage'), ('credit_purchase', 'Bought on the credit line (billed later)'), ('credit_settlement', 'Payment of a credit line bill'), ('credit_refund', 'Refund to the credit line'), ('reversal', 'Reversal')], max_length=32),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(check=models.Q(models.Q(('customer__isnull', True), ('kind', 'system'), models.Q(_negated=True, system_code=''), ('held', 0), ('posted', 0)), models.Q(('kind__in', ['wallet', 'points', 'credit']), ('customer__isnull', False), ('system_code', '')), _connector='OR'), name='cv_account_kind_shape'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(check=models.Q(models.Q(('kind', 'points'), ('unit', 'PTS')), models.Q(('kind__in', ['wallet', 'credit']), models.Q(_negated=True, unit='PTS')), ('kind', 'system'), _connector='OR'), name='cv_account_points_unit'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(check=models.Q(models.Q(('kind', 'credit'), ('credit_limit__gte', 0), ('posted__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.F('credit_limit'), '*', django.db.models.expressions.Value(-1))), ('posted__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.F('held'), '-', django.db.models.expressions.F('credit_limit')))), models.Q(models.Q(_negated=True, kind='credit'), ('credit_limit', 0)), _connector='OR'), name='cv_credit_within_limit'),
        ),
        migrations.AddConstraint(
            model_name='ledgertransaction',
            constraint=models.CheckConstraint(check=models.Q(reason__in=['topup', 'topup_bonus', 'goodwill', 'correction', 'refund', 'retention_bonus', 'cashback', 'b2b_bonus', 'gift_card_redemption', 'gift_voucher_sale', 'checkout_payment', 'pos_payment', 'points_earned', 'points_action', 'points_redeemed', 'points_converted', 'points_expired', 'points_adjustment', 'card_merge', 'partner_clearing', 'breakage', 'credit_purchase', 'credit_settlement', 'credit_refund', 'reversal']), name='cv_txn_reason_known'),
        ),
        migrations.AddField(
            model_name='creditstatement',
            name='line',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='customer_value.CreditLine'),
        ),
        migrations.AddField(
            model_name='creditline',
            name='account',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='credit_line', to='customer_value.Account'),
        ),
        migrations.AddField(
            model_name='creditline',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='credit_lines', to='customer_value.Customer'),
        ),
        migrations.AddField(
            model_name='creditlimitchange',
            name='actor_app',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='app.App'),
        ),
        migrations.AddField(
            model_name='creditlimitchange',
            name='actor_user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='creditlimitchange',
            name='line',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='limit_changes', to='customer_value.CreditLine'),
        ),
        migrations.AddConstraint(
            model_name='creditstatement',
            constraint=models.UniqueConstraint(fields=('line', 'period_start'), name='cv_statement_one_per_cycle'),
        ),
        migrations.AddConstraint(
            model_name='creditstatement',
            constraint=models.UniqueConstraint(fields=('line', 'number'), name='cv_statement_number'),
        ),
        migrations.AddConstraint(
            model_name='creditstatement',
            constraint=models.CheckConstraint(check=models.Q(period_end__gt=django.db.models.expressions.F('period_start')), name='cv_statement_period'),
        ),
        migrations.AddConstraint(
            model_name='creditstatement',
            constraint=models.CheckConstraint(check=models.Q(('amount_due__gte', 0), ('paid_amount__gte', 0)), name='cv_statement_amounts'),
        ),
        migrations.AddConstraint(
            model_name='creditstatement',
            constraint=models.CheckConstraint(check=models.Q(models.Q(('settled_at__isnull', True), ('status', 'open')), models.Q(('paid_amount__gte', django.db.models.expressions.F('amount_due')), ('settled_at__isnull', False), ('status', 'paid')), _connector='OR'), name='cv_statement_settled'),
        ),
        migrations.AddConstraint(
            model_name='creditline',
            constraint=models.UniqueConstraint(fields=('customer', 'currency'), name='cv_credit_line_one_per_currency'),
        ),
        migrations.AddConstraint(
            model_name='creditline',
            constraint=models.CheckConstraint(check=models.Q(due_days__lte=365), name='cv_credit_due_days'),
        ),
        migrations.RunSQL(
            "ALTER TABLE customer_value_account ALTER COLUMN credit_limit SET DEFAULT 0;",
            "ALTER TABLE customer_value_account ALTER COLUMN credit_limit DROP DEFAULT;",
        ),
        migrations.RunSQL(OUTBOX_LEDGER, OUTBOX_LEDGER_BACKWARD),
    ]
