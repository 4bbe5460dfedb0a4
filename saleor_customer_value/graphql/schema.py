"""The plugin's GraphQL queries and mutations, merged into Saleor's by ``graphql.api``.

Each domain keeps its own package (``types``, ``mutations``, ``schema``) the way
``saleor/graphql/`` is split; this module only combines their ``*Queries`` and
``*Mutations``.
"""
import graphene

from .badges.schema import BadgeMutations, BadgeQueries
from .inputs import guard_queries
from .cards.schema import CardMutations, CardQueries
from .ledger.schema import LedgerMutations, LedgerQueries
from .loyalty.schema import LoyaltyMutations, LoyaltyQueries
from .partners.schema import PartnerMutations, PartnerQueries
from .pos.schema import PosMutations, PosQueries
from .pos_sync.schema import PosSyncMutations
from .reports.schema import ReportMutations, ReportQueries
from .wallet.schema import WalletMutations, WalletQueries
from .webhooks.schema import WebhookMutations, WebhookQueries


class CustomerValueQueries(
    PartnerQueries,
    WebhookQueries,
    BadgeQueries, ReportQueries, LedgerQueries, PosQueries, CardQueries, LoyaltyQueries, WalletQueries, graphene.ObjectType
):
    pass


guard_queries(CustomerValueQueries)


class CustomerValueMutations(
    PartnerMutations,
    PosSyncMutations,
    WebhookMutations,
    BadgeMutations, ReportMutations, LedgerMutations, PosMutations, CardMutations, LoyaltyMutations, WalletMutations, graphene.ObjectType
):
    pass
