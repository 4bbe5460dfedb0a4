"""Wallet (stored value): checkout payments, the wallet gateway, staff bookings,
refunds, and what happens when an order is created, paid or cancelled."""
