"""Badge and reward queries and mutations, mixed into ``CustomerValueQueries``/``Mutations``.

Badges, tiers and the reward catalogue are public (shops publish them); a logged-in
shopper also sees for each reward whether it is reachable and how many points are
missing. Staff read a customer's badges with MANAGE_LOYALTY or VIEW_LEDGER.
"""
import graphene
from graphql_jwt.decorators import login_required
from saleor.graphql.decorators import one_of_permissions_required

from ...badges import measure, rewards
from ...models import Badge as BadgeModel
from ...models import Customer
from ...permissions import CustomerValuePermissions
from ..core import has_permissions
from .mutations import (
    BadgeCreate,
    BadgeDelete,
    BadgeGrant,
    BadgeProgramUpdate,
    BadgeRevoke,
    BadgeUpdate,
    PosRewardRedeem,
    RewardCreate,
    RewardDelete,
    RewardRedeem,
    RewardUpdate,
)
from .types import (
    Badge,
    BadgeProgram,
    CustomerBadges,
    Reward,
    RewardRedemption,
    Tier,
    badges_of,
    tier_of,
    with_status,
)
from django.utils.translation import gettext as _

STAFF = [CustomerValuePermissions.MANAGE_LOYALTY, CustomerValuePermissions.VIEW_LEDGER]


def _own_customer(info):
    return Customer.objects.filter(user=info.context.user).first()


def _staff_view(info, include_inactive):
    if include_inactive and not has_permissions(info.context, (CustomerValuePermissions.MANAGE_LOYALTY,)):
        from graphql.error import GraphQLError

        raise GraphQLError(_("includeInactive needs MANAGE_LOYALTY."))
    return include_inactive


class BadgeQueries(graphene.ObjectType):
    badge_program = graphene.Field(BadgeProgram, required=True, description="How badges are measured and lost.")
    badges = graphene.List(
        graphene.NonNull(Badge),
        required=True,
        include_inactive=graphene.Boolean(default_value=False, description="Staff (MANAGE_LOYALTY)."),
        description="The shop's badges and tiers.",
    )
    my_badges = graphene.Field(
        CustomerBadges, required=True, description="The logged-in customer's badges, tier and history."
    )
    my_tier = graphene.Field(
        Tier, required=True, description="The logged-in customer's tier and the points to the next one."
    )
    customer_badges = graphene.Field(
        CustomerBadges,
        customer_id=graphene.Argument(graphene.ID, required=True),
        description="A customer's badges, tier and history (staff).",
    )
    rewards = graphene.List(
        graphene.NonNull(Reward),
        required=True,
        include_inactive=graphene.Boolean(default_value=False, description="Staff (MANAGE_LOYALTY)."),
        description=(
            "The reward catalogue; for a logged-in customer with whether each is reachable "
            "and how many points are missing."
        ),
    )
    my_reward_redemptions = graphene.List(
        graphene.NonNull(RewardRedemption), required=True, description="The logged-in customer's rewards."
    )

    def resolve_badge_program(self, _info):
        return measure.get_program()

    def resolve_badges(self, info, include_inactive=False):
        query = BadgeModel.objects.all()
        if not _staff_view(info, include_inactive):
            query = query.filter(is_active=True)
        return list(query)

    @login_required
    def resolve_my_badges(self, info):
        return badges_of(_own_customer(info))

    @login_required
    def resolve_my_tier(self, info):
        return tier_of(_own_customer(info))

    @one_of_permissions_required(STAFF)
    def resolve_customer_badges(self, info, customer_id):
        from saleor.graphql.account.types import User

        user = graphene.Node.get_node_from_global_id(info, customer_id, User)
        if user is None:
            return None
        return badges_of(Customer.objects.filter(user=user).first())

    def resolve_rewards(self, info, include_inactive=False):
        include_inactive = _staff_view(info, include_inactive)
        user = info.context.user
        customer = _own_customer(info) if user and user.is_authenticated else None
        return with_status(rewards.catalogue(customer, include_inactive=include_inactive))

    @login_required
    def resolve_my_reward_redemptions(self, info):
        customer = _own_customer(info)
        return list(rewards.redemptions_of(customer)) if customer else []


class BadgeMutations(graphene.ObjectType):
    badge_program_update = BadgeProgramUpdate.Field()
    badge_create = BadgeCreate.Field()
    badge_update = BadgeUpdate.Field()
    badge_delete = BadgeDelete.Field()
    badge_grant = BadgeGrant.Field()
    badge_revoke = BadgeRevoke.Field()
    reward_create = RewardCreate.Field()
    reward_update = RewardUpdate.Field()
    reward_delete = RewardDelete.Field()
    reward_redeem = RewardRedeem.Field()
    pos_reward_redeem = PosRewardRedeem.Field()
