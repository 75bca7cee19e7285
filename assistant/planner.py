"""From a question to a plan: which intent, which judgements to run, and what to retrieve.

Rules, not a model: each intent has a few phrase patterns; the first matching intents in priority
order win. The audience then narrows the plan: customers never get health, flags, the loyalty bank
or other accounts; managers get portfolio figures; CSMs get everything for any account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from accounts.access import Audience
from accounts.models import AskKind, SourceKind
from assistant.resolve import Resolution
from assistant.types import ToolUse


class Intent(StrEnum):
    PORTFOLIO = "portfolio"
    ADVOCACY = "advocacy"
    PROMISES = "promises"
    TALKING_POINTS = "talking_points"
    SUCCESS_PLAN = "success_plan"
    TICKETS = "tickets"
    HOW_TO = "how_to"
    NEXT_ACTIONS = "next_actions"
    STATUS = "status"
    HISTORY = "history"
    OPEN = "open"


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?:{p})" for p in patterns), re.IGNORECASE)


# In priority order: the first intent matched is the primary one.
INTENT_PATTERNS: Mapping[Intent, re.Pattern[str]] = {
    Intent.PORTFOLIO: _rx(r"\bportfolio\b", r"\bwhich (accounts|customers|renewals|clients)\b", r"\bbook of business\b",
                          r"\bacross (all|my|the) (accounts|customers)\b",
                          r"\bwho(?:'s| is| are| has| have)?\b.*\b(ready|silent|quiet|dark|risk|renew)",
                          r"\b(all|my) (accounts|customers)\b", r"\bany (accounts|customers)\b"),
    Intent.ADVOCACY: _rx(r"\badvoca", r"\breference\b", r"\bcase stud", r"\btestimonial", r"\bloyalty\b",
                         r"\bwebinar\b", r"\bspeak(?:er|ing) slot",
                         r"\bask (them|\w+) for (a |an )?(quote|review|reference)",
                         r"\bgood (time|moment) to ask\b", r"\bready to ask\b"),
    Intent.PROMISES: _rx(r"\bpromis", r"\bcommit", r"\bowe\b", r"\bopen (items|requests)\b", r"\brequests?\b",
                         r"\bfollow[- ]?ups?\b", r"\bagreed to\b"),
    Intent.TALKING_POINTS: _rx(r"\btalking points?\b", r"\bqbr\b", r"\bebr\b", r"\bbusiness review\b",
                               r"\bprep(are)?\b", r"\bagenda\b", r"\bbrief(ing)? me\b"),
    Intent.SUCCESS_PLAN: _rx(r"\bsuccess plan\b", r"\bobjectives?\b", r"\bmilestones?\b", r"\bgoals?\b", r"\bkpis?\b",
                             r"\bon track\b"),
    Intent.TICKETS: _rx(r"\btickets?\b", r"\bsupport (case|request)s?\b", r"\bescalat"),
    Intent.HOW_TO: _rx(r"\bhow (do|can|should) (i|we|you)\b(?!.*\b(?:ask|approach|handle|tell)\b)", r"\bhow to\b",
                       r"\bconfigur", r"\bset ?up\b", r"\benable\b", r"\btroubleshoot", r"\bfix\b", r"\berror\b",
                       r"\bdocs?\b", r"\bdocumentation\b", r"\bwhat is (the|a)\b.*\bfeature\b"),
    Intent.NEXT_ACTIONS: _rx(r"\bwhat next\b", r"\bnext steps?\b", r"\bwhat should (i|we) do\b", r"\bdo first\b",
                             r"\bprioriti", r"\brecommend", r"\bnext actions?\b", r"\bwhat (can|do) (i|we) do\b"),
    Intent.STATUS: _rx(r"\bhow (is|are|'s)\b", r"\bdoing\b", r"\bstatus\b", r"\bhealth", r"\bwhere (are|do) we\b",
                       r"\bupdate on\b", r"\boverview\b", r"\bsummar", r"\brisks?\b", r"\brenewal\b", r"\bstand\b",
                       r"\bgoing on\b", r"\bworried\b", r"\bchurn"),
    Intent.HISTORY: _rx(r"\bwhen (did|was|were)\b", r"\blast (meeting|call|email|time|touch|contact)\b", r"\bhistory\b",
                        r"\bwhat happened\b", r"\btimeline\b", r"\bdid (we|i|they)\b", r"\brecent(ly)?\b",
                        r"\bwho (is|was) (their|the)\b", r"\bsaid\b"),
}

PORTFOLIO_SECTIONS: Mapping[str, re.Pattern[str]] = {
    "at_risk": _rx(r"\brisk", r"\bchurn", r"\btrouble", r"\bred\b", r"\bworr"),
    "renewals_next_90d": _rx(r"\brenew", r"\bquarter\b", r"\b90 days\b", r"\bcoming up\b"),
    "advocacy_ready": _rx(r"\badvoca", r"\breference", r"\bcase stud", r"\bready\b", r"\bask\b"),
    "silent": _rx(r"\bsilent\b", r"\bquiet\b", r"\bgone dark\b", r"\bhaven'?t heard\b", r"\bno contact\b",
                  r"\bsilence\b"),
    "overdue_commitments": _rx(r"\boverdue\b", r"\bpromis", r"\bcommitment", r"\bowe\b"),
}

ASK_KIND_PATTERNS: Mapping[AskKind, re.Pattern[str]] = {
    AskKind.CASE_STUDY: _rx(r"\bcase stud"),
    AskKind.REFERENCE_CALL: _rx(r"\breference"),
    AskKind.SPEAKING: _rx(r"\bspeak"),
    AskKind.WEBINAR: _rx(r"\bwebinar"),
    AskKind.QUOTE: _rx(r"\bquote\b", r"\btestimonial"),
    AskKind.REVIEW: _rx(r"\breview\b(?!.*business)", r"\bg2\b"),
    AskKind.SOCIAL_SHARE: _rx(r"\bsocial\b", r"\blinkedin\b", r"\bshare\b"),
}

ALL_SOURCES = frozenset(SourceKind)
CUSTOMER_SOURCES = frozenset({SourceKind.DOCS, SourceKind.TICKETS, SourceKind.SUCCESS_PLANS, SourceKind.ACTIVITIES})
ACCOUNT_FREE_INTENTS = frozenset({Intent.PORTFOLIO, Intent.HOW_TO})

RETRIEVAL: Mapping[Intent, tuple[frozenset[SourceKind] | None, bool, int]] = {
    # intent: (sources, recency on, k)
    Intent.STATUS: (frozenset({SourceKind.ACTIVITIES, SourceKind.TICKETS, SourceKind.SURVEYS}), True, 6),
    Intent.NEXT_ACTIONS: (frozenset({SourceKind.ACTIVITIES, SourceKind.TICKETS}), True, 6),
    Intent.ADVOCACY: (frozenset({SourceKind.ADVOCACY, SourceKind.ACTIVITIES, SourceKind.SURVEYS}), True, 6),
    Intent.PROMISES: (frozenset({SourceKind.ACTIVITIES}), True, 6),
    Intent.TALKING_POINTS: (frozenset({SourceKind.ACTIVITIES, SourceKind.SUCCESS_PLANS, SourceKind.TICKETS,
                                       SourceKind.SURVEYS}), True, 8),
    Intent.HISTORY: (frozenset({SourceKind.ACTIVITIES, SourceKind.TICKETS}), True, 8),
    Intent.SUCCESS_PLAN: (frozenset({SourceKind.SUCCESS_PLANS, SourceKind.ACTIVITIES}), False, 4),
    Intent.TICKETS: (frozenset({SourceKind.TICKETS}), True, 6),
    Intent.HOW_TO: (frozenset({SourceKind.DOCS, SourceKind.TICKETS}), False, 6),
    Intent.OPEN: (None, False, 8),
    Intent.PORTFOLIO: (None, False, 0),
}


@dataclass(frozen=True)
class Plan:
    """What to do for one question; the offline composer and the LLM engine both read it."""

    question: str
    audience: Audience
    intent: Intent
    intents: tuple[Intent, ...]
    account_ids: tuple[str, ...]
    tools: tuple[ToolUse, ...] = ()
    sources: frozenset[SourceKind] | None = None
    recency: bool = False
    k: int = 6
    portfolio_sections: tuple[str, ...] = ()
    ask_kind: str | None = None

    @property
    def account_id(self) -> str | None:
        return self.account_ids[0] if self.account_ids else None

    @property
    def is_customer(self) -> bool:
        return self.audience is Audience.CUSTOMER


def detect_intents(question: str) -> tuple[Intent, ...]:
    """Every intent whose patterns match, in priority order; OPEN when none does."""
    found = tuple(intent for intent, pattern in INTENT_PATTERNS.items() if pattern.search(question))
    return found or (Intent.OPEN,)


def wants_account(intents: tuple[Intent, ...], audience: Audience) -> bool:
    """Whether a question without a named account should fall back to the conversation's account."""
    if intents[0] in ACCOUNT_FREE_INTENTS:
        return False
    return not (audience is Audience.MANAGER and intents[0] is Intent.OPEN)


