"""The plugin's GraphQL queries and mutations, merged into Saleor's by ``graphql.api``.

Each domain keeps its own package (``types``, ``mutations``, ``schema``) the way
``saleor/graphql/`` is split; this module only combines their ``*Queries`` and
``*Mutations``.
"""
import graphene

from .automations.schema import AutomationMutations, AutomationQueries
from .badges.schema import BadgeMutations, BadgeQueries
from .cardkinds.schema import CardKindMutations, CardKindQueries
from .inputs import guard_queries
from .cards.schema import CardMutations, CardQueries
from .credit.schema import CreditMutations, CreditQueries
from .ledger.schema import LedgerMutations, LedgerQueries
from .loyalty.schema import LoyaltyMutations, LoyaltyQueries
from .notifications.schema import NotificationMutations, NotificationQueries
from .partners.schema import PartnerMutations, PartnerQueries
from .pos.schema import PosMutations, PosQueries
from .pos_sync.schema import PosSyncMutations
from .reports.schema import ReportMutations, ReportQueries
from .reports.values import ValueReportMutations, ValueReportQueries
from .wallet.schema import WalletMutations, WalletQueries
from .webhooks.schema import WebhookMutations, WebhookQueries


class CustomerValueQueries(
    CardKindQueries,
    CreditQueries,
    NotificationQueries,
    AutomationQueries,
    ValueReportQueries,
    PartnerQueries,
    WebhookQueries,
    BadgeQueries, ReportQueries, LedgerQueries, PosQueries, CardQueries, LoyaltyQueries, WalletQueries, graphene.ObjectType
):
    pass


guard_queries(CustomerValueQueries)


class CustomerValueMutations(
    CardKindMutations,
    CreditMutations,
    NotificationMutations,
    AutomationMutations,
    ValueReportMutations,
    PartnerMutations,
    PosSyncMutations,
    WebhookMutations,
    BadgeMutations, ReportMutations, LedgerMutations, PosMutations, CardMutations, LoyaltyMutations, WalletMutations, graphene.ObjectType
):
    pass
