"""Many tickets, read as a signal: an engaged customer's questions (noise) or trouble.

The health judgement already weighs tickets this way (docs/judgements.md, "Noise is not churn"):
quickly solved severity-3/4 tickets cost its support component nothing. Asked "Hooli has opened 30
tickets. Are they about to churn?", the reply must say so in words, not only show a green score: the
count by severity, the support component with its evidence, the reading, and the notes we wrote about
the volume (a customer whose process files every question as a ticket), each cited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from accounts.book import AccountRecords
from accounts.models import ActivityType, SourceKind
from assistant.citations import CitationBook, marks
from assistant.compose_records import as_of_view
from assistant.words import sentences

# A question about how many tickets an account opens, or what they mean: "a ton of tickets", "why so many cases",
# "should the ticket count worry me", "30 tickets, are they about to churn?".
_ASKS_VOLUME = re.compile(
    r"(?=.*\b(tickets?|cases?|support requests?)\b)(?=.*(\b(many|lots?|a lot|tons?|bunch|flood\w*|volume|count|"
    r"number of|keeps? (opening|filing|raising|logging)|so often|churn\w*|worr\w*|unhappy|concern\w*)\b|\b\d{2,}\b))",
    re.IGNORECASE)
_TICKET_WORD = re.compile(r"\b(tickets?|cases?)\b", re.IGNORECASE)
NOISE_SUPPORT_SCORE = 80  # the support component at or above this: the volume costs them nothing that matters
MIN_TICKETS = 3  # fewer tickets than this in the window: no volume to read
NOTES_SHOWN = 2
# What we wrote or heard about their way of working: notes, meetings, calls, the hand-off (not a single e-mail thread).
_EXPLAINING = frozenset({ActivityType.NOTE, ActivityType.MEETING, ActivityType.CALL, ActivityType.HANDOFF})
_WRITTEN_DOWN = frozenset({ActivityType.NOTE, ActivityType.HANDOFF})


def asks_ticket_volume(question: str) -> bool:
    """Whether a question asks what an account's many tickets mean (or why it opens so many)."""
    return bool(_ASKS_VOLUME.search(question))


def _support(health: dict[str, Any] | None) -> dict[str, Any] | None:
    return next((c for c in (health or {}).get("components", []) if c.get("name") == "support" and c.get("scored")),
                None)


def ticket_signal(records: AccountRecords, health: dict[str, Any] | None, cites: CitationBook, as_of: dt.date,
                  lookback_days: int) -> list[str]:
    """The section reading the account's ticket volume; [] when it opened too few tickets to read."""
    since = as_of - dt.timedelta(days=lookback_days)
    states = [s for s in as_of_view(records, as_of).tickets if s.opened_on >= since]
    if len(states) < MIN_TICKETS:
        return []
    by_severity = Counter(s.ticket.severity for s in states)
    mix = ", ".join(f"{n} severity {severity}" for severity, n in sorted(by_severity.items()))
    lines = ["**The tickets as a signal**", f"- {len(states)} tickets opened in the last {lookback_days} days: {mix}."]
    support = _support(health)
    if support is not None:
        lines.append(f"- Support health {support['score']}/100: {support['detail']}"
                     f"{cites.cite_all(support.get('evidence', []))}")
        crisis = any(f.get("code") == "open_crisis" for f in (health or {}).get("flags", []))
        severe_open = any(s.open and s.ticket.severity <= 2 for s in states)
        if support["score"] >= NOISE_SUPPORT_SCORE and not crisis and not severe_open:
            lines.append("- Reading: volume without severity. Small tickets, solved quickly and rated well, are an "
                         "engaged customer's questions (noise), not a churn signal.")
        else:
            lines.append("- Reading: these tickets weigh on their health; the support score above says how.")
    return [*lines, *_notes_on_tickets(records, cites, as_of)]


def _notes_on_tickets(records: AccountRecords, cites: CitationBook, as_of: dt.date) -> list[str]:
    """Our newest notes saying something about their tickets ("every question is a ticket: their SOX policy"): notes
    and the hand-off first (where we write down how a customer works), then meetings and calls."""
    lines: list[str] = []
    newest = sorted(records.activities, key=lambda a: (a.date, a.id), reverse=True)
    for activity in sorted(newest, key=lambda a: a.type not in _WRITTEN_DOWN):
        if activity.date > as_of or activity.type not in _EXPLAINING or len(lines) >= NOTES_SHOWN:
            continue
        said = next((s for s in sentences(activity.body) if _TICKET_WORD.search(s)), None)
        if said is None and not _TICKET_WORD.search(activity.title):
            continue
        n = cites.cite(SourceKind.ACTIVITIES, activity.id)
        if n is not None:
            text = " ".join((said or activity.body).split())
            lines.append(f"- {activity.date} · {activity.title}: {text}{marks([n])}")
    return lines
