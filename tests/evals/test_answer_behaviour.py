"""Issue 7 behaviours on the demo workspace (as of 2026-11-16): advocacy replies that keep their own rules,
the judgements' as-of view in answers, docs answers that are the doc (not the customer's own words), and
the vendor's name read from the workspace."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa

from accounts.access import Audience
from assistant.answer import answer
from assistant.memory import ConversationMemory
from assistant.principal import Principal
from assistant.types import Answer
from assistant.vendor import docs_label

AS_OF = dt.date(2026, 11, 16)


def visible_activities(services: Any, account_id: str) -> set[str]:
    """An account's customer-visible activities: all of its activities its own users may be shown."""
    records = services.book().records(account_id)
    return {a.id for a in records.activities if a.visibility.value == "customer"}
CSM = Principal(Audience.CSM, user="lee@fieldloop.example")


@pytest.fixture(scope="module")
def memory() -> ConversationMemory:
    return ConversationMemory(sa.create_engine("sqlite://"))


def ask(services: Any, memory: ConversationMemory, question: str, principal: Principal = CSM,
        as_of: dt.date = AS_OF) -> Answer:
    return answer(question, principal, ports=services, as_of=as_of, memory=memory)


def test_a_note_that_rules_out_case_studies_blocks_one_and_marketing_gets_a_reply(
        demo_services: Any, memory: ConversationMemory) -> None:
    result = ask(demo_services, memory, "Marketing wants a case study from Gringotts. Can we ask them?")
    assert "**Not now**" in result.answer and "Never suggest a case study" in result.answer
    assert "a-32" in [c.id for c in result.citations]
    assert "**Reply you can send back**" in result.answer and "won't ask for one" in result.answer
    ready = ask(demo_services, memory, "Is Gringotts ready for an advocacy ask?")
    assert "Suggested ask:** reference call" in ready.answer and "Suggested ask:** case study" not in ready.answer


def test_no_ask_of_any_kind_while_a_crisis_is_open(demo_services: Any, memory: ConversationMemory) -> None:
    result = ask(demo_services, memory, "Sales asked if Globex could do a webinar for us. Can I ask them?")
    text = result.answer
    assert "**Not now**" in text and "t-68" in text
    assert "lighter" not in text and "someone else" not in text and "Suggested ask" not in text
    reply = text.split("**Reply you can send back**", 1)[1]
    assert "severity-1" in reply and "2026-12-16" in reply  # the reason and the date to revisit


@pytest.mark.parametrize("account", ["Vandelay", "Hooli", "Globex", "Stark"])
def test_loyalty_bank_figures_agree_with_each_other(demo_services: Any, memory: ConversationMemory,
                                                    account: str) -> None:
    text = ask(demo_services, memory, f"Can we ask {account} for a case study?").answer
    net = int(re.search(r"net ([+-]?\d+)", text).group(1))  # type: ignore[union-attr]
    affords = re.search(r"affords an ask of up to (\d+)|overdrawn by (\d+)|(affords no ask)", text)
    assert affords is not None, text
    shown = int(affords.group(1)) if affords.group(1) else -int(affords.group(2)) if affords.group(2) else 0
    assert shown == net + 2, text  # base_credit 2: one figure, never "net −1" beside "affords 1"
    for claim in re.findall(r"balance affords (-?\d+)", text):
        assert int(claim) == shown, text


def test_a_champion_who_left_is_not_quoted_as_champion(demo_services: Any, memory: ConversationMemory) -> None:
    text = ask(demo_services, memory, "Who is Umbrella's champion?").answer
    assert "Champion: **none active now**" in text and "Claire Redmond (champion) **left on 2026-10-03**" in text
    for line in text.splitlines():
        if "Claire" in line and "champion" in line.lower():
            assert "left" in line, line


def test_a_ticket_closed_after_the_as_of_date_was_open_then(demo_services: Any, memory: ConversationMemory) -> None:
    text = ask(demo_services, memory, "What tickets does Tyrell have open?", as_of=dt.date(2026, 10, 20)).answer
    assert "t-56" in text.split("recently", 1)[0]  # closed 2026-10-24: open on 2026-10-20
    assert "t-56 “QuickBooks Online sync posting invoices twice” — severity 2, open" in text


