"""Who a bearer token says the caller is: a role, a principal, and a credential id.

The credential id is what a conversation is bound to ("a conversation belongs to the credential
that started it"), and what rate limits count against; the principal is what the assistant sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accounts.access import Audience
from assistant.principal import Principal


class Role(StrEnum):
    """What a credential may do: vendor staff (csm, manager, admin) or one customer."""

    CSM = "csm"
    MANAGER = "manager"
    ADMIN = "admin"
    CUSTOMER = "customer"


STAFF_ROLES = (Role.CSM, Role.MANAGER, Role.ADMIN)


@dataclass(frozen=True)
class Credential:
    """An authenticated caller. Admins read like managers; only the role decides admin routes."""

    credential_id: str
    role: Role
    user: str | None = None
    account_id: str | None = None

    @property
    def principal(self) -> Principal:
        if self.role is Role.CUSTOMER:
            return Principal(Audience.CUSTOMER, self.account_id, self.user)
        audience = Audience.CSM if self.role is Role.CSM else Audience.MANAGER
        return Principal(audience, None, self.user)

    @property
    def is_customer(self) -> bool:
        return self.role is Role.CUSTOMER
