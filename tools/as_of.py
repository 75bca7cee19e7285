"""One account's records as they stood on the as-of date.

Only records dated on or before `as_of` count, so a workspace exported later answers the same for an
earlier as-of: later activities, tickets, usage rows, surveys and advocacy events are cut off; a
ticket closed after as_of was open then; a contact who left after as_of was still there; a success
plan updated after as_of is not known yet. Record lists are sorted by date in the book, so the cut
is a binary search, cheap enough for the portfolio's 10,000 accounts.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol, TypeVar

from accounts.book import AccountRecords
from accounts.models import (
    Account,
    Activity,
    ActivityType,
    AdvocacyEvent,
    Contact,
    ContactRole,
    ItemStatus,
    ObjectiveStatus,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    TicketStatus,
    UsageRecord,
)

OPEN_STATUSES = frozenset({TicketStatus.OPEN, TicketStatus.PENDING})

# Keys of `Activity.extra` that, when present, date the completion of a request or commitment.
DONE_DATE_KEYS = ("done_at", "done", "completed_at", "closed_at")


class TicketState(NamedTuple):
    """A ticket as of the as-of date: open then or not, and how long it took to resolve."""

    ticket: Ticket
    open: bool
    resolution_hours: float | None  # None while open, or when the dates are unusable
    opened_on: date
    closed_on: date | None  # None while open on as_of

    @property
    def status_then(self) -> str:
        """The ticket's status on as_of: one closed after as_of was still open then."""
        if self.open and self.ticket.status not in OPEN_STATUSES:
            return "open"
        return self.ticket.status.value


class ContactState(NamedTuple):
    contact: Contact
    active: bool  # as of the as-of date
    left_on: date | None  # when known and on or before as_of


@dataclass
class AccountView:
    """The account's records cut at `as_of`, with the few derived facts several judgements share."""

    account: Account
    as_of: date
    contacts: tuple[ContactState, ...]
    activities: tuple[Activity, ...]
    tickets: tuple[TicketState, ...]
    usage: tuple[UsageRecord, ...]
    surveys: tuple[SurveyResponse, ...]
    advocacy: tuple[AdvocacyEvent, ...]
    plan: SuccessPlan | None
    data_quality: list[str] = field(default_factory=list)
    lean: bool = False  # portfolio mode: scores and flags only, no component details or evidence
    memo: dict[str, Any] = field(default_factory=dict)  # derived stats computed once per view

    @property
    def account_id(self) -> str:
        return self.account.account_id

    def days_since(self, when: date) -> int:
        return (self.as_of - when).days

    def value_reached_on(self) -> date | None:
        """first_value_date when on or before as_of; else the as-of date if an objective is achieved."""
        first = self.account.first_value_date
        if first is not None and first <= self.as_of:
            return first
        if self.plan is not None and any(o.status is ObjectiveStatus.ACHIEVED for o in self.plan.objectives):
            return self.plan.updated or self.as_of
        return None

    def active_contacts(self, role: ContactRole | None = None) -> list[Contact]:
        by_role: dict[ContactRole | None, list[Contact]] | None = self.memo.get("active_contacts")
        if by_role is None:
            by_role = self.memo["active_contacts"] = {None: []}
            for s in self.contacts:
                if s.active:
                    by_role[None].append(s.contact)
                    by_role.setdefault(s.contact.role, []).append(s.contact)
        return by_role.get(role, [])


def _done_on(activity: Activity) -> date | None:
    if not activity.extra:
        return None
    for key in DONE_DATE_KEYS:
        value = activity.extra.get(key)
        if isinstance(value, (date, str)) and value:
            try:
                return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
            except ValueError:
                continue
    return None


def is_open_item(activity: Activity, as_of: date) -> bool:
    """A request or commitment still open on as_of (done ones with a later done date were open)."""
    if activity.status is ItemStatus.OPEN:
        return True
    if activity.status is ItemStatus.DONE:
        done = _done_on(activity)
        return done is not None and done > as_of
    return False


