"""Many tickets read as a signal: noise from an engaged customer, or trouble (the health judgement's support
component, said in words with its evidence and our notes about the volume)."""

from __future__ import annotations

import pytest

from accounts.models import SourceKind
from assistant.ticket_signal import asks_ticket_volume

from .conftest import FakePorts
from .test_understanding import ask, demo

__all__ = ["demo"]  # the module fixture, shared


@pytest.mark.parametrize(("question", "asks"), [
    ("Hooli has opened 30 tickets. Are they about to churn?", True),
    ("why does hooli open so many support cases", True),
    ("should the ticket count at hooli worry me", True),
    ("hooli has a ton of tickets, are they unhappy?", True),
    ("what tickets does hooli have open?", False),
    ("how is hooli doing?", False),
])
def test_a_question_about_ticket_volume_is_told_apart(question: str, asks: bool) -> None:
    assert asks_ticket_volume(question) is asks


@pytest.mark.parametrize("question", ["Hooli has opened 30 tickets. Are they about to churn?",
                                      "Hooli logged another 5 tickets this week, should I worry?"])
def test_an_engaged_customer_s_many_small_tickets_read_as_noise_with_the_note_that_explains(
        demo: FakePorts, question: str) -> None:
    """A period in the question ("this week") says how many they opened, not where to read: the judgement's
    support window is read, and its evidence is cited."""
    result = ask(demo, question)
    section = result.answer.split("**The tickets as a signal**")[1]
    assert "severity 3" in section and "severity 1" not in section
    assert "Support health" in section and "(noise), not a churn signal" in section
    cited_notes = {c.id for c in result.citations if c.source is SourceKind.ACTIVITIES}
    assert "process, not pain" in section and cited_notes  # our note on the volume, cited
    assert "0 open tickets" not in result.answer  # t-71 and t-72 opened before "this week" are still open


def test_tickets_during_a_crisis_are_no_noise(demo: FakePorts) -> None:
    result = ask(demo, "globex keeps opening tickets, should I worry?")
    section = result.answer.split("**The tickets as a signal**")[1]
    assert "weigh on their health" in section and "noise" not in section


def test_a_plain_status_question_has_no_such_section(demo: FakePorts) -> None:
    assert "The tickets as a signal" not in ask(demo, "how is hooli doing?").answer
