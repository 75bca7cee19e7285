"""Time windows named in questions, relative to the as-of date (a Monday: 2026-11-16)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.time_window import parse_window

AS_OF = dt.date(2026, 11, 16)
D = dt.date


@pytest.mark.parametrize(("question", "start", "end"), [
    ("what happened last month?", D(2026, 10, 1), D(2026, 10, 31)),
    ("tickets this week", D(2026, 11, 16), D(2026, 11, 16)),
    ("anything last week?", D(2026, 11, 9), D(2026, 11, 15)),
    ("calls in the last 30 days", D(2026, 10, 17), D(2026, 11, 16)),
    ("over the past two weeks", D(2026, 11, 2), D(2026, 11, 16)),
    ("the past week", D(2026, 11, 9), D(2026, 11, 16)),
    ("what changed since October?", D(2026, 10, 1), D(2026, 11, 16)),
    ("since december", D(2025, 12, 1), D(2026, 11, 16)),  # a month still to come this year: last year's
    ("since 2026-09-15", D(2026, 9, 15), D(2026, 11, 16)),
    ("tickets this quarter", D(2026, 10, 1), D(2026, 11, 16)),
    ("renewals this quarter", D(2026, 10, 1), D(2026, 12, 31)),  # looking ahead: the whole quarter
    ("who renews before year end?", D(2026, 11, 16), D(2026, 12, 31)),  # from as_of to the period's end
    ("renewals by the end of the quarter", D(2026, 11, 16), D(2026, 12, 31)),
    ("anything due by month-end", D(2026, 11, 16), D(2026, 11, 30)),
    ("tickets before the end of the week", D(2026, 11, 16), D(2026, 11, 22)),
    ("renewals by the end of march", D(2026, 11, 16), D(2027, 3, 31)),
    ("renewals next month", D(2026, 12, 1), D(2026, 12, 31)),
    ("who renews in the next 60 days?", D(2026, 11, 16), D(2027, 1, 15)),
    ("what did they say in March?", D(2026, 3, 1), D(2026, 3, 31)),
    ("anything yesterday?", D(2026, 11, 15), D(2026, 11, 15)),
    ("year to date", D(2026, 1, 1), D(2026, 11, 16)),
    ("is the fix still coming in December?", D(2026, 12, 1), D(2026, 12, 31)),  # looking ahead: the next one
    ("what is due in January?", D(2027, 1, 1), D(2027, 1, 31)),
    ("is the sync still on track for December?", D(2026, 12, 1), D(2026, 12, 31)),  # on track: ahead
    ("are we going live in January?", D(2027, 1, 1), D(2027, 1, 31)),
    ("we went live in March, right?", D(2026, 3, 1), D(2026, 3, 31)),
    ("what did we ship in December?", D(2025, 12, 1), D(2025, 12, 31)),  # the past tense: the last one
    ("how many accounts renew in Q1 2027?", D(2027, 1, 1), D(2027, 3, 31)),
    ("renewals in q1", D(2027, 1, 1), D(2027, 3, 31)),  # looking ahead, Q1 is over this year: next year's
    ("tickets in Q3", D(2026, 7, 1), D(2026, 9, 30)),
    ("tickets in Q4", D(2026, 10, 1), D(2026, 11, 16)),  # so far
    ("renewals in the fourth quarter of 2027", D(2027, 10, 1), D(2027, 12, 31)),
    ("what happened in the second quarter?", D(2026, 4, 1), D(2026, 6, 30)),
    ("which renewals fall in the first quarter of next year?", D(2027, 1, 1), D(2027, 3, 31)),
    ("tickets in Q3 last year", D(2025, 7, 1), D(2025, 9, 30)),
])
def test_windows(question: str, start: dt.date, end: dt.date) -> None:
    window = parse_window(question, AS_OF)
    assert window is not None and (window.start, window.end) == (start, end)
    assert window.ahead is (end > AS_OF)


@pytest.mark.parametrize("question", ["how is Globex doing?", "may I ask for a reference?", "since 2026-13-45",
                                      "what did we promise?",
                                      "you said it would be live by end of october, what happened?"])  # a deadline
def test_no_window(question: str) -> None:
    assert parse_window(question, AS_OF) is None


def test_a_named_quarter_reads_as_it_is_said() -> None:
    window = parse_window("renewals in q1", AS_OF)
    assert window is not None and window.phrase == "in Q1 2027"


def test_contains_takes_datetimes() -> None:
    window = parse_window("last month", AS_OF)
    assert window is not None
    assert window.contains(dt.datetime(2026, 10, 31, 23, 59)) and not window.contains(dt.date(2026, 11, 1))
    assert not window.contains(None)


@pytest.mark.parametrize(("question", "start", "end", "phrase"), [
    ("march renewals?", D(2027, 3, 1), D(2027, 3, 31), "in March 2027"),  # renewals look ahead
    ("October's tickets", D(2026, 10, 1), D(2026, 10, 31), "in October 2026"),
    ("what did they say in March?", D(2026, 3, 1), D(2026, 3, 31), "in March 2026"),
])
def test_a_month_naming_what_it_holds_is_that_month_named_whole(question: str, start: dt.date, end: dt.date,
                                                                  phrase: str) -> None:
    window = parse_window(question, AS_OF)
    assert window is not None and (window.start, window.end, window.phrase) == (start, end, phrase)


def test_may_before_a_noun_is_still_no_month_without_a_year() -> None:
    assert parse_window("may renewals slip if we wait?", AS_OF) is None
