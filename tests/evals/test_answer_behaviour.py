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
