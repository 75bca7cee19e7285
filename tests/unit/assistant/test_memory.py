"""Conversation memory: turns and last account kept per conversation, bounded, bound to its principal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from accounts.access import Audience
from accounts.errors import AccessDenied, BadRequest
from assistant.memory import ConversationMemory
from assistant.principal import Principal

DANA = Principal(Audience.CSM, user="dana")


@pytest.fixture
def memory() -> ConversationMemory:
    return ConversationMemory(sa.create_engine("sqlite://"), max_tokens=60)


def test_new_conversation_gets_an_id(memory: ConversationMemory) -> None:
    convo = memory.open(None, DANA)
    assert convo.new and len(convo.conversation_id) == 32 and convo.turns == []


def test_turns_and_last_account_round_trip(memory: ConversationMemory) -> None:
    convo = memory.open("c-1", DANA)
    memory.record(convo, DANA, "how is Globex?", "Globex is yellow.", "globex")
    again = memory.open("c-1", DANA)
    assert not again.new
    assert [t.role for t in again.turns] == ["user", "assistant"]
    assert again.last_account_id == "globex"
    memory.record(again, DANA, "what next?", "Call Ana.", None)
    assert memory.open("c-1", DANA).last_account_id == "globex"  # a follow-up without an account keeps it


def test_history_is_bounded_in_tokens(memory: ConversationMemory) -> None:
    convo = memory.open("c-2", DANA)
    for i in range(20):
        memory.record(convo, DANA, f"question number {i} about Globex", f"answer number {i} with some words", "globex")
    kept = memory.open("c-2", DANA).turns
    assert 0 < len(kept) < 40
    assert sum(memory.counter.count(t.text) for t in kept) <= 60
    assert kept[-1].text == "answer number 19 with some words"  # the oldest go first


def test_another_principal_cannot_use_the_conversation(memory: ConversationMemory) -> None:
    convo = memory.open("c-3", DANA)
    memory.record(convo, DANA, "how is Globex?", "Globex is yellow.", "globex")
    others = (Principal(Audience.CSM, user="lee"), Principal(Audience.CUSTOMER, "globex"),
              Principal(Audience.MANAGER, user="dana"))
    for other in others:
        with pytest.raises(AccessDenied):
            memory.open("c-3", other)


def test_bad_conversation_id(memory: ConversationMemory) -> None:
    with pytest.raises(BadRequest):
        memory.open("x" * 500, DANA)
