"""Reports (rollups) and automations (segments, runs, periodic gifts) of issue 14.

The rollup: a statement-level trigger on the entry table appends, per INSERT statement,
one row per (day, unit, customer-account kind, reason) to ``reportrollupdelta`` (insert
only: postings never wait on a shared row); ``cv_report_compact()`` moves the deltas
into ``reportrollup`` (one row per group) under an advisory lock; readers sum both.
The day is the entry's transaction time in the shop's ``TIME_ZONE`` when this
migration ran (``cv_report_day``); after changing ``TIME_ZONE`` run
``SELECT cv_report_rebuild('<zone>')``, which also refills the rollup from the entries.
"""
from django.conf import settings
import django.contrib.postgres.fields.jsonb
from django.db import migrations, models
import django.db.models.deletion
import django.db.models.expressions


COLLECT_SQL = r"""
CREATE FUNCTION cv_report_collect() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_value_reportrollupdelta
        (day, unit, account_kind, reason, credit_count, credit, debit_count, debit)
    SELECT cv_report_day(t.created_at), e.unit, a.kind, t.reason,
           count(*) FILTER (WHERE e.direction = 1),
           coalesce(sum(e.amount) FILTER (WHERE e.direction = 1), 0),
           count(*) FILTER (WHERE e.direction = -1),
           coalesce(sum(e.amount) FILTER (WHERE e.direction = -1), 0)
      FROM cv_new_entries e
      JOIN customer_value_ledgertransaction t ON t.id = e.transaction_id
      JOIN customer_value_account a ON a.id = e.account_id
     WHERE a.kind <> 'system'
     GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE TRIGGER cv_report_collect
    AFTER INSERT ON customer_value_entry
    REFERENCING NEW TABLE AS cv_new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION cv_report_collect();

CREATE FUNCTION cv_report_compact() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    -- One compactor at a time; postings keep appending deltas meanwhile (a delta
    -- committed after this statement's snapshot stays for the next run).
    PERFORM pg_advisory_xact_lock(hashtext('cv_report_compact'));
    WITH moved AS (
        DELETE FROM customer_value_reportrollupdelta RETURNING *
    )
    INSERT INTO customer_value_reportrollup AS r
        (day, unit, account_kind, reason, credit_count, credit, debit_count, debit)
    SELECT day, unit, account_kind, reason, sum(credit_count), sum(credit),
           sum(debit_count), sum(debit)
      FROM moved GROUP BY day, unit, account_kind, reason
    ON CONFLICT (day, unit, account_kind, reason) DO UPDATE
       SET credit_count = r.credit_count + EXCLUDED.credit_count,
           credit = r.credit + EXCLUDED.credit,
           debit_count = r.debit_count + EXCLUDED.debit_count,
           debit = r.debit + EXCLUDED.debit;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

CREATE FUNCTION cv_report_rebuild(p_zone text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- No posting may add entries while the rollup is refilled.
    LOCK TABLE customer_value_entry IN SHARE MODE;
    PERFORM pg_advisory_xact_lock(hashtext('cv_report_compact'));
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION cv_report_day(ts timestamptz) RETURNS date '
        'LANGUAGE sql STABLE AS $f$ SELECT (ts AT TIME ZONE %L)::date $f$', p_zone);
    DELETE FROM customer_value_reportrollupdelta;
    DELETE FROM customer_value_reportrollup;
    INSERT INTO customer_value_reportrollup
        (day, unit, account_kind, reason, credit_count, credit, debit_count, debit)
    SELECT cv_report_day(t.created_at), e.unit, a.kind, t.reason,
           count(*) FILTER (WHERE e.direction = 1),
           coalesce(sum(e.amount) FILTER (WHERE e.direction = 1), 0),
           count(*) FILTER (WHERE e.direction = -1),
           coalesce(sum(e.amount) FILTER (WHERE e.direction = -1), 0)
      FROM customer_value_entry e
      JOIN customer_value_ledgertransaction t ON t.id = e.transaction_id
      JOIN customer_value_account a ON a.id = e.account_id
     WHERE a.kind <> 'system'
     GROUP BY 1, 2, 3, 4;
END $$;
"""

