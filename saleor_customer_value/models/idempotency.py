from django.db import models


class IdempotencyRecord(models.Model):
    """The first result of a write that carried an idempotency key.

    ``(scope, key)`` is unique: a concurrent duplicate blocks on the index until the
    first commits, then finds this row and replays its result (or a conflict when the
    request differs). Failed writes leave no record, so a retry runs again.
    """

    id = models.BigAutoField(primary_key=True)

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    transaction = models.ForeignKey(
        "customer_value.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hold = models.ForeignKey(
        "customer_value.Hold",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="cv_idempotency_key")
        ]
