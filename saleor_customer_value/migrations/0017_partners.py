"""Partner network (issue 12): merchants, tills and staff acting for them, per-merchant
clearing accounts, partner bookings and settlement statements; invariants in SQL."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


FORWARD = r"""
-- Bookings for a merchant are found by merchant; most transactions have none.
CREATE INDEX cv_txn_merchant_idx ON customer_value_ledgertransaction (merchant_id, id)
    WHERE merchant_id IS NOT NULL;

-- A clearing transaction moves value only between the operator's clearing account and
-- merchants' clearing/commission accounts (checked at commit, when its entries exist),
-- so the sum over the merchants' accounts is always minus the operator's.
CREATE FUNCTION cv_clearing_only_clearing_accounts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM customer_value_entry e
          JOIN customer_value_account a ON a.id = e.account_id
         WHERE e.transaction_id = NEW.id
           AND NOT (a.merchant_id IS NOT NULL
                    OR (a.kind = 'system' AND a.system_code = 'clearing'))
    ) THEN
        RAISE EXCEPTION 'partner clearing transaction % touches a non-clearing account', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'cv_clearing_accounts';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cv_clearing_accounts
    AFTER INSERT ON customer_value_ledgertransaction
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.reason = 'partner_clearing')
    EXECUTE FUNCTION cv_clearing_only_clearing_accounts();

-- Partner bookings and statement lines are never changed or deleted.
CREATE FUNCTION cv_partner_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER cv_partnerbooking_immutable
    BEFORE UPDATE OR DELETE ON customer_value_partnerbooking
    FOR EACH ROW EXECUTE FUNCTION cv_partner_immutable();
CREATE TRIGGER cv_statementline_immutable
    BEFORE UPDATE OR DELETE ON customer_value_statementline
    FOR EACH ROW EXECUTE FUNCTION cv_partner_immutable();

-- A line belongs to a statement of the booking's merchant and currency.
CREATE FUNCTION cv_statementline_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM customer_value_statement s
          JOIN customer_value_partnerbooking b ON b.transaction_id = NEW.booking_id
         WHERE s.id = NEW.statement_id AND s.merchant_id = b.merchant_id
           AND s.currency = b.currency
    ) THEN
        RAISE EXCEPTION 'a statement covers only its merchant''s bookings in its currency'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'cv_statementline_merchant';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cv_statementline_check
    BEFORE INSERT ON customer_value_statementline
    FOR EACH ROW EXECUTE FUNCTION cv_statementline_check();

-- A statement's figures never change; its payout is recorded once.
CREATE FUNCTION cv_statement_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'statements are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.merchant_id, NEW.number, NEW.currency, NEW.period_start, NEW.period_end,
        NEW.topups, NEW.payments, NEW.points_earned, NEW.points_redeemed, NEW.reversals,
        NEW.commission, NEW.net, NEW.created_at)
       IS DISTINCT FROM
       (OLD.merchant_id, OLD.number, OLD.currency, OLD.period_start, OLD.period_end,
        OLD.topups, OLD.payments, OLD.points_earned, OLD.points_redeemed, OLD.reversals,
        OLD.commission, OLD.net, OLD.created_at) THEN
        RAISE EXCEPTION 'a statement''s figures cannot change' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.paid_at IS NOT NULL AND (NEW.paid_at IS DISTINCT FROM OLD.paid_at
        OR NEW.payout_transaction_id IS DISTINCT FROM OLD.payout_transaction_id
        OR NEW.payout_reference IS DISTINCT FROM OLD.payout_reference) THEN
        RAISE EXCEPTION 'a statement''s payout is recorded once' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cv_statement_guard
    BEFORE UPDATE OR DELETE ON customer_value_statement
    FOR EACH ROW EXECUTE FUNCTION cv_statement_guard();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS cv_statement_guard ON customer_value_statement;
