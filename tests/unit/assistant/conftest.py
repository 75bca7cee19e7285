"""A small hand-built book, a word-overlap retriever and an in-memory store: fake ports for the assistant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from accounts.access import Scope
from accounts.book import AccountBook
from accounts.models import (
    Account,
    Activity,
    ActivityType,
    AdvocacyDirection,
    AdvocacyEvent,
    Contact,
    ContactRole,
    Doc,
    Milestone,
    Objective,
    ObjectiveStatus,
    SourceKind,
    SuccessPlan,
    SurveyKind,
    SurveyResponse,
    Ticket,
    TicketStatus,
    UsageRecord,
)
from assistant.words import content_words
from retrieval.passages import Chunk, Passage
from retrieval.record_text import describe_record
from tools.config import default_judgement_config

AS_OF = dt.date(2026, 11, 16)


def _activity(i: str, account: str, day: str, kind: str, title: str, body: str, **kw: Any) -> Activity:
    return Activity(id=i, account_id=account, date=dt.date.fromisoformat(day), type=ActivityType(kind), title=title,
                    body=body, **kw)


def build_book() -> AccountBook:
    accounts = [
        Account(account_id="globex", name="Globex Logistics", arr=420000, renewal_date=dt.date(2027, 2, 28),
                licensed_seats=50, contract_start=dt.date(2025, 3, 1), first_value_date=dt.date(2025, 6, 1),
                csm="dana@fieldloop.example"),
        Account(account_id="hooli", name="Hooli", arr=510000, renewal_date=dt.date(2027, 6, 30), licensed_seats=40,
                contract_start=dt.date(2024, 7, 1), first_value_date=dt.date(2024, 10, 1),
                csm="priya@fieldloop.example"),
        Account(account_id="umbrella", name="Umbrella Health", arr=365000, renewal_date=dt.date(2027, 4, 30),
                contract_start=dt.date(2025, 5, 1), csm="dana@fieldloop.example"),
    ]
    contacts = [Contact(contact_id="c-1", account_id="globex", name="Ana Ruiz", title="VP Ops",
                        role=ContactRole.CHAMPION),
                Contact(contact_id="c-2", account_id="hooli", name="Gavin B", title="CEO", role=ContactRole.SPONSOR)]
    activities = [
        _activity("a-1", "globex", "2026-10-01", "meeting", "QBR with ops", "Reviewed dispatch adoption. Ana wants "
                  "faster invoicing.", visibility="customer"),
        _activity("a-2", "globex", "2026-11-02", "note", "Internal: renewal risk",
                  "Ana hinted they are evaluating a competitor. Keep this internal.", visibility="internal"),
        _activity("a-3", "globex", "2026-10-20", "commitment", "Send the Power BI export guide",
                  "We promised a Power BI export of job data.", visibility="customer", status="open",
                  due=dt.date(2026, 11, 1)),
        _activity("a-4", "globex", "2026-11-10", "email", "Sync outage update",
                  "Technicians lost offline sync data on Monday.", visibility="customer"),
        _activity("a-5", "hooli", "2026-11-05", "meeting", "Hooli weekly", "Gavin is happy with routing.",
                  visibility="customer"),
        _activity("a-6", "hooli", "2026-11-06", "request", "More seats", "Hooli asked for 20 more seats.",
                  visibility="internal", status="open"),
    ]
    tickets = [Ticket(ticket_id="T-1", account_id="globex", opened_at=dt.datetime(2026, 11, 8, 9), severity=1,
                      status=TicketStatus.OPEN, subject="Sync conflict loses job notes",
                      description="Offline sync conflict "
                      "overwrote technician notes.", escalated=True),
               Ticket(ticket_id="T-2", account_id="hooli", opened_at=dt.datetime(2026, 9, 1, 9),
                      closed_at=dt.datetime(2026, 9, 2, 9), severity=4, status=TicketStatus.CLOSED,
                      subject="Logo on invoices")]
    usage = [UsageRecord(account_id="globex", date=AS_OF - dt.timedelta(days=7 * w), active_users=30,
                         sessions=200, features=("dispatch", "scheduling")) for w in range(1, 12)]
    surveys = [SurveyResponse(response_id="s-1", account_id="globex", contact_id="c-1", date=dt.date(2026, 10, 5),
                              kind=SurveyKind.NPS, score=4, comment="Sync problems are frustrating.")]
    advocacy = [AdvocacyEvent(id="adv-1", account_id="hooli", date=dt.date(2026, 5, 1),
                              direction=AdvocacyDirection.GIVE,
                              kind="training", note="Free admin training")]
    plans = [SuccessPlan(account_id="globex", updated=dt.date(2026, 10, 1), path="success_plans/globex.yaml",
                         objectives=(Objective(id="obj-1", title="Cut travel time between jobs with better routes",
                                               kpi="drive_minutes_per_job", baseline=40, target=30, current=38,
                                               due=dt.date(2027, 1, 31), status=ObjectiveStatus.ON_TRACK,
                                               milestones=(Milestone(title="Routing pilot",
                                                                     due=dt.date(2026, 12, 1)),)),))]
    docs = [Doc(path="docs/mobile/sync-conflicts.md", title="Resolving sync conflicts", product_area="offline_sync",
                body="# Resolving sync conflicts\nA sync conflict happens when two people edit a job offline.\n"
                     "1. Open the job in the office console.\n2. Compare both versions.\n3. Keep the right one.\n"),
            Doc(path="docs/routing/route-optimization.md", title="Route optimization",
                product_area="route_optimization",
                body="Route optimization plans the best routes between jobs to cut travel time and drive minutes."),
            Doc(path="docs/admin/sso.md", title="Single sign-on", product_area="security",
                body="Set up SSO with Okta or Azure AD in the admin console.")]
    return AccountBook.build(accounts, contacts=contacts, activities=activities, tickets=tickets, usage=usage,
                             surveys=surveys, advocacy=advocacy, success_plans=plans, docs=docs)


class WordRetriever:
    """Ranks the book's indexable texts by shared content words, honouring scope and sources like the real one."""

    def __init__(self, book: AccountBook) -> None:
        self.chunks: list[Chunk] = []

        for kind, record in book.iter_records():
            text = describe_record(kind, record, book)
            if text is None:
                continue
            self.chunks.append(Chunk(chunk_id=f"{kind.value}:{text.record_id}#0", record_id=text.record_id,
                                     source=text.source, account_id=text.account_id, visibility=text.visibility,
                                     date=text.date, path=text.path, title=text.title,
                                     text=f"{text.context}\n{text.body}"))
        self.calls: list[dict[str, Any]] = []

    def search(self, query: str, scope: Scope, k: int = 10, *, mode: Any = None,
               sources: frozenset[SourceKind] | None = None, as_of: dt.date | None = None) -> list[Passage]:
        self.calls.append({"query": query, "scope": scope, "sources": sources})
        words = content_words(query)
        scored = []
        for chunk in self.chunks:
            if not scope.allows(chunk.visibility, chunk.account_id) or (sources and chunk.source not in sources):
                continue
            overlap = len(words & content_words(chunk.text))
            if overlap:
                scored.append((overlap, chunk))
        scored.sort(key=lambda x: (-x[0], x[1].chunk_id))
        return [Passage(chunk=c, score=s / 10) for s, c in scored[:k]]


