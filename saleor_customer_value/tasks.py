"""Celery tasks: thin wrappers that call the services."""
from saleor.celeryconf import app

from .ledger import service


@app.task
def expire_holds_task():
    return service.expire_holds()

# Celery's autodiscovery imports ``<app>.tasks`` only: register the loyalty tasks too.
from .loyalty import tasks as loyalty_tasks  # noqa: E402,F401

# Cards: batch generation.
from .cards import tasks as card_tasks  # noqa: E402,F401

# Badges: grace periods and rolling windows.
from .badges import tasks as badge_tasks  # noqa: E402,F401

# Webhooks: outbox dispatch and log pruning.
from .webhooks import tasks as webhook_tasks  # noqa: E402,F401

# Credit lines (debit cards): billing cycles and statement e-mails.
from .credit import tasks as credit_tasks  # noqa: E402,F401
# Notifications: sending e-mails and expiry reminders.
from .notifications import tasks as notification_tasks  # noqa: E402,F401
# Automations: runs, periodic gifts; the report rollup's compaction.
from .automations import tasks as automation_tasks  # noqa: E402,F401
from .reports import tasks as report_tasks  # noqa: E402,F401
# Partner network: periodic settlement runs.
from .partners import notify as partner_notify  # noqa: E402,F401
from .partners import tasks as partner_tasks  # noqa: E402,F401
