from django.db import models


class RateLimitCounter(models.Model):
    """One rate-limit counter (``security.ratelimit``): failures of a key (an account,
    an IP address) in its current window. Kept in PostgreSQL so that every server
    worker shares one budget; incremented with a single upsert."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        app_label = "customer_value"
        indexes = [models.Index(fields=["window_ends"], name="cv_ratelimit_window_idx")]
