"""Rate limits that every server worker shares: counters are rows in PostgreSQL
(``RateLimitCounter``), the one store a shop always has; each failure is one atomic
upsert, so concurrent workers never lose an increment or get a budget each.

A ``Rule`` allows ``limit`` hits per ``window`` seconds. Past the limit a key is refused
until its window ends, or, with ``backoff``, for ``backoff`` seconds doubled for every
further hit (capped at the window), counted from the last hit.

Hits are usually failures (a wrong card code). A mutation's DB transaction rolls back
when it answers with an error, which would roll the count back with it: inside
``collect()`` (``CustomerValueMutation.mutate`` opens one) hits are written after that
transaction has ended.

Limits are tunable per shop with ``CUSTOMER_VALUE_RATE_LIMITS`` in Django settings:
``{"card-register:user": {"limit": 5, "window": 86400, "backoff": 60}, ...}``.
"""
import contextvars
import math
import random
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import List, Optional

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from ..models import RateLimitCounter

TABLE = RateLimitCounter._meta.db_table


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int
    backoff: int = 0  # seconds for the first hit past the limit; 0: until window end


DAY = 24 * 3600
HOUR = 3600
RULES = {
    # A shopper's own wrong card codes: 5 free, then 1, 2, 4, ... minutes (max a day).
    "card-register:user": Rule("card-register:user", 5, DAY, backoff=60),
    # Wrong codes from one address; high enough for a carrier NAT, and it never
    # stops a shopper who has not failed (see ``Guard``).
    "card-register:ip": Rule("card-register:ip", 100, HOUR),
    "gift-card:user": Rule("gift-card:user", 5, DAY, backoff=60),
    "gift-card:ip": Rule("gift-card:ip", 100, HOUR),
    # Accounts created through sign-up links, per address (every attempt counts).
    "card-signup:ip": Rule("card-signup:ip", 30, HOUR),
}


def rule(name: str) -> Rule:
    base = RULES[name]
    override = (getattr(settings, "CUSTOMER_VALUE_RATE_LIMITS", None) or {}).get(name)
    return replace(base, **override) if override else base


class Limited(Exception):
    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        self.retry_after = retry_after
        self.message = _(
            "Too many attempts. Try again in %(minutes)s minute(s) (retry after "
            "%(seconds)s seconds)."
        ) % {"minutes": minutes, "seconds": retry_after}
        super().__init__(self.message)


# --- deferred writes -------------------------------------------------------------------

_pending: contextvars.ContextVar = contextvars.ContextVar("cv_ratelimit_pending", default=None)


@contextmanager
def collect():
    """Write hits made inside the block when it ends, after the caller's transaction
    (a rolled-back mutation still counts its failures)."""
    token = _pending.set([])
    try:
        yield
    finally:
        hits = _pending.get()
        _pending.reset(token)
        for limiter in hits:
            limiter.hit()


# --- counters ----------------------------------------------------------------------


@dataclass
class Limiter:
    rule: Rule
    subject: str

    @property
    def key(self) -> str:
        return f"{self.rule.name}:{self.subject}"[:200]

    def failures(self) -> int:
        count, _retry = self._state()
        return count

    def retry_after(self) -> Optional[int]:
        return self._state()[1]

    def _state(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count, EXTRACT(EPOCH FROM window_ends - clock_timestamp()),"
                f" EXTRACT(EPOCH FROM clock_timestamp() - last_at)"
                f" FROM {TABLE} WHERE key = %s",
                [self.key],
            )
            row = cursor.fetchone()
        if row is None or row[1] <= 0:
            return 0, None
        count, window_left, since_last = int(row[0]), float(row[1]), float(row[2])
        if count < self.rule.limit:
            return count, None
        if not self.rule.backoff:
            return count, max(1, math.ceil(window_left))
        excess = count - self.rule.limit
        block = min(self.rule.backoff * 2 ** min(excess, 30), self.rule.window)
        wait = block - since_last
        return count, (max(1, math.ceil(wait)) if wait > 0 else None)

    def record(self):
        """Count one hit (after the surrounding ``collect()`` block, if any)."""
        pending = _pending.get()
        if pending is not None:
            pending.append(self)
        else:
            self.hit()

    def hit(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {TABLE} AS c (key, count, window_ends, last_at)
                VALUES (%s, 1, clock_timestamp() + make_interval(secs => %s), clock_timestamp())
                ON CONFLICT (key) DO UPDATE SET
                    count = CASE WHEN c.window_ends <= clock_timestamp() THEN 1
                                 ELSE c.count + 1 END,
                    window_ends = CASE WHEN c.window_ends <= clock_timestamp()
                                       THEN EXCLUDED.window_ends ELSE c.window_ends END,
                    last_at = clock_timestamp()
                RETURNING count
                """,
                [self.key, self.rule.window],
            )
            count = cursor.fetchone()[0]
            if random.random() < 0.01:  # keep the table small without a periodic job
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE window_ends < clock_timestamp() - interval '1 day'"
                )
        return count


def limiter(name: str, subject) -> Limiter:
    return Limiter(rule(name), str(subject))


# --- guessing guard ----------------------------------------------------------------


@dataclass
class Guard:
    """Limits on guessing secrets (card codes, gift card codes) for a logged-in user.

    - per account: ``<scope>:user`` with backoff;
    - per client address: ``<scope>:ip``, applied only to a user who has failed in the
      current window, so a shopper behind a busy NAT who has not failed is never
      stopped by somebody else's guesses (an attacker gets one guess per fresh account).
    """

    user: Limiter
    ip: Optional[Limiter] = None

    @classmethod
    def for_user(cls, scope: str, user, ip: str = "") -> "Guard":
        return cls(
            user=limiter(f"{scope}:user", user.pk),
            ip=limiter(f"{scope}:ip", ip) if ip else None,
        )

    def limiters(self) -> List[Limiter]:
        return [self.user] + ([self.ip] if self.ip else [])

    def check(self):
        failures, wait = self.user._state()
        waits = [wait] if wait else []
        if failures and self.ip is not None:
            ip_wait = self.ip.retry_after()
            if ip_wait:
                waits.append(ip_wait)
        if waits:
            raise Limited(max(waits))

    def fail(self):
        for found in self.limiters():
            found.record()
