"""Run a plan: the judgements it names and the retrieval it asks for, within the principal's scope.

Tool results are kept as their JSON form (`model_dump(mode="json")`): the composer reads the
contract's keys, not the tools' classes, so a judgement can grow fields without breaking answers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from accounts.access import Audience
from accounts.book import AccountBook, AccountRecords
from accounts.models import SourceKind, Visibility
from assistant.intents import load_table
from assistant.planner import Intent, Plan
from assistant.ports import AssistantPorts
from assistant.principal import Principal
from assistant.record_filters import matching_tickets, windowed_book
from assistant.time_window import TimeWindow
from assistant.types import ToolUse
from retrieval.passages import Passage
from tools.config import SentimentConfig

JUDGEMENTS = frozenset({"health", "advocacy_check", "portfolio"})
OWN_TICKETS = 3  # a customer asking after what they reported: this many of their best tickets join the search


@dataclass
class Findings:
    """Everything the composer may use for one question (already limited to what the principal may see)."""

    plan: Plan
    as_of: dt.date
    book: AccountBook
    directory: dict[str, str]
    passages: list[Passage] = field(default_factory=list)
    health: dict[str, dict[str, Any]] = field(default_factory=dict)
    advocacy: dict[str, dict[str, Any]] = field(default_factory=dict)
    portfolio: dict[str, Any] | None = None
    tools: list[ToolUse] = field(default_factory=list)
    support_days: int = 180  # the health judgement's support window (`support.lookback_days`), for reading tickets
    sentiment: SentimentConfig | None = None  # what the sentiment judgement reads as negative, for "who is upset?"
    judged: AccountBook | None = None  # the whole history the judgements saw, when `book` is bounded to a window

    def history(self, account_id: str) -> AccountRecords:
        """An account's records as the judgements saw them (a question's window bounds only what is listed)."""
        return (self.judged or self.book).records(account_id)


def _as_json(result: Any) -> dict[str, Any]:
    return result.model_dump(mode="json") if hasattr(result, "model_dump") else dict(result)


def run_judgement(use: ToolUse, book: AccountBook, as_of: dt.date, config: Any) -> dict[str, Any]:
    """One judgement tool, by name (imported here: the tools load only when a question needs them)."""
    if use.name == "health":
        from tools.health import assess_health

        return _as_json(assess_health(book, use.args["account_id"], as_of=as_of, config=config))
    if use.name == "advocacy_check":
        from tools.advocacy import check_advocacy

        return _as_json(check_advocacy(book, use.args["account_id"], as_of=as_of, config=config,
                                       contact_id=use.args.get("contact_id"), kind=use.args.get("kind")))
    from tools.portfolio import summarize_portfolio

    # A pure function of (book, as_of, config, csm): a long-running front end answers the same
    # portfolio question again from the book's memo until the next ingest brings a new book.
    key = f"portfolio|{as_of}|{use.args.get('csm')}|{id(config)}"
    if key not in book.memo:
        book.memo[key] = _as_json(summarize_portfolio(book, as_of=as_of, config=config, csm=use.args.get("csm")))
    return dict(book.memo[key])


def load_book(plan: Plan, principal: Principal, ports: AssistantPorts) -> AccountBook:
    """The part of the book the question needs; a customer's copy holds only what the customer may see."""
    if plan.intent is Intent.PORTFOLIO and not principal.is_customer:
        return ports.book(None, include_docs=False)
    ids = list(plan.account_ids)
    book = ports.book(ids, include_docs=plan.is_customer and bool(ids))
    if not principal.is_customer:
        return book
    return customer_view(book)


def customer_view(book: AccountBook) -> AccountBook:
    """A book without internal activities, surveys or the loyalty bank: what a customer may be shown."""
    records = book.all_records()
    return AccountBook.build(
        [r.account for r in records],
        contacts=[c for r in records for c in r.contacts],
        activities=[a for r in records for a in r.activities if a.visibility is Visibility.CUSTOMER],
        tickets=[t for r in records for t in r.tickets],
        usage=[u for r in records for u in r.usage],
        success_plans=[r.success_plan for r in records if r.success_plan is not None],
        docs=book.docs,
    )


