"""The offline engine: composes a Markdown answer from the findings, no model involved.

Every answer says where things stand (from the judgements), what is going on (with evidence) and
what to do next, with numbered citations [n] that map to `Answer.citations`. Open questions are
answered from the retrieved passages' best sentences, and when the workspace does not hold the
answer the engine says so plainly instead of guessing.
"""

from __future__ import annotations

import re

from accounts.book import AccountRecords
from accounts.models import ActivityType, SourceKind
from assistant.authors import asks_what_said, asks_who_is_upset, gist, people_meant, upset_voices, written_by
from assistant.citations import CitationBook, marks, record_index
from assistant.compose_account import advocacy_answer, headline, status_answer, talking_points
from assistant.compose_portfolio import portfolio_answer
from assistant.compose_records import (
    departed_names,
    people_section,
    plan_section,
    promises_section,
    recent_touches,
    tickets_section,
)
from assistant.extract import (
    MIN_MEANING,
    answer_shape,
    answering_sections,
    answers_question,
    asks_cause,
    asks_fact,
    asks_latest,
    asks_recap,
    asks_steps,
    asks_whats_new,
    asks_when,
    best_procedure,
    best_sentences,
    closest_section_meaning,
    continuation,
    distinctive_words,
    question_terms,
)
from assistant.gather import Findings
from assistant.guidance import suggest
from assistant.intents import load_table
from assistant.own_words import (
    doc_passages,
    docs_answer,
    docs_answer_too,
    messages_answer,
    messages_answer_as_well,
    open_tickets_on_topic,
    others_words,
    our_messages,
    records_answer,
    records_intent,
    ticket_state_lines,
)
from assistant.planner import Intent, Plan
from assistant.principal import Principal
from assistant.resolve import name_keys
from assistant.ticket_signal import asks_ticket_volume, ticket_signal
from assistant.types import Answer
from assistant.vendor import docs_label, vendor_name
from assistant.words import content_words, tokens
from retrieval.passages import Passage
from retrieval.sentences import Procedure

NOT_FOUND = "I couldn't find this in the workspace."
CUSTOMER_HINT = ("Your CSM can help with this: reply to them or open a ticket. You can also ask me how to use "
                 "the product, about your success plan, your tickets, or what we agreed with you.")
VENDOR_HINT = ("Try naming an account (“how is Globex doing?”), or ask about promises, talking points, "
               "advocacy, renewals or the docs.")
CLOSEST_HEAD = "The closest I found (it may not answer your question):"
GROUP_LIMIT = 8
LEFT_WORDS = ("left", "leaving", "departed", "resigned", "no longer", "gone")
PEOPLE_WORDS = frozenset({"champion", "sponsor", "stakeholder", "contact", "admin", "decision", "buyer", "exec"})
_WHO = re.compile(r"^\W*(who|whom|who'?s|whose)\b", re.IGNORECASE)
# In a question asking who someone is, these only ask for the person ("who handles billing?").
_WHO_FILLER = frozenset({"handle", "charge", "responsible", "own", "run", "manage", "person", "people", "guy",
                         "lead", "look", "contact", "now", "currently"})


def _role_words(records: AccountRecords) -> set[str]:
    """The words of the account's contacts' roles and titles ("billing", "controller", "operations")."""
    return {w for c in records.contacts for w in content_words(f"{c.role.value if c.role else ''} {c.title}")}


def _asks_who_is_who(plan: Plan, words: set[str], records: AccountRecords) -> bool:
    """Whether a vendor's question is about the account's people: it names a role ("champion", "sponsor"), asks
    who holds a role or title of theirs ("who handles billing at Tyrell?"), or names one of its contacts for
    something other than what they said ("did Claire leave?", "who is she?")."""
    if words & PEOPLE_WORDS or (_WHO.match(plan.question) and words & _role_words(records)):
        return True
    return bool(people_meant(plan.question, plan.earlier, records)) and not asks_what_said(plan.question)


