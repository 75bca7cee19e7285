"""Conversation memory: ids issued by Advocate, turns and last account kept per conversation, bounded,
bound to its principal; an unknown id and another principal's id get the same refusal."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from accounts.access import Audience
from accounts.errors import BadRequest
from assistant.memory import ConversationMemory, UnknownConversation
from assistant.principal import Principal

DANA = Principal(Audience.CSM, user="dana")


@pytest.fixture
def memory() -> ConversationMemory:
    return ConversationMemory(sa.create_engine("sqlite://"), max_tokens=60)


def started(memory: ConversationMemory, principal: Principal = DANA) -> str:
    """A conversation's id, issued by the memory and stored by a first turn."""
    convo = memory.open(None, principal)
    memory.record(convo, principal, "how is Globex?", "Globex is yellow.", "globex")
    return convo.conversation_id


def test_new_conversation_gets_an_id(memory: ConversationMemory) -> None:
    convo = memory.open(None, DANA)
    assert convo.new and len(convo.conversation_id) == 32 and convo.turns == []


def test_issued_ids_are_unguessable(memory: ConversationMemory) -> None:
    ids = {memory.open(None, DANA).conversation_id for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 32 and set(i) <= set("0123456789abcdef")
               for i in ids)


def test_a_caller_cannot_choose_an_id(memory: ConversationMemory) -> None:
    for chosen in ("c-1", "my-conversation", "0" * 32):
        with pytest.raises(UnknownConversation):
            memory.open(chosen, DANA)
    with memory.engine.connect() as conn:  # nothing was claimed by trying
        assert conn.execute(sa.text("select count(*) from assistant_conversations")).scalar() == 0


def test_turns_and_last_account_round_trip(memory: ConversationMemory) -> None:
    c1 = started(memory)
    again = memory.open(c1, DANA)
    assert not again.new
    assert [t.role for t in again.turns] == ["user", "assistant"]
    assert again.last_account_id == "globex"
    memory.record(again, DANA, "what next?", "Call Ana.", None)
    assert memory.open(c1, DANA).last_account_id == "globex"  # a follow-up without an account keeps it


def test_history_is_bounded_in_tokens(memory: ConversationMemory) -> None:
    convo = memory.open(None, DANA)
    for i in range(20):
        memory.record(convo, DANA, f"question number {i} about Globex", f"answer number {i} with some words", "globex")
    kept = memory.open(convo.conversation_id, DANA).turns
    assert 0 < len(kept) < 40
    assert sum(memory.counter.count(t.text) for t in kept) <= 60
    assert kept[-1].text == "answer number 19 with some words"  # the oldest go first


def test_another_principal_gets_the_same_refusal_as_an_unknown_id(memory: ConversationMemory) -> None:
    c3 = started(memory)
    with pytest.raises(UnknownConversation) as unknown:
        memory.open(memory.open(None, DANA).conversation_id, DANA)  # issued but never used: not stored
    others = (Principal(Audience.CSM, user="lee"), Principal(Audience.CUSTOMER, "globex"),
              Principal(Audience.MANAGER, user="dana"), Principal(Audience.CSM, "globex", user="dana"))
    for other in others:
        with pytest.raises(UnknownConversation) as refused:
            memory.open(c3, other)
        assert str(refused.value) == str(unknown.value) and c3 not in str(refused.value)
    assert memory.open(c3, DANA).turns  # the owner still gets it: nobody was locked out


def test_bad_conversation_id(memory: ConversationMemory) -> None:
    for bad in ("x" * 500, "", "   "):
        with pytest.raises(BadRequest, match="unknown conversation"):
            memory.open(bad, DANA)
