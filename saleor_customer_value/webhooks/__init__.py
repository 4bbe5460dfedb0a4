"""Outgoing webhooks: customer-value events through a transactional outbox.

``events``: the event types, who may receive them, ``emit`` for domain code.
``dispatch``: fan-out to Saleor ``Webhook`` rows, signed delivery in order per
customer, retries with exponential backoff, the delivery log, redelivery, pruning.
``tasks``: the Celery adapters. See ARCHITECTURE.md ("Webhooks").
"""
