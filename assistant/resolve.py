"""Which account(s) a question is about: ids, names, names without suffixes, aliases, possessives,
partial names, misspellings, pronouns and follow-ups ("and how about Acme?").

A customer principal is always its own account: names of other accounts in its question are never
looked up (looking them up would already tell the customer which names exist). When one name fits
several accounts equally ("Anchor" for Anchor Alarm and Anchor HVAC), the resolution says so and
lists them, so the answer can ask which one is meant instead of guessing.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from assistant.principal import Principal
from assistant.words import COMMON_WORDS, GENERIC_NAME_WORDS, NAME_NOISE, STOPWORDS, token_spans, tokens

FUZZY_CUTOFF = 0.8
FUZZY_TIE = 0.02  # misspellings this close to two accounts' names fit both equally
MIN_FUZZY_LEN = 4
MAX_KEY_OWNERS = 3
# "she"/"he" in a vendor's follow-up is one of the account's people ("what did Marisol say?" → "who is she?").
_PRONOUNS = frozenset({"they", "them", "their", "theirs", "they're", "it", "its", "she", "her", "hers", "he",
                       "him", "his"})
_BACK_PHRASES = re.compile(r"\b(this|that|the same) (account|customer|client|one)\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class ResolvedVia(StrEnum):
    PRINCIPAL = "principal"  # the customer itself, or a vendor's --account focus
    MENTION = "mention"  # named in the question (id, name, alias, part of a name, misspelling)
    CONVERSATION = "conversation"  # a pronoun or a follow-up: the conversation's last account
    AMBIGUOUS = "ambiguous"  # a name that fits several accounts equally: ask which one
    NONE = "none"


@dataclass(frozen=True)
class Resolution:
    account_ids: tuple[str, ...]
    via: ResolvedVia
    ambiguous: tuple[str, ...] = ()  # accounts one name fits equally (none of them chosen)
    spans: tuple[tuple[int, int], ...] = ()  # where the accounts are named in the question

    @property
    def primary(self) -> str | None:
        return self.account_ids[0] if self.account_ids else None


@dataclass(frozen=True)
class Mentions:
    """The accounts a question names, the names that fit several accounts, and where they stand."""

    account_ids: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()


def name_keys(account_id: str, name: str) -> set[str]:
    """Tokens that identify an account on their own: its id and the distinctive words of its name."""
    keys = {account_id.lower()}
    name_tokens = tokens(name)
    keys.update(t for t in name_tokens if len(t) >= 3 and not ordinary_word(t))
    if len(name_tokens) > 1:
        keys.add("".join(name_tokens))  # "Pied Piper" asked as "piedpiper"
    return keys


def ordinary_word(word: str) -> bool:
    """A word too common (in English or in company names) to name an account, or a person, on its own."""
    return word in GENERIC_NAME_WORDS or word in STOPWORDS or word in NAME_NOISE or word in COMMON_WORDS


def _phrases(name: str) -> set[tuple[str, ...]]:
    """A name as words, and without its trailing legal or generic words ("Acme Corp" → "acme",
    "Kestrel Home Services" → "kestrel home", "kestrel"); never a lone ordinary word ("First")."""
    words = tuple(tokens(name))
    found = {words} if words else set()
    while len(words) > 1 and (words[-1] in GENERIC_NAME_WORDS or words[-1] in NAME_NOISE):
        words = words[:-1]
        if len(words) > 1 or not ordinary_word(words[0]):
            found.add(words)
    return found


class NameIndex:
    """Every account's names (as token sequences) and identifying keys, built once per directory.

    Names are the display name, the name without suffixes and any aliases (an optional `aliases`
    column of accounts.csv). Lookups cost a few dictionary probes per question word, whatever the
    number of accounts; a key shared by more than `MAX_KEY_OWNERS` accounts ("Alarm", "North")
    names none of them on its own.
    """

    def __init__(self, directory: Mapping[str, str], aliases: Mapping[str, Sequence[str]] | None = None) -> None:
        self.phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.keys: dict[str, set[str]] = defaultdict(set)
        for account_id, name in directory.items():
            for phrase in _phrases(name):
                self.phrases[phrase].add(account_id)
            for key in name_keys(account_id, name):
                self.keys[key].add(account_id)
        for account_id, names in (aliases or {}).items():
            for alias in names:
                alias_words = tuple(tokens(alias))
                if alias_words and account_id in directory:
                    self.phrases[alias_words].add(account_id)
                    if len(alias_words) == 1 and len(alias_words[0]) >= 2:
                        self.keys[alias_words[0]].add(account_id)
        self.longest = max((len(p) for p in self.phrases), default=0)
        # Misspellings are looked for among the name words only (not ids, not joined names): one
        # list per initial and length, so a question word is compared with a few dozen keys at most.
        words = {t for name in directory.values() for t in tokens(name)} | {w for a in (aliases or {}).values()
                                                                           for n in a for w in tokens(n)}
        self.by_initial: dict[tuple[str, int], list[str]] = defaultdict(list)
        for key in self.keys:
            if len(key) >= MIN_FUZZY_LEN and key in words:
                self.by_initial[(key[0], len(key))].append(key)

    def full_names(self, words: list[str]) -> tuple[list[tuple[int, int, set[str]]], set[int]]:
        """(position, length, accounts) of every name that appears word for word (longest first at a
        position), and the positions they cover."""
        found: list[tuple[int, int, set[str]]] = []
        covered: set[int] = set()
        for start in range(len(words)):
            if start in covered:
                continue
            for size in range(min(self.longest, len(words) - start), 0, -1):
                owners = self.phrases.get(tuple(words[start : start + size]))
                if owners:
                    found.append((start, size, set(owners)))
                    covered.update(range(start, start + size))
                    break
        return found, covered

    def key_hits(self, words: list[str], covered: set[int]) -> list[tuple[int, int, set[str]]]:
        """(position, length, accounts) for words (or two joined words) that are an identifying key of
        few accounts, outside the words already taken by a full name ("Anchor Alarm Systems" is not
        also "Anchor Co")."""
        found: list[tuple[int, int, set[str]]] = []
        candidates = [(i, 1, w) for i, w in enumerate(words)]
        candidates += [(i, 2, a + b) for i, (a, b) in enumerate(pairwise(words))]
        for position, size, word in candidates:
            if covered & set(range(position, position + size)):
                continue
            owners = self.keys.get(word, set())
            if 0 < len(owners) <= MAX_KEY_OWNERS:
                found.append((position, size, set(owners)))
        return found

    def fuzzy(self, words: list[str]) -> list[tuple[int, int, set[str]]]:
        """(position, 1, accounts) for the (misspelt) question word closest to an account's key, when
        close enough; the accounts whose keys fit it equally well all come back."""
        best: tuple[float, int, set[str]] = (0.0, -1, set())
        for position, word in enumerate(words):
            if len(word) < MIN_FUZZY_LEN or word in STOPWORDS or word in COMMON_WORDS or word in self.keys:
                continue  # an exact key was already judged (too common to name anyone, if we got here)
            near = (self.by_initial.get((word[0], n), []) for n in range(len(word) - 2, len(word) + 3))
            for key in (k for keys in near for k in keys):
                ratio = _likeness(word, key)
                if ratio < FUZZY_CUTOFF or ratio < best[0] - FUZZY_TIE:
                    continue
                if ratio > best[0] + FUZZY_TIE:
                    best = (ratio, position, set(self.keys[key]))
                elif position == best[1]:
                    best[2].update(self.keys[key])
        return [(best[1], 1, best[2])] if best[2] else []


def _likeness(word: str, key: str) -> float:
    """How alike a question word and a name key are; two letters swapped ("vandaley") count as close."""
    if abs(len(word) - len(key)) > 2:
        return 0.0  # too different in length to be a misspelling: skip the costly comparison
    matcher = difflib.SequenceMatcher(None, word, key)
    if matcher.quick_ratio() < FUZZY_CUTOFF:
        return 0.0  # an upper bound of ratio(): letters too different already
    ratio = matcher.ratio()
    if ratio < FUZZY_CUTOFF and len(word) == len(key) >= 5 and sorted(word) == sorted(key):
        return FUZZY_CUTOFF + 0.05
    return ratio


_INDEXES: dict[int, tuple[Mapping[str, str], object, NameIndex]] = {}


def name_index(directory: Mapping[str, str], aliases: Mapping[str, Sequence[str]] | None = None) -> NameIndex:
    """The directory's index, cached while the same directory (and aliases) object is in use (one per ingest)."""
    cached = _INDEXES.get(id(directory))
    if cached is None or cached[0] is not directory or cached[1] is not aliases:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = _INDEXES[id(directory)] = (directory, aliases, NameIndex(directory, aliases))
    return cached[2]


