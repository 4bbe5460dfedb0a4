"""Signed webhooks to external systems (POS sync, partner clearing).

Empty until the customer-cards and POS issue: the POS API and its signed webhooks are
built there. Kept as a package so the plugin's layout matches the design card.
"""
