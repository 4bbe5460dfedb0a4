"""Read side of the ledger: balances (one indexed read) and filtered history."""
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Optional

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from ..models import Account, AccountKind, Entry, LedgerTransaction
from .reasons import Reason


@dataclass(frozen=True)
class Balance:
    unit: str
    posted: Decimal
    held: Decimal

    @property
    def available(self) -> Decimal:
        return self.posted - self.held


def balance(account: Optional[Account]) -> Optional[Balance]:
    if account is None:
        return None
    if account.kind == AccountKind.SYSTEM:
        total = account.entries.aggregate(
            total=Sum("amount", filter=Q(direction=1))
        )["total"] or Decimal(0)
        total -= account.entries.aggregate(
            total=Sum("amount", filter=Q(direction=-1))
        )["total"] or Decimal(0)
        return Balance(account.unit, total, Decimal(0))
    return Balance(account.unit, account.posted, account.held)


def filter_transactions(
    qs: QuerySet,
    *,
    created_from=None,
    created_to=None,
    reasons: Optional[Iterable[str]] = None,
    customer_ids: Optional[Iterable[int]] = None,
    unit: Optional[str] = None,
    amount_min: Optional[Decimal] = None,
    amount_max: Optional[Decimal] = None,
    reference: Optional[str] = None,
    hide_reversed: bool = False,
) -> QuerySet:
    """Filter transactions; every filter is optional and all of them combine (AND).

    ``amount_*`` match the size of any entry (money or points); ``reference`` matches
    an external reference (receipt), an order number, or a checkout token.
    ``hide_reversed`` drops reversed transactions and their reversals (the customer's
    view); the audit trail keeps both.
    """
    if created_from:
        qs = qs.filter(created_at__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__lte=created_to)
    if reasons:
        qs = qs.filter(reason__in=list(reasons))
    if customer_ids is not None:
        qs = qs.filter(customer_id__in=list(customer_ids))
    if unit or amount_min is not None or amount_max is not None:
        entries = Entry.objects.filter(transaction=OuterRef("pk"))
        if unit:
            entries = entries.filter(unit=unit)
        if amount_min is not None:
            entries = entries.filter(amount__gte=amount_min)
        if amount_max is not None:
            entries = entries.filter(amount__lte=amount_max)
        qs = qs.filter(Exists(entries))
    if reference:
        match = Q(external_reference=reference)
        if reference.isdigit():
            match |= Q(order_id=int(reference))
        try:
            from uuid import UUID

            match |= Q(checkout_token=UUID(reference))
        except ValueError:
            pass
        qs = qs.filter(match)
    if hide_reversed:
        qs = qs.exclude(reason=Reason.REVERSAL).exclude(
            Exists(LedgerTransaction.objects.filter(reversal_of=OuterRef("pk")))
        )
    return qs


def account_history(account: Account, **filters) -> QuerySet:
    """Entries of one account, newest first, with their transactions."""
    transactions = filter_transactions(LedgerTransaction.objects.all(), **filters)
    return (
        Entry.objects.filter(account=account, transaction__in=transactions)
        .select_related("transaction")
        .order_by("-id")
    )


def linked_entries(entry: Entry):
    """For a movement in a customer's history: (the movement it reverses, the movement
    that reversed it) on the same account, either may be None. Both stay in the
    history, so the shopper sees a credit and its reversal side by side."""
    txn = entry.transaction
    reversal_of = None
    if txn.reversal_of_id:
        reversal_of = Entry.objects.filter(
            transaction_id=txn.reversal_of_id, account_id=entry.account_id
        ).first()
    reversed_by = Entry.objects.filter(
        transaction__reversal_of_id=txn.pk, account_id=entry.account_id
    ).first()
    return reversal_of, reversed_by