def find_mentions(question: str, directory: Mapping[str, str],
                  aliases: Mapping[str, Sequence[str]] | None = None) -> Mentions:
    """Accounts named in the question, in the order they appear; misspellings only if nothing matched
    exactly. A name that fits several accounts equally is ambiguous unless one of them is named too."""
    spans = token_spans(_EMAIL.sub(lambda m: " " * len(m.group(0)), question))
    words = [w for w, _, _ in spans]
    index = name_index(directory, aliases)
    named, covered = index.full_names(words)
    hits = named + index.key_hits(words, covered)
    if not hits:
        hits = index.fuzzy(words)
    chosen: list[str] = []
    unsure: list[str] = []
    places: list[tuple[int, int]] = []
    for position, size, owners in sorted(hits, key=lambda h: (h[0], -h[1])):
        places.append((spans[position][1], spans[position + size - 1][2]))
        if len(owners) == 1:
            chosen += [a for a in owners if a not in chosen]
        else:
            unsure += sorted(a for a in owners if a not in unsure)
    ambiguous = tuple(a for a in unsure if not set(chosen) & set(unsure))
    return Mentions(tuple(chosen), ambiguous, tuple(places))


def people_mentions(question: str, people: Mapping[tuple[str, ...], frozenset[str]]) -> Mentions:
    """Accounts named by one of their people ("what did Marisol say lately?"), when no account name is in the
    question: the contact's full name, or a first name only they have. A name several accounts' people share
    is ambiguous (ask which account), never a guess."""
    if not people:
        return Mentions()
    spans = token_spans(question)
    words = [w for w, _, _ in spans]
    longest = max(len(n) for n in people)
    found: list[tuple[int, int, frozenset[str]]] = []
    at = 0
    while at < len(words):
        size = next((n for n in range(min(longest, len(words) - at), 0, -1) if tuple(words[at:at + n]) in people), 0)
        if size:
            found.append((at, size, people[tuple(words[at:at + size])]))
            at += size
        else:
            at += 1
    owners = {a for _, _, ids in found for a in ids}
    where = tuple((spans[at][1], spans[at + size - 1][2]) for at, size, _ in found)
    if len(owners) == 1:
        return Mentions(account_ids=tuple(owners), spans=where)
    return Mentions(ambiguous=tuple(sorted(owners)), spans=where) if owners else Mentions()


