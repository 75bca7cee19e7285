"""`answer(...)`: the one entry point every front end (CLI, HTTP, Slack, widget) calls.

plan → tools + retrieval → compose. The principal comes from the edge and bounds everything read;
a configured model (the LLM engine) only phrases an answer from what was gathered for that
principal, and when it fails for any reason the offline engine answers instead, marked degraded.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from accounts.errors import BadRequest
from accounts.models import SourceKind
from assistant.asker import Roster, account_roster, choose_book, csm_spans, named_csm
from assistant.citations import may_cite, record_index
from assistant.engine_offline import compose_offline
from assistant.gather import Findings, gather
from assistant.intents import load_table, score_clauses, score_intents
from assistant.memory import ConversationMemory
from assistant.model_guard import guard_model_answer
from assistant.planner import (
    Plan,
    choose_rows,
    is_bare,
    is_follow_up,
    leans_on_previous,
    mask_accounts,
    plan_question,
    says_little,
    wants_account,
    with_clauses,
)
from assistant.ports import AssistantPorts
from assistant.principal import Principal
from assistant.resolve import Mentions, find_mentions, people_mentions, resolve_accounts, which_one
from assistant.types import Answer

if TYPE_CHECKING:
    from retrieval.embeddings import Embedder

MAX_QUESTION_CHARS = 2000
log = logging.getLogger(__name__)


def vendor_mentions(question: str, directory: dict[str, str], roster: Roster) -> Mentions:
    """The accounts a vendor's question names: by name, else by their people ("what did Marisol say?")."""
    mentions = find_mentions(question, directory, roster.aliases)
    if not mentions.account_ids and not mentions.ambiguous:
        mentions = people_mentions(question, roster.people)
    return mentions


def make_plan(question: str, principal: Principal, directory: dict[str, str], last_account: str | None, *,
              as_of: dt.date | None = None, roster: Roster | None = None, embedder: Embedder | None = None,
              previous: str | None = None, earlier: tuple[str, ...] = ()) -> Plan:
    """Find the accounts a question names, score every intent on its meaning (names masked), resolve
    the accounts, decide whose book a portfolio question covers, and plan it (no I/O but the embedding).

    `previous` is the conversation's last question: a follow-up that only names another account
    ("and how about Acme?") asks the same thing about it. `earlier` holds all the conversation's questions,
    newest first, for the people a pronoun points back to.
    """
    roster = roster or Roster()
    table = load_table()
    customer = principal.is_customer
    mentions = Mentions() if customer else vendor_mentions(question, directory, roster)
    masked = mask_accounts(question, mentions.spans)
    asked, context = question, ""
    # "and for priya?": the last question, asked of that CSM's book (an account named alike: of that account)
    only_csm = not customer and not mentions.account_ids and bool(named_csm(question, roster, mentions.spans)) \
        and is_bare(mask_accounts(question, csm_spans(question, roster, mentions.spans)))
    if previous and ((mentions.account_ids and is_bare(masked)) or only_csm):
        before = find_mentions(previous, directory, roster.aliases)
        asked, masked = previous, mask_accounts(previous, before.spans)
    scores = score_intents(asked, masked, embedder=embedder, table=table, customer=customer)
    if previous and asked == question and (is_follow_up(masked) or (says_little(masked) and leans_on_previous(scores))):
        context = previous  # retrieval reads both: the follow-up leaves out what it is about
        if leans_on_previous(scores):  # "when was that due?": the last question's intent, with these words
            before = Mentions() if customer else find_mentions(previous, directory, roster.aliases)
            asked, masked = f"{previous} {question}", f"{mask_accounts(previous, before.spans)} {masked}"
            scores = score_intents(asked, masked, embedder=embedder, table=table, customer=customer)
    per_clause = score_clauses(asked, masked, embedder=embedder, table=table, customer=customer)
    rows = with_clauses(choose_rows(scores, table), per_clause, table)
    resolution = resolve_accounts(question, principal, directory, last_account=last_account,
                                  wants_account=wants_account(rows, principal.audience), mentions=mentions)
    book = choose_book(question, principal, roster, mentions.spans)
    if context and book.csm is None and not customer:  # "which of those are at risk?" stays in the book it follows
        followed = choose_book(previous or "", principal, roster)
        book = followed if followed.csm else book
    plan = plan_question(question, principal.audience, resolution, rows=rows, scores=scores, masked=masked,
                         as_of=as_of, csm=book.csm, notes=book.notes, asked=asked, context=context)
    return replace(plan, earlier=earlier) if earlier else plan