def _stale(sentence: str, departed: frozenset[str]) -> bool:
    """A sentence naming someone who has left (full or first name) as champion or sponsor, without saying they left."""
    lower = sentence.lower()
    if not any(w in lower for w in ("champion", "sponsor")) or any(w in lower for w in LEFT_WORDS):
        return False
    return any(re.search(rf"\b{re.escape(name.split()[0])}\b", sentence) for name in departed if name.split())


def _group_lines(where: str, title: str, n: int | None, group: Procedure) -> list[str]:
    """A procedure's steps numbered, or a list's items bulleted, whole (under its lead or heading)."""
    head = group.lead or f"**{title}**"
    items = [f"  {i}. {s}" if group.ordered else f"  - {s}" for i, s in enumerate(group.steps[:GROUP_LIMIT], 1)]
    return [f"- {where}{head}{marks([n])}", *items]


def _section_lines(passages: list[Passage], cites: CitationBook, shown: list[str], words: set[str]) -> list[str]:
    """The doc sections that answer the question as a whole, when the reply holds none of them yet, each under
    its heading: its steps numbered, its other sentences bulleted."""
    lines: list[str] = []
    for passage, heading, units in answering_sections(passages, "\n".join(shown), words):
        n = cites.cite_passage(passage)
        if n is None:
            continue
        title = f"{passage.chunk.title} — {heading}" if heading and heading != passage.chunk.title \
            else passage.chunk.title
        lines += ["", f"**{title}**{marks([n])}"]
        steps = 0
        for unit in units:
            if unit.procedure is not None and unit.procedure.ordered:
                steps += 1
                lines.append(f"{steps}. {unit.text}")
            else:
                lines.append(f"- {unit.text}")
    return lines


def _closest_lines(passages: list[Passage], cites: CitationBook, words: set[str]) -> list[str]:
    """After a "not found": the doc section closest to the question in meaning, offered as no more than that.

    The sentence model often scores every sentence of the page that answers below the bar while the section,
    read whole with its heading, is near ("can I see if it was actually sent?" and *Delivery log*). The reply
    still says it found no answer, so nothing unrelated passes for one, and the reader can judge. None when no
    section is even on the edge of the topic (`closest_section_meaning` below `MIN_MEANING`).
    """
    if closest_section_meaning(passages) < MIN_MEANING:
        return []
    lines = _section_lines(passages, cites, [], words)
    return ["", CLOSEST_HEAD, *lines] if lines else []


def _extracted(passages: list[Passage], cites: CitationBook, words: set[str], *, dated: bool,
               skip: frozenset[str] = frozenset(), limit: int = 4, stale: frozenset[str] = frozenset(),
               shape: re.Pattern[str] | None = None) -> list[str]:
    """The best sentences of the top passages, one bullet each with its citation (a step or list item: its whole
    procedure or list; `shape`: what an answer looks like, `extract.answer_shape`)."""
    lines = []
    shown: set[Procedure] = set()
    picked = best_sentences(words, passages, limit=limit, skip=skip, shape=shape)
    top = max(picked, key=lambda e: e.score, default=None)
    for e in picked:
        if _stale(e.sentence, stale):
            continue  # an old note calling someone who has left the champion: the contacts table wins
        chunk = e.passage.chunk
        n = cites.cite_passage(e.passage)
        if n is None:
            continue
        where = f"{chunk.date} · {chunk.title}: " if dated and chunk.date else ""
        group = e.procedure
        if group is not None and len(group.steps) > 1:
            if group not in shown:
                shown.add(group)
                lines += _group_lines(where, group.heading or chunk.title, n, group)
            continue
        after = continuation(e) if e is top else None  # the best answer with the sentence that completes it
        shown_after = f" {after}" if after and all(after != p.sentence for p in picked) else ""
        lines.append(f"- {where}{e.sentence}{shown_after}{marks([n])}")
    return lines


