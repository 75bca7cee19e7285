"""Filters a question puts on records: a time window, a ticket severity or state.

"Who has open severity-1 tickets?" lists only sev-1 tickets open on the as-of date, across the
accounts the asker may read; "what did Globex raise last month?" shows last month's records only.
Tickets are judged open or closed as of the as-of date (`tools.as_of`), like the judgements do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from accounts.book import AccountBook
from assistant.time_window import TimeWindow

_SEVERITY = re.compile(r"\b(?:sev(?:erity)?[- ]?([1-4])|p([1-4]))(?:s|\b)", re.IGNORECASE)
_CRITICAL = re.compile(r"\b(critical|urgent|outages?|incidents?)\b", re.IGNORECASE)
_CLOSED = re.compile(r"\b(closed|solved|resolved|fixed)\b", re.IGNORECASE)
_OPEN = re.compile(r"\b(open|opened|unresolved|outstanding|pending|active|right now|still)\b", re.IGNORECASE)
_ESCALATED = re.compile(r"\bescalat", re.IGNORECASE)


@dataclass(frozen=True)
class TicketFilter:
    """Which tickets a question asks about: severities (empty = any), open on the as-of date or not."""

    severities: tuple[int, ...] = ()
    open_only: bool = True
    escalated_only: bool = False

    def describe(self) -> str:
        bits = ["open" if self.open_only else "all"]
        if self.severities:
            bits.append("severity " + "/".join(str(s) for s in self.severities))
        if self.escalated_only:
            bits.append("escalated")
        return " ".join(bits)


def parse_ticket_filter(question: str) -> TicketFilter:
    """The ticket filter a question names ("open sev-1", "escalated", "closed last month")."""
    severities = sorted({int(a or b) for a, b in _SEVERITY.findall(question)})
    if not severities and _CRITICAL.search(question):
        severities = [1]
    open_only = not (_CLOSED.search(question) and not _OPEN.search(question))
    return TicketFilter(tuple(severities), open_only, bool(_ESCALATED.search(question)))


def matching_tickets(book: AccountBook, as_of: dt.date, wanted: TicketFilter,
                     window: TimeWindow | None = None) -> list[dict[str, Any]]:
    """The tickets of every account in the book that match, as portfolio items (most severe, oldest first)."""
    from tools.as_of import view_as_of

    items: list[dict[str, Any]] = []
    for account_id in book.account_ids():
        records = book.records(account_id)
        if not records.tickets:
            continue
        view = view_as_of(records, as_of, lean=True)
        for state in view.tickets:
            ticket = state.ticket
            if wanted.open_only and not state.open:
                continue
            if wanted.severities and ticket.severity not in wanted.severities:
                continue
            if wanted.escalated_only and not ticket.escalated:
                continue
            if window is not None and not window.ahead and not window.contains(state.opened_on):
                continue
            items.append({"account_id": account_id, "name": records.account.name, "arr": records.account.arr,
                          "ticket_id": ticket.ticket_id, "subject": ticket.subject, "severity": ticket.severity,
                          "ticket_status": "open" if state.open else "closed", "opened": str(state.opened_on),
                          "days_open": (as_of - state.opened_on).days, "escalated": ticket.escalated})
    items.sort(key=lambda i: (i["severity"], i["opened"], i["ticket_id"]))
    return items


def windowed_book(book: AccountBook, window: TimeWindow | None, wanted: TicketFilter | None = None) -> AccountBook:
    """The book with only the dated records inside the window (and, for ticket questions, only the
    matching tickets); accounts, contacts, usage, success plans and docs stay whole.

    A window that reaches past the as-of date ("the fix coming in December", "due next month") asks what
    falls due in it: an activity stays when it is dated or due inside it, and tickets (opened by then,
    never inside a future window) are not bounded by it.
    """
    records = book.all_records()

    def keep_ticket(t: Any) -> bool:
        if window is not None and not window.ahead and not window.contains(t.opened_at):
            return False
        if wanted is not None and wanted.severities and t.severity not in wanted.severities:
            return False
        return not (wanted is not None and wanted.escalated_only and not t.escalated)

    def inside(day: dt.date) -> bool:
        return window is None or window.contains(day)

    return AccountBook.build(
        [r.account for r in records],
        contacts=[c for r in records for c in r.contacts],
        activities=[a for r in records for a in r.activities
                    if inside(a.date) or (window is not None and window.ahead and a.due is not None
                                          and window.contains(a.due))],
        tickets=[t for r in records for t in r.tickets if keep_ticket(t)],
        usage=[u for r in records for u in r.usage],
        surveys=[s for r in records for s in r.surveys if inside(s.date)],
        advocacy=[e for r in records for e in r.advocacy if inside(e.date)],
        success_plans=[r.success_plan for r in records if r.success_plan is not None],
        docs=book.docs,
    )
