from django.conf import settings
from django.db import models


class Customer(models.Model):
    """Whoever owns value: a Saleor user, or nobody yet (an anonymous card).

    The ledger's accounts hang off this row, not off ``account.User``, so value can
    exist before an account does and a user can be linked later without moving it.
    Deleting the Saleor user keeps the customer and its ledger (value is never lost).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_value",
    )
    email = models.EmailField(blank=True, default="")
    # Saleor 2.10's User has no birthday; birthday gifts read this (set by staff or
    # the customer, ``customerBirthdaySet``).
    birthday = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"

    def __str__(self):
        return self.email or f"customer #{self.pk}"
