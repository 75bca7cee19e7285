"""Who wrote what: contacts named by name, first name, title or its initials, and the gist of what they wrote."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.access import Audience, Scope
from accounts.book import AccountBook
from accounts.models import Account, Activity, ActivityType, Contact, SurveyKind, SurveyResponse, Visibility
from assistant.authors import (
    asks_what_said,
    asks_who_is_upset,
    contacts_named,
    gist,
    people_meant,
    upset_voices,
    written_by,
)
from assistant.citations import CitationBook, record_index
from retrieval.record_text import describe_record
from tools.config import load_judgement_config

AS_OF = dt.date(2026, 11, 16)
COO = Contact(contact_id="c-1", account_id="acme", name="Richard Hale", title="Chief Operating Officer",
              email="Richard.Hale@acme.example")
CHAMPION = Contact(contact_id="c-2", account_id="acme", name="Marisol Vega", title="VP Field Operations",
                   email="marisol@acme.example")
ANGRY = ("Dana,\n\nSince your update our technicians lost 37 work orders. My team counts them daily. We cannot invoice."
         "\n\nI want a fix date by Friday. If I don't have that, legal will review our options before the renewal."
         "\n\nRichard Hale\nChief Operating Officer, Acme")


def _book() -> AccountBook:
    activities = [
        Activity(id="a-1", account_id="acme", date=dt.date(2026, 11, 10), type=ActivityType.EMAIL,
                 author="richard.hale@acme.example", title="Unacceptable", body=ANGRY, visibility=Visibility.INTERNAL),
        Activity(id="a-2", account_id="acme", date=dt.date(2026, 11, 20), type=ActivityType.EMAIL,
                 author="richard.hale@acme.example", title="After the as-of date", body="Later. Much later."),
        Activity(id="a-3", account_id="acme", date=dt.date(2026, 11, 12), type=ActivityType.NOTE,
                 author="dana@vendor.example", title="Our note", body="Richard is upset."),
    ]
    return AccountBook.build([Account(account_id="acme", name="Acme", csm="dana@vendor.example")],
                             contacts=[COO, CHAMPION], activities=activities)


@pytest.mark.parametrize(("question", "named"), [
    ("what did Acme's COO write to us?", ["Richard Hale"]),
    ("what did richard say?", ["Richard Hale"]),
    ("anything from Marisol Vega lately?", ["Marisol Vega"]),
    ("did the chief operating officer reply?", ["Richard Hale"]),
    ("how is the account doing?", []),
    ("what did the VP of sales say?", []),  # "VP Field Operations" has no initials of its own
])
def test_contacts_are_named_by_name_first_name_title_or_initials(question: str, named: list[str]) -> None:
    assert [c.name for c in contacts_named(question, _book().records("acme"))] == named


def test_what_was_said_is_told_apart_from_other_questions_about_a_person() -> None:
    assert asks_what_said("what did their COO write to us?") and asks_what_said("how angry is the COO?")
    assert not asks_what_said("did Claire leave Umbrella?") and not asks_what_said("who replaced their admin?")


def test_a_gist_is_how_a_message_opens_and_closes_without_greeting_or_signature() -> None:
    text = gist(_book().records("acme").activities[0])
    assert text.startswith("Since your update our technicians lost 37 work orders.")
    assert text.endswith("legal will review our options before the renewal.")
    assert "Dana," not in text and "Chief Operating Officer, Acme" not in text and " … " in text


def test_written_by_lists_their_own_messages_up_to_as_of_newest_first_cited() -> None:
    book = _book()
    cites = CitationBook(Scope(Audience.CSM), record_index(book))
    lines = written_by(book.records("acme"), [COO], cites, AS_OF)
    assert len(lines) == 1 and "Richard Hale — Unacceptable" in lines[0] and lines[0].endswith("[1]")
    assert [c.id for c in cites.citations] == ["a-1"]  # not a-2 (after as_of), not a-3 (our own note about him)


def test_an_activity_is_indexed_with_its_author_in_words() -> None:
    book = _book()
    text = describe_record(*next((k, r) for k, r in book.iter_records() if getattr(r, "id", "") == "a-1"), book)
    assert text is not None and "from Richard Hale, Chief Operating Officer, COO" in text.context
    note = describe_record(*next((k, r) for k, r in book.iter_records() if getattr(r, "id", "") == "a-3"), book)
    assert note is not None and " from " not in note.context  # vendor staff are no contacts: no author added


def test_title_initials() -> None:
    assert COO.title_initials == "COO" and CHAMPION.title_initials == ""
    vp = Contact(contact_id="c", account_id="a", title="Vice President, Sales")
    ciso = Contact(contact_id="c", account_id="a", title="Chief Information Security Officer")
    assert vp.title_initials == "VP" and ciso.title_initials == "CISO"


def test_she_or_he_means_the_person_the_conversation_named_last() -> None:
    records = _book().records("acme")
    earlier = ("and before that?", "what did Marisol say?", "what did Richard write?")  # newest first
    assert [c.name for c in people_meant("who is she?", earlier, records)] == ["Marisol Vega"]
    assert [c.name for c in people_meant("what did the COO say?", earlier, records)] == ["Richard Hale"]
    assert people_meant("who is on their team?", earlier, records) == []  # no pronoun for a person
    assert people_meant("who is he?", (), records) == []


def test_a_name_typed_without_its_accents_still_names_the_contact() -> None:
    accented = Contact(contact_id="c-3", account_id="acme", name="Renée Castillo", title="Assistant Controller")
    book = AccountBook.build([Account(account_id="acme", name="Acme", csm="dana@vendor.example")],
                             contacts=[accented])
    assert [c.name for c in contacts_named("renee castillo is gone right?", book.records("acme"))] == \
        ["Renée Castillo"]


@pytest.mark.parametrize(("question", "upset"), [
    ("who at Globex is angry and what did they say?", True), ("what are they complaining about?", True),
    ("is anyone frustrated with us?", True), ("what did Richard say?", False), ("how is Acme doing?", False),
])
def test_who_is_upset_is_told_apart(question: str, upset: bool) -> None:
    assert asks_who_is_upset(question) is upset


def test_upset_voices_are_their_negative_words_and_answers_newest_first_cited() -> None:
    """The sentiment judgement's own reading (its negative terms, detractors, low CSAT): the COO's e-mail and the
    champion's NPS 3 comment; not a promoter's comment, not our note about them, nothing after as_of."""
    surveys = [
        SurveyResponse(response_id="s-1", account_id="acme", contact_id="c-2", date=dt.date(2026, 11, 12),
                       kind=SurveyKind.NPS, score=3, comment="Until the sync is fixed I cannot recommend you."),
        SurveyResponse(response_id="s-2", account_id="acme", contact_id="c-1", date=dt.date(2026, 11, 1),
                       kind=SurveyKind.NPS, score=10, comment="Frustrating start, great now."),
        SurveyResponse(response_id="s-3", account_id="acme", contact_id="c-1", date=dt.date(2026, 11, 18),
                       kind=SurveyKind.NPS, score=1, comment="Later."),
    ]
    base = _book()
    book = AccountBook.build(list(base.accounts.values()), contacts=[COO, CHAMPION],
                             activities=list(base.records("acme").activities), surveys=surveys)
    cites = CitationBook(Scope(Audience.CSM), record_index(book))
    lines = upset_voices(book.records("acme"), cites, AS_OF, load_judgement_config(None).sentiment)
    assert [c.id for c in cites.citations] == ["s-1", "a-1"]
    assert lines[0].startswith("- 2026-11-12 · Marisol Vega — NPS 3: “Until the sync")
    assert "Richard Hale — Unacceptable" in lines[1]