def test_customers_get_the_doc_not_their_own_ticket(demo_services: Any, memory: ConversationMemory) -> None:
    customer = Principal(Audience.CUSTOMER, "hooli", "ops@hooli.example")
    result = ask(demo_services, memory, "A technician called in sick, how do I move all of his jobs for today at once?",
                 customer)
    assert result.answer.startswith("From the FieldLoop docs:")
    assert "Reassign remaining jobs" in result.answer
    ticket = next(c for c in result.citations if c.id == "t-72")  # their open ticket: context, after the answer
    assert ticket.snippet not in result.answer
    assert "Your open ticket t-72" in result.answer.split("\n\n")[-1]


def test_the_vendor_name_is_read_from_the_workspace(demo_services: Any) -> None:
    assert docs_label(demo_services.book(None, include_docs=True), []) == "the FieldLoop docs"


def test_nothing_found_says_what_a_customer_can_do(demo_services: Any, memory: ConversationMemory) -> None:
    text = ask(demo_services, memory, "What is the weather in Paris tomorrow?",
               Principal(Audience.CUSTOMER, "wonka", "x")).answer
    assert text.startswith("I couldn't find this in the workspace.") and "Your CSM can help" in text
    assert "lee@" not in text


def test_our_message_answers_a_customer_whatever_section_the_words_named(demo_services: Any,
                                                                         memory: ConversationMemory) -> None:
    """"What did your audit recommend?" sounds like a status question; the audit e-mail answers it."""
    tyrell = Principal(Audience.CUSTOMER, "tyrell", "leah@tyrell.example")
    result = ask(demo_services, memory, "what did your invoicing audit recommend we change?", tyrell)
    assert "tax rounding" in result.answer and any(c.id == "a-161" for c in result.citations)
    own = demo_services.book(None).records("tyrell")
    visible = {a.id for a in own.activities if a.visibility.value == "customer"} | {t.ticket_id for t in own.tickets} \
        | {f"plan:{own.account_id}"}
    assert all(c.source.value == "docs" or c.id in visible for c in result.citations)  # theirs and shown to them


def test_a_promise_due_in_a_month_ahead_is_found(demo_services: Any, memory: ConversationMemory) -> None:
    tyrell = Principal(Audience.CUSTOMER, "tyrell", "leah@tyrell.example")
    result = ask(demo_services, memory, "is the credit note fix still coming in december like you said?", tyrell)
    assert "2026-12-05" in result.answer and any(c.id == "a-138" for c in result.citations)
    assert not result.answer.startswith("No open promises")


def test_the_latest_contact_is_answered_by_the_newest_records(demo_services: Any, memory: ConversationMemory) -> None:
    result = ask(demo_services, memory, "when was the last time anyone spoke to Initech")
    first = result.answer.splitlines()[:2]
    assert first[0] == "Latest activity on record for Initech:" and first[1].startswith("- 2026-09-04")


def test_an_off_topic_question_sharing_one_word_with_a_doc_is_not_found(demo_services: Any,
                                                                       memory: ConversationMemory) -> None:
    text = ask(demo_services, memory, "how do I renew my passport", Principal(Audience.CUSTOMER, "initech", "x")).answer
    assert text.startswith("I couldn't find this in the workspace.")


def test_a_not_found_near_a_doc_offers_its_closest_section_as_such_and_only_docs(
        demo_services: Any, memory: ConversationMemory) -> None:
    """No sentence answers "do you integrate with SAP?", but the Salesforce integration page is near: the reply
    still says nothing answers, then offers that section, cited; a customer is shown only docs. A question far
    from every page ("recommend a restaurant") gets no such offer."""
    initech = Principal(Audience.CUSTOMER, "initech", "x")
    near = ask(demo_services, memory, "do you integrate with sap?", initech)
    assert near.answer.startswith("I couldn't find this in the workspace.")
    assert "The closest I found (it may not answer your question):" in near.answer
    assert "Salesforce integration" in near.answer
    assert near.citations and all(c.source == "docs" for c in near.citations)
    far = ask(demo_services, memory, "can you recommend a restaurant near our office", initech)
    assert far.answer.startswith("I couldn't find this in the workspace.") and "closest" not in far.answer
    assert not far.citations


def test_a_customer_asking_after_what_they_reported_gets_its_state_not_their_own_words(
        demo_services: Any, memory: ConversationMemory) -> None:
    piedpiper = Principal(Audience.CUSTOMER, "piedpiper", "erin.blake@piedpiper.example")
    result = ask(demo_services, memory, "did anyone get back to us on our quickbooks question?", piedpiper)
    assert "Your ticket t-70" in result.answer and "is open" in result.answer
    assert result.intent == "tickets"
    assert "Our bookkeeper only comes in on Fridays" not in result.answer  # their own e-mail, not an answer