def _procedure(passages: list[Passage], cites: CitationBook, words: set[str]) -> tuple[list[str], frozenset[str]]:
    """The whole procedure of the doc step that best answers the question, if one does."""
    found = best_procedure(words, passages)
    if found is None:
        return [], frozenset()
    passage, procedure = found
    n = cites.cite_passage(passage)
    title = f"{passage.chunk.title} — {procedure.heading}" if procedure.heading and \
        procedure.heading != passage.chunk.title else passage.chunk.title
    lines = [f"**{title}**{marks([n])}", *(f"{i}. {s}" for i, s in enumerate(procedure.steps, 1)), ""]
    return lines, frozenset(procedure.steps)


def _not_found(principal: Principal) -> list[str]:
    """Nothing answers: say so, and what the person can do next (a customer learns nothing internal)."""
    return [f"{NOT_FOUND} {CUSTOMER_HINT if principal.is_customer else VENDOR_HINT}"]


_ASKS_WHOSE_CSM = re.compile(
    r"^(?=.*\b(who|which|contact|reach|hold of|e-?mail|talk to|call|speak to|write to|name)\b)"
    r"(?=.*\b(csm|customer success( manager)?|success manager|account manager|cs manager)\b)|"
    r"\bwho (owns|looks after|manages|handles)\b(?!.*\b(billing|seats?|invoices?|(their|the \w+|\w+'s) (side|end))\b)",
    re.IGNORECASE)  # "who manages it on the Oscorp side?" asks for their admin, not our CSM


def _csm_answer(findings: Findings, cites: CitationBook, principal: Principal) -> list[str]:
    """"Who is our CSM?", "who's the CSM on Acme?": the account's CSM, with the latest message they sent that the
    asker may read as evidence. A customer cannot see the account row (its `csm` may be an internal handle): they
    are told only an address they already have mail from. [] when not asked, or nothing may be told."""
    plan = findings.plan
    if plan.account_id not in findings.book.accounts or not _ASKS_WHOSE_CSM.search(plan.question):
        return []
    records = findings.book.records(plan.account_id)
    csm = records.account.csm.strip()
    if not csm:
        return []
    sent = sorted((a for a in records.activities
                   if a.date <= findings.as_of and a.author.strip().lower() == csm.lower()),
                  key=lambda a: (a.date, a.id), reverse=True)
    evidence = next(((a, n) for a in sent if (n := cites.cite(SourceKind.ACTIVITIES, a.id)) is not None), None)
    whose = "Your" if principal.is_customer else f"{records.account.name}'s"
    if evidence is None:  # staff may see the account row itself; a customer only what we sent them
        row = None if principal.is_customer else cites.cite(SourceKind.ACCOUNTS, plan.account_id)
        return [f"{whose} customer success manager is **{csm}**{marks([row])}."] if row else []
    activity, n = evidence
    return [f"{whose} customer success manager is **{csm}**; their latest message: {activity.date} · "
            f"{activity.title}{marks([n])}."]


