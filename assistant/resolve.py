"""Which account(s) a question is about: ids, names, possessives, partial names, misspellings, pronouns.

A customer principal is always its own account: names of other accounts in its question are never
looked up (looking them up would already tell the customer which names exist).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from assistant.principal import Principal
from assistant.words import COMMON_WORDS, GENERIC_NAME_WORDS, STOPWORDS, tokens

FUZZY_CUTOFF = 0.8
MIN_FUZZY_LEN = 4
MAX_KEY_OWNERS = 3
_PRONOUNS = frozenset({"they", "them", "their", "theirs", "they're", "it", "its"})


class ResolvedVia(StrEnum):
    PRINCIPAL = "principal"  # the customer itself, or a vendor's --account focus
    MENTION = "mention"  # named in the question (id, name, part of a name, misspelling)
    CONVERSATION = "conversation"  # a pronoun or a follow-up: the conversation's last account
    NONE = "none"


@dataclass(frozen=True)
class Resolution:
    account_ids: tuple[str, ...]
    via: ResolvedVia

    @property
    def primary(self) -> str | None:
        return self.account_ids[0] if self.account_ids else None


def name_keys(account_id: str, name: str) -> set[str]:
    """Tokens that identify an account on their own: its id and the distinctive words of its name."""
    keys = {account_id.lower()}
    name_tokens = tokens(name)
    keys.update(t for t in name_tokens if len(t) >= 3 and t not in GENERIC_NAME_WORDS and t not in STOPWORDS)
    if len(name_tokens) > 1:
        keys.add("".join(name_tokens))  # "Pied Piper" asked as "piedpiper"
    return keys


class NameIndex:
    """Every account's full name (as a token sequence) and identifying keys, built once per directory.

    Lookups cost a few dictionary probes per question word, whatever the number of accounts; a key
    shared by more than `MAX_KEY_OWNERS` accounts ("Alarm", "North") names none of them on its own.
    """

    def __init__(self, directory: Mapping[str, str]) -> None:
        self.phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.keys: dict[str, set[str]] = defaultdict(set)
        for account_id, name in directory.items():
            phrase = tuple(tokens(name))
            if phrase:
                self.phrases[phrase].add(account_id)
            for key in name_keys(account_id, name):
                self.keys[key].add(account_id)
        self.longest = max((len(p) for p in self.phrases), default=0)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for key in self.keys:
            if len(key) >= MIN_FUZZY_LEN:
                self.by_initial[key[0]].append(key)

    def full_names(self, words: list[str]) -> tuple[list[tuple[int, str]], set[int]]:
        """(position, account) of every full name that appears word for word, and the positions they cover."""
        found: list[tuple[int, str]] = []
        covered: set[int] = set()
        for start in range(len(words)):
            for size in range(1, min(self.longest, len(words) - start) + 1):
                for account_id in self.phrases.get(tuple(words[start : start + size]), ()):
                    found.append((start, account_id))
                    covered.update(range(start, start + size))
        return found, covered

    def key_hits(self, words: list[str], covered: set[int]) -> list[tuple[int, str]]:
        """(position, account) for words (or two joined words) that are an identifying key of few accounts,
        outside the words already taken by a full name ("Anchor Alarm Systems" is not also "Anchor Co")."""
        found: list[tuple[int, str]] = []
        candidates = [(i, w) for i, w in enumerate(words)] + [(i, a + b) for i, (a, b) in enumerate(pairwise(words))]
        for position, word in candidates:
            if position in covered:
                continue
            owners = self.keys.get(word, set())
            if 0 < len(owners) <= MAX_KEY_OWNERS:
                found.extend((position, a) for a in owners)
        return found

    def fuzzy(self, words: list[str]) -> list[str]:
        """Accounts whose key is closest to a (misspelt) question word, when close enough."""
        scored: dict[str, float] = {}
        for word in words:
            if len(word) < MIN_FUZZY_LEN or word in STOPWORDS or word in COMMON_WORDS or word in self.keys:
                continue  # an exact key was already judged (too common to name anyone, if we got here)
            for key in self.by_initial.get(word[0], ()):
                ratio = difflib.SequenceMatcher(None, word, key).ratio()
                if ratio >= FUZZY_CUTOFF:
                    for account_id in self.keys[key]:
                        scored[account_id] = max(scored.get(account_id, 0.0), ratio)
        if not scored:
            return []
        top = max(scored.values())
        return [a for a, s in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])) if s >= top - 0.05][:3]


_INDEXES: dict[int, tuple[Mapping[str, str], NameIndex]] = {}


def name_index(directory: Mapping[str, str]) -> NameIndex:
    """The directory's index, cached while the same directory object is in use (one per ingest)."""
    cached = _INDEXES.get(id(directory))
    if cached is None or cached[0] is not directory:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        cached = _INDEXES[id(directory)] = (directory, NameIndex(directory))
    return cached[1]


def mentioned_accounts(question: str, directory: Mapping[str, str]) -> list[str]:
    """Accounts named in the question, in the order they appear; misspellings only if nothing matched exactly."""
    words = tokens(question)
    index = name_index(directory)
    named, covered = index.full_names(words)
    hits = named + index.key_hits(words, covered)
    if not hits:
        return index.fuzzy(words)
    ordered: list[str] = []
    for _, account_id in sorted(hits):
        if account_id not in ordered:
            ordered.append(account_id)
    return ordered


def refers_back(question: str) -> bool:
    """Whether the question points at an account already under discussion ("their renewal")."""
    return bool(_PRONOUNS & set(tokens(question)))


def resolve_accounts(
    question: str,
    principal: Principal,
    directory: Mapping[str, str],
    *,
    last_account: str | None = None,
    wants_account: bool = True,
) -> Resolution:
    """The accounts a question is about, and how we know.

    `wants_account` is False for portfolio-wide questions: they only focus on an account that is
    named outright, never on the conversation's last one.
    """
    if principal.is_customer:
        assert principal.account_id is not None  # guaranteed by Principal
        return Resolution((principal.account_id,), ResolvedVia.PRINCIPAL)
    named = mentioned_accounts(question, directory)
    if named:
        return Resolution(tuple(named), ResolvedVia.MENTION)
    if last_account and last_account in directory and (refers_back(question) or wants_account):
        return Resolution((last_account,), ResolvedVia.CONVERSATION)
    if principal.account_id and wants_account:
        return Resolution((principal.account_id,), ResolvedVia.PRINCIPAL)
    return Resolution((), ResolvedVia.NONE)
