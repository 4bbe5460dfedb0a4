"""Rollups behind the value reports (issue 14).

``ReportRollup`` holds, per day (in the shop's ``TIME_ZONE``), unit, customer-account
kind and reason, how many entries credited and debited customer accounts and by how
much. It is filled from ``ReportRollupDelta``: a statement-level trigger on the entry
table appends one delta row per (day, unit, kind, reason) of each INSERT statement
(``cv_post`` inserts a posting's entries in one statement) and never updates a shared
row, so postings do not wait for each other; ``cv_report_compact()`` (beat, every
minute) moves the deltas into the rollup. Readers sum both tables in one statement, so
a report is exact whether or not compaction has run. See migration 0014.
"""
from django.db import models

from .accounts import MONEY_FIELD

ROLLUP_FIELDS = ("day", "unit", "account_kind", "reason")


class _RollupColumns(models.Model):
    day = models.DateField()
    unit = models.CharField(max_length=8)
    account_kind = models.CharField(max_length=16)
    reason = models.CharField(max_length=32)
    credit_count = models.BigIntegerField(default=0)
    credit = models.DecimalField(default=0, **MONEY_FIELD)
    debit_count = models.BigIntegerField(default=0)
    debit = models.DecimalField(default=0, **MONEY_FIELD)

    class Meta:
        abstract = True


class ReportRollup(_RollupColumns):
    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=list(ROLLUP_FIELDS), name="cv_rollup_one_per_group")
        ]


class ReportRollupDelta(_RollupColumns):
    id = models.BigAutoField(primary_key=True)

    class Meta:
        app_label = "customer_value"
