"""The account book: every record of a workspace, indexed by account.

Judgements read one account's records at a time (`book.records(account_id)`); the portfolio walks
all accounts. The book is immutable once built, so it can be shared between requests.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from accounts.errors import UnknownAccount
from accounts.models import (
    Account,
    Activity,
    AdvocacyEvent,
    Contact,
    Doc,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    UsageRecord,
)


@dataclass(frozen=True)
class AccountRecords:
    """Everything the workspace knows about one account, each list sorted by date."""

    account: Account
    contacts: tuple[Contact, ...] = ()
    activities: tuple[Activity, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    usage: tuple[UsageRecord, ...] = ()
    surveys: tuple[SurveyResponse, ...] = ()
    advocacy: tuple[AdvocacyEvent, ...] = ()
    success_plan: SuccessPlan | None = None

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def contact(self, contact_id: str) -> Contact | None:
        return next((c for c in self.contacts if c.contact_id == contact_id), None)


@dataclass
class AccountBook:
    """All records of a workspace; build with `AccountBook.build(...)`."""

    accounts: dict[str, Account]
    docs: tuple[Doc, ...] = ()
    _records: dict[str, AccountRecords] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        accounts: Iterable[Account],
        *,
        contacts: Iterable[Contact] = (),
        activities: Iterable[Activity] = (),
        tickets: Iterable[Ticket] = (),
        usage: Iterable[UsageRecord] = (),
        surveys: Iterable[SurveyResponse] = (),
        advocacy: Iterable[AdvocacyEvent] = (),
        success_plans: Iterable[SuccessPlan] = (),
        docs: Iterable[Doc] = (),
    ) -> AccountBook:
        by_id = {a.account_id: a for a in accounts}
        grouped: dict[str, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
        for kind, items in (
            ("contacts", contacts),
            ("activities", activities),
            ("tickets", tickets),
            ("usage", usage),
            ("surveys", surveys),
            ("advocacy", advocacy),
        ):
            for item in items:
                grouped[item.account_id][kind].append(item)  # type: ignore[attr-defined]
        plans = {p.account_id: p for p in success_plans}
        records: dict[str, AccountRecords] = {}
        for account_id, account in by_id.items():
            g = grouped.get(account_id, {})
            records[account_id] = AccountRecords(
                account=account,
                contacts=tuple(g.get("contacts", ())),  # type: ignore[arg-type]
                activities=tuple(sorted(g.get("activities", ()), key=lambda a: a.date)),  # type: ignore[attr-defined]
                tickets=tuple(sorted(g.get("tickets", ()), key=lambda t: t.opened_at)),  # type: ignore[attr-defined]
                usage=tuple(sorted(g.get("usage", ()), key=lambda u: u.date)),  # type: ignore[attr-defined]
                surveys=tuple(sorted(g.get("surveys", ()), key=lambda s: s.date)),  # type: ignore[attr-defined]
                advocacy=tuple(sorted(g.get("advocacy", ()), key=lambda e: e.date)),  # type: ignore[attr-defined]
                success_plan=plans.get(account_id),
            )
        return cls(accounts=by_id, docs=tuple(sorted(docs, key=lambda d: d.path)), _records=records)

    def account_ids(self) -> list[str]:
        return sorted(self.accounts)

    def records(self, account_id: str) -> AccountRecords:
        """One account's records; raises UnknownAccount naming the closest ids."""
        try:
            return self._records[account_id]
        except KeyError:
            raise UnknownAccount(account_id, self.closest_ids(account_id)) from None

    def all_records(self) -> Sequence[AccountRecords]:
        return [self._records[a] for a in self.account_ids()]

    def closest_ids(self, name: str, n: int = 3) -> list[str]:
        return difflib.get_close_matches(name, self.account_ids(), n=n, cutoff=0.4)
