"""Numbered citations: every [n] in an answer points at a record the principal may see.

Records are looked up in the account book (for titles and snippets) or taken from retrieved
passages. `may_cite` is the last gate before anything reaches the answer: a customer never gets a
citation of another account, an internal activity, a survey or the loyalty bank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accounts.access import Scope
from accounts.book import AccountBook
from accounts.models import (
    Account,
    Activity,
    AdvocacyEvent,
    Contact,
    Doc,
    Objective,
    SourceKind,
    SuccessPlan,
    SurveyResponse,
    Ticket,
    UsageRecord,
    Visibility,
)
from assistant.types import Citation
from retrieval.passages import Passage

SNIPPET_CHARS = 240
CUSTOMER_CITABLE = frozenset(
    {SourceKind.DOCS, SourceKind.TICKETS, SourceKind.SUCCESS_PLANS, SourceKind.ACTIVITIES, SourceKind.USAGE}
)


def clip(text: str, limit: int = SNIPPET_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class PlanObjective:
    """A success-plan objective cited on its own (the judgements' evidence names objectives by id)."""

    account_id: str
    objective: Objective


def record_index(book: AccountBook) -> dict[tuple[SourceKind, str], Any]:
    """Every record of the book by (kind, id), so evidence from the tools can be titled and checked.

    Built once per book (a long-running front end keeps one book per ingest) and kept in its memo.
    """
    cached = book.memo.get("record_index")
    if cached is None:
        cached = book.memo["record_index"] = build_record_index(book)
    return cached  # type: ignore[no-any-return]


def build_record_index(book: AccountBook) -> dict[tuple[SourceKind, str], Any]:
    index: dict[tuple[SourceKind, str], Any] = {}
    for kind, record in book.iter_records():
        index[(kind, str(record.record_id))] = record  # type: ignore[attr-defined]
        if isinstance(record, SuccessPlan):  # the judgements cite objectives by their own id
            for objective in record.objectives:
                index.setdefault((SourceKind.SUCCESS_PLANS, objective.id), PlanObjective(record.account_id, objective))
    return index


def describe(record: Any) -> tuple[str, str]:
    """A record's citation title and snippet."""
    if isinstance(record, Activity):
        return f"{record.type.value.replace('_', ' ')} {record.date}: {record.title}", clip(record.body)
    if isinstance(record, Ticket):
        return f"ticket {record.ticket_id}: {record.subject}", clip(record.description)
    if isinstance(record, UsageRecord):
        return (f"usage week of {record.date}",
                clip(f"{record.active_users} active users, {record.sessions} sessions; {', '.join(record.features)}"))
    if isinstance(record, SurveyResponse):
        return f"{record.kind.value.upper()} {record.score} ({record.date})", clip(record.comment)
    if isinstance(record, AdvocacyEvent):
        outcome = f", {record.outcome.value}" if record.outcome else ""
        return f"{record.direction.value}: {record.kind.replace('_', ' ')}{outcome} ({record.date})", clip(record.note)
    if isinstance(record, SuccessPlan):
        return "success plan", clip("; ".join(f"{o.title} ({o.status.value})" for o in record.objectives))
    if isinstance(record, PlanObjective):
        o = record.objective
        kpi = f"{o.kpi}: baseline {o.baseline:g}, now {o.current:g}, target {o.target:g}; " if (
            o.kpi and None not in (o.baseline, o.current, o.target)) else ""
        return f"success plan objective: {o.title}", clip(f"{kpi}{o.status.value.replace('_', ' ')}, due {o.due}")
    if isinstance(record, Contact):
        return f"{record.name}", clip(f"{record.title} ({record.role.value if record.role else 'contact'})")
    if isinstance(record, Account):
        renewal = f", renews {record.renewal_date}" if record.renewal_date else ""
        arr = f"ARR ${record.arr:,.0f}" if record.arr is not None else "ARR unknown"
        return record.name, f"{arr}{renewal}; CSM {record.csm or 'unassigned'}"
    if isinstance(record, Doc):
        return record.title, clip(record.body)
    return str(record), ""


def may_cite(scope: Scope, source: SourceKind, record: Any) -> bool:
    """Whether a principal with this scope may be shown this record."""
    if source is SourceKind.DOCS:
        return True
    account_id = getattr(record, "account_id", None)
    if scope.account_ids is not None and account_id not in scope.account_ids:
        return False
    if not scope.is_customer:
        return True
    if source not in CUSTOMER_CITABLE:
        return False
    visibility = getattr(record, "visibility", Visibility.CUSTOMER)
    return scope.allows(visibility, account_id)


@dataclass
class CitationBook:
    """Hands out citation numbers, one per record, in the order they are first used."""

    scope: Scope
    index: dict[tuple[SourceKind, str], Any]
    citations: list[Citation] = field(default_factory=list)
    _numbers: dict[tuple[SourceKind, str], int] = field(default_factory=dict)

    def cite(self, source: SourceKind | str, record_id: str) -> int | None:
        """The number of a record of the book, or None when it is unknown or not for this principal."""
        key = (SourceKind(source), record_id)
        if key in self._numbers:
            return self._numbers[key]
        record = self.index.get(key)
        if record is None or not may_cite(self.scope, key[0], record):
            return None
        title, snippet = describe(record)
        return self._add(key, Citation(id=record_id, source=key[0], title=title, snippet=snippet))

    def cite_passage(self, passage: Passage) -> int | None:
        """The number of a retrieved passage's record (passages come scoped, but are checked again)."""
        chunk = passage.chunk
        key = (chunk.source, chunk.record_id)
        if key in self._numbers:
            return self._numbers[key]
        if chunk.source is not SourceKind.DOCS and key in self.index:
            return self.cite(*key)
        if not self.scope.allows(chunk.visibility, chunk.account_id):
            return None
        if self.scope.is_customer and chunk.source not in CUSTOMER_CITABLE:
            return None
        return self._add(key, Citation(id=chunk.record_id, source=chunk.source, title=chunk.title,
                                       snippet=passage.snippet(SNIPPET_CHARS)))

    def cite_all(self, evidence: Iterable[dict[str, Any]], limit: int = 3) -> str:
        """Markers like "[2][3]" for a tool's evidence list (JSON dicts with source and id)."""
        numbers: list[int] = []
        for item in evidence:
            n = self.cite(item["source"], str(item["id"]))
            if n is not None and n not in numbers:
                numbers.append(n)
            if len(numbers) >= limit:
                break
        return marks(numbers)

    def _add(self, key: tuple[SourceKind, str], citation: Citation) -> int:
        self.citations.append(citation)
        self._numbers[key] = len(self.citations)
        return len(self.citations)


def marks(numbers: Iterable[int | None]) -> str:
    """" [1][2]" (with a leading space) for the numbers given, "" when there are none."""
    text = "".join(f"[{n}]" for n in numbers if n is not None)
    return f" {text}" if text else ""
