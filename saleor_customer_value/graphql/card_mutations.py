import graphene
from django.utils import timezone

from ..cards import batches, codes, downloads, exports, registration
from ..cards.registration import RegistrationError
from ..error_codes import CustomerValueErrorCode as Code
from ..models import Card as CardModel, CardBatchStatus, CardState
from ..permissions import CustomerValuePermissions
from .card_types import (
    Card,
    CardBatch,
    CardBatchExportFile,
    CardExportFormatEnum,
    CardKindEnum,
)
from .core import CustomerValueMutation, error, permission_denied


def _login(info, what):
    user = info.context.user
    if not user or not user.is_authenticated:
        raise permission_denied(f"Log in to {what}.")
    return user


class CardBatchCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True, description="Name of the batch (say the print run).")
    quantity = graphene.Int(
        required=True, description=f"Number of cards, 1 to {batches.MAX_QUANTITY}."
    )
    kind = CardKindEnum(required=True)
    expires_at = graphene.Date(description="Expiry date printed on the cards.")


class CardBatchCreate(CustomerValueMutation):
    batch = graphene.Field(CardBatch)

    class Arguments:
        input = CardBatchCreateInput(required=True)

    class Meta:
        description = (
            "Generate a batch of cards in the background; poll `cardBatch(id)` for "
            "`status` and `progress`."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        name = (input.get("name") or "").strip()
        if not name or len(name) > 128:
            raise error("name", "Give the batch a name (1 to 128 characters).", Code.INVALID)
        quantity = input["quantity"]
        if not 1 <= quantity <= batches.MAX_QUANTITY:
            raise error(
                "quantity", f"Quantity must be 1 to {batches.MAX_QUANTITY}.", Code.INVALID
            )
        expires_at = input.get("expires_at")
        if expires_at is not None and expires_at <= timezone.localdate():
            raise error("expiresAt", "The expiry date must be in the future.", Code.INVALID)
        batch = batches.create(
            name,
            quantity,
            input["kind"],
            expires_at,
            user=info.context.user,
            app=getattr(info.context, "app", None),
        )
        batches.schedule(batch)
        return cls(batch=batch)


class CardBatchExport(CustomerValueMutation):
    file = graphene.Field(CardBatchExportFile)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the batch.")
        format = CardExportFormatEnum(required=True)

    class Meta:
        description = (
            "A download link (10 minutes) for a finished batch: CSV (code, QR payload, "
            "expiry) or a print-ready PDF."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, format):
        batch = cls.get_node_or_error(info, id, only_type=CardBatch, field="id")
        if batch.status != CardBatchStatus.DONE:
            raise error(
                "id",
                f"The batch is {batch.status} ({batch.generated} of {batch.quantity} cards).",
                Code.BATCH_NOT_READY,
            )
        url = downloads.url_for(
            batch, format, user=info.context.user, app=getattr(info.context, "app", None)
        )
        return cls(
            file=CardBatchExportFile(
                url=info.context.build_absolute_uri(url),
                filename=exports.filename(batch, format),
                content_type=exports.CONTENT_TYPES[format],
            )
        )


class CardRegister(CustomerValueMutation):
    card = graphene.Field(Card)

    class Arguments:
        code = graphene.String(
            required=True,
            description="The code printed on the card (dashes and spaces are ignored).",
        )

    class Meta:
        description = (
            "Link a card to the logged-in customer. Value the card held before moves to "
            "the customer's wallet and points. Failed attempts are rate-limited."
        )

    @classmethod
    def perform_mutation(cls, _root, info, code):
        user = _login(info, "register a card")
        try:
            card = registration.register(user, code, ip=info.context.META.get("REMOTE_ADDR", ""))
        except RegistrationError as exc:
            raise error("code", exc.message, Code(exc.code))
        return cls(card=card)


def _staff_card(mutation, info, card_id) -> CardModel:
    return mutation.get_node_or_error(
        info, card_id, only_type=Card, field="id",
        qs=CardModel.objects.select_for_update(of=("self",)),
    )


class CardBlock(CustomerValueMutation):
    card = graphene.Field(Card)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the card.")
        reason = graphene.String(required=True, description="Why (lost, stolen, fraud...).")

    class Meta:
        description = "Block a card: it can no longer be used or registered. Value stays with the customer."
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, reason):
        reason = (reason or "").strip()
        if not reason:
            raise error("reason", "Give a reason for blocking the card.", Code.REQUIRED)
        card = _staff_card(cls, info, id)
        if card.state not in (CardState.GENERATED, CardState.ACTIVE):
            raise error("id", f"The card is {card.state}; it cannot be blocked.", Code.CARD_NOT_USABLE)
        card.state = CardState.BLOCKED
        card.blocked_reason = reason[:255]
        card.blocked_at = timezone.now()
        card.save(update_fields=["state", "blocked_reason", "blocked_at"])
        return cls(card=card)


class CardReplace(CustomerValueMutation):
    card = graphene.Field(Card, description="The new card.")
    replaced_card = graphene.Field(Card, description="The old card, now REPLACED.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the card to replace.")
        kind = CardKindEnum(description="Kind of the new card; the old card's by default.")
        chip_uid = graphene.String(description="Chip UID of the new card (chip cards).")
        expires_at = graphene.Date(description="Expiry of the new card; the old card's by default.")

    class Meta:
        description = (
            "Replace a customer's card (say a lost one, after blocking it): the new card "
            "points at the same customer, so no value moves."
        )
        permissions = (CustomerValuePermissions.MANAGE_CARDS,)

    @classmethod
    def perform_mutation(cls, _root, info, id, kind=None, chip_uid=None, expires_at=None):
        old = _staff_card(cls, info, id)
        if old.state not in (CardState.ACTIVE, CardState.BLOCKED, CardState.EXPIRED):
            raise error("id", f"A {old.state} card cannot be replaced.", Code.CARD_NOT_USABLE)
        if old.customer_id is None:
            raise error("id", "The card belongs to nobody; there is nothing to carry over.", Code.CARD_NOT_USABLE)
        if chip_uid:
            try:
                chip_uid = codes.normalise_chip_uid(chip_uid)
            except codes.MalformedCode as exc:
                raise error("chipUid", str(exc), Code.INVALID)
            if CardModel.objects.filter(chip_uid=chip_uid).exists():
                raise error("chipUid", "This chip UID belongs to another card.", Code.CHIP_UID_TAKEN)
        expires_at = expires_at or old.expires_at
        if expires_at is not None and expires_at <= timezone.localdate():
            raise error("expiresAt", "The expiry date must be in the future.", Code.INVALID)
        new = CardModel.objects.create(
            code=codes.generate(),
            kind=kind or old.kind,
            chip_uid=chip_uid or None,
            state=CardState.ACTIVE,
            expires_at=expires_at,
            customer_id=old.customer_id,
            registered_at=timezone.now(),
        )
        old.state = CardState.REPLACED
        old.replaced_by = new
        old.save(update_fields=["state", "replaced_by"])
        return cls(card=new, replaced_card=old)