def retrieve(plan: Plan, principal: Principal, ports: AssistantPorts, as_of: dt.date) -> list[Passage]:
    """The passages of the plan's retrieval, none dated after as_of, none outside the principal's scope."""
    if plan.k <= 0:
        return []
    focus = list(plan.account_ids)  # named accounts (how-to included: their tickets beside the docs)
    scope = principal.scope_for(focus)
    window = plan.window if plan.window is not None and not plan.window.ahead else None
    wanted = plan.k + 4 if window is None else plan.k * 4  # a window drops some: ask for more
    passages = ports.retriever.search(plan.search_text, scope, wanted, sources=plan.sources,
                                      as_of=as_of if plan.recency else None)
    # Kept: what the principal may read (a vendor's focus account narrowed the search, it is no bound here).
    readable = principal.readable()

    def keep(found: list[Passage]) -> list[Passage]:
        return [p for p in found if (p.chunk.date is None or p.chunk.date <= as_of)
                and (window is None or p.chunk.date is None or window.contains(p.chunk.date))
                and readable.allows(p.chunk.visibility, p.chunk.account_id)]

    kept = keep(passages)[: plan.k]
    if principal.is_customer and load_table().about_own_reports(plan.asked_text):
        # "what's happening with our sync problem?": their tickets on it compete with the docs' many pages
        seen = {(p.chunk.source, p.chunk.record_id) for p in kept}
        reported = ports.retriever.search(plan.search_text, scope, OWN_TICKETS, sources=frozenset({SourceKind.TICKETS}))
        kept += [p for p in keep(reported) if (p.chunk.source, p.chunk.record_id) not in seen]
    return kept


def gather(plan: Plan, principal: Principal, ports: AssistantPorts, as_of: dt.date,
           directory: dict[str, str]) -> Findings:
    """Run the plan's judgements and retrieval; judgements never run for a customer."""
    book = load_book(plan, principal, ports)
    findings = Findings(plan=plan, as_of=as_of, book=book, directory=directory,
                        support_days=ports.judgement_config.support.lookback_days,
                        sentiment=ports.judgement_config.sentiment)
    for use in plan.tools:
        findings.tools.append(use)
        if use.name not in JUDGEMENTS:
            continue  # book readers (commitments, success plan, ...) are composed from the book itself
        if principal.is_customer:
            raise AssertionError(f"judgement {use.name} planned for a customer")  # the planner's bug, never shown
        result = run_judgement(use, book, as_of, ports.judgement_config)
        if use.name == "health":
            findings.health[use.args["account_id"]] = result
        elif use.name == "advocacy_check":
            findings.advocacy[use.args["account_id"]] = result
        else:
            findings.portfolio = result
    if findings.portfolio is not None:
        findings.portfolio = portfolio_extras(findings.portfolio, plan, book, as_of, ports.judgement_config)
    findings.passages = whole_records(retrieve(plan, principal, ports, as_of), book)
    if plan.intent is not Intent.PORTFOLIO and (plan.window is not None or plan.ticket_filter is not None):
        # Judgements above saw the whole history; the records shown are the ones the question bounds.
        findings.judged, findings.book = book, windowed_book(book, plan.window, plan.ticket_filter)
    return findings


MOVE_POINTS = 5  # a health score change smaller than this over the trend window is no move
_WORSE = re.compile(r"\b(worse|deteriorat\w*|down|drop\w*|fell|fall\w*|declin\w*|slid\w*|slipp\w*)\b", re.I)
_BETTER = re.compile(r"\b(better|improv\w*|up|rose|risen|climb\w*)\b", re.I)


def _health_moves(book: AccountBook, as_of: dt.date, config: Any) -> list[dict[str, Any]]:
    """Accounts whose health score moved by `MOVE_POINTS` or more over the trend window (30 days), the biggest
    drop first: "which accounts got worse this month?". Computed only when asked (a second judgement per account)."""
    from tools.health import judge_account, score_delta

    moves = []
    for account_id in book.account_ids():
        records = book.records(account_id)
        core = judge_account(records, as_of, config)
        delta = score_delta(records, core.score, as_of, config)
        if delta is not None and abs(delta) >= MOVE_POINTS:
            account = records.account
            moves.append({"account_id": account_id, "name": account.name, "arr": account.arr,
                          "band": core.band.value if core.band else None, "score": core.score, "delta_30d": delta})
    return sorted(moves, key=lambda m: (m["delta_30d"], m["account_id"]))