def planner_embedder(ports: AssistantPorts) -> Embedder | None:
    """The services' MiniLM model when they have one (one model per process); None: the planner's own."""
    from retrieval.embeddings import MiniLMEmbedder

    embedder = getattr(ports, "embedder", None)
    return embedder if isinstance(embedder, MiniLMEmbedder) else None


def _llm_answer(llm: Any, question: str, principal: Principal, as_of: dt.date, history: list[Any],
                passages: list[Any], plan: Plan) -> Answer | None:
    """The model's answer, or None when it failed in any way (LLMFailure or anything else)."""
    try:
        result = llm.answer(question, principal, as_of=as_of, history=history, passages=passages, plan=plan)
    except Exception as err:  # any model failure degrades to offline, never to an error
        log.warning("LLM engine failed, answering offline: %s: %s", type(err).__name__, err)
        return None
    return result if isinstance(result, Answer) else None


def _citable(result: Answer, findings: Findings, principal: Principal) -> bool:
    """Whether every citation of a model's answer is something this principal may see.

    Vendor staff may see every account, and the engine only cites records its tools returned, so a
    vendor answer citing an account outside this plan is fine; a customer's is checked record by record.
    """
    if not principal.is_customer:
        return True
    index = record_index(findings.book)
    passages = {(p.chunk.source, p.chunk.record_id) for p in findings.passages}
    scope = principal.readable()
    for c in result.citations:
        key = (c.source, c.id)
        if c.source is SourceKind.DOCS or key in passages:
            continue
        if key not in index or not may_cite(scope, c.source, index[key]):
            return False
    return True


def answer(
    question: str,
    principal: Principal,
    *,
    ports: AssistantPorts,
    as_of: dt.date,
    conversation_id: str | None = None,
    llm: object | None = None,
    memory: ConversationMemory | None = None,
) -> Answer:
    """Answer a question for a principal, as of a date, continuing a conversation when given its id.

    Raises BadRequest (empty or huge question), UnknownConversation (an id never issued or another principal's)
    and UnknownAccount (a vendor's --account that does not exist).
    """
    question = " ".join(question.split())
    if not question:
        raise BadRequest("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadRequest(f"the question is longer than {MAX_QUESTION_CHARS} characters")
    memory = memory or ConversationMemory(ports.store.engine)
    conversation = memory.open(conversation_id, principal)
    directory = ports.store.account_directory()
    if principal.account_id and principal.account_id not in directory:
        from accounts.book import closest_ids
        from accounts.errors import UnknownAccount

        raise UnknownAccount(principal.account_id, closest_ids(principal.account_id, list(directory)))
    earlier = tuple(t.text for t in reversed(conversation.turns) if t.role == "user")
    previous = earlier[0] if earlier else None
    fixer = getattr(ports, "typo_fixer", None)  # "sync conflcit": the docs' word, for planning and search
    planned = fixer.fix(question) if fixer else question
    plan = make_plan(planned, principal, directory, conversation.last_account_id, as_of=as_of,
                     roster=account_roster(ports.store, directory), embedder=planner_embedder(ports),
                     previous=previous, earlier=earlier)
    if plan.ambiguous and not plan.account_ids:  # one name, several accounts: ask, never guess
        clarify = Answer(answer=which_one(plan.ambiguous, directory), conversation_id=conversation.conversation_id)
        memory.record(conversation, principal, question, clarify.answer, None)
        return clarify
    findings = gather(plan, principal, ports, as_of, directory)
    result: Answer | None = None
    degraded = False
    if llm is not None and not plan.off_topic:  # the weather is no question for the model either
        result = _llm_answer(llm, question, principal, as_of, conversation.turns, findings.passages, plan)
        if result is not None:  # what a model wrote is checked like workspace text
            result = guard_model_answer(result, principal, findings.passages)
        if result is not None and not _citable(result, findings, principal):
            log.warning("LLM answer cited records outside the principal's view; answering offline")
            result = None
        degraded = result is None
    if result is None:
        result = compose_offline(findings, principal)
    result = result.model_copy(update={"degraded": degraded, "conversation_id": conversation.conversation_id,
                                       "intent": result.intent or plan.intent.value})
    memory.record(conversation, principal, question, result.answer, plan.account_id or _sole_account(result))
    return result


def _sole_account(result: Answer) -> str | None:
    """The one account a reply about no account named (a portfolio list) turned out to be about: "did anyone lose
    their champion?" → Olivewood alone, so "who's the new contact there?" follows it."""
    accounts = {c.id for c in result.citations if c.source is SourceKind.ACCOUNTS}
    return next(iter(accounts)) if len(accounts) == 1 else None
