from dataclasses import dataclass
from typing import Optional

from .reasons import ActorType


@dataclass(frozen=True)
class Actor:
    """Who caused a movement. Every ledger write names one."""

    type: str
    user: Optional[object] = None
    app: Optional[object] = None
    label: str = ""

    @classmethod
    def staff(cls, user):
        return cls(ActorType.STAFF, user=user)

    @classmethod
    def customer(cls, user):
        return cls(ActorType.CUSTOMER, user=user)

    @classmethod
    def app_(cls, app, label=""):
        return cls(ActorType.APP, app=app, label=label)

    @classmethod
    def system(cls, label):
        return cls(ActorType.SYSTEM, label=label)

    @classmethod
    def from_request(cls, user=None, app=None):
        """The actor behind a GraphQL request: an App token wins over a user."""
        if app is not None:
            return cls.app_(app)
        if user is not None and getattr(user, "is_authenticated", False):
            return cls.staff(user) if user.is_staff else cls.customer(user)
        raise ValueError("an anonymous request cannot write to the ledger")

    @property
    def idempotency_scope(self):
        if self.app is not None:
            return f"app:{self.app.pk}"
        if self.user is not None:
            return f"user:{self.user.pk}"
        return f"system:{self.label}"