def mentioned_accounts(question: str, directory: Mapping[str, str]) -> list[str]:
    """Every account the question names (ambiguous names give all the accounts they fit)."""
    found = find_mentions(question, directory)
    return [*found.account_ids, *(a for a in found.ambiguous if a not in found.account_ids)]


def refers_back(question: str) -> bool:
    """Whether the question points at an account already under discussion ("their renewal", "that account")."""
    return bool(_PRONOUNS & set(tokens(question))) or bool(_BACK_PHRASES.search(question))


def resolve_accounts(
    question: str,
    principal: Principal,
    directory: Mapping[str, str],
    *,
    last_account: str | None = None,
    wants_account: bool = True,
    aliases: Mapping[str, Sequence[str]] | None = None,
    mentions: Mentions | None = None,
) -> Resolution:
    """The accounts a question is about, and how we know.

    `wants_account` is False for portfolio-wide questions: they only focus on an account that is
    named outright, never on the conversation's last one.
    """
    if principal.is_customer:
        assert principal.account_id is not None  # guaranteed by Principal
        return Resolution((principal.account_id,), ResolvedVia.PRINCIPAL)
    found = mentions if mentions is not None else find_mentions(question, directory, aliases)
    if found.account_ids:
        return Resolution(found.account_ids, ResolvedVia.MENTION, spans=found.spans)
    if found.ambiguous:
        return Resolution((), ResolvedVia.AMBIGUOUS, ambiguous=found.ambiguous, spans=found.spans)
    if last_account and last_account in directory and (refers_back(question) or wants_account):
        return Resolution((last_account,), ResolvedVia.CONVERSATION)
    if principal.account_id and wants_account:
        return Resolution((principal.account_id,), ResolvedVia.PRINCIPAL)
    return Resolution((), ResolvedVia.NONE)


def which_one(candidates: Sequence[str], directory: Mapping[str, str]) -> str:
    """The question back to the asker when a name fits several accounts equally."""
    names = [f"**{directory.get(a, a)}** (`{a}`)" for a in candidates]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    return f"Several accounts fit that name. Which one do you mean: {listed}?"