def _customer_intent(intents: tuple[Intent, ...]) -> Intent:
    """Customers have no portfolio or loyalty bank: map those to what a customer may get."""
    allowed = [i for i in intents if i not in (Intent.PORTFOLIO, Intent.ADVOCACY)]
    if not allowed:
        return Intent.OPEN
    if allowed[0] is Intent.NEXT_ACTIONS:
        return Intent.STATUS
    return allowed[0]


def _vendor_intent(intents: tuple[Intent, ...], account_ids: tuple[str, ...]) -> Intent:
    """Vendor staff: about named accounts, the first account intent; otherwise portfolio-wide when it sounds so."""
    if account_ids:
        rest = [i for i in intents if i is not Intent.PORTFOLIO]
        return rest[0] if rest else Intent.STATUS
    if Intent.PORTFOLIO in intents or set(intents) & {Intent.ADVOCACY, Intent.STATUS, Intent.NEXT_ACTIONS}:
        return Intent.PORTFOLIO
    return intents[0]


def portfolio_sections(question: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in PORTFOLIO_SECTIONS.items() if pattern.search(question))


def ask_kind(question: str) -> str | None:
    return next((kind.value for kind, pattern in ASK_KIND_PATTERNS.items() if pattern.search(question)), None)


def _tools(intent: Intent, intents: tuple[Intent, ...], audience: Audience, account_ids: tuple[str, ...],
           kind: str | None) -> tuple[ToolUse, ...]:
    if intent is Intent.PORTFOLIO:
        return (ToolUse(name="portfolio", args={}),)
    if not account_ids:
        return ()
    if audience is Audience.CUSTOMER:
        reader = {Intent.SUCCESS_PLAN: "success_plan", Intent.STATUS: "success_plan", Intent.TICKETS: "tickets",
                  Intent.PROMISES: "commitments", Intent.TALKING_POINTS: "success_plan"}
        name = reader.get(intent)
        uses = [ToolUse(name=name, args={"account_id": account_ids[0]})] if name else []
        if intent in (Intent.STATUS, Intent.SUCCESS_PLAN):
            uses.append(ToolUse(name="guidance", args={"account_id": account_ids[0]}))
        return tuple(uses)
    uses = []
    for account_id in account_ids[:3]:
        if intent is Intent.ADVOCACY:
            args: dict[str, str] = {"account_id": account_id}
            if kind:
                args["kind"] = kind
            uses.append(ToolUse(name="advocacy_check", args=args))
        elif intent is Intent.PROMISES:
            uses.append(ToolUse(name="commitments", args={"account_id": account_id}))
        elif intent is Intent.SUCCESS_PLAN:
            uses.append(ToolUse(name="success_plan", args={"account_id": account_id}))
        elif intent in (Intent.STATUS, Intent.NEXT_ACTIONS, Intent.TALKING_POINTS):
            uses.append(ToolUse(name="health", args={"account_id": account_id}))
    if intent is Intent.TALKING_POINTS and account_ids:
        uses += [ToolUse(name="success_plan", args={"account_id": account_ids[0]}),
                 ToolUse(name="commitments", args={"account_id": account_ids[0]})]
    return tuple(uses)


def plan_question(question: str, audience: Audience, resolution: Resolution,
                  intents: tuple[Intent, ...] | None = None) -> Plan:
    """The plan for a question whose accounts are already resolved."""
    intents = intents or detect_intents(question)
    account_ids = resolution.account_ids
    customer = audience is Audience.CUSTOMER
    intent = _customer_intent(intents) if customer else _vendor_intent(intents, account_ids)
    sources, recency, k = RETRIEVAL[intent]
    if audience is Audience.CUSTOMER:
        sources = (sources or ALL_SOURCES) & CUSTOMER_SOURCES
    kind = ask_kind(question) if intent is Intent.ADVOCACY else None
    return Plan(
        question=question, audience=audience, intent=intent, intents=intents, account_ids=account_ids,
        tools=_tools(intent, intents, audience, account_ids, kind), sources=sources, recency=recency, k=k,
        portfolio_sections=portfolio_sections(question) if intent is Intent.PORTFOLIO else (), ask_kind=kind,
    )
