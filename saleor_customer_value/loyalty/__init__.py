"""Loyalty points: earning rules, redemption at checkout, conversion into wallet money,
expiry. Plain services; GraphQL (``graphql/loyalty_*``) and the Saleor plugin only call
them. The ledger (``ledger.service``) is the only writer of points."""