DROP FUNCTION IF EXISTS cv_statement_guard();
DROP TRIGGER IF EXISTS cv_statementline_check ON customer_value_statementline;
DROP FUNCTION IF EXISTS cv_statementline_check();
DROP TRIGGER IF EXISTS cv_statementline_immutable ON customer_value_statementline;
DROP TRIGGER IF EXISTS cv_partnerbooking_immutable ON customer_value_partnerbooking;
DROP FUNCTION IF EXISTS cv_partner_immutable();
DROP TRIGGER IF EXISTS cv_clearing_accounts ON customer_value_ledgertransaction;
DROP FUNCTION IF EXISTS cv_clearing_only_clearing_accounts();
DROP INDEX IF EXISTS cv_txn_merchant_idx;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('app', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('customer_value', "0016_reports_automations"),
    ]

    operations = [
        migrations.CreateModel(
            name='Merchant',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128)),
                ('contact_name', models.CharField(blank=True, default='', max_length=128)),
                ('contact_email', models.EmailField(blank=True, default='', max_length=254)),
                ('payout_details', models.TextField(blank=True, default='')),
                ('status', models.CharField(choices=[('active', 'Active'), ('suspended', 'Suspended')], default='active', max_length=16)),
                ('commission_percent', models.DecimalField(decimal_places=2, default=0, max_digits=5)),
                ('point_value', models.DecimalField(decimal_places=4, default=0, max_digits=12)),
                ('currency', models.CharField(default='EUR', max_length=3)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ('name', 'pk'),
                'permissions': (('manage_partners', 'Manage partner merchants and settle with them.'),),
            },
        ),
        migrations.CreateModel(
            name='MerchantStaff',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='MerchantTill',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='PartnerBooking',
            fields=[
                ('transaction', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='partner_booking', serialize=False, to='customer_value.LedgerTransaction')),
                ('kind', models.CharField(choices=[('topup', 'Top-up taken'), ('payment', 'Wallet payment accepted'), ('points_earned', 'Points issued'), ('points_redeemed', 'Points redeemed'), ('reversal', 'Reversal')], max_length=32)),
                ('currency', models.CharField(blank=True, default='', max_length=8)),
                ('amount', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('commission', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ('-pk',),
            },
        ),
        migrations.CreateModel(
            name='Statement',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('currency', models.CharField(max_length=8)),
                ('period_start', models.DateTimeField(blank=True, null=True)),
                ('period_end', models.DateTimeField()),
                ('topups', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('payments', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('points_earned', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('points_redeemed', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('reversals', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('commission', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('net', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('paid_at', models.DateTimeField(blank=True, null=True)),
                ('payout_reference', models.CharField(blank=True, default='', max_length=128)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ('-pk',),
            },
        ),
        migrations.CreateModel(
            name='StatementLine',
            fields=[
                ('booking', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='line', serialize=False, to='customer_value.PartnerBooking')),
            ],
        ),
        migrations.AddField(
            model_name='statement',
            name='merchant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='customer_value.Merchant'),
        ),
        migrations.AddField(
            model_name='statement',
            name='payout_transaction',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='settles', to='customer_value.LedgerTransaction'),
        ),
        migrations.AddField(
            model_name='partnerbooking',
            name='clearing',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='clears', to='customer_value.LedgerTransaction'),
        ),
        migrations.AddField(
            model_name='partnerbooking',
            name='customer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='customer_value.Customer'),
        ),
        migrations.AddField(
            model_name='partnerbooking',
            name='merchant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bookings', to='customer_value.Merchant'),
        ),
        migrations.AddField(
            model_name='merchanttill',
            name='app',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='cv_merchant_till', to='app.App'),
        ),
        migrations.AddField(
            model_name='merchanttill',
            name='merchant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tills', to='customer_value.Merchant'),
        ),
        migrations.AddField(
            model_name='merchantstaff',
            name='merchant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='staff', to='customer_value.Merchant'),
        ),
        migrations.AddField(
            model_name='merchantstaff',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='cv_merchant_membership', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='merchant',
            constraint=models.CheckConstraint(check=models.Q(('commission_percent__gte', 0), ('commission_percent__lte', 100)), name='cv_merchant_commission_range'),
        ),
        migrations.AddConstraint(
            model_name='merchant',
            constraint=models.CheckConstraint(check=models.Q(point_value__gte=0), name='cv_merchant_point_value_gte_0'),
        ),
        migrations.AddConstraint(
            model_name='merchant',
            constraint=models.CheckConstraint(check=models.Q(status__in=['active', 'suspended']), name='cv_merchant_status_known'),
        ),
        migrations.AddField(
            model_name='account',
            name='merchant',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='customer_value.Merchant'),
        ),
        migrations.RemoveConstraint(
            model_name='account',
            name='cv_account_one_per_system_code_unit',
        ),
        migrations.AlterField(
            model_name='account',
            name='system_code',
            field=models.CharField(blank=True, choices=[('funding', 'Top-up funding'), ('goodwill', 'Merchant goodwill'), ('bonus', 'Bonuses'), ('cashback', 'Cashback'), ('refunds', 'Refunds to wallet'), ('redemption', 'Redemption (spent value)'), ('expiry', 'Expiry'), ('breakage', 'Breakage'), ('gift_vouchers', 'Gift vouchers'), ('corrections', 'Corrections'), ('conversion', 'Points conversion'), ('points_issued', 'Points issued'), ('points_redeemed', 'Points redeemed'), ('clearing', 'Partner clearing'), ('merchant_clearing', 'Merchant clearing'), ('merchant_commission', 'Merchant commission')], default='', max_length=32),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'system'), ('merchant__isnull', True)), fields=('system_code', 'unit'), name='cv_account_one_per_system_code_unit'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.UniqueConstraint(condition=models.Q(merchant__isnull=False), fields=('merchant', 'system_code', 'unit'), name='cv_account_one_per_merchant_code_unit'),
        ),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(check=models.Q(('merchant__isnull', True), models.Q(('kind', 'system'), ('system_code__in', ['merchant_clearing', 'merchant_commission'])), _connector='OR'), name='cv_account_merchant_shape'),
        ),
        migrations.AddField(
            model_name='statementline',
            name='statement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='customer_value.Statement'),
        ),
        migrations.AddConstraint(
            model_name='statement',
            constraint=models.UniqueConstraint(fields=('merchant', 'number'), name='cv_statement_number_unique'),
        ),
        migrations.AddIndex(
            model_name='partnerbooking',
            index=models.Index(fields=['merchant', '-transaction'], name='cv_partnerbooking_merchant'),
        ),
        migrations.CreateModel(
            name='MerchantReward',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128)),
                ('description', models.TextField(blank=True, default='')),
                ('points', models.PositiveIntegerField()),
                ('is_active', models.BooleanField(default=True)),
                ('sort_order', models.IntegerField(default=0)),
            ],
            options={
                'ordering': ('sort_order', 'points', 'pk'),
            },
        ),
        migrations.CreateModel(
            name='PlanMember',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name='merchant',
            name='plan_description',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.AddField(
            model_name='merchant',
            name='plan_earn_amount',
            field=models.DecimalField(decimal_places=2, default=1, max_digits=12),
        ),
        migrations.AddField(
            model_name='merchant',
            name='plan_earn_points',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='merchant',
            name='plan_earn_rounding',
            field=models.CharField(choices=[('down', 'Round down'), ('nearest', 'Round to the nearest point')], default='down', max_length=16),
        ),
        migrations.AddField(
            model_name='merchant',
            name='plan_enabled',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='partnerbooking',
            name='kind',
            field=models.CharField(choices=[('topup', 'Top-up taken'), ('payment', 'Wallet payment accepted'), ('points_earned', 'Points issued'), ('points_redeemed', 'Points redeemed'), ('points_adjusted', 'Points added or removed by the merchant'), ('reversal', 'Reversal')], max_length=32),
        ),
        migrations.AddConstraint(
            model_name='merchant',
            constraint=models.CheckConstraint(check=models.Q(plan_earn_amount__gt=0), name='cv_merchant_plan_earn_amount_gt_0'),
        ),
        migrations.AddField(
            model_name='planmember',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partner_plans', to='customer_value.Customer'),
        ),
        migrations.AddField(
            model_name='planmember',
            name='merchant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='customer_value.Merchant'),
        ),
        migrations.AddField(
            model_name='merchantreward',
            name='merchant',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rewards', to='customer_value.Merchant'),
        ),
        migrations.AddConstraint(
            model_name='planmember',
            constraint=models.UniqueConstraint(fields=('merchant', 'customer'), name='cv_planmember_unique'),
        ),
        migrations.AddConstraint(
            model_name='merchantreward',
            constraint=models.CheckConstraint(check=models.Q(points__gt=0), name='cv_merchantreward_points_gt_0'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
