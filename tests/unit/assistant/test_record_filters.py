"""Ticket filters and time windows applied to the records an answer shows."""

from __future__ import annotations

import datetime as dt

from accounts.book import AccountBook
from assistant.record_filters import matching_tickets, parse_ticket_filter, windowed_book
from assistant.time_window import parse_window

from .conftest import AS_OF


def test_parse_ticket_filter() -> None:
    assert parse_ticket_filter("Who has open severity-1 tickets?").severities == (1,)
    assert parse_ticket_filter("any P2s?").severities == (2,)
    assert parse_ticket_filter("sev1 or sev 2 tickets").severities == (1, 2)
    assert parse_ticket_filter("which tickets were closed last month?").open_only is False
    assert parse_ticket_filter("escalated tickets").escalated_only is True
    assert parse_ticket_filter("tickets").severities == ()


def test_matching_tickets_are_judged_as_of(book: AccountBook) -> None:
    found = matching_tickets(book, AS_OF, parse_ticket_filter("open sev 1 tickets"))
    assert [i["ticket_id"] for i in found] == ["T-1"]
    assert matching_tickets(book, dt.date(2026, 11, 1), parse_ticket_filter("open sev 1 tickets")) == []
    closed = matching_tickets(book, AS_OF, parse_ticket_filter("closed tickets"))
    assert {i["ticket_id"] for i in closed} == {"T-1", "T-2"}


def test_windowed_book_keeps_the_window_only(book: AccountBook) -> None:
    window = parse_window("last month", AS_OF)
    cut = windowed_book(book, window)
    assert {a.id for r in cut.all_records() for a in r.activities} == {"a-1", "a-3"}
    assert [t.ticket_id for r in cut.all_records() for t in r.tickets] == []
    assert cut.records("globex").success_plan is not None  # plans and usage stay whole
    assert len(cut.records("globex").usage) == len(book.records("globex").usage)



def test_a_window_ahead_keeps_what_falls_due_in_it(book: AccountBook) -> None:
    """"Is it still coming in November?", asked in October: the promise due then is kept though it was
    written before the window, and tickets (opened before any future window) are not bounded by it."""
    window = parse_window("is the export guide still coming in november?", dt.date(2026, 10, 25))
    assert window is not None and window.ahead
    cut = windowed_book(book, window)
    kept = {a.id for r in cut.all_records() for a in r.activities}
    assert "a-3" in kept and "a-1" not in kept
    assert len([t for r in cut.all_records() for t in r.tickets]) == 2
