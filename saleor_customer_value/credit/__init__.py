"""Debit cards: buy now, billed later (issue 13).

``lines`` (open a credit line, change its limit or status), ``payments`` (pay online as
a Saleor gateway and at the POS, refunds), ``statements`` (close a billing cycle into a
statement, render it as CSV/PDF, e-mail it, record the customer's payment). Value moves
only through ``ledger.service``; the limit is enforced by PostgreSQL.
"""
