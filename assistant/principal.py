"""Who is asking: the principal decided at the edge from the caller's credentials.

The assistant never widens what a principal may read: a customer principal is always exactly one
account, and every retrieval, tool and citation is checked against `principal.readable()`. A vendor's
account (`--account` for a CSM) is a *focus* for retrieval when the question names no account, never a
limit on what the answer may show: the focus narrows the search, `readable()` bounds what is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.access import Audience, Scope
from accounts.errors import BadRequest


@dataclass(frozen=True)
class Principal:
    """The caller: an audience, the account it is (customer) or focuses on (vendor), and a user handle."""

    audience: Audience
    account_id: str | None = None
    user: str | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "audience", Audience(self.audience))
        except ValueError:
            raise BadRequest(f"audience {self.audience!r} is not one of csm, manager, customer") from None
        if self.audience is Audience.CUSTOMER and not self.account_id:
            raise BadRequest("a customer principal requires an account (the caller is that customer)")

    @property
    def is_customer(self) -> bool:
        return self.audience is Audience.CUSTOMER

    def scope(self) -> Scope:
        """The default search scope: a customer's own view, or a vendor's focus account (else everything).

        For vendor staff this is a focus, not a bound: filter what may be shown with `readable()`.
        """
        return Scope.for_audience(self.audience, self.account_id)

    def readable(self) -> Scope:
        """Everything this principal may be shown: a customer its own account, vendor staff every account.

        A vendor's account is a focus for retrieval, not a limit on what its answers may cite.
        """
        return self.scope() if self.is_customer else Scope(self.audience)

    def scope_for(self, account_ids: list[str]) -> Scope:
        """The scope of one question: a customer stays itself; vendor staff focus on the accounts asked about."""
        if self.is_customer or not account_ids:
            return self.scope()
        return Scope(self.audience, frozenset(account_ids))

    @property
    def key(self) -> str:
        """A stable identity string, used to bind a conversation to the principal that started it."""
        return f"{self.audience.value}|{self.account_id or ''}|{self.user or ''}"