def _open_answer(findings: Findings, cites: CitationBook, words: set[str], principal: Principal,
                 intent: Intent | None = None, passages: list[Passage] | None = None) -> list[str]:
    """Open, how-to and history questions: the best procedure and sentences, or "not found" and a next step.

    A how-to question is answered from the docs, never from the customer's own tickets and e-mails
    (that makes them repeat themselves); their open ticket on the topic is added as context only.
    """
    intent = intent or findings.plan.intent
    how_to = intent is Intent.HOW_TO
    # A customer is never answered with their own words (they wrote them); asking anything open, the docs first.
    docs_first = how_to or (principal.is_customer and intent is Intent.OPEN)
    if passages is None:
        passages = others_words(findings) if how_to or principal.is_customer else findings.passages
    stale = frozenset().union(*(departed_names(findings.book.records(a), findings.as_of)
                                for a in findings.plan.account_ids if a in findings.book.accounts))
    lines: list[str] = []
    latest = intent is Intent.HISTORY and bool(findings.plan.account_ids) and (
        asks_latest(findings.plan.asked_text)
        or (findings.plan.window is not None and asks_whats_new(findings.plan.question)))
    authored = _named_authors(findings, cites, principal) if intent is Intent.HISTORY else []
    if authored:  # "what did their COO write to us?": found by who wrote it, not by similar words
        return ["From the account history:", "", *authored]
    if answers_question(words, passages, distinctive_words(findings.plan.asked_text, words)) and not latest:
        # A question asking for an amount, a limit, an outcome or a date is answered by the sentence holding it,
        # not by the page's procedure ("how many jobs can the phone hold?", "any date for the sync fix?").
        fact = asks_fact(findings.plan.asked_text) or asks_when(findings.plan.asked_text)
        steps = how_to and not fact and asks_steps(findings.plan.asked_text)
        procedure, shown = _procedure(passages, cites, words) if steps else ([], frozenset())
        extra = _extracted(passages, cites, words, dated=not how_to, skip=shown,
                           limit=2 if procedure else 4, stale=stale, shape=answer_shape(findings.plan.asked_text))
        lines = procedure + (["Also useful:", *extra] if procedure and extra else extra)
        if lines and docs_first:
            lines += _section_lines(passages, cites, lines, words)
    if not lines and intent is Intent.HISTORY and findings.plan.account_ids:
        records = findings.book.records(findings.plan.account_ids[0])
        touches = recent_touches(records, cites, findings.as_of, limit=5)
        window = findings.plan.window
        when = f" {window.describe()}" if window is not None else ""
        if touches:
            head = f"Activity on record for {records.account.name}{when}, newest first:" if window is not None \
                else f"Latest activity on record for {records.account.name}:"
            return [head, *touches]
        if window is not None:
            return [f"No activity on record for {records.account.name}{when}."]
    context = open_tickets_on_topic(findings, cites, words, customer=principal.is_customer) if docs_first else []
    if not lines:
        closest = _closest_lines(passages, cites, words)
        return [*_not_found(principal), *closest, *(["", *context] if context else [])]
    return [_source_heading(findings, cites, principal, intent), "", *lines, *(["", *context] if context else [])]


def _source_heading(findings: Findings, cites: CitationBook, principal: Principal, intent: Intent) -> str:
    """Where the quoted lines come from, by what they cite (a how-to answered by our meeting notes is no docs
    answer): the docs, the account's records, or both."""
    any_docs = any(c.source is SourceKind.DOCS for c in cites.citations)
    if any_docs and all(c.source in (SourceKind.DOCS, SourceKind.TICKETS) for c in cites.citations):
        return f"From {docs_label(findings.book, findings.passages)}:"
    if any_docs:
        return "Here is what the workspace says:"  # the history and the docs together
    if principal.is_customer:
        return "From your account's records:"
    return "From the account history:" if intent is Intent.HISTORY else "Here is what the workspace says:"


RECAP_TYPES = frozenset({ActivityType.MEETING, ActivityType.CALL})
RECAP_OPENING, RECAP_CLOSING = 3, 2  # a meeting's first findings and how it ended (decisions, next steps)
RECAP_CHOICES = 3
_NAMES_MEETING = re.compile(r"\b(meeting|call|session|workshop|qbr|ebr|check-?in|sync|visit|training|kick-?off)s?\b",
                            re.IGNORECASE)


def _title_named(question: str, title: str) -> tuple[int, int]:
    """How far a question names a record's title: the title's words it holds, then the longest run of them
    it holds in the title's order ("our year-in-review meeting" names "Renewal prep: year in review" more
    than "Mid-year review with Acme")."""
    asked, named = tokens(question.replace("-", " ")), tokens(title.replace("-", " "))
    shared = len(content_words(" ".join(asked)) & content_words(" ".join(named)))
    longest = max((n for i in range(len(named)) for n in range(1, len(named) - i + 1)
                   if _holds_run(asked, named[i:i + n])), default=0)
    return shared, longest


def _holds_run(words: list[str], run: list[str]) -> bool:
    return any(words[i:i + len(run)] == run for i in range(len(words) - len(run) + 1))


