"""The customer's own words: never the answer to a how-to question, at most context beside it.

Asked how something works, a customer shown their own ticket or e-mail about it is being made to
repeat themselves. Tickets are the customer's words (their description); an activity is theirs
when its author is not vendor staff (an e-mail domain other than the CSMs'), or when it is their
request. The docs answer; an open ticket of theirs on the same topic is mentioned after the answer,
so they know it is still being worked on.
"""

from __future__ import annotations

from accounts.models import Activity, ActivityType, SourceKind
from assistant.citations import CitationBook, marks, record_index
from assistant.extract import TOPIC_MEANING, reports_problem
from assistant.gather import Findings
from assistant.intents import load_table
from assistant.vendor import vendor_domains
from assistant.words import content_words
from retrieval.passages import Passage
from tools.as_of import TicketState, view_as_of

# A customer's question is about their own account rather than the product when one of their records
# answers it at least this well in meaning and clearly better than any doc does ("where are we with the
# missing photos we reported?", "when is the Phoenix set-up session?").
OWN_MIN = 0.45
OWN_MARGIN = 0.05
# …and a doc answers it instead when its best sentence is this close in meaning and clearly closer than
# any of their records (and the question points at nothing they reported).
DOCS_MIN = 0.5
DOCS_MARGIN = 0.1
# A how-to question their records answer better still gets the docs first when a doc is on its topic this much.
DOCS_TOO_MIN = 0.4
# A sentence this close in meaning says the answer outright (a paraphrase of the question, answered).
STRONG_MEANING = 0.6


def authored_by_customer(passage: Passage, findings: Findings) -> bool:
    """Whether a passage is the customer's own message (a ticket, their e-mail or request)."""
    source = passage.chunk.source
    if source is SourceKind.TICKETS:
        return True
    if source is not SourceKind.ACTIVITIES:
        return False
    record = record_index(findings.book).get((source, passage.chunk.record_id))
    if not isinstance(record, Activity):
        return False
    if record.type is ActivityType.REQUEST:
        return True
    author = record.author.lower()
    return "@" in author and author.rsplit("@", 1)[1] not in vendor_domains(findings.book)


def others_words(findings: Findings) -> list[Passage]:
    """The passages that may answer a how-to question: everything but the customer's own messages."""
    return [p for p in findings.passages if not authored_by_customer(p, findings)]


def _ticket_states(findings: Findings) -> dict[str, TicketState]:
    """The plan's account's tickets as they stood on the as-of date, by id (none without an account)."""
    account_id = findings.plan.account_id
    if account_id is None or account_id not in findings.book.accounts:
        return {}
    return {s.ticket.ticket_id: s for s in view_as_of(findings.book.records(account_id), findings.as_of).tickets}


def our_messages(findings: Findings) -> list[Passage]:
    """The account's retrieved records that are not the customer's own words (our e-mails, meeting notes,
    the success plan), best first; and their own e-mails too when the question asks what they did ("did we
    ever confirm the QBR date?" is answered by their reply), never their tickets."""
    own_actions = load_table().about_own_actions(findings.plan.asked_text)
    return [p for p in account_passages(findings) if not authored_by_customer(p, findings)
            or (own_actions and p.chunk.source is SourceKind.ACTIVITIES)]


def doc_passages(findings: Findings) -> list[Passage]:
    """The retrieved docs, best first (public: nobody's own words)."""
    return [p for p in findings.passages if p.chunk.source is SourceKind.DOCS]


def _docs_meaning(findings: Findings) -> float:
    return best_meaning(doc_passages(findings))


def best_meaning(passages: list[Passage]) -> float:
    """The best reranker similarity of any unit of these passages to the question (0 when none was scored)."""
    return max((m for p in passages for m in p.unit_scores.values()), default=0.0)


def account_passages(findings: Findings) -> list[Passage]:
    """The retrieved records of the asker's own account (tickets, activities, success plan), best first."""
    return [p for p in findings.passages if p.chunk.source is not SourceKind.DOCS]


def records_answer(findings: Findings) -> bool:
    """Whether the account's own records answer a customer's open question better than the docs do.

    Our messages to them (meeting notes, e-mails, the success plan) count as evidence on their own:
    "when is the Phoenix set-up session?" is in the CSM's e-mail, not in a doc. Their own tickets and
    e-mails count only when the question points at something they reported or were told: customers
    file tickets on the very topics they ask the docs about, and a how-to question must not get their
    own words back. A question reporting the product misbehaving is the docs' to explain when a doc is
    on its topic, even where a success-plan milestone names the same feature.
    """
    docs = _docs_meaning(findings)
    ours = best_meaning(our_messages(findings))
    ours_answer = ours >= OWN_MIN and ours >= docs + OWN_MARGIN
    if not load_table().about_own_reports(findings.plan.asked_text):
        # A problem with the product ("…isn't picking the right list, why?") is the docs' to explain.
        problem = reports_problem(findings.plan.asked_text) and docs >= TOPIC_MEANING
        return ours_answer and not problem
    if ours_answer:
        return True
    own = best_meaning(account_passages(findings))
    return own >= OWN_MIN and own >= docs - OWN_MARGIN


