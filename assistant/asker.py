"""Who is asking, and whose book a portfolio question is about: "my accounts", "Dana's accounts".

The principal's user (from `--user` or an edge's login) is a CSM handle or e-mail; a question may
also say it ("I'm dana@fieldloop.example — which of my accounts need attention?"). Narrowing a
vendor's question to one CSM's accounts never widens what they may read: vendor staff may read
every account anyway, and customers never get here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accounts.access import Audience
from assistant.principal import Principal
from assistant.resolve import ordinary_word
from assistant.words import STOPWORDS, token_spans, tokens

_INTRO = re.compile(r"\b(?:i'?m|i am|this is|it'?s|as)\s+([\w.+-]+@[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE)
_OWN = re.compile(r"\b(my|mine|i own|do i (own|have)|assigned to me|i'?m responsible for)\b", re.IGNORECASE)
_TEAM = re.compile(r"\b(team|everyone|every (csm|account)|all (the )?(accounts|csms|customers)|whole (book|portfolio)|"
                   r"each csm|by csm|per csm|which csm|csms|company[- ]wide|across the board)\b", re.IGNORECASE)
_ALIAS_SPLIT = re.compile(r"\s*[;|]\s*")


@dataclass(frozen=True)
class Roster:
    """Per account: its CSM and its aliases; per CSM name word: the handles it may mean."""

    csm: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    csm_names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    people: Mapping[tuple[str, ...], frozenset[str]] = field(default_factory=dict)  # a contact's name → accounts

    def owner(self, handle: str) -> str | None:
        """The CSM as the accounts name them ("dana" → dana@fieldloop.example), when exactly one fits."""
        from tools.portfolio import csm_handle_matches

        found = {owner for owner in self.csm.values() if owner and csm_handle_matches(owner, handle)}
        return next(iter(found)) if len(found) == 1 else None


def csm_name_words(handle: str) -> set[str]:
    """Words a person would call a CSM by: "dana" for dana@x.example, "dana"/"reyes" for dana.reyes@x."""
    local = handle.strip().lower().split("@", 1)[0]
    parts = [p for p in re.split(r"[._\-\s]+", local) if len(p) >= 2]
    return {local, *parts} - STOPWORDS


def build_roster(accounts: Sequence[Any], contacts: Sequence[Any] = ()) -> Roster:
    """A roster from account records (anything with account_id, csm and extra) and contacts (name, account_id)."""
    csm: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    names: dict[str, set[str]] = defaultdict(set)
    for account in accounts:
        csm[account.account_id] = account.csm or ""
        raw = str((getattr(account, "extra", None) or {}).get("aliases") or "").strip()
        if raw:
            aliases[account.account_id] = tuple(a for a in _ALIAS_SPLIT.split(raw) if a)
        if account.csm:
            for word in csm_name_words(account.csm):
                names[word].add(account.csm)
    return Roster(csm, aliases, {w: frozenset(h) for w, h in names.items()}, contact_names(contacts, set(names)))


def contact_names(contacts: Sequence[Any], csm_words: set[str]) -> dict[tuple[str, ...], frozenset[str]]:
    """Each contact's full name, and first name when it could name nobody else (not an ordinary word, not a
    CSM's name: "lee's renewals" means the CSM), as words → the accounts they belong to."""
    people: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for contact in contacts:
        words = tuple(tokens(contact.name))
        if not words:
            continue
        people[words].add(contact.account_id)
        first = words[0]
        if len(words) > 1 and len(first) >= 3 and not ordinary_word(first) and first not in csm_words:
            people[(first,)].add(contact.account_id)
    return {name: frozenset(ids) for name, ids in people.items()}


def book_roster(book: Any) -> Roster:
    """The roster of an account book (its accounts and their contacts), as `account_roster` reads a store's."""
    return build_roster(list(book.accounts.values()), [c for r in book.all_records() for c in r.contacts])


_ROSTERS: dict[int, tuple[object, Roster]] = {}


def account_roster(store: Any, directory: Mapping[str, str]) -> Roster:
    """The store's roster, read once per ingest (the directory object changes with each ingest).

    A store that cannot list its accounts (a test double) gives an empty roster: no aliases, no CSMs.
    """
    cached = _ROSTERS.get(id(store))
    if cached is not None and cached[0] is directory:
        return cached[1]
    load, people = getattr(store, "load_accounts", None), getattr(store, "load_contacts", None)
    roster = build_roster(load(), people() if callable(people) else ()) if callable(load) else Roster()
    if len(_ROSTERS) > 8:
        _ROSTERS.clear()
    _ROSTERS[id(store)] = (directory, roster)
    return roster


def asker_in_question(question: str) -> str | None:
    """An e-mail the asker introduces themselves with ("I'm dana@fieldloop.example")."""
    found = _INTRO.search(question)
    return found.group(1).lower() if found else None


def _csm_words(question: str, roster: Roster,
               taken: Sequence[tuple[int, int]]) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, CSMs it may name) of each word naming a CSM, outside the words that already name an account; a
    possessive typed without its apostrophe ("noors accounts") names the CSM too."""
    found = []
    for word, start, end in token_spans(question):
        name = word if word in roster.csm_names else word[:-1] if word.endswith("s") else ""
        if name in roster.csm_names and not any(s <= start < e for s, e in taken):
            found.append((start, end, roster.csm_names[name]))
    return found


def named_csm(question: str, roster: Roster, taken: Sequence[tuple[int, int]] = ()) -> str | None:
    """The one CSM the question names ("Dana's accounts", "which accounts does priya own"), outside
    the words that already name an account; None when no CSM or several fit."""
    found: set[str] = set().union(*(names for _, _, names in _csm_words(question, roster, taken)))
    return next(iter(found)) if len(found) == 1 else None


def csm_spans(question: str, roster: Roster, taken: Sequence[tuple[int, int]] = ()) -> tuple[tuple[int, int], ...]:
    """Where the question names a CSM ("and for priya?"), to read what else it says."""
    return tuple((start, end) for start, end, _ in _csm_words(question, roster, taken))


@dataclass(frozen=True)
class BookChoice:
    """Whose accounts a portfolio question covers (None: every account), and what to tell the reader."""

    csm: str | None = None
    asker: str | None = None
    notes: tuple[str, ...] = ()


def choose_book(question: str, principal: Principal, roster: Roster,
                taken: Sequence[tuple[int, int]] = ()) -> BookChoice:
    """A named CSM; else "my …" for the asker; else a CSM's own book by default (a manager sees the team)."""
    if principal.is_customer:
        return BookChoice()
    introduced = asker_in_question(question)
    asker = introduced or (principal.user.strip().lower() if principal.user else None)
    named = named_csm(question, roster, taken)
    if named is not None and (asker is None or named.lower() != asker):
        return BookChoice(named, asker)
    owner = roster.owner(asker) if asker else None
    if _OWN.search(question) or introduced:
        if owner:
            return BookChoice(owner, asker)
        who = asker or "you"
        hint = "" if asker else " (pass --user EMAIL)"
        return BookChoice(None, asker, (f"No accounts are assigned to {who} on record{hint}; showing every account.",))
    if principal.audience is Audience.CSM and owner and not _TEAM.search(question):
        return BookChoice(owner, asker)
    return BookChoice(None, asker)
