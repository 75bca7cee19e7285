"""Words of a question: tokens, content words and a light stemmer, shared by resolver, planner and composer.

Rules, not a model: good enough to tell whether a passage says anything about the question, and
cheap enough to run on every sentence of every retrieved passage.
"""

from __future__ import annotations

import re
import unicodedata

from retrieval.spelling import american

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")
_TOKEN_ANY_CASE = re.compile(_TOKEN.pattern, re.IGNORECASE)

# Function words and question filler: they say nothing about what a passage must contain.
_STOPWORDS_TEXT = """
    a about above after again against all also am an and any are aren as at be because been before being
    below between both but by can cannot could did didn do does doing don down during each else ever few for
    from further had has have having he her here hers herself him himself his how i if in into is isn it its
    itself just let lets me more most my myself no nor not now of off on once only or other ought our ours
    ourselves out over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves
    please tell show give get got anything something thing things know want need needs like us okay ok hi
    hello thanks thank going doing done way ways lot much many really currently right today still latest
    happen happened happening recent recently last say said says mention mentioned tell told
"""

# Words too common in company names or questions to identify an account on their own.
_GENERIC_NAME_WORDS_TEXT = """
    inc corp corporation co company companies ltd llc gmbh group holdings international global industries
    incorporated limited llp plc ag sa nv bv pty oy ab spa srl sarl kk
    enterprises enterprise systems solutions services service technologies technology labs health foods food
    bank logistics robotics confections partners the and of
"""

# Common English words of four letters or more that a fuzzy name match must never take for a misspelling.
_COMMON_WORDS_TEXT = """
    about after again their there these those where which while would could should doing status health
    renewal renewals risk next steps what whats promise promised promises anything talking points review
    business success plan sync conflict quarter ready advocacy asked asking story stack start stars
    first last week month year team teams user users usage ticket tickets issue issues customer customers
    account accounts export report reports going good well help they them with have from that this
"""

# Ordinary words that many company names carry ("Kestrel Home Services", "First Choice Plumbing"): one
# of them alone never names an account ("how do I set a home address?", "what should I do first?").
_NAME_NOISE_TEXT = """
    home homes house first choice best better blue green red yellow gold golden silver city county state
    national american united north south east west central pacific atlantic coast valley bay river lake
    mountain ocean marine air sky sun star energy energie power water utility utilities electric electrical
    plumbing roofing hvac heating cooling air security alarm alarms networks network software digital data
    cloud media consulting capital financial finance insurance medical dental clinic care market markets
    retail stores store trading traders toys transport freight construction builders realty properties
    property engineering manufacturing industrial machines tools equipment design studio studios field
    fleet service supply supplies motors auto automotive farm farms foods fresh quality premier prime
    advanced applied general standard modern smart direct express total pro one new
"""

STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
NAME_NOISE = frozenset(_NAME_NOISE_TEXT.split())
GENERIC_NAME_WORDS = frozenset(_GENERIC_NAME_WORDS_TEXT.split())
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())


def _folded(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


# Latin letters with accents, one for one (positions in the text stay where they were): "Renée" is "renee"
# for whoever types it without the accent.
_FOLD = str.maketrans({chr(code): _folded(chr(code)) for code in range(0xC0, 0x250) if _folded(chr(code)) != chr(code)})


def fold(text: str) -> str:
    """The text with accented Latin letters as their plain letter, one character for one ("Renée" → "Renee")."""
    return text.translate(_FOLD)


def _clean(token: str) -> str:
    token = token.replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    return token.rstrip("'")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, possessives removed ("Globex's" → "globex")."""
    found = (_clean(t) for t in _TOKEN.findall(fold(text).lower()))
    return [t for t in found if t]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """`tokens(text)` with where each one stands in the text (start, end), to mask or quote them."""
    found = ((_clean(m.group(0).lower()), m.start(), m.end()) for m in _TOKEN_ANY_CASE.finditer(fold(text)))
    return [(t, start, end) for t, start, end in found if t]


def stem(word: str) -> str:
    """A light suffix stripper: "conflicts", "conflicting" and "conflicted" all become "conflict"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
                return word[:-1]
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + keep
    return word


# Words that stand for another word's stem: adverbs of a period say the period ("weekly numbers" asks about
# what happens every week) and irregular past forms are their verb ("we ran out of seats" is the doc's "run out
# of seats"). "left" is no "leave" here: it is as often a side ("the left panel").
_SAME_WORD = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter",
              "yearly": "year", "annually": "annual",
              "ran": "run", "went": "go", "gone": "go", "paid": "pay", "sent": "send", "lost": "lose", "made": "make",
              "built": "build", "bought": "buy", "kept": "keep", "held": "hold", "brought": "bring", "found": "find",
              "gave": "give", "given": "give", "took": "take", "taken": "take", "wrote": "write", "written": "write",
              "broke": "break", "broken": "break", "chose": "choose", "chosen": "choose", "forgot": "forget",
              "forgotten": "forget", "began": "begin", "begun": "begin", "saw": "see", "seen": "see", "spent": "spend",
              "meant": "mean", "understood": "understand", "sold": "sell", "shown": "show",
              "drove": "drive", "driven": "drive", "rode": "ride", "fell": "fall", "fallen": "fall", "grew": "grow",
              "grown": "grow", "knew": "know", "known": "know", "threw": "throw", "thrown": "throw", "hid": "hide",
              "hidden": "hide", "froze": "freeze", "frozen": "freeze", "wore": "wear", "worn": "wear", "lent": "lend",
              "dealt": "deal", "caught": "catch", "taught": "teach", "fought": "fight", "slept": "sleep"}


def _word_parts(token: str) -> list[str]:
    """The words a token stands for: a contraction's ("doesn't", "we're") are function words, so none; a
    hyphenated compound is its parts ("same-day" → same, day), as the lexical index reads it, unless a part
    is one letter ("e-mail" is the word "email")."""
    if "'" in token:
        head = token.split("'", 1)[0]
        return [] if token.endswith("n't") or head in STOPWORDS else [token]
    return [token]


def content_words(text: str) -> set[str]:
    """The stems of the words that carry meaning (stopwords, contractions and one-letter tokens dropped),
    in American spelling ("licences" and "licenses" are one word)."""
    words = (w for t in tokens(text) for w in _word_parts(t))
    return {stem(american(_SAME_WORD.get(w, w))) for w in words if w not in STOPWORDS and len(w) > 1}


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])|\n+")


def sentences(text: str) -> list[str]:
    """Sentences and list lines of a passage, stripped of Markdown bullets and headings."""
    found = []
    for piece in _SENTENCE_SPLIT.split(text):
        piece = piece.strip().lstrip("#-*> ").strip()
        if len(piece) >= 12 and not piece.endswith(":"):
            found.append(piece)
    return found


# A meeting note's list of who was there ("Attendees: Ben Ruiz, Patricia Lane (Acme); Lee (FieldLoop).") names
# people; it says nothing of what happened.
_ATTENDEES_LINE = re.compile(r"^\W*(attendees|participants|present|invitees|cc)\s*:", re.IGNORECASE)


def lists_attendees(text: str) -> bool:
    """Whether a line only lists who was at a meeting."""
    return bool(_ATTENDEES_LINE.search(text))
