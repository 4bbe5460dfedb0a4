"""Card types. A card's code, QR payload and chip UID are shown only to the shopper who
owns the card; everybody else (staff included) sees a masked code. Staff get codes only
through the batch export."""
import graphene
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType

from ... import models
from ...cards import codes
from ...models.cards import CardBatchStatus, CardKind, CardState


class CardKindEnum(graphene.Enum):
    QR = CardKind.QR
    CHIP = CardKind.CHIP
    DIGITAL = CardKind.DIGITAL


class CardStateEnum(graphene.Enum):
    GENERATED = CardState.GENERATED
    ACTIVE = CardState.ACTIVE
    BLOCKED = CardState.BLOCKED
    REPLACED = CardState.REPLACED
    EXPIRED = CardState.EXPIRED


class CardBatchStatusEnum(graphene.Enum):
    PENDING = CardBatchStatus.PENDING
    RUNNING = CardBatchStatus.RUNNING
    DONE = CardBatchStatus.DONE
    FAILED = CardBatchStatus.FAILED


class CardExportFormatEnum(graphene.Enum):
    CSV = "csv"
    PDF = "pdf"


def _is_owner(info, card: models.Card) -> bool:
    user = info.context.user
    return bool(
        user
        and user.is_authenticated
        and card.customer_id
        and card.customer.user_id == user.pk
    )


class Card(CountableDjangoObjectType):
    kind = CardKindEnum(required=True)
    state = CardStateEnum(required=True)
    masked_code = graphene.String(required=True, description="The code's last four characters.")
    code = graphene.String(description="The readable code (only for the card's owner).")
    qr_payload = graphene.String(description="What the QR code encodes (only for the owner).")
    has_chip = graphene.Boolean(required=True, description="Whether a chip UID is linked.")
    expires_at = graphene.Date()
    blocked_reason = graphene.String(description="Why staff blocked it (staff only).")
    replaced_by = graphene.Field(lambda: Card, description="The card that replaced this one.")

    class Meta:
        description = "A customer card: an identity that points at a wallet and points."
        model = models.Card
        interfaces = [relay.Node]
        only_fields = ["id", "created_at", "registered_at", "blocked_at"]

    @staticmethod
    def resolve_masked_code(root: models.Card, _info):
        return codes.masked(root.code)

    @staticmethod
    def resolve_code(root: models.Card, info):
        return codes.formatted(root.code) if _is_owner(info, root) else None

    @staticmethod
    def resolve_qr_payload(root: models.Card, info):
        return codes.qr_payload(root.code) if _is_owner(info, root) else None

    @staticmethod
    def resolve_has_chip(root: models.Card, _info):
        return bool(root.chip_uid)

    @staticmethod
    def resolve_blocked_reason(root: models.Card, info):
        user = info.context.user
        return (root.blocked_reason or None) if user and user.is_staff else None


class CardBatchPrintFile(graphene.ObjectType):
    status = CardBatchStatusEnum(required=True, description="DONE: ready to download.")
    processed = graphene.Int(required=True, description="Cards laid out so far.")
    total = graphene.Int(required=True, description="Cards in the file.")
    size = graphene.Int(description="Size of the finished file in bytes.")
    error = graphene.String(description="Why building the file failed, if it did.")
    finished_at = graphene.DateTime()

    class Meta:
        description = "The batch's print PDF, built in the background (cardBatchExport starts it)."

    @staticmethod
    def of(job: "models.CardBatchFile"):
        if job is None:
            return None
        return CardBatchPrintFile(
            status=job.status,
            processed=job.processed,
            total=job.total,
            size=job.size or None,
            error=job.error or None,
            finished_at=job.finished_at,
        )


class CardBatch(CountableDjangoObjectType):
    kind = CardKindEnum(required=True)
    status = CardBatchStatusEnum(required=True)
    quantity = graphene.Int(required=True)
    progress = graphene.Int(required=True, description="Cards generated so far.")
    expires_at = graphene.Date()
    error = graphene.String(description="Why generation failed, if it did.")
    print_file = graphene.Field(
        CardBatchPrintFile, description="The print PDF's state (null: never requested)."
    )

    class Meta:
        description = "Cards generated together (say for one print run). Codes: export only."
        model = models.CardBatch
        interfaces = [relay.Node]
        only_fields = ["id", "name", "created_at", "finished_at"]

    @staticmethod
    def resolve_progress(root: models.CardBatch, _info):
        return root.generated

    @staticmethod
    def resolve_error(root: models.CardBatch, _info):
        return root.error or None

    @staticmethod
    def resolve_print_file(root: models.CardBatch, _info):
        return CardBatchPrintFile.of(root.files.filter(format="pdf").first())


class CardBatchExportFile(graphene.ObjectType):
    url = graphene.String(required=True, description="Download URL, valid for 10 minutes.")
    filename = graphene.String(required=True)
    content_type = graphene.String(required=True)


class CardFileFormatEnum(graphene.Enum):
    SVG = "svg"
    PNG = "png"
    PDF = "pdf"

    @property
    def description(self):
        return {
            "svg": "The card's QR code as SVG.",
            "png": "The card's QR code as PNG.",
            "pdf": "A printable card (ID-1 size) with name, code, QR code and expiry.",
        }.get(self.value)


class CardFile(graphene.ObjectType):
    url = graphene.String(required=True, description="Download URL, valid for 5 minutes.")
    filename = graphene.String(required=True)
    content_type = graphene.String(required=True)


class CardLinkDirectionEnum(graphene.Enum):
    CARD_TO_WALLET = "card_to_wallet"
    WALLET_TO_CARD = "wallet_to_card"

    @property
    def description(self):
        return {
            "card_to_wallet": (
                "The customer's wallet stays; the card's balances and points merge into it."
            ),
            "wallet_to_card": (
                "The card's customer stays; the customer's wallet, points and cards merge "
                "into it and the account moves over."
            ),
        }.get(self.value)


class CardSignupLink(graphene.ObjectType):
    token = graphene.String(
        required=True, description="Signed token for `accountRegisterWithCard`."
    )
    url = graphene.String(description="The storefront URL with the token, if one was given.")
    expires_at = graphene.DateTime(required=True)