def _recap(findings: Findings, cites: CitationBook, principal: Principal) -> list[str]:
    """What a meeting or message came to, as its gist ("what came out of our year-in-review meeting?"): the newest
    meeting or call the asker may read when the question asks about the last one, else the record that answers
    best (a customer's from our messages, never their own e-mails). [] when the question asks for no recap."""
    plan = findings.plan
    if not asks_recap(plan.question) or plan.account_id not in findings.book.accounts:
        return []
    passages = our_messages(findings) if principal.is_customer else findings.passages
    activities = {a.id: a for a in findings.book.records(plan.account_id).activities if a.date <= findings.as_of}
    if asks_latest(plan.asked_text):
        candidates = sorted((a for a in activities.values() if a.type in RECAP_TYPES),
                            key=lambda a: (a.date, a.id), reverse=True)
    else:  # of the best few, the one whose title the question names ("our year-in-review meeting")
        found = [activities[p.chunk.record_id] for p in passages
                 if p.chunk.source is SourceKind.ACTIVITIES and p.chunk.record_id in activities][:RECAP_CHOICES]
        meeting = bool(_NAMES_MEETING.search(plan.question))  # "…in the workshop?": a meeting, not a request
        candidates = sorted(found, reverse=True,
                            key=lambda a: (meeting and a.type in RECAP_TYPES, _title_named(plan.question, a.title)))[:1]
    for activity in candidates:
        n = cites.cite(SourceKind.ACTIVITIES, activity.id)
        if n is not None:
            text = gist(activity, RECAP_OPENING, RECAP_CLOSING)
            return [f"- {activity.date} · {activity.title}: {text}{marks([n])}"]
    return []


def _own_records(findings: Findings, cites: CitationBook, words: set[str]) -> tuple[list[str], list[str]]:
    """Where a customer's tickets on the question stand, and the sentences of our messages and their success
    plan that answer it (dated; their own e-mails only when they ask what they did, `our_messages`)."""
    tickets = ticket_state_lines(findings, cites, customer=True)
    ours = [p for p in our_messages(findings) if p.chunk.source is not SourceKind.TICKETS]
    return tickets, _extracted(ours, cites, words, dated=True, limit=3) if answers_question(words, ours) else []


def _own_records_answer(findings: Findings, cites: CitationBook, words: set[str], docs: list[Passage]) -> list[str]:
    """A customer's question that their own records answer (`_own_records`), then what the docs say when a doc
    answers too ("your pilot saw 12% less driving; most see 10-15%")."""
    tickets, ours = _own_records(findings, cites, words)
    if not tickets and not ours:
        return []
    also = _extracted(docs, cites, words, dated=False, limit=2) if answers_question(words, docs) else []
    label = f"From {docs_label(findings.book, docs)}:"
    context = [] if tickets else open_tickets_on_topic(findings, cites, words, customer=True)
    return ["From your account's records:", "", *tickets, *ours, *(["", label, *also] if also else []),
            *(["", *context] if context else [])]


def _docs_then_records(findings: Findings, cites: CitationBook, words: set[str], principal: Principal) -> list[str]:
    """A customer's how-to question that the docs and our messages both answer: the docs lead (it is a question
    about the product), and what we already told them on it follows."""
    lines = _open_answer(findings, cites, words, principal, Intent.HOW_TO, doc_passages(findings))
    tickets, ours = _own_records(findings, cites, words)
    return [*lines, *(["", "From your account's records:", *tickets, *ours] if tickets or ours else [])]


def _named_authors(findings: Findings, cites: CitationBook, principal: Principal) -> list[str]:
    """What the contacts a vendor's question names (by name or title) wrote to us, newest first, or, asked who
    is upset with no one named, what the account's people wrote that reads as negative; [] for a customer
    (their own words) or when the question names nobody who wrote."""
    account_id = findings.plan.account_id
    if principal.is_customer or account_id is None or account_id not in findings.book.accounts:
        return []
    if not asks_what_said(findings.plan.question):
        return []
    records = findings.book.records(account_id)
    named = people_meant(findings.plan.question, findings.plan.earlier, records)
    if named:
        return written_by(records, named, cites, findings.as_of)
    if asks_who_is_upset(findings.plan.question) and findings.sentiment is not None:
        return upset_voices(records, cites, findings.as_of, findings.sentiment)
    return []


