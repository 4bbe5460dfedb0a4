import graphene
from saleor.graphql.core.types import Money

from ...credit import downloads, lines as credit_lines, statements
from ...credit.payments import overdue_statement
from ...models import CreditLineStatus, StatementStatus
from ...permissions import CustomerValuePermissions
from ..core import has_permissions
from ..enums import LedgerReasonEnum
from ..wallet.types import money

CreditLineStatusEnum = graphene.Enum(
    "CreditLineStatusEnum", [(code.upper(), code) for code, _ in CreditLineStatus.CHOICES]
)
CreditStatementStatusEnum = graphene.Enum(
    "CreditStatementStatusEnum", [(code.upper(), code) for code, _ in StatementStatus.CHOICES]
)


def _is_staff(info):
    return has_permissions(info.context, (CustomerValuePermissions.MANAGE_CREDIT,))


class CreditBooking(graphene.ObjectType):
    date = graphene.DateTime(required=True)
    amount = graphene.Field(Money, required=True, description="Signed: - bought, + paid/refunded.")
    balance_after = graphene.Field(Money, description="The line's balance after it (negative: owed).")
    reason = LedgerReasonEnum(required=True)
    customer_note = graphene.String()
    reference = graphene.String(description="Receipt, checkout or payment reference.")
    order_id = graphene.ID(description="The Saleor order, if any.")

    class Meta:
        description = "One booking on a credit line, as a statement lists it."

    @staticmethod
    def of(entry, currency):
        txn = entry.transaction
        return CreditBooking(
            date=txn.created_at,
            amount=money(entry.amount * entry.direction, currency),
            balance_after=money(entry.balance_after, currency) if entry.balance_after is not None else None,
            reason=txn.reason,
            customer_note=txn.customer_note,
            reference=txn.external_reference,
            order_id=graphene.Node.to_global_id("Order", txn.order_id) if txn.order_id else None,
        )


