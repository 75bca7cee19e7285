"""Which text of each record kind is searchable, and with which visibility.

A record becomes one `IndexableText` (title, body, scope fields); chunking splits the body.
Kinds that are pure numbers (usage, accounts, contacts) are not indexed: the tools read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from accounts.book import AccountBook
from accounts.models import (
    Activity,
    AdvocacyEvent,
    Doc,
    Record,
    SourceKind,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    Visibility,
)

SOURCE_FILES = {
    SourceKind.ACTIVITIES: "activities.jsonl",
    SourceKind.TICKETS: "tickets.csv",
    SourceKind.SURVEYS: "surveys.csv",
    SourceKind.ADVOCACY: "advocacy.jsonl",
}


@dataclass(frozen=True)
class IndexableText:
    source: SourceKind
    record_id: str
    account_id: str | None
    visibility: Visibility
    date: dt.date | None
    path: str
    title: str
    body: str
    context: str  # prefixed to every chunk: whose record and what it is, for both retrievers


def describe_activity(a: Activity, account_name: str, author: str = "") -> IndexableText:
    """`author`: who wrote it in words ("Richard Hale, Chief Operating Officer"), so "what did their COO write?"
    and "Marisol's last e-mail" find it; empty when the author is no contact of the account."""
    kind = a.type.value.replace("_", " ")
    status = f" ({a.status.value}{', due ' + a.due.isoformat() if a.due else ''})" if a.status else ""
    by = f" from {author}" if author else ""
    return IndexableText(
        SourceKind.ACTIVITIES, a.id, a.account_id, a.visibility, a.date, SOURCE_FILES[SourceKind.ACTIVITIES],
        a.title or kind, a.body, f"{account_name} — {kind}{by}{status}, {a.date.isoformat()}: {a.title}",
    )


def author_in_words(activity: Activity, book: AccountBook) -> str:
    """The activity's author as the account's contacts table names them (name, title), or ""."""
    if activity.account_id not in book.accounts or "@" not in activity.author:
        return ""
    email = activity.author.strip().lower()
    contact = next((c for c in book.records(activity.account_id).contacts if c.email.strip().lower() == email), None)
    return contact.in_words() if contact is not None else ""


def describe_ticket(t: Ticket, account_name: str) -> IndexableText:
    state = "escalated, " if t.escalated else ""
    return IndexableText(
        SourceKind.TICKETS, t.ticket_id, t.account_id, Visibility.CUSTOMER, t.opened_at.date(),
        SOURCE_FILES[SourceKind.TICKETS], t.subject,  t.description,
        f"{account_name} — ticket {t.ticket_id} (severity {t.severity}, {state}{t.status.value}): {t.subject}",
    )


def describe_survey(s: SurveyResponse, account_name: str) -> IndexableText:
    return IndexableText(
        SourceKind.SURVEYS, s.response_id, s.account_id, Visibility.INTERNAL, s.date, SOURCE_FILES[SourceKind.SURVEYS],
        f"{s.kind.value.upper()} {s.score}", s.comment,
        f"{account_name} — {s.kind.value.upper()} survey response, score {s.score}, {s.date.isoformat()}",
    )


def describe_advocacy(e: AdvocacyEvent, account_name: str) -> IndexableText:
    what = e.kind.replace("_", " ")
    outcome = f", {e.outcome.value}" if e.outcome else ""
    return IndexableText(
        SourceKind.ADVOCACY, e.id, e.account_id, Visibility.INTERNAL, e.date, SOURCE_FILES[SourceKind.ADVOCACY],
        f"{e.direction.value}: {what}", e.note,
        f"{account_name} — loyalty bank {e.direction.value}: {what}{outcome}, {e.date.isoformat()}",
    )


def describe_plan(p: SuccessPlan, account_name: str) -> IndexableText:
    lines = []
    for o in p.objectives:
        numbers = f" (KPI {o.kpi}: baseline {o.baseline}, target {o.target}, now {o.current})" if o.kpi else ""
        due = f", due {o.due.isoformat()}" if o.due else ""
        lines.append(f"Objective {o.id}: {o.title}{numbers} — {o.status.value.replace('_', ' ')}{due}.")
        for m in o.milestones:
            state = f"done {m.done.isoformat()}" if m.done else f"due {m.due.isoformat()}" if m.due else "open"
            lines.append(f"- Milestone: {m.title} ({state}).")
    return IndexableText(
        SourceKind.SUCCESS_PLANS, p.record_id, p.account_id, Visibility.CUSTOMER, p.updated, p.path,
        f"{account_name} success plan", "\n".join(lines), f"{account_name} — success plan",
    )


def describe_doc(d: Doc) -> IndexableText:
    return IndexableText(
        SourceKind.DOCS, d.path, None, Visibility.PUBLIC, None, d.path, d.title, d.body, d.title
    )


def describe_record(kind: SourceKind, record: Record, book: AccountBook) -> IndexableText | None:
    """The searchable text of one record, or None for kinds that hold only numbers."""
    if isinstance(record, Doc):
        return describe_doc(record)
    account_id = getattr(record, "account_id", None)
    name = book.accounts[account_id].name if account_id in book.accounts else str(account_id)
    if isinstance(record, Activity):
        return describe_activity(record, name, author_in_words(record, book))
    if isinstance(record, Ticket):
        return describe_ticket(record, name)
    if isinstance(record, SurveyResponse):
        return describe_survey(record, name) if record.comment.strip() else None
    if isinstance(record, AdvocacyEvent):
        return describe_advocacy(record, name)
    if isinstance(record, SuccessPlan):
        return describe_plan(record, name) if record.objectives else None
    return None


def iter_indexable(book: AccountBook, records: Iterator[tuple[SourceKind, Record]]) -> Iterator[IndexableText]:
    for kind, record in records:
        text = describe_record(kind, record, book)
        if text is not None:
            yield text