def _also_on_record(findings: Findings, cites: CitationBook, words: set[str], principal: Principal) -> list[str]:
    """A question that is also about what was said or happened ("how angry is Globex's COO?" reads as status
    and history alike), or asks for a cause the judgement can only name ("what's behind the usage dip?": the
    notes may say), or when a meeting being prepared for is ("when is the Contoso QBR?": the mail that set it):
    after the judgement, what the person named wrote, or the records that answer it."""
    plan = findings.plan
    if Intent.HISTORY not in plan.intents[1:] and not asks_cause(plan.question) \
            and not plan.asks_notes and not asks_who_is_upset(plan.question) \
            and not (plan.intent is Intent.TALKING_POINTS and asks_when(plan.question)):
        return []
    authored = _named_authors(findings, cites, principal)
    if authored:
        return ["**On record about this**", *authored, ""]
    records = [p for p in findings.passages if p.chunk.source is not SourceKind.DOCS]
    if not answers_question(words, records):
        return []
    # The notes on the topic rarely use the question's words ("talking to besides us": "evaluating Paylane").
    picking = words | question_terms(plan.looks_for) if plan.asks_notes else words
    found = _extracted(records, cites, picking, dated=True, limit=3, shape=answer_shape(findings.plan.question))
    return ["**On record about this**", *found, ""] if found else []


def _customer_answer(records: AccountRecords, findings: Findings, cites: CitationBook, words: set[str]) -> list[str]:
    intent, as_of = findings.plan.intent, findings.as_of
    if intent is Intent.PROMISES:
        return promises_section(records, cites, as_of, words, customer=True)
    if intent is Intent.TICKETS:
        return tickets_section(records, cites, as_of, customer=True)
    lines = plan_section(records, cites, as_of, customer=True)
    if intent in (Intent.STATUS, Intent.TALKING_POINTS):
        lines += ["", *tickets_section(records, cites, as_of, customer=True)]
    tip = suggest(records, findings.book.docs, as_of)
    if tip is not None and intent in (Intent.STATUS, Intent.SUCCESS_PLAN):
        doc_n = cites.cite("docs", tip.doc.path)
        plan_n = cites.cite("success_plans", f"plan:{records.account_id}")
        lines += ["", f"**Worth a look:** your goal “{tip.objective.title}”{marks([plan_n])} could get a lift from "
                  f"**{tip.doc.title}**, which your team hasn't used yet{marks([doc_n])}."]
    return lines


def _vendor_answer(records: AccountRecords, findings: Findings, cites: CitationBook, words: set[str]) -> list[str]:
    plan, as_of = findings.plan, findings.as_of
    health = findings.health.get(records.account_id)
    if plan.intent is Intent.ADVOCACY and records.account_id in findings.advocacy:
        return advocacy_answer(records, findings.advocacy[records.account_id], cites, plan.question, plan.ask_kind)
    if plan.intent is Intent.TALKING_POINTS:
        return talking_points(records, health, cites, as_of, words)
    if plan.intent is Intent.PROMISES:
        return [headline(records, None, as_of), "", *promises_section(records, cites, as_of, words, customer=False)]
    if plan.intent is Intent.SUCCESS_PLAN:
        return plan_section(records, cites, as_of, customer=False)
    # what the volume means is read over the judgement's support window, whatever period the question names
    volume = ticket_signal(findings.history(records.account_id), health, cites, as_of, findings.support_days) \
        if asks_ticket_volume(plan.asked_text) else []
    if plan.intent is Intent.TICKETS:
        return [*volume, *([""] if volume else []), *tickets_section(records, cites, as_of, customer=False)]
    if health is not None:
        return [*status_answer(records, health, cites, as_of, actions_first=plan.intent is Intent.NEXT_ACTIONS),
                *(["", *volume] if volume else []), *_also_asked(records, findings, cites, words)]
    return []


