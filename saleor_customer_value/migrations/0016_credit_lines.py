"""Debit cards (issue 13): credit lines in the same ledger.

- Accounts of kind ``credit`` (the customer's receivable, negative while owed) with a
  ``credit_limit`` column; ``cv_credit_within_limit`` refuses any balance (held value
  included) beyond it, and a limit on any other kind of account.
- Reasons ``credit_purchase``, ``credit_settlement``, ``credit_refund`` join the closed
  list ``cv_txn_reason_known``.
- Credit lines, their limit history and billing statements.
"""
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.db.models.expressions


class Migration(migrations.Migration):

    dependencies = [
        ('app', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('customer_value', '0011_posting_speed'),
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
    ]
