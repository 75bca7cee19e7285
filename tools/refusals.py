"""Standing refusals written in the account's notes: "Never suggest a case study", "legal won't allow logo use".

A customer who said no to a kind of ask has said it once, in a note or an e-mail, not in the
loyalty bank; asking again burns trust. A sentence refuses a kind when a negation ("never", "no",
"won't allow", "not allowed"…) comes shortly before a word naming that kind. Logo or name use
refuses every public kind (case study, quote, review, social post, webinar, speaking). A kind allowed
"only" ("phone references only") rules out every other kind. "Say no to the case
study" answers one ask (the loyalty bank records that decline) and is not a standing rule.

A note may also pause every ask until a date ("Cooldown: no asks before Q2 2027"): `find_hold`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from accounts.models import Activity, AskKind
from tools.as_of import AccountView

KIND_TERMS: dict[AskKind, str] = {
    AskKind.CASE_STUDY: r"case[- ]stud(?:y|ies)",
    AskKind.REFERENCE_CALL: r"references?(?: calls?)?",
    AskKind.SPEAKING: r"speak(?:ing|ers?)(?: slots?)?|keynotes?",
    AskKind.WEBINAR: r"webinars?",
    AskKind.QUOTE: r"quotes?|testimonials?",
    AskKind.REVIEW: r"(?:g2 |online )?reviews?",
    AskKind.SOCIAL_SHARE: r"social(?: media)? (?:posts?|shares?)|linkedin posts?",
}
PUBLIC_TERM = r"logos?(?: use)?|(?:their |our )?name in (?:any )?(?:marketing|public)|publicity"
PUBLIC_KINDS = (AskKind.CASE_STUDY, AskKind.QUOTE, AskKind.REVIEW, AskKind.SOCIAL_SHARE, AskKind.WEBINAR,
                AskKind.SPEAKING)  # a published review names the reviewer's company too
# "no logo", "not a case study", "never any webinar": the kind right after the negation.
_SHORT = r"\b(?:no|not|never)\W+(?:[\w']+\W+)?"
# "never suggest …", "do not ask X for any …", "won't allow …", "forbids …": a refusing verb, then the kind.
_VERBAL = (r"\b(?:(?:never|not|don't|won't|will not|can't|cannot|mustn't|shouldn't)\W+(?:[\w']+\W+)?"
           r"(?:suggest|ask|propose|pitch|request|do|allow|permit|approve|want|use|agree)\w*"
           r"|refus\w*|forbid\w*|prohibit\w*|(?:is |are )?not (?:allowed|permitted))")
_GAP = r"(?:[^\w;:.!?]+[\w']+){0,8}?[^\w;:.!?]+"  # up to 8 words, never across ; : or a full stop
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ONE_ASK = re.compile(r"\b(?:say|said|saying|answer(?:ed)?)\s+no\s+to\b", re.IGNORECASE)
_ONLY = re.compile(r"(?:\s+\w+){0,3}\s+only\b", re.IGNORECASE)  # "references by phone only": a limit, not a no


def _pattern(term: str) -> re.Pattern[str]:
    kind = rf"(?:a |an |any |the |more )?(?:{term})\b"
    return re.compile(rf"{_SHORT}{kind}|{_VERBAL}{_GAP}{kind}", re.IGNORECASE)


_KIND_PATTERNS = {kind: _pattern(term) for kind, term in KIND_TERMS.items()}
# "Phone references only", "only reference calls": that kind is the one they allow, so every other is ruled out.
_ONLY_KIND = {kind: re.compile(rf"\b(?:{term})\b(?:\s+[\w']+){{0,2}}?\s+only\b"
                               rf"|(?<!\bnot )\bonly\s+(?:[\w']+\s+){{0,2}}?(?:{term})\b", re.IGNORECASE)
              for kind, term in KIND_TERMS.items()}
_PUBLIC_PATTERN = _pattern(PUBLIC_TERM)


@dataclass(frozen=True)
class Refusal:
    """A kind of ask the customer refused, the record that says so and its words."""

    kind: AskKind
    activity: Activity
    sentence: str


def refused_kinds(sentence: str) -> set[AskKind]:
    """The kinds of ask one sentence rules out (empty for a sentence that refuses nothing)."""
    if _ONE_ASK.search(sentence):
        return set()
    kinds = {kind for kind, pattern in _KIND_PATTERNS.items() if _refuses(pattern, sentence)}
    if _refuses(_PUBLIC_PATTERN, sentence):
        kinds.update(PUBLIC_KINDS)
    allowed = {kind for kind, pattern in _ONLY_KIND.items() if pattern.search(sentence)}
    if len(allowed) == 1:
        kinds.update(k for k in AskKind if k is not AskKind.OTHER and k not in allowed)
    return kinds - allowed


def _refuses(pattern: re.Pattern[str], sentence: str) -> bool:
    return any(not _ONLY.match(sentence, m.end()) for m in pattern.finditer(sentence))


def _note_sentences(view: AccountView) -> Iterator[tuple[Activity, str]]:
    """Each sentence (title first) of the account's activities on or before as_of, oldest activity first."""
    for activity in view.activities:
        for sentence in _SENTENCE.split(f"{activity.title}. {activity.body}"):
            yield activity, sentence


def find_refusals(view: AccountView) -> dict[AskKind, Refusal]:
    """Every kind of ask refused in the account's activities on or before as_of (the latest saying so wins)."""
    found: dict[AskKind, Refusal] = {}
    for activity, sentence in _note_sentences(view):
        for kind in refused_kinds(sentence):
            found[kind] = Refusal(kind, activity, " ".join(sentence.split()))
    return found


# "Cooldown: no asks before Q2 2027", "don't ask them for anything until March 2027", "hold all asks until
# 2027-04-01": a pause on every kind of ask, until a date a note names (a quarter, a month or a day).
_MONTH_NUMBERS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
                  for number, name in enumerate(names) if name} | {"sept": 9}
_WHEN = (r"(?:(?:q(?P<quarter>[1-4])|(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
         + r")\.?)\s+(?P<year>\d{4})|(?P<day>\d{4}-\d{2}-\d{2}))")
_HOLD = re.compile(
    r"\b(?:no (?:more |further |advocacy )?asks?|(?:don'?t|do not|never) ask(?: them| \w+)?(?: for anything)?"
    r"|(?:hold|pause) (?:all |any |every )?(?:advocacy )?asks?)\b[^.;:!?]{0,30}?\b(?:before|until|till)\s+"
    + _WHEN, re.IGNORECASE)


@dataclass(frozen=True)
class Hold:
    """No ask of any kind before `until`, as a note on the account says."""

    until: date
    activity: Activity
    sentence: str


def _hold_date(match: re.Match[str]) -> date | None:
    try:
        if match["day"]:
            return date.fromisoformat(match["day"])
        year = int(match["year"])
        if match["quarter"]:
            return date(year, 3 * (int(match["quarter"]) - 1) + 1, 1)
        return date(year, _MONTH_NUMBERS[match["month"].lower()], 1)
    except ValueError:
        return None  # not a real date: no hold rather than a wrong one


def find_hold(view: AccountView) -> Hold | None:
    """The latest date a note on or before as_of holds every ask until (None when no note does)."""
    found: Hold | None = None
    for activity, sentence in _note_sentences(view):
        for match in _HOLD.finditer(sentence):
            until = _hold_date(match)
            if until is not None and (found is None or until > found.until):
                found = Hold(until, activity, " ".join(sentence.split()))
    return found
