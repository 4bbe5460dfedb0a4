"""Periodic jobs of the plugin, for a Celery beat (``celery worker -B``).

A host shop merges this into its ``CELERY_BEAT_SCHEDULE``.
"""
from datetime import timedelta

CELERY_BEAT_SCHEDULE = {
    "customer-value-expire-holds": {
        "task": "saleor_customer_value.tasks.expire_holds_task",
        "schedule": timedelta(minutes=1),
    },
    "customer-value-release-pending-points": {
        "task": "saleor_customer_value.loyalty.tasks.release_pending_points_task",
        "schedule": timedelta(minutes=15),
    },
    "customer-value-expire-points": {
        "task": "saleor_customer_value.loyalty.tasks.expire_points_task",
        "schedule": timedelta(minutes=5),
    },
    "customer-value-expire-cards": {
        "task": "saleor_customer_value.cards.tasks.expire_cards_task",
        "schedule": timedelta(hours=1),
    },
    "customer-value-evaluate-badges": {
        "task": "saleor_customer_value.badges.tasks.evaluate_badges_task",
        "schedule": timedelta(minutes=15),
    },
    "customer-value-deliver-webhooks": {
        "task": "saleor_customer_value.webhooks.tasks.deliver_webhooks_task",
        "schedule": timedelta(seconds=5),
    },
    "customer-value-send-notifications": {
        "task": "saleor_customer_value.notifications.tasks.send_notifications_task",
        "schedule": timedelta(minutes=1),
    },
    "customer-value-remind-expiring-points": {
        "task": "saleor_customer_value.notifications.tasks.remind_expiring_points_task",
        "schedule": timedelta(hours=1),
    },
    "customer-value-prune-webhook-log": {
        "task": "saleor_customer_value.webhooks.tasks.prune_webhook_log_task",
        "schedule": timedelta(hours=24),
    },
    "customer-value-close-credit-cycles": {
        "task": "saleor_customer_value.credit.tasks.close_credit_cycles_task",
        "schedule": timedelta(hours=1),
    },
    "customer-value-periodic-gifts": {
        "task": "saleor_customer_value.automations.tasks.periodic_gifts_task",
        "schedule": timedelta(minutes=15),
    },
    "customer-value-compact-report-rollup": {
        "task": "saleor_customer_value.reports.tasks.compact_report_rollup_task",
        "schedule": timedelta(minutes=1),
    },
    "customer-value-settle-merchants": {
        "task": "saleor_customer_value.partners.tasks.settle_merchants_task",
        "schedule": timedelta(days=7),
    },
}
