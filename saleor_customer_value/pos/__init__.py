"""The point-of-sale API's services (issue 6): a till (a Saleor App with ``USE_POS``)
or a staff user identifies a customer by card, then records sales, pays with or tops
up the wallet, redeems points, and reverses any of these by receipt reference.

Every write goes through the ledger service (and the loyalty lots for points), under
the caller's mandatory idempotency key."""
