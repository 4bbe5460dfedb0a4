"""Badges, the tier ladder, perks and the reward catalogue (see ARCHITECTURE.md).

``measure`` says what a customer's points value is, ``evaluate`` unlocks and loses
badges when it changes (called from ``loyalty.lots.sync`` under the points account's
lock), ``perks`` applies what held badges give, ``rewards`` sells the catalogue for
points, ``vouchers`` issues personal Saleor vouchers, ``catalogue`` validates staff input.
"""
