"""Read models for the staff console: customer search, ledger report (totals, time
series, CSV export) and previews of what a reversal or a refund to the wallet will do.

Nothing here writes value: bookings stay with the wallet, loyalty and ledger services.
"""
