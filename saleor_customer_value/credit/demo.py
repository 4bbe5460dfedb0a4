"""Demo credit line ("pay later") for the demo shopper: a 200.00 limit, one closed
statement (a purchase billed, due in 14 days) and one purchase in the open cycle.
Idempotent: the line is found by customer and currency, the purchases carry idempotency
keys, and the cycle is closed only while the line has no statement yet. Wallet and
points are not touched (the demo shopper's figures stay as they are)."""
from ..ledger import service
from ..ledger.actors import Actor
from ..ledger.idempotency import IdempotencyKey
from . import lines, payments, statements

LIMIT = "200.00"
DUE_DAYS = 14


def seed(customer, currency):
    actor = Actor.system("demo data")
    line = lines.find_line(customer, currency)
    if line is None:
        line = lines.open_line(customer, currency, LIMIT, DUE_DAYS, "Demo: pay later for the demo shopper", actor)

    def buy(key, amount, note):
        payments.purchase(
            customer, currency, amount, actor, service.References(), note,
            idem=IdempotencyKey(scope="system:demo", key=key),
        )

    if not line.statements.exists():
        buy("credit-purchase-1", "45.80", "Purchase at the Berlin store (pay later)")
        statements.close_cycle(line)
    buy("credit-purchase-2", "18.40", "Purchase at the Berlin store (pay later)")
    return line