def messages_answer_as_well(findings: Findings) -> bool:
    """Whether one of our messages answers a customer outright (`STRONG_MEANING`) about as well as the best doc:
    "when does our agreement renew?" is answered by the doc on renewals and by our e-mail naming their date,
    and the reply needs both, not their status."""
    ours, docs = best_meaning(our_messages(findings)), _docs_meaning(findings)
    return ours >= STRONG_MEANING and docs >= DOCS_MIN and abs(ours - docs) < DOCS_MARGIN


def messages_answer(findings: Findings) -> bool:
    """Whether one of our messages to the customer (a meeting note, an e-mail, their success plan) answers
    their question outright, clearly better than any doc: then it answers, whatever section the words
    named ("what did your audit recommend?" is in the audit e-mail, not in their status)."""
    ours = best_meaning(our_messages(findings))
    return ours >= DOCS_MIN and ours >= _docs_meaning(findings) + DOCS_MARGIN


def docs_answer(findings: Findings) -> bool:
    """Whether a doc answers a customer's question clearly better than their own records do."""
    if load_table().about_own_reports(findings.plan.asked_text):
        return False
    docs = _docs_meaning(findings)
    return docs >= DOCS_MIN and docs >= best_meaning(account_passages(findings)) + DOCS_MARGIN


def docs_answer_too(findings: Findings) -> bool:
    """Whether a doc answers a customer's question outright (`DOCS_MIN`) although their records answer it better,
    and the question points at nothing they reported or were told: a question about the product, which the
    docs lead ("how do we swap the SAML certificate without downtime?")."""
    return _docs_meaning(findings) >= DOCS_TOO_MIN and not load_table().about_own_reports(findings.plan.asked_text)


def _answering_records(findings: Findings) -> list[Passage]:
    """The account's records that can answer a customer: our messages and their tickets (whose state is
    the answer), not their own e-mails (what they are asking about)."""
    return [p for p in account_passages(findings)
            if p.chunk.source is SourceKind.TICKETS or not authored_by_customer(p, findings)]


def records_intent(findings: Findings) -> str:
    """What a reply from the account's records answers as: the kind of record that answers best."""
    best = max(_answering_records(findings), key=lambda p: best_meaning([p]), default=None)
    source = best.chunk.source if best is not None else SourceKind.ACTIVITIES
    return {SourceKind.TICKETS: "tickets", SourceKind.SUCCESS_PLANS: "success_plan"}.get(source, "history")


def ticket_state_lines(findings: Findings, cites: CitationBook, *, customer: bool, limit: int = 2) -> list[str]:
    """Where the retrieved tickets that answer stand on the as-of date (open and how long, or when closed):
    those about as close in meaning as the best of their tickets and our messages (their own e-mails on the
    subject are what they are asking about, not a yardstick)."""
    states = _ticket_states(findings)
    top = best_meaning(_answering_records(findings))
    lines = []
    for passage in account_passages(findings):
        state = states.get(passage.chunk.record_id)
        if passage.chunk.source is not SourceKind.TICKETS or state is None \
                or best_meaning([passage]) < top - TOPIC_MEANING / 4:
            continue
        n = cites.cite(SourceKind.TICKETS, state.ticket.ticket_id)
        if n is None:
            continue
        t, whose = state.ticket, "Your" if customer else "Their"
        where = (f"is {state.status_then} ({(findings.as_of - state.opened_on).days} days so far)" if state.open
                 else f"was {t.status.value} on {state.closed_on}")
        lines.append(f"- {whose} ticket {t.ticket_id} “{t.subject}” (opened {state.opened_on}) {where}{marks([n])}.")
    return lines[:limit]


def _on_topic(passage: Passage, words: set[str]) -> bool:
    meaning = max(passage.unit_scores.values(), default=0.0)
    shared = words & (content_words(passage.chunk.title) | content_words(passage.body()))
    return meaning >= TOPIC_MEANING or len(shared) >= min(2, len(words))


def open_tickets_on_topic(findings: Findings, cites: CitationBook, words: set[str], *, customer: bool) -> list[str]:
    """A line per open ticket (on the as-of date) of the plan's account that retrieval found on this topic."""
    states = _ticket_states(findings)
    lines = []
    for passage in findings.passages:
        state = states.get(passage.chunk.record_id)
        if passage.chunk.source is not SourceKind.TICKETS or state is None or not state.open:
            continue
        if not _on_topic(passage, words):
            continue
        n = cites.cite(SourceKind.TICKETS, state.ticket.ticket_id)
        if n is None:
            continue
        whose = "Your" if customer else "Their"
        lines.append(f"{whose} open ticket {state.ticket.ticket_id} “{state.ticket.subject}” is on this topic "
                     f"and still being worked on{marks([n])}.")
    return lines[:2]
