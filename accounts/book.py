"""The account book: every record of a workspace, indexed by account.

Judgements read one account's records at a time (`book.records(account_id)`); the portfolio walks
all accounts. The book is immutable once built, so it can be shared between requests.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from accounts.errors import UnknownAccount
from accounts.models import (
    Account,
    Activity,
    AdvocacyEvent,
    Contact,
    Doc,
    Record,
    SourceKind,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    UsageRecord,
)


class HasAccount(Protocol):
    @property
    def account_id(self) -> str: ...


T = TypeVar("T", bound=HasAccount)


def group_by_account(items: Iterable[T]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for item in items:
        grouped[item.account_id].append(item)
    return grouped


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
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # derived indexes, per book

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
        contacts_by, activities_by = group_by_account(contacts), group_by_account(activities)
        tickets_by, usage_by = group_by_account(tickets), group_by_account(usage)
        surveys_by, advocacy_by = group_by_account(surveys), group_by_account(advocacy)
        plans = {p.account_id: p for p in success_plans}
        records: dict[str, AccountRecords] = {}
        for account_id, account in by_id.items():
            records[account_id] = AccountRecords(
                account=account,
                contacts=tuple(contacts_by.get(account_id, ())),
                activities=tuple(sorted(activities_by.get(account_id, ()), key=lambda a: a.date)),
                tickets=tuple(sorted(tickets_by.get(account_id, ()), key=lambda t: t.opened_at)),
                usage=tuple(sorted(usage_by.get(account_id, ()), key=lambda u: u.date)),
                surveys=tuple(sorted(surveys_by.get(account_id, ()), key=lambda s: s.date)),
                advocacy=tuple(sorted(advocacy_by.get(account_id, ()), key=lambda e: e.date)),
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

    def iter_records(self) -> Iterator[tuple[SourceKind, Record]]:
        """Every record of the book with its kind: accounts and their records, then the docs."""
        for records in self.all_records():
            yield SourceKind.ACCOUNTS, records.account
            for kind, items in (
                (SourceKind.CONTACTS, records.contacts),
                (SourceKind.ACTIVITIES, records.activities),
                (SourceKind.TICKETS, records.tickets),
                (SourceKind.USAGE, records.usage),
                (SourceKind.SURVEYS, records.surveys),
                (SourceKind.ADVOCACY, records.advocacy),
            ):
                for item in items:
                    yield kind, item
            if records.success_plan is not None:
                yield SourceKind.SUCCESS_PLANS, records.success_plan
        for doc in self.docs:
            yield SourceKind.DOCS, doc

    def subset(self, account_ids: Iterable[str], *, include_docs: bool = True) -> AccountBook:
        """The named accounts' part of this book (sharing its records: nothing is copied)."""
        wanted = sorted(set(account_ids))
        return AccountBook(
            accounts={a: self.accounts[a] for a in wanted},
            docs=self.docs if include_docs else (),
            _records={a: self._records[a] for a in wanted},
        )

    def closest_ids(self, name: str, n: int = 3) -> list[str]:
        return closest_ids(name, self.account_ids(), n)


def closest_ids(name: str, known: Sequence[str], n: int = 3) -> list[str]:
    """The known ids most like `name`, for "did you mean" hints."""
    return difflib.get_close_matches(name, list(known), n=n, cutoff=0.4)
