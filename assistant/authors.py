"""Who wrote what: the account's contacts a question names, and what they wrote to us.

"What did Globex's COO write to us?" names a person by role, not a topic: no sentence of the COO's
e-mail is close in meaning to "what did … write", so the answer is found by its author (the contacts
table: name, first name, title or its initials), never by guessing from similar words. Vendor staff
only: a customer would be shown their own words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from accounts.book import AccountRecords
from accounts.models import Activity, Contact
from assistant.citations import CitationBook, marks
from assistant.words import STOPWORDS, fold, lists_attendees, sentences
from tools.config import SentimentConfig
from tools.health_components_people import has_negative_comment, has_negative_term, is_negative

WRITTEN_LIMIT = 3
OPENING_SENTENCES = 1
CLOSING_SENTENCES = 2


def _mentions(question: str, phrase: str) -> bool:
    return bool(phrase) and re.search(rf"\b{re.escape(fold(phrase).lower())}\b", fold(question).lower()) is not None


# What someone said or how they feel about us: a question naming a person for another reason ("did Claire
# leave?", "who replaced their admin?") is answered by the contacts table and the records, not their messages.
_ASKS_WHAT_SAID = re.compile(
    r"\b(say|says|said|saying|write|writes|wrote|written|tell|told|mention\w*|ask|asked|asking|complain\w*|"
    r"e-?mail\w*|messag\w*|repl(y|ied)|angry|upset|unhappy|happy|think|thinks|feel|feels|threaten\w*)\b",
    re.IGNORECASE)


def asks_what_said(question: str) -> bool:
    """Whether a question asks what someone said or wrote (or how they feel), not some other fact about them."""
    return bool(_ASKS_WHAT_SAID.search(question))


def contacts_named(question: str, records: AccountRecords) -> list[Contact]:
    """The account's contacts the question names: by full name, first name, title or the title's initials."""
    found = []
    for contact in records.contacts:
        first = contact.name.split()[0] if contact.name.split() else ""
        if (_mentions(question, contact.name) or _mentions(question, contact.title)
                or _mentions(question, contact.title_initials)
                or (len(first) > 2 and first.lower() not in STOPWORDS and _mentions(question, first))):
            found.append(contact)
    return found


_PERSONAL_PRONOUN = re.compile(r"\b(she|her|hers|he|him|his)\b", re.IGNORECASE)


def people_meant(question: str, earlier: Sequence[str], records: AccountRecords) -> list[Contact]:
    """The contacts a question names, or, when it only says "she" or "he", those the conversation's latest
    question naming any did ("what did Marisol say?" → "and before that?" → "who is she?")."""
    named = contacts_named(question, records)
    if named or not _PERSONAL_PRONOUN.search(question):
        return named
    return next((found for turn in earlier if (found := contacts_named(turn, records))), [])


def gist(activity: Activity, opening: int = OPENING_SENTENCES, closing: int = CLOSING_SENTENCES) -> str:
    """What a message says in a few sentences: how it opens (what happened) and how it closes (what they want,
    what they will do), less greetings, signature lines (no sentence ends there) and a meeting's attendee list."""
    prose = [s for s in sentences(activity.body) if s.rstrip().endswith((".", "?", "!")) and not lists_attendees(s)]
    if len(prose) <= opening + closing:
        return " ".join(prose)
    return " ".join(prose[:opening]) + " … " + " ".join(prose[-closing:])


def written_by(records: AccountRecords, contacts: list[Contact], cites: CitationBook, as_of: dt.date,
               limit: int = WRITTEN_LIMIT) -> list[str]:
    """What these contacts wrote to us on or before as_of (activities they authored), newest first, each with
    its title and gist, cited."""
    emails = {c.email.strip().lower(): c for c in contacts if c.email.strip()}
    authored = [a for a in records.activities if a.date <= as_of and a.author.strip().lower() in emails]
    lines = []
    for activity in sorted(authored, key=lambda a: (a.date, a.id), reverse=True)[:limit]:
        n = cites.cite("activities", activity.id)
        if n is None:
            continue
        who = emails[activity.author.strip().lower()].name
        lines.append(f"- {activity.date} · {who} — {activity.title}: {gist(activity)}{marks([n])}")
    return lines


# Who is upset, with no one named ("who at Globex is angry and what did they say?", "what are they complaining
# about?"): answered by the customer's own upset words, not by messages that share the question's words.
_ASKS_WHO_IS_UPSET = re.compile(
    r"\b(angry|anger|upset|unhappy|not happy|frustrat\w*|complain\w*|mad (at|about|with)|annoyed|pissed|"
    r"grumbl\w*|irritat\w*|venting|disappointed|furious)\b", re.IGNORECASE)
UPSET_LIMIT = 4


def asks_who_is_upset(question: str) -> bool:
    """Whether a question asks who is upset or what they complain about."""
    return bool(_ASKS_WHO_IS_UPSET.search(question))


def upset_voices(records: AccountRecords, cites: CitationBook, as_of: dt.date, cfg: SentimentConfig,
                 limit: int = UPSET_LIMIT) -> list[str]:
    """What the account's people wrote that the sentiment judgement reads as negative, newest first: their
    messages holding one of its negative terms, and negative survey answers with a comment (detractors, low
    CSAT, a negative comment). Each line says who wrote it, and is cited."""
    by_email = {c.email.strip().lower(): c for c in records.contacts if c.email.strip()}
    by_id = {c.contact_id: c for c in records.contacts}
    found: list[tuple[dt.date, str, str, str]] = []  # (date, id, source, line)
    for activity in records.activities:
        contact = by_email.get(activity.author.strip().lower())
        if contact is not None and activity.date <= as_of \
                and has_negative_term(f"{activity.title} {activity.body}", cfg):
            found.append((activity.date, activity.id, "activities",
                          f"{contact.name} — {activity.title}: {gist(activity)}"))
    for survey in records.surveys:
        if survey.date <= as_of and survey.comment.strip() and (is_negative(survey, cfg)
                                                                or has_negative_comment(survey, cfg)):
            who = by_id[survey.contact_id].name if survey.contact_id in by_id else "A respondent"
            found.append((survey.date, survey.response_id, "surveys",
                          f"{who} — {survey.kind.value.upper()} {survey.score}: “{survey.comment.strip()}”"))
    lines = []
    for date, record_id, source, text in sorted(found, reverse=True)[:limit]:
        n = cites.cite(source, record_id)
        if n is not None:
            lines.append(f"- {date} · {text}{marks([n])}")
    return lines
