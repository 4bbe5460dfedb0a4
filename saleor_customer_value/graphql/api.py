"""Saleor's schema plus the plugin's queries and mutations, built the way Saleor builds
its own (``saleor.graphql.api``), so Saleor's auth middleware applies unchanged."""
from graphene_federation import build_schema
from saleor.graphql.api import Mutation as SaleorMutation
from saleor.graphql.api import Query as SaleorQuery

from .inputs import strict_decimal_scalar
from .schema import CustomerValueMutations, CustomerValueQueries


class Query(CustomerValueQueries, SaleorQuery):
    pass


class Mutation(CustomerValueMutations, SaleorMutation):
    pass


schema = strict_decimal_scalar(build_schema(Query, mutation=Mutation))
