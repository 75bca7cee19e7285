"""From a question to a plan: which intents, which judgements to run, what to retrieve, for whom.

Every intent of the table (intents.yaml, scored in assistant.intents) is scored for every question;
the intents close to the best are kept, and a judgement that answers the question (risk, churn,
why a band) takes the lead over record lists and document search. The audience then narrows the
plan: customers never get health, flags, the loyalty bank or other accounts; managers get the team's
portfolio with per-CSM roll-ups; a CSM with a user gets their own book by default.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from accounts.access import Audience
from accounts.models import SourceKind
from assistant.extract import asks_steps, reports_problem
from assistant.intents import IntentRow, IntentScore, IntentTable, load_table, score_intents
from assistant.record_filters import TicketFilter, parse_ticket_filter
from assistant.resolve import Resolution, ResolvedVia
from assistant.ticket_signal import asks_ticket_volume
from assistant.time_window import TimeWindow, parse_window
from assistant.types import ToolUse
from assistant.words import STOPWORDS, content_words, tokens

if TYPE_CHECKING:
    from retrieval.embeddings import Embedder


class Intent(StrEnum):
    """What the composers answer; the table's rows map onto these (`answer_as`)."""

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


ALL_SOURCES = frozenset(SourceKind)
CUSTOMER_SOURCES = frozenset({SourceKind.DOCS, SourceKind.TICKETS, SourceKind.SUCCESS_PLANS, SourceKind.ACTIVITIES})
JUDGEMENT_TOOLS = frozenset({"health", "advocacy_check", "portfolio"})
OPEN_RETRIEVAL: tuple[frozenset[SourceKind] | None, bool, int] = (None, False, 8)
MASK = "the customer"
HOW_TO_ROW = "how_to"
TICKETS_ROW = "tickets"
LARGEST_SECTION = "largest"
IN_BAND_SECTION = "in_band"
OFF_TOPIC_ROW = "off_topic"
# Risk flags the portfolio keeps a list of their own for, with more to say than the at-risk list ("silent 71 days,
# usual gap 14"): a question naming the flag gets that list instead of the at-risk list narrowed to it.
FLAG_LISTS = {"silence": "silent"}
# "how does a customer buy more seats?" asks how, whatever list of the book its words name
ASKS_HOW = re.compile(r"^\W*how (do|does|can|could|should|would|to)\b", re.IGNORECASE)
BOOK_MEANING = 0.5  # an account-free question meaning a row this clearly is about the book, whatever its words
# How far below a customer's best-scoring record row (one no cue backs) the how-to row may score and still lead.
CUSTOMER_DOCS_MARGIN = 0.15
OFF_TOPIC_MEANING = 0.4  # a question means the off-topic row at least this much…
OFF_TOPIC_MARGIN = 0.2  # …and this much more than any row this assistant answers
# Words that, with an account's name, still ask nothing in particular ("and how about Acme?").
_FILLER = frozenset({"and", "how", "what", "about", "tell", "me", "more", "so", "then", "ok", "okay", "also", "now",
                     "well", "hey", "re", "up", "with"})


