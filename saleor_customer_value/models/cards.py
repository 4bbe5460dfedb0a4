from django.utils.translation import gettext_lazy as _
from django.conf import settings
from django.db import models
from django.db.models import Q


class CardKind:
    QR = "qr"  # printed card with a QR code
    CHIP = "chip"  # NFC/RFID plastic card, identified by its chip UID too
    DIGITAL = "digital"
    CHOICES = [(QR, _("Printed QR card")), (CHIP, _("NFC/RFID chip card")), (DIGITAL, _("Digital card"))]


class CardState:
    GENERATED = "generated"  # made, nobody owns it, holds nothing yet
    ACTIVE = "active"  # in use: sold at a till (anonymous customer) or registered
    BLOCKED = "blocked"
    REPLACED = "replaced"
    EXPIRED = "expired"
    CHOICES = [
        (GENERATED, _("Generated")),
        (ACTIVE, _("Active")),
        (BLOCKED, _("Blocked")),
        (REPLACED, _("Replaced")),
        (EXPIRED, _("Expired")),
    ]


class CardBatchStatus:
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CHOICES = [(PENDING, _("Pending")), (RUNNING, _("Running")), (DONE, _("Done")), (FAILED, _("Failed"))]


def state_label(state: str) -> str:
    """A card's or batch's state as the reader's language says it (lowercase)."""
    labels = dict(CardState.CHOICES + CardBatchStatus.CHOICES)
    return str(labels.get(state, state)).lower()


class CardBatch(models.Model):
    name = models.CharField(max_length=128)
    kind = models.CharField(max_length=16, choices=CardKind.CHOICES)
    quantity = models.PositiveIntegerField()
    generated = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=CardBatchStatus.CHOICES, default=CardBatchStatus.PENDING
    )
    expires_at = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_app = models.ForeignKey(
        "app.App", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.CheckConstraint(
                check=Q(generated__lte=models.F("quantity")), name="cv_batch_generated_lte_qty"
            ),
        ]



class CardBatchFile(models.Model):
    """A print file of a batch, built by a Celery task (``cards/print_jobs.py``) into
    the export storage and streamed from there. ``processed`` of ``total`` cards is the
    polled progress; one row per batch and format."""

    batch = models.ForeignKey(CardBatch, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=8)
    status = models.CharField(
        max_length=16, choices=CardBatchStatus.CHOICES, default=CardBatchStatus.PENDING
    )
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=255, blank=True, default="")
    size = models.BigIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["batch", "format"], name="cv_batch_file_once"),
            models.CheckConstraint(
                check=Q(processed__lte=models.F("total")), name="cv_batch_file_progress_lte_total"
            ),
            models.CheckConstraint(
                check=~Q(status=CardBatchStatus.DONE) | ~Q(path=""), name="cv_batch_file_done_has_path"
            ),
        ]

class Card(models.Model):
    """An identity, never a store of value: it points at ``customer``, whose accounts
    hold the value. ``code`` (normalised, check character included) and ``chip_uid``
    are unique, so a scan is one indexed lookup."""

    code = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=16, choices=CardKind.CHOICES)
    chip_uid = models.CharField(max_length=40, null=True, blank=True, unique=True)
    state = models.CharField(
        max_length=16, choices=CardState.CHOICES, default=CardState.GENERATED
    )
    expires_at = models.DateField(null=True, blank=True)
    batch = models.ForeignKey(
        CardBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="cards"
    )
    customer = models.ForeignKey(
        "customer_value.Customer", null=True, blank=True, on_delete=models.PROTECT,
        related_name="cards",
    )
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    blocked_reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    blocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customer_value"
        indexes = [models.Index(fields=["customer", "state"], name="cv_card_customer_state")]
        constraints = [
            models.CheckConstraint(
                check=Q(code__regex=r"^[2-9A-HJ-NP-Z]{16}$"), name="cv_card_code_shape"
            ),
        ]

    def __str__(self):
        return f"card ••••{self.code[-4:]}"