def test_a_question_also_about_what_was_said_adds_the_records_after_the_judgement(
        demo_services: Any, memory: ConversationMemory) -> None:
    """"Did Globex threaten anything about the renewal?" is their risk and what they said: the status
    leads, then the records that answer, cited; a plain status question gets no such section."""
    asked = ask(demo_services, memory, "did globex threaten anything about the renewal?")
    assert asked.answer.startswith("**Globex Logistics**")
    on_record = asked.answer.split("**On record about this**")[1]
    assert re.search(r"2026-11-\d\d · .*\[\d+\]", on_record)
    assert "**On record about this**" not in ask(demo_services, memory, "how is globex doing?").answer


def test_a_status_question_also_about_tickets_lists_them(demo_services: Any, memory: ConversationMemory) -> None:
    result = ask(demo_services, memory, "how's Hooli doing, and what are they waiting on from support?")
    assert result.answer.startswith("**Hooli**")  # the judgement leads: noise is not churn
    assert "t-71" in result.answer and "t-72" in result.answer


def test_a_misspelt_docs_question_finds_the_page_and_internal_words_fix_nothing(
        demo_services: Any, memory: ConversationMemory) -> None:
    customer = Principal(Audience.CUSTOMER, "globex", "ops@globex.example")
    result = ask(demo_services, memory, "how do i fix a sync conflcit", customer)
    assert any(c.id.endswith("sync-conflicts.md") for c in result.citations)
    # "discount" is in internal notes only (a-87, a-164): the vocabulary is the public docs'
    assert demo_services.typo_fixer.correction("discont") is None
    assert demo_services.typo_fixer.correction("conflcit") == "conflict"


def test_a_customer_reply_from_the_docs_alone_answers_as_how_to(demo_services: Any,
                                                                 memory: ConversationMemory) -> None:
    """The words sounded like "requests we owe them"; only the docs answered: a product question."""
    umbrella = Principal(Audience.CUSTOMER, "umbrella", "jordan@umbrella.example")
    result = ask(demo_services, memory, "do web requests from our clients go straight onto a tech's schedule?",
                 umbrella)
    assert result.answer.startswith("From the FieldLoop docs:") and result.intent == "how_to"
    assert all(c.source.value == "docs" for c in result.citations)


def test_a_how_to_question_our_message_also_answers_leads_with_the_docs(demo_services: Any,
                                                                         memory: ConversationMemory) -> None:
    """Gringotts' CSM wrote about rotating the SAML certificate (2026-11-07): the docs answer the how-to, and
    what we already told them follows under their records, each from its own source."""
    gringotts = Principal(Audience.CUSTOMER, "gringotts", "it@gringotts.example")
    result = ask(demo_services, memory, "how do we swap the saml cert without downtime?", gringotts)
    docs, _, records = result.answer.partition("From your account's records:")
    assert docs.startswith("From the FieldLoop docs:") and "**Secondary certificate**" in docs
    assert "2026-11-07" not in docs and "2026-11-07" in records
    assert result.intent == "how_to"
    assert {c.source.value for c in result.citations} == {"docs", "activities"}
    assert {c.id for c in result.citations if c.source.value == "activities"} <= visible_activities(demo_services,
                                                                                                   "gringotts")


def test_a_history_reply_that_quotes_the_docs_is_not_labelled_account_history(demo_services: Any,
                                                                              memory: ConversationMemory) -> None:
    wayne = Principal(Audience.CUSTOMER, "wayne", "ops@wayne.example")
    result = ask(demo_services, memory, "parts we sent from the warehouse to a van still say in transit days later",
                 wayne)
    assert any(c.source.value == "docs" for c in result.citations)
    assert not result.answer.startswith("From the account history:"), result.answer


def test_what_the_coo_wrote_is_found_by_its_author_and_shows_the_threat(demo_services: Any,
                                                                        memory: ConversationMemory) -> None:
    """Richard Hale is Globex's Chief Operating Officer (contacts.csv); his e-mail a-162 never says "COO"."""
    result = ask(demo_services, memory, "what did Globex's COO write to us?")
    assert "Richard Hale — Unacceptable" in result.answer and "legal team" in result.answer
    assert "a-162" in [c.id for c in result.citations]
    angry = ask(demo_services, memory, "how angry is the globex COO?")
    assert "44/100 (red)" in angry.answer and "**On record about this**" in angry.answer
    assert "a-162" in [c.id for c in angry.citations]