@dataclass(frozen=True)
class Plan:
    """What to do for one question; the offline composer and the LLM engine both read it.

    New since the intent table (all optional, so older readers keep working): `rows` (the table rows
    kept, best first, e.g. "risk" answered as status), `scores` (every row's score), `window` (the
    time window named, applied to the records gathered), `csm` (the CSM whose book a portfolio
    question covers), `csm_rank` (what "which CSM has the most …" ranks by), `ambiguous` (accounts a
    name fits equally: ask which one), `ticket_filter`, `notes` (things to tell the reader) and
    `resolved_via` (how the accounts were found).
    """

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
    risk_flag: str | None = None  # a portfolio question naming one risk signal ("lost their champion")
    band: str | None = None  # a portfolio question naming a health band ("which accounts are yellow?")
    rows: tuple[str, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    window: TimeWindow | None = None
    csm: str | None = None
    csm_rank: str | None = None
    ambiguous: tuple[str, ...] = ()
    ticket_filter: TicketFilter | None = None
    notes: tuple[str, ...] = ()
    resolved_via: str = ""
    context: str = ""
    earlier: tuple[str, ...] = ()  # the conversation's earlier questions, newest first: who "she" is
    looks_for: str = ""  # what the notes on the question's topic say, in their words (`IntentTable.notes_topic`)

    @property
    def asked_text(self) -> str:
        """What the composer reads for the question's words: a follow-up ("and what happens when we go over?")
        together with the question it follows, whose words it leaves out."""
        return f"{self.context} {self.question}" if self.context else self.question

    @property
    def search_text(self) -> str:
        """What retrieval reads: the question as asked (`asked_text`) and what notes on its topic say."""
        return f"{self.asked_text} {self.looks_for}" if self.looks_for else self.asked_text

    @property
    def asks_notes(self) -> bool:
        """Whether a vendor asks what only the notes hold beside the judgement (`IntentTable.notes_topic`)."""
        return bool(self.looks_for)

    @property
    def off_topic(self) -> bool:
        """Whether the question asks nothing this assistant answers (`is_off_topic`): nothing is searched."""
        return self.rows[:1] == (OFF_TOPIC_ROW,)

    @property
    def account_id(self) -> str | None:
        return self.account_ids[0] if self.account_ids else None

    @property
    def is_customer(self) -> bool:
        return self.audience is Audience.CUSTOMER


def mask_accounts(question: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The question with account names replaced by a neutral phrase: the meaning of "Why is Initech
    red?" is the meaning of "Why is the customer red?", whatever the account is called."""
    for start, end in sorted(spans, reverse=True):
        question = question[:start] + MASK + question[end:]
    return question


BARE_WORDS = 2  # at most this many words beyond the name and filler: "anything on Wayne?" says nothing more
# "what should dana do?" asks for actions, whoever it names
_ASKS_ACTION = re.compile(r"\b(should|must|need to|have to|can|could)\b.*\bdo\b", re.IGNORECASE)


def is_bare(masked: str) -> bool:
    """Whether a question says nothing beyond naming an account ("Globex", "and how about Acme?"). A question
    of function words only still asks something when it has several ("what do I need to do for Hooli?")."""
    rest = masked.replace(MASK, " ")
    if content_words(rest) - STOPWORDS - _FILLER or _ASKS_ACTION.search(rest):
        return False
    return len([w for w in tokens(rest) if w not in _FILLER]) <= BARE_WORDS


_CONNECTIVE = re.compile(r"^\W*(and|also|so|then|but|ok(ay)?|what about|how about|same|plus)\b"
                         r"|^\W*(why|how come|why so|why not)\W*$", re.IGNORECASE)  # "why?" asks about the last answer
_ANAPHORA = re.compile(r"\b(that|it|this|those|these|them|there|they|their|one|ones|she|her|he|him|his|"
                       r"meantime|meanwhile|until then|before then|instead|in that case)\b", re.IGNORECASE)
FOLLOW_UP_WORDS = 4  # content words at most: a longer question says what it is about
WEAK_MEANING = 0.45  # a follow-up whose own best intent means less than this asks what the last question asked


def is_follow_up(masked: str) -> bool:
    """Whether a question leans on the one before ("and what happens when we go over?", "when was that
    due?"): short, and opening with a connective or pointing back with a pronoun."""
    if len(_own_words(masked)) > FOLLOW_UP_WORDS:
        return False
    return bool(_CONNECTIVE.search(masked) or _ANAPHORA.search(masked.replace(MASK, " ")))


def says_little(masked: str) -> bool:
    """Whether a question has at most one word of its own ("who should I ask?"): when its meaning is weak too,
    it leans on the one before like a follow-up."""
    return len(_own_words(masked)) <= 1


def _own_words(masked: str) -> set[str]:
    """The question's content words, less the masked names and function words."""
    return content_words(masked.replace(MASK, " ")) - STOPWORDS


def leans_on_previous(scores: list[IntentScore]) -> bool:
    """Whether a follow-up's own words name no intent clearly (its best row's meaning is weak)."""
    return not scores or scores[0].meaning < WEAK_MEANING


def is_off_topic(scores: list[IntentScore], table: IntentTable) -> bool:
    """Whether a question asks nothing this assistant answers (the weather, a parking ticket, a share price):
    it means the off-topic row clearly (`OFF_TOPIC_MEANING`), and clearly more than any other row, by
    meaning alone. A borrowed word ("ticket", "stock") scores a row's cues, never its meaning, so it
    does not save the question; a product question merely phrased casually means some row as much."""
    off = max((s.meaning for s in scores if table.row(s.name).off_topic), default=0.0)
    other = max((s.meaning for s in scores if not table.row(s.name).off_topic), default=0.0)
    return off >= OFF_TOPIC_MEANING and off >= other + OFF_TOPIC_MARGIN


def choose_rows(scores: list[IntentScore], table: IntentTable) -> list[IntentRow]:
    """The rows a question means, best first: those within the margin of the best and above the
    threshold; a judgement row close to the best, or a row whose answer includes the best one's (next
    steps include the status), moves to the front when the question's words ask for it too (its cues).
    The off-topic row is never chosen here (`is_off_topic` decides it)."""
    # The learned scorer may pick the best of the rows the examples and cues heard; the threshold and the margins
    # are read on what they heard (`heard`), so it never makes a question mean something (a nonsense word, an
    # unknown code), thins out the rows kept beside the best, or outvotes a judgement or a wider row.
    scores = [s for s in scores if not table.row(s.name).off_topic and s.heard >= table.threshold]
    if not scores:
        return []
    top = max(s.heard for s in scores)
    kept = [s for s in scores if s.heard >= top - table.margin]
    lead = next((s for s in scores if table.row(s.name).judgement
                 and s.cues > 0 and s.heard >= top - table.judgement_margin), None)
    if lead is not None:
        kept = [lead, *(s for s in kept if s.name != lead.name)]
    first = kept[0].name
    wider = next((s for s in scores if first in table.row(s.name).covers
                  and s.cues > 0 and s.heard >= kept[0].heard - table.cover_margin), None)
    if wider is not None:
        kept = [wider, *(s for s in kept if s.name != wider.name)]
    return [table.row(s.name) for s in kept]


def with_clauses(rows: list[IntentRow], per_clause: list[list[IntentScore]], table: IntentTable) -> list[IntentRow]:
    """The whole question's rows, then each clause's leading row: a compound question keeps every part
    ("How is Globex doing and what did we promise them?" → status and promises)."""
    merged = list(rows)
    for scores in per_clause:
        found = choose_rows(scores, table)
        if found and found[0] not in merged:
            merged.append(found[0])
    return merged


def detect_intents(question: str, *, masked: str | None = None, embedder: Embedder | None = None) -> tuple[Intent, ...]:
    """The composer intents a question means, best first; OPEN when none does."""
    table = load_table()
    rows = choose_rows(score_intents(question, masked or question, embedder=embedder, table=table), table)
    return _unique(Intent(r.answer_as) for r in rows) or (Intent.OPEN,)


def wants_account(rows: list[IntentRow], audience: Audience) -> bool:
    """Whether a question without a named account should fall back to the conversation's account."""
    if not rows:
        return audience is not Audience.MANAGER
    return not rows[0].account_free


def _unique(items: object) -> tuple[Intent, ...]:
    seen: list[Intent] = []
    for item in items:  # type: ignore[attr-defined]
        if item not in seen:
            seen.append(item)
    return tuple(seen)


def _account_tools(row: IntentRow, account_ids: tuple[str, ...], kind: str | None) -> tuple[ToolUse, ...]:
    """The row's tools for each of the first three accounts (the ask kind goes to the advocacy check)."""
    uses: list[ToolUse] = []
    for account_id in account_ids[:3]:
        for name in row.tools:
            args: dict[str, str] = {"account_id": account_id}
            if name == "advocacy_check" and kind:
                args["kind"] = kind
            uses.append(ToolUse(name=name, args=args))
    return tuple(uses)


def docs_first(allowed: list[IntentRow], scores: list[IntentScore] | None, table: IntentTable,
               steps: bool = False, problem: bool = False) -> bool:
    """Whether a customer's question is about the product rather than their own records.

    Customers mostly ask how the product works, in their own words ("do you hold on to our records
    once we stop paying?"), and those words often sound like a CSM asking about an account. A row about
    their records leads only when the question's words name it too (its cues: "ticket", "promised",
    "success plan") and it does not ask for steps (`steps`: "how do we report a bug to you?" asks how,
    whatever word it shares with tickets); otherwise the docs answer, when how-to is near the top or
    nothing else fits, or when the question reports the product misbehaving (`problem`: "parts we sent
    still say in transit days later" sounds like a record of theirs, and is the docs' to explain).
    """
    if (allowed and allowed[0].customer_as == Intent.HOW_TO.value) or not scores:
        return False
    by_name = {s.name: s for s in scores}
    how_to = by_name.get(HOW_TO_ROW)
    if how_to is None:
        return False
    if not allowed:  # nothing fits well: a product question if how-to is near the threshold ("the weather?" is not)
        return how_to.score >= table.threshold - CUSTOMER_DOCS_MARGIN
    top = by_name.get(allowed[0].name)
    if top is None or (top.cues > 0 and not steps):
        return False
    return problem or how_to.score >= top.score - CUSTOMER_DOCS_MARGIN


def _customer_plan(rows: list[IntentRow], account_ids: tuple[str, ...], scores: list[IntentScore] | None,
                   table: IntentTable, *, reported_then: bool = False, steps: bool = False,
                   problem: bool = False) -> tuple[Intent, tuple[Intent, ...], IntentRow | None, tuple[ToolUse, ...]]:
    """Customers: each row as the intent a customer gets instead; book readers only, never a judgement;
    the docs first unless the question's words point at their own records (`docs_first`) or at what they
    reported in a past period (`reported_then`: "where are we with the things we reported last week?")."""
    allowed = [r for r in rows if r.customer_as]
    if reported_then:  # what they reported in a past period: their tickets lead
        allowed = [table.row(TICKETS_ROW), *(r for r in allowed if r.name != TICKETS_ROW)]
    elif account_ids and docs_first(allowed, scores, table, steps, problem):
        allowed = [table.row(HOW_TO_ROW), *(r for r in allowed if r.name != HOW_TO_ROW)]
    intents = _unique(Intent(str(r.customer_as)) for r in allowed)
    if not allowed or not account_ids:
        return Intent.OPEN, intents or (Intent.OPEN,), None, ()
    row = allowed[0]
    tools = tuple(ToolUse(name=t, args={"account_id": account_ids[0]}) for t in row.customer_tools
                  if t not in JUDGEMENT_TOOLS)
    return intents[0], intents, row, tools


def about_the_book(question: str, scores: list[IntentScore] | None, table: IntentTable) -> bool:
    """Whether an account-free question is about the accounts at all: its words name a list, the book
    (`book_words`: "ARR", "renewals", "customers") or a row's cue, or it means a row clearly
    (`BOOK_MEANING`). "What's the best CRM on the market?" sounds like a portfolio question to the model
    and names nothing of the book: not found."""
    if scores is None or table.all_matches(table.portfolio_sections, question) \
            or table.matches(table.book_words, question):
        return True
    return any(s.cues > 0 for s in scores[:3]) or (bool(scores) and scores[0].heard >= BOOK_MEANING)


def _named_sections(question: str, table: IntentTable) -> tuple[str, ...]:
    """The portfolio lists a question's words name, in table order (a health band names `in_band`)."""
    named = table.all_matches(table.portfolio_sections, question)
    if table.first_match(table.bands, question):
        named = tuple(name for name, _ in table.portfolio_sections if name in {*named, IN_BAND_SECTION})
    if len(named) > 1:  # "risky accounts, biggest first": size orders the list named, it is no list of its own
        named = tuple(n for n in named if n != LARGEST_SECTION)
    return named


def _sections(question: str, rows: list[IntentRow], table: IntentTable) -> tuple[str, ...]:
    """Portfolio sections: those the question's words name first, then the leading row's, each in table order
    ("any declined asks?" leads with the declined asks, then who is ready)."""
    named = _named_sections(question, table)
    if IN_BAND_SECTION in named:  # "show me the red ones": the band's accounts are the list asked for, no default
        return named
    defaults = set(rows[0].portfolio or ()) - set(named)
    return (*named, *(name for name, _ in table.portfolio_sections if name in defaults))


def plan_question(question: str, audience: Audience, resolution: Resolution,
                  intents: tuple[Intent, ...] | None = None, *, rows: list[IntentRow] | None = None,
                  scores: list[IntentScore] | None = None, masked: str | None = None, as_of: dt.date | None = None,
                  csm: str | None = None, notes: tuple[str, ...] = (), embedder: Embedder | None = None,
                  asked: str | None = None, context: str = "") -> Plan:
    """The plan for a question whose accounts are already resolved (scored here unless given).

    `asked` is the question the intents were read from when it is not `question` itself (a follow-up
    that only names another account asks the conversation's last question again); `context` is the
    question a follow-up leans on (`Plan.asked_text`).
    """
    table = load_table()
    if rows is None:
        scores = scores or score_intents(question, masked or question, embedder=embedder, table=table)
        rows = choose_rows(scores, table)
    if intents:  # a caller's explicit intents (tests, the LLM engine) lead
        rows = [r for i in intents for r in table.rows if r.name == i.value][:1] + rows
    account_ids = resolution.account_ids
    customer = audience is Audience.CUSTOMER
    asked = asked or question
    window = parse_window(asked, as_of) if as_of else None
    named = resolution.via is ResolvedVia.MENTION
    if not intents and not named and scores is not None and is_off_topic(scores, table):
        # Nothing to search: the reply is "not found" and what this assistant can help with.
        return Plan(question=question, audience=audience, intent=Intent.OPEN, intents=(Intent.OPEN,),
                    account_ids=account_ids, k=0, rows=(OFF_TOPIC_ROW,),
                    scores=tuple((s.name, s.score) for s in scores), resolved_via=resolution.via.value,
                    context=context)
    if not rows and account_ids and named:
        rows = [table.row("status")]  # a named account and no intent: its status, never "not found"
    elif rows and account_ids and is_bare(masked or question) and named and not customer:
        rows = [table.row("status"), *(r for r in rows if r.name != "status")]
    if rows and rows[0].portfolio is not None and not account_ids and not customer \
            and not resolution.ambiguous and not about_the_book(asked, scores, table):
        rows = []  # sounds like a portfolio question, names nothing of the book: an open question
    flag = None if customer else table.first_match(table.risk_flags, asked)
    band = None if customer else table.first_match(table.bands, asked)
    names_a_list = not customer and bool(_named_sections(asked, table)) and table.matches(table.book_words, asked) \
        and not ASKS_HOW.search(asked) and not (rows and rows[0].answer_as == Intent.HOW_TO.value)
    if (flag or band or names_a_list) and not account_ids and not resolution.ambiguous \
            and (not rows or rows[0].portfolio is None):
        # "where is sentiment turning negative?", "show me everyone in the green", "which logos are wobbling?":
        # a risk, a band, or one of the book's lists across the book
        rows = [table.row("portfolio"), *rows]
    kind = table.first_match(table.ask_kinds, asked)
    row: IntentRow | None
    if customer:
        reported_then = window is not None and not window.ahead and table.about_own_tickets(asked)
        steps = asks_steps(asked) and not table.about_own_reports(asked)
        problem = reports_problem(asked) and not table.about_own_reports(asked)
        intent, kept, row, tools = _customer_plan(rows, account_ids, None if intents else scores, table,
                                                  reported_then=reported_then, steps=steps, problem=problem)
    elif account_ids and rows:
        account_rows = [r for r in rows if r.name != "portfolio"] or [table.row("status")]
        row = account_rows[0]
        intent, kept = Intent(row.answer_as), _unique(Intent(r.answer_as) for r in account_rows)
        tools = _account_tools(row, account_ids, kind if intent is Intent.ADVOCACY else None)
        if asks_ticket_volume(asked) and "health" not in row.tools:  # what the volume means is the judgement's
            tools += tuple(ToolUse(name="health", args={"account_id": a}) for a in account_ids[:1])
    elif rows and rows[0].portfolio is not None and not account_ids and not resolution.ambiguous:
        row, intent = table.row("portfolio"), Intent.PORTFOLIO
        kept = _unique([Intent.PORTFOLIO, *(Intent(r.answer_as) for r in rows)])
        tools = (ToolUse(name="portfolio", args={"csm": csm} if csm else {}),)
    else:
        row = rows[0] if rows else None
        intent = Intent(row.answer_as) if row else Intent.OPEN
        kept, tools = _unique(Intent(r.answer_as) for r in rows) or (Intent.OPEN,), ()
    sources, recency, k = (row.sources, row.recency, row.k) if row else OPEN_RETRIEVAL
    if customer:  # everything a customer may read: evidence decides between the docs and their own records
        sources = CUSTOMER_SOURCES
    sections = _sections(asked, rows, table) if intent is Intent.PORTFOLIO else ()
    if flag and intent is Intent.PORTFOLIO:  # the accounts with that flag are the list asked for
        listed, lead = _named_sections(asked, table), FLAG_LISTS.get(flag, "at_risk")
        sections = (lead, *(s for s in sections if s != lead and s in listed))
    rank = table.first_match(table.csm_rank, asked) if "by_csm" in sections else None
    wants_tickets = any(r.answer_as == Intent.TICKETS.value for r in rows[:2]) or "open_tickets" in sections
    looks_for = (table.notes_topic(asked) or "") if account_ids and not customer else ""
    return Plan(
        question=question, audience=audience, intent=intent, intents=kept, account_ids=account_ids, tools=tools,
        sources=sources, recency=recency, k=k, portfolio_sections=sections,
        ask_kind=kind if intent is Intent.ADVOCACY else None, rows=tuple(r.name for r in rows),
        risk_flag=flag if intent is Intent.PORTFOLIO else None,
        band=band if intent is Intent.PORTFOLIO and IN_BAND_SECTION in sections else None,
        scores=tuple((s.name, s.score) for s in scores or ()),
        # "move today's jobs" asks how, not about today; "Hooli logged 5 tickets this week, should I worry?" asks what
        # the volume means, which the judgement reads over its own support window
        window=None if intent is Intent.HOW_TO or (intent is Intent.STATUS and asks_ticket_volume(asked)) else window,
        csm=csm if intent is Intent.PORTFOLIO else None, csm_rank=rank, ambiguous=resolution.ambiguous,
        ticket_filter=parse_ticket_filter(asked) if wants_tickets else None,
        notes=notes if intent is Intent.PORTFOLIO else (), resolved_via=resolution.via.value, context=context,
        looks_for=looks_for,
    )