def open_commitments(view: AccountView) -> list[Activity]:
    cached: list[Activity] | None = view.memo.get("open_commitments")
    if cached is None:
        commitment, as_of = ActivityType.COMMITMENT, view.as_of
        cached = view.memo["open_commitments"] = [
            a for a in view.activities if a.type is commitment and is_open_item(a, as_of)]
    return cached


def hours_between(start: datetime, end: datetime) -> float:
    if (start.tzinfo is None) != (end.tzinfo is None):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return (end - start).total_seconds() / 3600.0


def _ticket_state(ticket: Ticket, as_of: date, warnings: list[str]) -> TicketState:
    opened, closed = ticket.opened_at, ticket.closed_at
    if closed is None:
        return TicketState(ticket, ticket.status in OPEN_STATUSES, None, opened.date(), None)
    closed_on = closed.date()
    if closed_on > as_of:
        return TicketState(ticket, True, None, opened.date(), None)  # closed later: open on as_of
    try:
        hours = (closed - opened).total_seconds() / 3600.0
    except TypeError:  # one of the two dates has a time zone, the other not
        hours = hours_between(opened, closed)
    if hours >= 0 and ticket.status not in OPEN_STATUSES:
        return TicketState(ticket, False, hours, opened.date(), closed_on)
    if hours < 0:
        warnings.append(f"ticket {ticket.ticket_id} closed ({closed_on}) before it opened "
                        f"({opened.date()}): resolution time ignored")
        is_open = ticket.status in OPEN_STATUSES
        return TicketState(ticket, is_open, None, opened.date(), None if is_open else closed_on)
    warnings.append(f"ticket {ticket.ticket_id} is {ticket.status} but has closed_at {closed_on}: "
                    "treated as reopened")
    return TicketState(ticket, True, None, opened.date(), None)


def _contact_state(contact: Contact, as_of: date) -> ContactState:
    if contact.left_at is not None:
        if contact.left_at > as_of:
            return ContactState(contact, True, None)
        return ContactState(contact, False, contact.left_at)
    return ContactState(contact, contact.active, None)


class _Dated(Protocol):
    @property
    def date(self) -> date: ...


D = TypeVar("D", bound=_Dated)


def _by_date(items: tuple[D, ...], as_of: date) -> tuple[D, ...]:
    """The records dated on or before as_of (the tuple is sorted by date)."""
    if not items or items[-1].date <= as_of:
        return items
    return items[: bisect_right(items, as_of, key=lambda r: r.date)]


def view_as_of(records: AccountRecords, as_of: date, *, lean: bool = False) -> AccountView:
    """Cut one account's records at `as_of`; data-quality problems become warnings, never errors."""
    warnings: list[str] = []
    tickets = records.tickets
    if tickets and tickets[-1].opened_at.date() > as_of:
        tickets = tickets[: bisect_right(tickets, as_of, key=lambda t: t.opened_at.date())]
    plan = records.success_plan
    if plan is not None and plan.updated is not None and plan.updated > as_of:
        warnings.append(f"success plan updated {plan.updated}, after as_of: not used")
        plan = None
    account = records.account
    if account.renewal_date is not None and account.renewal_date < as_of:
        warnings.append(f"renewal_date {account.renewal_date} is before as_of: renewal not recorded")
    return AccountView(
        account=account,
        as_of=as_of,
        contacts=tuple([_contact_state(c, as_of) for c in records.contacts]),
        activities=_by_date(records.activities, as_of),
        tickets=tuple([_ticket_state(t, as_of, warnings) for t in tickets]),
        usage=_by_date(records.usage, as_of),
        surveys=_by_date(records.surveys, as_of),
        advocacy=_by_date(records.advocacy, as_of),
        plan=plan,
        data_quality=warnings,
        lean=lean,
    )
