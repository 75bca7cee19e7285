"""Which account(s) a question is about: ids, names, possessives, partial names, misspellings, pronouns.

A customer principal is always its own account: names of other accounts in its question are never
looked up (looking them up would already tell the customer which names exist).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from assistant.principal import Principal
from assistant.words import COMMON_WORDS, GENERIC_NAME_WORDS, STOPWORDS, tokens

FUZZY_CUTOFF = 0.8
MIN_FUZZY_LEN = 4
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


def _mentioned(question: str, words: list[str], account_id: str, name: str) -> bool:
    if re.search(rf"\b{re.escape(name.lower())}\b", question.lower()):
        return True
    keys = name_keys(account_id, name)
    joined = {a + b for a, b in itertools.pairwise(words)}
    return bool(keys & set(words)) or bool(keys & joined)


def _fuzzy(words: list[str], account_id: str, name: str) -> float:
    """The best similarity of a question word with an identifying key (0 when none is close)."""
    best = 0.0
    for word in words:
        if len(word) < MIN_FUZZY_LEN or word in STOPWORDS or word in COMMON_WORDS:
            continue
        for key in name_keys(account_id, name):
            if len(key) < MIN_FUZZY_LEN or key[0] != word[0]:
                continue
            best = max(best, difflib.SequenceMatcher(None, word, key).ratio())
    return best if best >= FUZZY_CUTOFF else 0.0


def mentioned_accounts(question: str, directory: Mapping[str, str]) -> list[str]:
    """Accounts named in the question, in the order they appear; misspellings only if nothing matched exactly."""
    words = tokens(question)
    exact = [a for a, name in directory.items() if _mentioned(question, words, a, name)]
    if exact:
        return sorted(exact, key=lambda a: _position(question, a, directory[a]))
    scored = [(score, a) for a, name in directory.items() if (score := _fuzzy(words, a, name)) > 0]
    if not scored:
        return []
    top = max(s for s, _ in scored)
    return [a for s, a in sorted(scored, reverse=True) if s >= top - 0.05][:3]


def _position(question: str, account_id: str, name: str) -> int:
    lowered = question.lower()
    hits = [lowered.find(k) for k in name_keys(account_id, name) | {name.lower()} if k in lowered]
    return min(hits) if hits else len(lowered)


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