def portfolio_extras(summary: dict[str, Any], plan: Plan, book: AccountBook, as_of: dt.date,
                     config: Any) -> dict[str, Any]:
    """The summary with what the question adds: matching tickets, the CSM ranking, notes, and renewals
    bounded by a window that looks ahead ("renewals in the next 30 days"; "this quarter" keeps the
    renewal window, as CSMs use it loosely for "coming up")."""
    extra: dict[str, Any] = {"rank_by": plan.csm_rank, "notes": list(plan.notes),
                             "rollup": plan.audience is Audience.MANAGER and not plan.csm}
    if plan.ticket_filter is not None:
        extra["open_tickets"] = _portfolio_tickets(plan, book, as_of)
        extra["ticket_filter"] = plan.ticket_filter.describe() + (f", {plan.window.describe()}" if plan.window else "")
    if "health_moves" in plan.portfolio_sections:
        moves = _health_moves(_csm_book(plan, book), as_of, config)
        if _WORSE.search(plan.question) and not _BETTER.search(plan.question):
            moves, extra["health_moves_label"] = [m for m in moves if m["delta_30d"] < 0], "Got worse"
        elif _BETTER.search(plan.question) and not _WORSE.search(plan.question):
            moves = sorted((m for m in moves if m["delta_30d"] > 0), key=lambda m: -m["delta_30d"])
            extra["health_moves_label"] = "Improved"
        extra["health_moves"] = moves
    window = plan.window
    if window is not None and window.ahead and not window.phrase.startswith(("this", "current")):
        extra["renewals_next_90d"] = _renewals_in(window, summary, _csm_book(plan, book), as_of)
        extra["renewals_label"] = window.phrase if re.search(r"\d", window.phrase) else window.describe()
    return {**summary, **extra}


def _renewals_in(window: TimeWindow, summary: dict[str, Any], book: AccountBook,
                 as_of: dt.date) -> list[dict[str, Any]]:
    """Renewals inside the window, soonest first; beyond the summary's 90 days they come from the
    account rows (with their band when the summary lists them at risk)."""
    known = {r["account_id"]: r for r in summary.get("renewals_next_90d") or []}
    bands = {r["account_id"]: r.get("band") for r in summary.get("at_risk") or []}
    found = []
    for account_id in book.account_ids():
        account = book.accounts[account_id]
        if account.renewal_date is None or not window.contains(account.renewal_date):
            continue
        found.append(known.get(account_id) or {
            "account_id": account_id, "name": account.name, "arr": account.arr, "band": bands.get(account_id),
            "renewal_date": str(account.renewal_date), "days": (account.renewal_date - as_of).days})
    return sorted(found, key=lambda r: (str(r["renewal_date"]), r["account_id"]))


def _csm_book(plan: Plan, book: AccountBook) -> AccountBook:
    """The accounts of the CSM a portfolio question is narrowed to (the whole book otherwise)."""
    if not plan.csm:
        return book
    from tools.portfolio import csm_matches

    return book.subset([a for a in book.account_ids() if csm_matches(book.accounts[a], plan.csm)], include_docs=False)


def _portfolio_tickets(plan: Plan, book: AccountBook, as_of: dt.date) -> list[dict[str, Any]]:
    """The tickets a portfolio-wide ticket question asks for, in the CSM's book when it is narrowed."""
    assert plan.ticket_filter is not None
    return matching_tickets(_csm_book(plan, book), as_of, plan.ticket_filter, plan.window)


def whole_records(passages: list[Passage], book: AccountBook) -> list[Passage]:
    """Passages of activities and tickets widened to the whole record when the book holds it.

    A long e-mail is split into chunks for retrieval, but the best chunk may be the signature half:
    the composer should pick sentences from the whole message. (Docs stay chunked: they are long.)
    The book was loaded for the principal, so widening never reveals more than the chunk's record.
    """
    bodies: dict[tuple[str, str], str] = {}
    owners = {p.chunk.account_id for p in passages if p.chunk.account_id in book.accounts}
    for records in (book.records(a) for a in sorted(owners)):  # type: ignore[arg-type]
        bodies.update({("activities", a.id): a.body for a in records.activities})
        bodies.update({("tickets", t.ticket_id): t.description for t in records.tickets})
    widened = []
    for passage in passages:
        body = bodies.get((passage.chunk.source.value, passage.chunk.record_id))
        if body:
            context = passage.chunk.text.split("\n", 1)[0]
            chunk = passage.chunk.model_copy(update={"text": f"{context}\n{body}"})
            passage = passage.model_copy(update={"chunk": chunk})
        widened.append(passage)
    return widened