def _also_asked(records: AccountRecords, findings: Findings, cites: CitationBook, words: set[str]) -> list[str]:
    """The sections of the records a status question also asks about (its other intents, kept because they
    scored close): "what's Hooli waiting on from support?" is their status and their open tickets."""
    also = findings.plan.intents[1:]
    lines: list[str] = []
    if Intent.TICKETS in also:
        lines += ["", *tickets_section(records, cites, findings.as_of, customer=False)]
    if Intent.PROMISES in also:
        lines += ["", *promises_section(records, cites, findings.as_of, words, customer=False)]
    if Intent.SUCCESS_PLAN in also:
        lines += ["", *plan_section(records, cites, findings.as_of, customer=False)]
    return lines


RECORDS = "records"
DOCS_THEN_RECORDS = "docs_then_records"
# A customer's question the planner read as their status or tickets, answered by one of our messages instead.
_MESSAGES_CAN_ANSWER = frozenset({Intent.STATUS, Intent.TICKETS})
_READ_AS_DOCS = frozenset({Intent.OPEN.value, Intent.HISTORY.value})
# A customer's question the planner read as about their records, answered from the docs instead.
_DOCS_CAN_ANSWER = frozenset({Intent.PROMISES, Intent.TICKETS, Intent.SUCCESS_PLAN, Intent.STATUS, Intent.HISTORY})


def _customer_route(findings: Findings) -> Intent | str:
    """What answers a customer, by evidence rather than by the question's words alone: their own records
    (`RECORDS`), the docs (`Intent.HOW_TO`), or the planned intent. Customers ask in their own words, and
    those words often sound like another intent ("do web requests go straight onto a tech's schedule?"
    is no question about requests we owe them)."""
    intent = findings.plan.intent
    if intent in (Intent.HOW_TO, Intent.OPEN, Intent.HISTORY) and records_answer(findings):
        return DOCS_THEN_RECORDS if intent is Intent.HOW_TO and docs_answer_too(findings) else RECORDS
    if intent in _DOCS_CAN_ANSWER and docs_answer(findings):
        return Intent.HOW_TO
    if intent in _MESSAGES_CAN_ANSWER and messages_answer(findings):
        return RECORDS
    if intent in _MESSAGES_CAN_ANSWER and messages_answer_as_well(findings):
        return DOCS_THEN_RECORDS
    return intent


def _only_people(plan: Plan, ignore: set[str], records: AccountRecords) -> bool:
    """Whether a who-is-who question asks nothing beyond who the people are ("who is she?", "who's Marisol?"):
    the contacts table is the whole answer."""
    named = {w for c in people_meant(plan.question, plan.earlier, records) for w in c.name.lower().split()}
    left = question_terms(plan.question, ignore | named)
    if _WHO.match(plan.question):  # "who handles billing at Tyrell?": the person holding a role or title
        return left - _WHO_FILLER <= _role_words(records) | PEOPLE_WORDS
    return not left


