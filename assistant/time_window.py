"""Time windows in a question ("last month", "this week", "since October"), relative to the as-of date.

People bound what they ask about in calendar words; the answer should bound the records it shows the
same way. A window is a closed date range [start, end]; phrases that look ahead ("next month",
"in the next 30 days") end after as_of, phrases that look back end at as_of. Weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH_PATTERN = r"(january|february|march|april|may|june|july|august|september|october|november|december|" \
                r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"  # a month's name, whole or short
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "thirty": 30, "ninety": 90, "few": 3, "couple": 2}
_COUNT = r"(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|ninety|few|couple(?: of)?)"


@dataclass(frozen=True)
class TimeWindow:
    """A closed date range named in a question, and the words that named it."""

    start: dt.date
    end: dt.date
    phrase: str
    ahead: bool = False  # ends after the as-of date: a window for what is due or renews, not for history

    def contains(self, day: dt.date | dt.datetime | None) -> bool:
        if day is None:
            return False
        if isinstance(day, dt.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def describe(self) -> str:
        return f"{self.phrase} ({self.start} to {self.end})"


def _count(word: str) -> int:
    word = word.replace(" of", "")
    return int(word) if word.isdigit() else _NUMBERS.get(word, 1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


_QUARTER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _named_month(name: str, year: str | None, as_of: dt.date, ahead: bool = False) -> dt.date:
    """The first day of the named month: this year's, or last year's when it has not come yet; `ahead`
    (the question looks forward: "the fix coming in December"), this year's or next year's."""
    month = MONTHS[name]
    if year:
        return dt.date(int(year), month, 1)
    if ahead:
        return dt.date(as_of.year if month >= as_of.month else as_of.year + 1, month, 1)
    return dt.date(as_of.year if month <= as_of.month else as_of.year - 1, month, 1)


def _relative(unit: str, which: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """this/last/next week, month, quarter, year as calendar periods."""
    shift = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[which]
    if unit == "week":
        monday = as_of - dt.timedelta(days=as_of.weekday()) + dt.timedelta(days=7 * shift)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        first = _add_months(_month_start(as_of), shift)
        return first, _month_end(first)
    if unit == "quarter":
        first = _add_months(_quarter_start(as_of), 3 * shift)
        return first, _add_months(first, 3) - dt.timedelta(days=1)
    first = dt.date(as_of.year + shift, 1, 1)
    return first, dt.date(first.year, 12, 31)


_UNIT = r"(day|week|fortnight|month|quarter|year)s?\b"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.IGNORECASE), kind) for p, kind in (
    (rf"\b(?:in|over|during|for|within)? ?the (?:last|past|previous) {_COUNT} {_UNIT}", "back_n"),
    (rf"\b(?:last|past|previous) {_COUNT} (day|week|fortnight|month|quarter|year)s?\b", "back_n"),
    (rf"\b(?:in|over|within|during) (?:the )?(?:next|coming) {_COUNT} (day|week|fortnight|month|quarter|year)s?\b",
     "ahead_n"),
    (rf"\bnext {_COUNT} (day|week|fortnight|month|quarter|year)s?\b", "ahead_n"),
    (r"\b(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th) quarter)"
     r"(?:,? (?:of )?(\d{4}|(?:this|next|last) year))?\b", "in_quarter"),
    (r"\b(this|current|last|past|previous|next|coming) (week|month|quarter|year)\b", "period"),
    # "before year end", "by the end of the quarter": from as_of to the end of this calendar period
    (r"\b(?:before|by|until|till|through|to) (?:the )?(?:end of (?:the |this )?(week|month|quarter|year)|"
     r"(week|month|quarter|year)[- ]?end)\b", "to_end"),
    (rf"\b(?:before|by|until|till|through) (?:the )?end of {MONTH_PATTERN}(?: (\d{{4}}))?\b", "to_month_end"),
    (rf"\bsince (?:the (?:start|beginning) of )?{MONTH_PATTERN}(?: (\d{{4}}))?\b", "since_month"),
    (r"\bsince (\d{4}-\d{2}-\d{2})\b", "since_date"),
    # "in March", "during October", but not "by the end of October" (a deadline, not a period to read)
    (rf"(?<!\bend )\b(?:in|during|for|of) {MONTH_PATTERN}(?: (\d{{4}}))?\b", "in_month"),
    # a month naming what it holds: "march renewals", "October's tickets"
    (rf"\b{MONTH_PATTERN}(?:'s)?(?: (\d{{4}}))? (?=(?:renewals?|tickets?|meetings?|calls?|e-?mails?|activit(?:y|ies)|"
     r"touch ?points|qbrs?|surveys?|usage|invoices?)\b)", "in_month"),
    (r"\b(today)\b", "today"),
    (r"\b(yesterday)\b", "yesterday"),
    (r"\b(year to date|ytd)\b", "ytd"),
)]


def parse_window(question: str, as_of: dt.date) -> TimeWindow | None:
    """The first time window the question names, or None (then the answer is not bounded in time)."""
    found = _parse(question, as_of)
    if found is None:
        return None
    start, end, phrase = found
    return TimeWindow(start, end, phrase, ahead=end > as_of)


def _parse(question: str, as_of: dt.date) -> tuple[dt.date, dt.date, str] | None:
    for pattern, kind in _PATTERNS:
        found = pattern.search(question)
        if found is None:
            continue
        phrase = " ".join(found.group(0).lower().split())
        groups = found.groups()
        if kind == "back_n":
            days = _count(groups[0].lower()) * _UNIT_DAYS[groups[1].lower()]
            return (as_of - dt.timedelta(days=days), as_of, phrase)
        if kind == "ahead_n":
            days = _count(groups[0].lower()) * _UNIT_DAYS[groups[1].lower()]
            return (as_of, as_of + dt.timedelta(days=days), phrase)
        if kind == "period" and groups[0].lower() == "past":  # "the past week": the last seven days
            return (as_of - dt.timedelta(days=_UNIT_DAYS[groups[1].lower()]), as_of, phrase)
        if kind == "period":
            start, end = _relative(groups[1].lower(), groups[0].lower(), as_of)
            if start <= as_of <= end and groups[0].lower() in ("this", "current"):
                end = as_of if not _looks_ahead(question) else end
            return (start, end, phrase)
        if kind == "to_end":
            return (as_of, _relative((groups[0] or groups[1]).lower(), "this", as_of)[1], phrase)
        if kind == "to_month_end":  # "renewals by the end of March"; a deadline passed ("live by end of October,
            # what happened?") names the promise asked about, not a period to read: no window
            month_end = _month_end(_named_month(groups[0].lower(), groups[1], as_of, ahead=not _PAST.search(question)))
            if month_end < as_of:
                continue
            return (as_of, month_end, phrase)
        if kind == "since_month":
            return (_named_month(groups[0].lower(), groups[1], as_of), as_of, phrase)
        if kind == "since_date":
            try:
                return (dt.date.fromisoformat(groups[0]), as_of, phrase)
            except ValueError:
                continue  # not a real date: no window rather than a wrong one
        if kind == "in_month":
            if groups[0].lower() == "may" and not groups[1]:
                continue  # "in may" is more often the verb than the month
            ahead = _looks_ahead(question) and not _PAST.search(question)
            first = _named_month(groups[0].lower(), groups[1], as_of, ahead=ahead)
            phrase = f"in {first:%B %Y}"  # "march renewals": the month meant, named whole
            return (first, min(_month_end(first), as_of) if first <= as_of else _month_end(first), phrase)
        if kind == "in_quarter":  # "renewals in Q1 2027", "tickets in the third quarter"
            number = int(groups[0]) if groups[0] else _QUARTER_WORDS[groups[1].lower()]
            ahead = _looks_ahead(question) and not _PAST.search(question)
            year = groups[2].lower() if groups[2] else ""
            shift = {"this year": 0, "next year": 1, "last year": -1}.get(year)
            first = dt.date(as_of.year + shift if shift is not None else int(year) if year else as_of.year,
                            3 * number - 2, 1)
            if not groups[2] and ahead and _add_months(first, 3) <= as_of:
                first = _add_months(first, 12)  # "renewals in Q1", asked in November: next year's
            elif not groups[2] and not ahead and first > as_of:
                first = _add_months(first, -12)  # "tickets in Q4", asked in February: last year's
            last = _add_months(first, 3) - dt.timedelta(days=1)
            return (first, min(last, as_of) if first <= as_of and not ahead else last, f"in Q{number} {first.year}")
        if kind == "today":
            return (as_of, as_of, phrase)
        if kind == "yesterday":
            day = as_of - dt.timedelta(days=1)
            return (day, day, phrase)
        return (dt.date(as_of.year, 1, 1), as_of, phrase)
    return None


_AHEAD = re.compile(r"\b(renew\w*|due|coming( up)?|upcoming|expir\w*|will|going to|scheduled|planned|"
                    r"ship(s|ping)?|land(s|ing)?|on track|still on|go(es|ing)?[- ]live|be live|deadline|eta|"
                    r"expected|at risk)\b",
                    re.IGNORECASE)
_PAST = re.compile(r"\b(did|was|were|had|ago|shipped|happened|went)\b", re.IGNORECASE)


def _looks_ahead(question: str) -> bool:
    """"Renewals this quarter" means the whole quarter; "tickets this quarter" means so far."""
    return bool(_AHEAD.search(question))
