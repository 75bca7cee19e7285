"""Who may read what: audiences and the scope a reader's queries are confined to.

The scope is decided at the edge from the caller's credentials and enforced where data is read
(the SQL store, Chroma's `where`, the keyword index's mask), never by asking a model to behave.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accounts.errors import BadRequest
from accounts.models import Visibility


class Audience(StrEnum):
    CSM = "csm"
    MANAGER = "manager"
    CUSTOMER = "customer"


VENDOR_VISIBILITIES = frozenset({Visibility.CUSTOMER, Visibility.INTERNAL})


@dataclass(frozen=True)
class Scope:
    """Which records a query may see: public docs, plus the given visibilities of the given accounts.

    `account_ids=None` means every account (vendor staff without a focus).
    """

    audience: Audience
    account_ids: frozenset[str] | None = None
    visibilities: frozenset[Visibility] = VENDOR_VISIBILITIES

    @classmethod
    def for_audience(cls, audience: Audience | str, account_id: str | None = None) -> Scope:
        """The scope of a caller: a customer sees only its own customer-visible records and the docs."""
        audience = Audience(audience)
        if audience is Audience.CUSTOMER:
            if not account_id:
                raise BadRequest("--as customer requires --account (the caller is that customer)")
            return cls(audience, frozenset({account_id}), frozenset({Visibility.CUSTOMER}))
        return cls(audience, frozenset({account_id}) if account_id else None)

    @property
    def is_customer(self) -> bool:
        return self.audience is Audience.CUSTOMER

    def allows(self, visibility: Visibility | str, account_id: str | None) -> bool:
        """Whether one record or chunk with this visibility and owner is readable in this scope."""
        if visibility == Visibility.PUBLIC:
            return account_id is None  # only docs are public; an account's record never is
        if self.account_ids is not None and account_id not in self.account_ids:
            return False
        return visibility in self.visibilities  # an unknown word matches nothing: fail closed

    @property
    def unrestricted(self) -> bool:
        """True when the scope reads everything (vendor staff with no account focus)."""
        return self.account_ids is None and self.visibilities >= VENDOR_VISIBILITIES

    def owner_keys(self) -> list[str] | None:
        """`account:visibility` keys of the private records this scope reads (None: every account).

        Indexes store the same key on every account chunk, so a scope is one `$in` on one field.
        """
        if self.account_ids is None:
            return None
        return sorted(owner_key(a, v) for a in self.account_ids for v in self.visibilities)


def owner_key(account_id: str, visibility: Visibility | str) -> str:
    return f"{account_id}:{Visibility(visibility).value}"