def _answer_lines(findings: Findings, cites: CitationBook, words: set[str],
                  principal: Principal) -> tuple[list[str], str]:
    """The answer's lines for the route the plan takes, and the intent it was answered as."""
    plan = findings.plan
    # "What did we agree in our last meeting?", "the action items from the Indiana check-in": that meeting's gist
    # answers, whatever intent the words sound like.
    recap = _recap(findings, cites, principal)
    if recap:
        head = "From your account's records:" if principal.is_customer else "From the account history:"
        return [head, "", *recap], Intent.HISTORY.value
    lines: list[str] = []
    route = _customer_route(findings) if principal.is_customer and plan.account_ids else plan.intent
    answered_as = plan.intent.value
    if route == DOCS_THEN_RECORDS:
        lines = _docs_then_records(findings, cites, words, principal)
    elif route == RECORDS:  # "where are we with what we reported?": their records answer it better than any doc
        lines = _own_records_answer(findings, cites, words, doc_passages(findings))
        # Their status or ticket, answered from our messages (and their ticket cited), stays what it was asked as.
        kept = plan.intent is Intent.STATUS or (plan.intent is Intent.TICKETS and any(
            c.source is SourceKind.TICKETS for c in cites.citations))
        if lines and not kept:
            answered_as = records_intent(findings)
    elif route is Intent.HOW_TO and plan.intent is not Intent.HOW_TO:  # a doc answers what the words mistook
        lines = _open_answer(findings, cites, words, principal, Intent.HOW_TO)
        answered_as = Intent.HOW_TO.value
    elif plan.intent is Intent.PORTFOLIO and findings.portfolio is not None:
        names = {c.contact_id: c.name for r in findings.book.all_records() for c in r.contacts}
        lines = portfolio_answer(findings.portfolio, plan.portfolio_sections, cites, names, plan.risk_flag, plan.band)
    elif plan.intent not in (Intent.OPEN, Intent.HOW_TO, Intent.HISTORY):
        cited_before = len(cites.citations)
        for account_id in plan.account_ids[:3]:
            records = findings.book.records(account_id)
            part = (_customer_answer(records, findings, cites, words) if principal.is_customer
                    else _vendor_answer(records, findings, cites, words))
            lines += [*part, ""]
        # A customer asking what we did or told them ("what did your team sign up to do for us?") is answered by
        # the records or by "none on record", never by a doc that shares a word.
        told = principal.is_customer and load_table().about_own_reports(plan.asked_text)
        found = our_messages(findings) if told else findings.passages
        if len(cites.citations) == cited_before and answers_question(words, found):
            # The records asked about hold nothing on this ("no open requests"): what retrieval found may
            # ("What did Ann ask for?" is answered by a meeting note, not a request record), and leads.
            lines = [*_open_answer(findings, cites, words, principal, passages=found if told else None), "", *lines]
        elif not principal.is_customer:
            lines += _also_on_record(findings, cites, words, principal)
    if not any(line.strip() for line in lines):
        lines = _open_answer(findings, cites, words, principal)
    return lines, answered_as


def compose_offline(findings: Findings, principal: Principal) -> Answer:
    """The offline answer to a planned, gathered question."""
    plan = findings.plan
    # the judgements' evidence may lie outside a question's window: every record they saw can be cited
    cites = CitationBook(principal.readable(), record_index(findings.judged or findings.book))
    ignore = {k for a in plan.account_ids for k in name_keys(a, findings.directory.get(a, a))}
    vendor = vendor_name(findings.book, findings.passages)
    if vendor:  # the vendor's name is in every doc: it says nothing about which one answers
        ignore.add(vendor.lower())
    words = question_terms(plan.asked_text, ignore)
    whose_csm = _csm_answer(findings, cites, principal)
    if whose_csm:  # "who owns Globex?" asks for our CSM, not for their contacts
        return _offline_answer(whose_csm, cites, findings, Intent.STATUS.value)
    people: list[str] = []
    records = (findings.book.records(plan.account_ids[0]) if not principal.is_customer and plan.account_ids
               and plan.account_ids[0] in findings.book.accounts else None)
    if records is not None and _asks_who_is_who(plan, words, records):
        # who is who: the contacts table, cited first
        people = people_section(records, cites, findings.as_of, frozenset(words))
        if _only_people(plan, ignore, records):
            return _offline_answer(people, cites, findings, Intent.STATUS.value)
    lines, answered_as = _answer_lines(findings, cites, words, principal)
    lines = [*people, "", *lines] if people else lines
    if (answered_as in _READ_AS_DOCS or principal.is_customer) and cites.citations \
            and all(c.source is SourceKind.DOCS for c in cites.citations):
        answered_as = Intent.HOW_TO.value  # only the docs answered it: a product question, whatever its words
    return _offline_answer(lines, cites, findings, answered_as)


def _offline_answer(lines: list[str], cites: CitationBook, findings: Findings, intent: str) -> Answer:
    """The offline engine's reply: its lines, what they cite, the tools that ran, what it answered as."""
    return Answer(answer="\n".join(lines).strip(), citations=cites.citations, tools=list(findings.tools),
                  mode="offline", degraded=False, intent=intent)
