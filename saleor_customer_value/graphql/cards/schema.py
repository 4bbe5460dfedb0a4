import graphene

from ..inputs import node_or_none
from graphql_jwt.decorators import login_required
from saleor.graphql.decorators import permission_required

from ...models import Card as CardModel, CardBatch as CardBatchModel, Customer
from ...permissions import CustomerValuePermissions
from ...cards import digital
from .mutations import (
    AccountRegisterWithCard,
    CardBatchCreate,
    CardBatchExport,
    CardBlock,
    CardDownload,
    CardLink,
    CardRegister,
    CardReplace,
    CardSignupLinkCreate,
)
from .types import Card, CardBatch


class CardQueries(graphene.ObjectType):
    my_cards = graphene.List(
        graphene.NonNull(Card),
        required=True,
        description="The logged-in customer's cards, newest first (with their codes).",
    )
    my_digital_card = graphene.Field(
        Card,
        required=True,
        description=(
            "The logged-in customer's digital card, issued on first request (and again "
            "once it expired). Get its QR code or a PDF card with `cardDownload`."
        ),
    )
    card_batch = graphene.Field(
        CardBatch,
        id=graphene.Argument(graphene.ID, required=True),
        description="A card batch and its generation progress (staff).",
    )
    card_batches = graphene.List(
        graphene.NonNull(CardBatch),
        required=True,
        description="The latest 100 card batches (staff; codes only through the export).",
    )
    customer_cards = graphene.List(
        graphene.NonNull(Card),
        customer_id=graphene.Argument(graphene.ID, required=True),
        required=True,
        description="A customer's cards with masked codes (staff), to block or replace one.",
    )

    @login_required
    def resolve_my_cards(self, info):
        return (
            CardModel.objects.filter(customer__user=info.context.user)
            .select_related("customer")
            .order_by("-created_at", "-pk")
        )

    @login_required
    def resolve_my_digital_card(self, info):
        return digital.for_user(info.context.user)

    @permission_required(CustomerValuePermissions.MANAGE_CARDS)
    def resolve_card_batch(self, info, id):
        return node_or_none(info, id, CardBatch)

    @permission_required(CustomerValuePermissions.MANAGE_CARDS)
    def resolve_card_batches(self, info):
        return CardBatchModel.objects.order_by("-pk")[:100]

    @permission_required(CustomerValuePermissions.MANAGE_CARDS)
    def resolve_customer_cards(self, info, customer_id):
        from saleor.graphql.account.types import User

        user = node_or_none(info, customer_id, User)
        customer = Customer.objects.filter(user=user).first() if user else None
        if customer is None:
            return []
        return customer.cards.select_related("customer").order_by("-created_at", "-pk")


class CardMutations(graphene.ObjectType):
    card_batch_create = CardBatchCreate.Field()
    card_batch_export = CardBatchExport.Field()
    card_register = CardRegister.Field()
    card_block = CardBlock.Field()
    card_replace = CardReplace.Field()
    card_download = CardDownload.Field()
    card_link = CardLink.Field()
    card_signup_link_create = CardSignupLinkCreate.Field()
    account_register_with_card = AccountRegisterWithCard.Field()