def test_a_customer_asking_what_their_own_people_wrote_is_not_quoted_their_messages(
        demo_services: Any, memory: ConversationMemory) -> None:
    globex = Principal(Audience.CUSTOMER, "globex", "richard.hale@globex.example")
    result = ask(demo_services, memory, "what did our COO write to you?", globex)
    assert "Richard Hale —" not in result.answer
    assert "a-162" not in [c.id for c in result.citations]  # internal-visibility e-mail and their own words


def test_what_went_on_in_a_window_lists_that_windows_records_newest_first(demo_services: Any,
                                                                          memory: ConversationMemory) -> None:
    result = ask(demo_services, memory, "anything new from Globex in the last week?")
    assert result.answer.startswith("Activity on record for Globex Logistics last week (2026-11-09 to 2026-11-15)")
    dates = re.findall(r"^- (\d{4}-\d{2}-\d{2}) ·", result.answer, flags=re.MULTILINE)
    assert dates and dates == sorted(dates, reverse=True) and all("2026-11-09" <= d <= "2026-11-15" for d in dates)
    assert "2026-11-14" in dates


def test_an_account_named_by_one_of_its_people(demo_services: Any, memory: ConversationMemory) -> None:
    """Marisol Vega is Globex's champion (contacts.csv): no account name needed."""
    result = ask(demo_services, memory, "what did marisol say lately?")
    assert "Marisol Vega —" in result.answer
    authored = {a.id for a in demo_services.book().records("globex").activities
                if a.author == "marisol.vega@globex.example"}
    cited = {c.id for c in result.citations}
    assert cited and cited <= authored


def test_a_customer_asking_what_they_did_gets_their_own_reply_as_evidence(demo_services: Any,
                                                                         memory: ConversationMemory) -> None:
    """Anita confirmed the QBR (a-148, her own e-mail): asked "did we confirm?", that reply is the answer."""
    contoso = Principal(Audience.CUSTOMER, "contoso", "anita@contoso.example")
    result = ask(demo_services, memory, "did we ever confirm the QBR date?", contoso)
    assert "November 24 at 10 works" in result.answer and "a-148" in [c.id for c in result.citations]
    how_to = ask(demo_services, memory, "how do I fix a sync conflict?", Principal(Audience.CUSTOMER, "globex"))
    assert how_to.citations[0].source.value == "docs"  # asked how, not what they did: still the docs first


def test_a_question_naming_a_contact_cites_the_contacts_table(demo_services: Any, memory: ConversationMemory) -> None:
    """"Did Claire leave?" is answered by who is who on the as-of date (contacts.csv), then the records."""
    result = ask(demo_services, memory, "did Claire leave Umbrella?")
    assert "Claire Redmond (champion) **left on 2026-10-03**" in result.answer
    assert "c-umbrella-1" in [c.id for c in result.citations]
    said = ask(demo_services, memory, "what did marisol say lately?")
    assert "people on" not in said.answer  # what someone said: their messages, not the contacts table


def test_a_how_to_question_our_notes_match_better_still_gets_the_doc_on_its_topic_first(
        demo_services: Any, memory: ConversationMemory) -> None:
    """Umbrella's CSM wrote about their portal roll-out, which the question's words match best; the doc on the
    portal still says where requests arrive, and leads."""
    umbrella = Principal(Audience.CUSTOMER, "umbrella", "victor.chen@umbrella.example")
    result = ask(demo_services, memory, "if a clinic asks for service through the portal, where does it show up "
                 "for our dispatchers?", umbrella)
    docs, _, records = result.answer.partition("From your account's records:")
    assert docs.startswith("From the FieldLoop docs:") and "Requests arrive in the dispatch Queue" in docs
    assert records and result.intent == "how_to"
    assert {c.id for c in result.citations if c.source.value == "activities"} <= visible_activities(demo_services,
                                                                                                   "umbrella")


def test_a_customer_asking_after_their_problem_finds_their_ticket_on_it(demo_services: Any,
                                                                        memory: ConversationMemory) -> None:
    """"What's happening with our sync problem?": their tickets on it join the search beside the docs' many pages
    (only their own account's)."""
    question = "what's happening with our sync problem?"
    result = ask(demo_services, memory, question, Principal(Audience.CUSTOMER, "globex"))
    assert "t-68" in {c.id for c in result.citations}, result.answer
    other = ask(demo_services, memory, question, Principal(Audience.CUSTOMER, "acme"))
    acme = {t.ticket_id for t in demo_services.book().records("acme").tickets}
    assert {c.id for c in other.citations if c.source.value == "tickets"} <= acme and "t-68" not in other.answer