@dataclass
class FakeStore:
    book: AccountBook
    engine: sa.Engine = field(default_factory=lambda: sa.create_engine("sqlite://"))

    def account_directory(self) -> dict[str, str]:
        return {a: acc.name for a, acc in self.book.accounts.items()}

    def load_accounts(self) -> list[Account]:
        return list(self.book.accounts.values())

    def load_contacts(self) -> list[Contact]:
        return [c for records in self.book.all_records() for c in records.contacts]


class FakePorts:
    """Structurally an `AssistantPorts`: the assistant cannot tell it from the real Services."""

    def __init__(self, book: AccountBook) -> None:
        self.full = book
        self.store = FakeStore(book)
        self.retriever = WordRetriever(book)
        self.judgement_config = default_judgement_config()
        self.book_calls: list[list[str] | None] = []

    def book(self, account_ids: list[str] | None = None, *, include_docs: bool = False) -> AccountBook:
        self.book_calls.append(account_ids)
        ids = set(account_ids) if account_ids is not None else set(self.full.accounts)
        records = [r for r in self.full.all_records() if r.account_id in ids]
        return AccountBook.build(
            [r.account for r in records], contacts=[c for r in records for c in r.contacts],
            activities=[a for r in records for a in r.activities], tickets=[t for r in records for t in r.tickets],
            usage=[u for r in records for u in r.usage], surveys=[s for r in records for s in r.surveys],
            advocacy=[e for r in records for e in r.advocacy],
            success_plans=[r.success_plan for r in records if r.success_plan],
            docs=self.full.docs if include_docs else (),
        )


@pytest.fixture
def book() -> AccountBook:
    return build_book()


@pytest.fixture
def ports(book: AccountBook) -> FakePorts:
    return FakePorts(book)


@pytest.fixture
def directory(book: AccountBook) -> dict[str, str]:
    return {a: acc.name for a, acc in book.accounts.items()}
