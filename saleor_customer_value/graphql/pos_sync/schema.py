import graphene

from .mutations import PosSync


class PosSyncMutations(graphene.ObjectType):
    pos_sync = PosSync.Field()
