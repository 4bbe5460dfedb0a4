import graphene

from .mutations import (
    PosPointsRedeem,
    PosReverse,
    PosSaleRecord,
    PosWalletPay,
    PosWalletTopUp,
    lookup_customers,
)
from .types import PosCustomerLookup


class PosQueries(graphene.ObjectType):
    pos_customer_lookup = graphene.Field(
        PosCustomerLookup,
        required=True,
        code=graphene.String(description="Card code as printed or typed."),
        qr_payload=graphene.String(description="Scanned QR payload (CV1:<code>)."),
        chip_uid=graphene.String(description="Chip UID from an NFC reader."),
        email=graphene.String(description="The customer's exact e-mail."),
        name=graphene.String(description="At least 3 characters of the customer's name."),
        description=(
            "Identify a customer at a till [USE_POS]: one indexed lookup by card, or up "
            "to 5 matches by e-mail or name (card codes masked). Errors are typed."
        ),
    )

    def resolve_pos_customer_lookup(self, info, **data):
        return lookup_customers(info, data)


class PosMutations(graphene.ObjectType):
    pos_sale_record = PosSaleRecord.Field()
    pos_wallet_pay = PosWalletPay.Field()
    pos_wallet_top_up = PosWalletTopUp.Field()
    pos_points_redeem = PosPointsRedeem.Field()
    pos_reverse = PosReverse.Field()
