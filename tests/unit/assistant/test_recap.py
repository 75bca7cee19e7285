"""What a meeting came to: "what did we agree in our last meeting?" is answered by that meeting's gist, for
a customer only from the meetings they may read; attendee lists are never the answer."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from accounts.access import Audience
from accounts.book import AccountBook
from accounts.models import Account, Activity, ActivityType, ItemStatus, SourceKind, Visibility
from assistant.answer import answer
from assistant.extract import asks_recap
from assistant.memory import ConversationMemory
from assistant.principal import Principal

from .conftest import FakePorts
from .test_understanding import ask, demo

__all__ = ["demo"]
AS_OF = dt.date(2026, 11, 16)


@pytest.mark.parametrize(("question", "recap"), [
    ("what did we agree in our last meeting with you?", True),
    ("recap the seat planning call", True),
    ("what were the action items from our most recent meeting?", True),
    ("when is our next meeting?", False),
    ("how do I add seats?", False),
])
def test_a_recap_is_asked_for(question: str, recap: bool) -> None:
    assert asks_recap(question) is recap


def test_the_last_meeting_is_told_as_its_gist(demo: FakePorts) -> None:
    result = ask(demo, "what did we agree in our last meeting with you?", Audience.CUSTOMER, "wayne")
    assert "Seat planning for 2027" in result.answer and "Reviewed the 65-seat quote." in result.answer
    assert "Sofia will start procurement next week." in result.answer
    assert "Attendees" not in result.answer
    assert [c.id for c in result.citations] == ["a-169"]


def test_action_items_of_the_last_meeting_are_that_meeting_not_the_promises_list(demo: FakePorts) -> None:
    result = ask(demo, "what were the action items from our most recent meeting?", Audience.CUSTOMER, "wayne")
    assert "Reviewed the 65-seat quote." in result.answer and "No open promises" not in result.answer


def test_a_vendor_recap_of_an_account_meeting(demo: FakePorts) -> None:
    result = ask(demo, "recap the last Globex meeting")
    assert "Daily incident stand-up with Globex" in result.answer and "a-175" in {c.id for c in result.citations}


def _book() -> AccountBook:
    def meeting(id_: str, day: int, body: str, visibility: Visibility) -> Activity:
        return Activity(id=id_, account_id="acme", date=dt.date(2026, 11, day), type=ActivityType.MEETING,
                        author="lee@vendor.example", title=f"Meeting {id_}", body=body, visibility=visibility)

    return AccountBook.build(
        [Account(account_id="acme", name="Acme", csm="lee@vendor.example")],
        activities=[meeting("m-1", 3, "Attendees: Ben, Lee.\n\nAgreed the rollout plan for the depots.",
                            Visibility.CUSTOMER),
                    meeting("m-2", 10, "Internal debrief. CANARYRECAP: renewal discount of 30% is on the table.",
                            Visibility.INTERNAL)])


def test_a_customer_recap_reads_only_the_meetings_they_may_see() -> None:
    ports = FakePorts(_book())
    memory = ConversationMemory(sa.create_engine("sqlite://"))
    customer = answer("what did we agree in our last meeting?", Principal(Audience.CUSTOMER, "acme"), ports=ports,
                      as_of=AS_OF, memory=memory)
    assert "Agreed the rollout plan for the depots." in customer.answer and "Attendees" not in customer.answer
    assert "CANARYRECAP" not in customer.answer and "m-2" not in {c.id for c in customer.citations}
    csm = answer("what did we agree in our last meeting with Acme?", Principal(Audience.CSM), ports=ports,
                 as_of=AS_OF, memory=memory)
    assert "CANARYRECAP" in csm.answer  # staff see the newest meeting, internal or not
    assert all(c.source is SourceKind.ACTIVITIES for c in csm.citations)


def test_a_vendor_recap_wins_over_the_status_the_account_name_suggests(demo: FakePorts) -> None:
    result = ask(demo, "what did we agree with Vandelay at the last check-in?")
    assert "Check-in: Indiana rollout" in result.answer and "12 technicians in Indiana" in result.answer
    assert "health" not in result.answer.lower()


@pytest.mark.parametrize(("question", "title"), [
    ("what came out of our year-in-review meeting with you?", "Renewal prep: year in review"),
    ("recap the mid-year review", "Mid-year review with Acme"),
])
def test_a_recap_picks_the_meeting_the_question_names_by_its_title(demo: FakePorts, question: str,
                                                                    title: str) -> None:
    result = ask(demo, question, Audience.CUSTOMER, "acme")
    assert f"· {title}:" in result.answer, result.answer


def test_a_recap_of_a_named_meeting_is_that_meeting_not_a_record_sharing_more_words() -> None:
    """"…in the workshop?" asks what a meeting came to: the request naming the same cards and store managers, though
    its title shares more of the question's words, is no meeting."""
    request = Activity(id="r-1", account_id="acme", date=dt.date(2026, 10, 29), type=ActivityType.REQUEST,
                       author="lee@vendor.example", title="Add cards for 55 store managers", status=ItemStatus.OPEN,
                       body="Please quote cards for our 55 store managers.", visibility=Visibility.CUSTOMER)
    workshop = Activity(id="w-1", account_id="acme", date=dt.date(2026, 11, 12), type=ActivityType.MEETING,
                        author="lee@vendor.example", title="Card policy workshop", visibility=Visibility.CUSTOMER,
                        body="Drafted the store manager card policy: $1,500 a month per card, receipts in 7 days.")
    ports = FakePorts(AccountBook.build([Account(account_id="acme", name="Acme", csm="lee@vendor.example")],
                                        activities=[request, workshop]))
    result = answer("what did we agree for the store manager cards in the workshop?",
                    Principal(Audience.CUSTOMER, "acme"), ports=ports, as_of=AS_OF,
                    memory=ConversationMemory(sa.create_engine("sqlite://")))
    assert "· Card policy workshop:" in result.answer and "$1,500" in result.answer, result.answer