COLLECT_BACKWARD = r"""
DROP TRIGGER IF EXISTS cv_report_collect ON customer_value_entry;
DROP FUNCTION IF EXISTS cv_report_collect();
DROP FUNCTION IF EXISTS cv_report_compact();
DROP FUNCTION IF EXISTS cv_report_rebuild(text);
DROP FUNCTION IF EXISTS cv_report_day(timestamptz);
"""


def install_rollup(apps, schema_editor):
    from django.conf import settings as django_settings

    zone = getattr(django_settings, "TIME_ZONE", None) or "UTC"
    with schema_editor.connection.cursor() as cursor:
        # A placeholder the rebuild replaces (with the zone quoted by format %L).
        cursor.execute(
            "CREATE FUNCTION cv_report_day(ts timestamptz) RETURNS date LANGUAGE sql "
            "STABLE AS $f$ SELECT (ts AT TIME ZONE 'UTC')::date $f$"
        )
        cursor.execute(COLLECT_SQL)
        cursor.execute("SELECT cv_report_rebuild(%s)", [zone])


def remove_rollup(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(COLLECT_BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('app', '0001_initial'),
        ('customer_value', "0015_notifications"),
    ]

    operations = [
        migrations.CreateModel(
            name='AutomationRun',
            fields=[
                ('action', models.CharField(choices=[('add_points', 'Add points'), ('subtract_points', 'Subtract points'), ('set_points', 'Set the points balance'), ('credit_wallet', 'Credit the wallet'), ('grant_badge', 'Grant a badge')], max_length=32)),
                ('points', models.BigIntegerField(blank=True, null=True)),
                ('amount', models.DecimalField(blank=True, decimal_places=3, max_digits=20, null=True)),
                ('currency', models.CharField(blank=True, default='', max_length=3)),
                ('reason', models.CharField(blank=True, default='', max_length=32)),
                ('note', models.TextField(blank=True, default='')),
                ('customer_note', models.CharField(blank=True, default='', max_length=255)),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('definition', django.contrib.postgres.fields.jsonb.JSONField(default=dict)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('done', 'Done'), ('cancelled', 'Cancelled'), ('failed', 'Failed')], default='pending', max_length=16)),
                ('cancel_requested', models.BooleanField(default=False)),
                ('total', models.IntegerField(default=0)),
                ('processed', models.IntegerField(default=0)),
                ('booked', models.IntegerField(default=0)),
                ('skipped', models.IntegerField(default=0)),
                ('failed', models.IntegerField(default=0)),
                ('error', models.TextField(blank=True, default='')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ('-pk',),
            },
        ),
        migrations.CreateModel(
            name='AutomationRunMember',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('booked', 'Booked'), ('skipped', 'Skipped'), ('failed', 'Failed')], default='pending', max_length=16)),
                ('message', models.CharField(blank=True, default='', max_length=255)),
            ],
        ),
        migrations.CreateModel(
            name='PeriodicGift',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('add_points', 'Add points'), ('subtract_points', 'Subtract points'), ('set_points', 'Set the points balance'), ('credit_wallet', 'Credit the wallet'), ('grant_badge', 'Grant a badge')], max_length=32)),
                ('points', models.BigIntegerField(blank=True, null=True)),
                ('amount', models.DecimalField(blank=True, decimal_places=3, max_digits=20, null=True)),
                ('currency', models.CharField(blank=True, default='', max_length=3)),
                ('reason', models.CharField(blank=True, default='', max_length=32)),
                ('note', models.TextField(blank=True, default='')),
                ('customer_note', models.CharField(blank=True, default='', max_length=255)),
                ('name', models.CharField(max_length=128)),
                ('definition', django.contrib.postgres.fields.jsonb.JSONField(default=dict)),
                ('frequency', models.CharField(choices=[('daily', 'Every day'), ('weekly', 'Every week'), ('monthly', 'Every month'), ('yearly', 'Every year'), ('birthday', "On the customer's birthday")], max_length=16)),
                ('day', models.PositiveSmallIntegerField(default=1)),
                ('month', models.PositiveSmallIntegerField(default=1)),
                ('is_active', models.BooleanField(default=True)),
                ('starts_on', models.DateField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ('name', 'pk'),
            },
        ),
        migrations.CreateModel(
            name='PeriodicGiftOccurrence',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_key', models.CharField(max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name='ReportRollup',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('unit', models.CharField(max_length=8)),
                ('account_kind', models.CharField(max_length=16)),
                ('reason', models.CharField(max_length=32)),
                ('credit_count', models.BigIntegerField(default=0)),
                ('credit', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('debit_count', models.BigIntegerField(default=0)),
                ('debit', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
            ],
        ),
        migrations.CreateModel(
            name='ReportRollupDelta',
            fields=[
                ('day', models.DateField()),
                ('unit', models.CharField(max_length=8)),
                ('account_kind', models.CharField(max_length=16)),
                ('reason', models.CharField(max_length=32)),
                ('credit_count', models.BigIntegerField(default=0)),
                ('credit', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('debit_count', models.BigIntegerField(default=0)),
                ('debit', models.DecimalField(decimal_places=3, default=0, max_digits=20)),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name='Segment',
            fields=[
                ('id', models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128)),
                ('definition', django.contrib.postgres.fields.jsonb.JSONField(default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ('name', 'pk'),
            },
        ),
        migrations.AddField(
            model_name='customer',
            name='birthday',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name='reportrollup',
            constraint=models.UniqueConstraint(fields=('day', 'unit', 'account_kind', 'reason'), name='cv_rollup_one_per_group'),
        ),
        migrations.AddField(
            model_name='periodicgiftoccurrence',
            name='gift',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occurrences', to='customer_value.PeriodicGift'),
        ),
        migrations.AddField(
            model_name='periodicgiftoccurrence',
            name='run',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='occurrence', to='customer_value.AutomationRun'),
        ),
        migrations.AddField(
            model_name='periodicgift',
            name='badge',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='customer_value.Badge'),
        ),
        migrations.AddField(
            model_name='periodicgift',
            name='segment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='gifts', to='customer_value.Segment'),
        ),
        migrations.AddField(
            model_name='automationrunmember',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='customer_value.Customer'),
        ),
        migrations.AddField(
            model_name='automationrunmember',
            name='run',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='customer_value.AutomationRun'),
        ),
        migrations.AddField(
            model_name='automationrunmember',
            name='transaction',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='customer_value.LedgerTransaction'),
        ),
        migrations.AddField(
            model_name='automationrun',
            name='badge',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='customer_value.Badge'),
        ),
        migrations.AddField(
            model_name='automationrun',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='automationrun',
            name='created_by_app',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='app.App'),
        ),
        migrations.AddField(
            model_name='automationrun',
            name='segment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='runs', to='customer_value.Segment'),
        ),
        migrations.AddConstraint(
            model_name='periodicgiftoccurrence',
            constraint=models.UniqueConstraint(fields=('gift', 'period_key'), name='cv_gift_occurrence_once'),
        ),
        migrations.AddIndex(
            model_name='automationrunmember',
            index=models.Index(condition=models.Q(status='pending'), fields=['run', 'id'], name='cv_run_member_pending_idx'),
        ),
        migrations.AddConstraint(
            model_name='automationrunmember',
            constraint=models.UniqueConstraint(fields=('run', 'customer'), name='cv_run_member_once'),
        ),
        migrations.AddConstraint(
            model_name='automationrun',
            constraint=models.CheckConstraint(check=models.Q(processed__lte=django.db.models.expressions.F('total')), name='cv_run_processed_lte_total'),
        ),
        migrations.RunPython(install_rollup, remove_rollup),
    ]