class CreditStatement(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.Int(required=True)
    period_start = graphene.DateTime(required=True)
    period_end = graphene.DateTime(required=True)
    opening_balance = graphene.Field(Money, required=True)
    closing_balance = graphene.Field(Money, required=True)
    purchases = graphene.Field(Money, required=True, description="Bought in the period.")
    credits = graphene.Field(Money, required=True, description="Paid or refunded in the period.")
    amount_due = graphene.Field(Money, required=True, description="Owed at the close.")
    paid_amount = graphene.Field(Money, required=True, description="Paid since the close.")
    due_date = graphene.Date(required=True)
    status = CreditStatementStatusEnum(required=True)
    overdue = graphene.Boolean(required=True)
    closed_at = graphene.DateTime(required=True)
    settled_at = graphene.DateTime()
    emailed_at = graphene.DateTime()
    bookings = graphene.List(graphene.NonNull(CreditBooking), required=True)
    csv_url = graphene.String(required=True, description="Signed download link (10 minutes).")
    pdf_url = graphene.String(required=True, description="Signed download link (10 minutes).")

    class Meta:
        description = "A closed billing cycle of a credit line."

    @staticmethod
    def resolve_id(root, _info):
        return graphene.Node.to_global_id("CreditStatement", root.pk)

    @staticmethod
    def _money(root, value):
        return money(value, root.line.currency)

    def resolve_opening_balance(root, _info):
        return money(root.opening_balance, root.line.currency)

    def resolve_closing_balance(root, _info):
        return money(root.closing_balance, root.line.currency)

    def resolve_purchases(root, _info):
        return money(root.purchases, root.line.currency)

    def resolve_credits(root, _info):
        return money(root.credits, root.line.currency)

    def resolve_amount_due(root, _info):
        return money(root.amount_due, root.line.currency)

    def resolve_paid_amount(root, _info):
        return money(root.paid_amount, root.line.currency)

    def resolve_overdue(root, _info):
        from django.utils import timezone

        return root.status == StatementStatus.OPEN and root.due_date < timezone.now().date()

    def resolve_bookings(root, _info):
        return [CreditBooking.of(entry, root.line.currency) for entry in statements.bookings(root)]

    def resolve_csv_url(root, info):
        return info.context.build_absolute_uri(
            downloads.url_for(root, "csv", info.context.user, getattr(info.context, "app", None))
        )

    def resolve_pdf_url(root, info):
        return info.context.build_absolute_uri(
            downloads.url_for(root, "pdf", info.context.user, getattr(info.context, "app", None))
        )


class CreditLimitChange(graphene.ObjectType):
    old_limit = graphene.Field(Money, required=True)
    new_limit = graphene.Field(Money, required=True)
    note = graphene.String(required=True)
    changed_by = graphene.String(description="Staff e-mail, App name or task.")
    created_at = graphene.DateTime(required=True)

    class Meta:
        description = "A change of a credit limit, with its note (staff only)."

    def resolve_old_limit(root, _info):
        return money(root.old_limit, root.line.currency)

    def resolve_new_limit(root, _info):
        return money(root.new_limit, root.line.currency)

    def resolve_changed_by(root, _info):
        if root.actor_user_id:
            return root.actor_user.email
        if root.actor_app_id:
            return root.actor_app.name
        return root.actor_label or root.actor_type


class CreditLine(graphene.ObjectType):
    id = graphene.ID(required=True)
    currency = graphene.String(required=True)
    limit = graphene.Field(Money, required=True)
    owed = graphene.Field(Money, required=True, description="Booked and not yet paid.")
    held = graphene.Field(Money, required=True, description="Reserved, not yet booked.")
    available = graphene.Field(Money, required=True, description="What can still be bought.")
    billing_cycle = graphene.String(required=True)
    due_days = graphene.Int(required=True, description="Days from a statement to its due date.")
    status = CreditLineStatusEnum(required=True)
    cycle_start = graphene.DateTime(required=True)
    cycle_end = graphene.DateTime(required=True, description="When the open cycle closes.")
    overdue = graphene.Boolean(required=True, description="An unpaid bill is past its due date.")
    customer_email = graphene.String()
    statements = graphene.List(graphene.NonNull(CreditStatement), required=True)
    limit_history = graphene.List(
        graphene.NonNull(CreditLimitChange),
        description="Every limit change with its note (MANAGE_CREDIT; null for others).",
    )

    class Meta:
        description = "A customer card's credit line in one currency: buy now, billed later."

    def resolve_id(root, _info):
        return graphene.Node.to_global_id("CreditLine", root.pk)

    def resolve_limit(root, _info):
        return money(root.account.credit_limit, root.currency)

    def resolve_owed(root, _info):
        return money(max(-root.account.posted, 0), root.currency)

    def resolve_held(root, _info):
        return money(root.account.held, root.currency)

    def resolve_available(root, _info):
        return money(max(root.account.available, 0), root.currency)

    def resolve_cycle_end(root, _info):
        return credit_lines.next_cycle_end(root.cycle_start)

    def resolve_overdue(root, _info):
        return overdue_statement(root) is not None

    def resolve_customer_email(root, _info):
        return root.customer.email or (root.customer.user.email if root.customer.user_id else None)

    def resolve_statements(root, _info):
        return list(root.statements.select_related("line").order_by("-number"))

    def resolve_limit_history(root, info):
        if not _is_staff(info):
            return None
        return list(root.limit_changes.select_related("line", "actor_user", "actor_app"))


class CheckoutCreditPayment(graphene.ObjectType):
    applied = graphene.Field(
        Money, required=True, description="Paid on the credit line (billed later)."
    )
    total_before_credit = graphene.Field(
        Money, required=True, description="The total after discounts and the wallet part."
    )
    remaining = graphene.Field(
        Money, required=True, description="What is left to pay with another gateway."
    )
    available = graphene.Field(
        Money, required=True, description="Credit still available on the line."
    )
    reserved_until = graphene.DateTime(description="When the reservation lapses.")

    class Meta:
        description = "The credit line part of a checkout's payment."
