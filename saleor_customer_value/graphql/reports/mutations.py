import graphene

from ...permissions import CustomerValuePermissions
from ...reports import downloads
from ..core import CustomerValueMutation
from ..ledger.filters import LedgerTransactionFilterInput
from .filters import plain_filter
from .types import LedgerExportFile


class LedgerExport(CustomerValueMutation):
    file = graphene.Field(LedgerExportFile)

    class Arguments:
        filter = LedgerTransactionFilterInput(description="The same filter as ledgerTransactions.")

    class Meta:
        description = (
            "A CSV download link (10 minutes) of the filtered ledger: one row per customer "
            "entry, newest first, as ledgerTransactions lists them."
        )
        permissions = (CustomerValuePermissions.VIEW_LEDGER,)

    @classmethod
    def perform_mutation(cls, _root, info, filter=None):
        plain = plain_filter(filter)
        url = downloads.url_for(plain, user=info.context.user, app=getattr(info.context, "app", None))
        return cls(
            file=LedgerExportFile(
                url=info.context.build_absolute_uri(url),
                filename=downloads.filename(),
                content_type="text/csv",
            )
        )
