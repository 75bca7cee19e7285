"""Who the account's CSM is: for a customer, only an address they already have mail from (the account row's
`csm` may be an internal handle), never an internal note's title."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from accounts.access import Audience
from accounts.book import AccountBook
from accounts.models import Account, Activity, ActivityType, SourceKind, Visibility
from assistant.answer import answer
from assistant.memory import ConversationMemory
from assistant.principal import Principal

from .conftest import FakePorts
from .test_understanding import ask, demo

__all__ = ["demo"]
AS_OF = dt.date(2026, 11, 16)


def test_a_customer_learns_who_their_csm_is_from_a_message_they_have(demo: FakePorts) -> None:
    result = ask(demo, "who is our CSM?", Audience.CUSTOMER, "acme")
    assert "Your customer success manager is **lee@fieldloop.example**" in result.answer
    assert [(c.source, c.id) for c in result.citations] == [(SourceKind.ACTIVITIES, "a-176")]


def test_staff_asking_who_owns_an_account_get_the_csm_not_the_contacts(demo: FakePorts) -> None:
    result = ask(demo, "who owns the globex account?")
    assert "customer success manager is **dana@fieldloop.example**" in result.answer
    assert "Champion:" not in result.answer


def test_a_customer_whose_csm_only_wrote_internal_notes_is_not_told_the_handle() -> None:
    book = AccountBook.build(
        [Account(account_id="acme", name="Acme", csm="lee.internal-handle")],
        activities=[Activity(id="n-1", account_id="acme", date=dt.date(2026, 11, 2), type=ActivityType.NOTE,
                             author="lee.internal-handle", title="CANARYCSM renewal discount plan", body="Internal.",
                             visibility=Visibility.INTERNAL)])
    ports = FakePorts(book)
    memory = ConversationMemory(sa.create_engine("sqlite://"))
    customer = answer("who is our customer success manager?", Principal(Audience.CUSTOMER, "acme"), ports=ports,
                      as_of=AS_OF, memory=memory)
    assert "lee.internal-handle" not in customer.answer and "CANARYCSM" not in customer.answer
    assert customer.citations == []
    staff = answer("who is the CSM for Acme?", Principal(Audience.CSM), ports=ports, as_of=AS_OF, memory=memory)
    assert "**lee.internal-handle**" in staff.answer


def test_their_own_account_owner_leaving_is_no_question_about_our_csm(demo: FakePorts) -> None:
    result = ask(demo, "our account owner quit. who can take over billing and seats now?", Audience.CUSTOMER, "oscorp")
    assert "customer success manager is" not in result.answer


def test_who_manages_it_on_their_side_is_not_our_csm() -> None:
    from assistant.engine_offline import _ASKS_WHOSE_CSM

    assert _ASKS_WHOSE_CSM.search("who manages Oscorp?")
    assert not _ASKS_WHOSE_CSM.search("who manages fieldloop on the oscorp side these days")
    assert not _ASKS_WHOSE_CSM.search("who handles it at their end now?")
