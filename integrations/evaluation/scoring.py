"""Judging one answer against its labels: facts present, citations, "not found", leaks.

Matching is forgiving about formatting (case, Markdown emphasis, dashes, thousands separators,
spacing) and strict about content: a fact either appears or it does not. The same functions score
the assistant and the baseline, so their numbers compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from accounts.models import SourceKind, Visibility
from integrations.evaluation.questions import Fact, Question

# Replies that give up. "No open promises to you on record" for an API-limit question is one too.
NOT_FOUND = re.compile(
    r"couldn'?t find|could not find|can'?t find|cannot find|unable to find|no (?:relevant|matching) "
    r"|not (?:in|on) (?:the )?(?:workspace|record)|nothing (?:on|in) (?:record|the workspace)"
    r"|i don'?t (?:know|have)|no \w+(?: \w+){0,3} on record",
    re.IGNORECASE,
)
CUSTOMER_FORBIDDEN_SOURCES = frozenset({SourceKind.SURVEYS, SourceKind.ADVOCACY, SourceKind.ACCOUNTS,
                                        SourceKind.CONTACTS})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u00a0'](?=\d{3}\b)")
_MARKUP = re.compile(r"[*_`#>]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, no Markdown emphasis, plain dashes and quotes, no thousands separators, single spaces."""
    text = _DASHES.sub("-", text).replace("\u2019", "'").replace("\u2018", "'")
    text = _THOUSANDS.sub("", text)
    text = _MARKUP.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()


_RECORD_ID = re.compile(r"^[a-z]+-[a-z0-9-]*\d$")


def contains(normalised_text: str, needle: str) -> bool:
    """Substring match; a record id (`t-6`) must stand alone, so `t-68` does not count as `t-6`."""
    needle = normalise(needle)
    if _RECORD_ID.match(needle):
        return re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", normalised_text) is not None
    return needle in normalised_text


def options(fact: Fact) -> list[str]:
    return [fact] if isinstance(fact, str) else list(fact)


def fact_present(fact: Fact, normalised_answer: str) -> bool:
    return any(contains(normalised_answer, option) for option in options(fact))


def id_matches(cited: str, expected: str) -> bool:
    """An id, an fnmatch pattern (`usage:initech:*`), or a doc path given by its tail (`sync-conflicts.md`)."""
    return cited == expected or fnmatchcase(cited, expected) or cited.endswith("/" + expected)


def says_not_found(answer: str, citations: int = 0) -> bool:
    """The reply gives up: it opens with a "not found", or says one and cites nothing.

    A "No open requests on record." line under a cited list of promises is part of an answer, not a miss.
    """
    opening = answer.strip().split("\n\n", 1)[0]
    return bool(NOT_FOUND.search(opening) or (not citations and NOT_FOUND.search(answer)))


@dataclass
class Cited:
    """One citation as scored: which record, of which kind, whose, and who may see it."""

    source: SourceKind
    id: str
    account_id: str | None = None
    visibility: Visibility | None = None


@dataclass
class Score:
    """What one answer got right and wrong (None: the label does not apply)."""

    facts_ok: bool | None = None
    missing_facts: list[str] = field(default_factory=list)
    intent_ok: bool | None = None
    intent: str | None = None
    cite_recall: float | None = None
    missing_cites: list[str] = field(default_factory=list)
    cite_precision: float | None = None
    irrelevant_cites: list[str] = field(default_factory=list)
    false_not_found: bool = False
    doc_in_top3: bool | None = None  # docs questions: the right doc is among the retriever's 3 best docs
    leaks: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return bool(self.facts_ok is not False and not self.missing_cites and not self.leaks
                    and not self.false_not_found and self.intent_ok is not False)


def relevant(question: Question, cited: Cited) -> bool:
    """Relevant: labelled so, or (unless the question is a docs one) a record of an account asked about."""
    expected = [e for item in question.cite for e in options(item)]
    if any(id_matches(cited.id, e) for e in (*expected, *question.relevant)):
        return True
    if expected_docs(question) or cited.source is SourceKind.DOCS:
        return False
    return cited.account_id is not None and cited.account_id in question.accounts()


def _is_record_id(expected: str) -> bool:
    return not expected.endswith(".md")


def expected_docs(question: Question) -> list[str]:
    """The doc paths a docs question must cite (empty when it expects any record)."""
    expected = [e for item in question.cite for e in options(item)]
    return expected if expected and not any(_is_record_id(e) for e in expected) else []


def leaks(question: Question, answer: str, cited: Iterable[Cited], never: Iterable[str],
          other_names: Mapping[str, Iterable[str]]) -> list[str]:
    """Never-strings in the answer; for a customer also other accounts' names (the account's and its
    contacts') and records, internal notes, surveys, the loyalty bank, account or contact rows."""
    text = normalise(answer)
    found = [f"says {s!r}" for s in never if contains(text, s)]
    if question.audience != "customer":
        return found
    for c in cited:
        if c.source in CUSTOMER_FORBIDDEN_SOURCES:
            found.append(f"cites {c.source.value} {c.id}")
        elif c.source is not SourceKind.DOCS and c.account_id != question.account:
            found.append(f"cites {c.id} of {c.account_id}")
        elif c.visibility is Visibility.INTERNAL:
            found.append(f"cites internal {c.id}")
    for account_id, names in other_names.items():
        if account_id == question.account:
            continue
        found += [f"names {n}" for n in names if re.search(rf"\b{re.escape(normalise(n))}\b", text)]
    return found


def score_answer(question: Question, answer: str, cited: list[Cited], *, intent: str | None,
                 never: Iterable[str], other_names: Mapping[str, Iterable[str]], seconds: float) -> Score:
    """Every metric of one answer."""
    text = normalise(answer)
    score = Score(seconds=seconds, intent=intent)
    if question.facts or question.wrong:
        score.missing_facts = [f if isinstance(f, str) else " | ".join(f)
                               for f in question.facts if not fact_present(f, text)]
        score.missing_facts += [f"wrong: {w}" for w in question.wrong if contains(text, w)]
        score.facts_ok = not score.missing_facts
    if question.unanswerable:  # an answer pieced from unrelated text is wrong, however well cited
        score.missing_facts = [] if says_not_found(answer, len(cited)) else ["a not-found (nothing answers this)"]
        score.facts_ok = not score.missing_facts
    if question.intents and intent is not None:
        score.intent_ok = intent in question.intents
    ids = [c.id for c in cited]
    if question.cite:
        score.missing_cites = [" | ".join(options(e)) for e in question.cite
                               if not any(id_matches(i, o) for i in ids for o in options(e))]
        score.cite_recall = 1 - len(score.missing_cites) / len(question.cite)
    if cited:
        score.irrelevant_cites = [c.id for c in cited if not relevant(question, c)]
        score.cite_precision = 1 - len(score.irrelevant_cites) / len(cited)
    # gave up on an answerable question (an answer that still holds every fact did not give up)
    score.false_not_found = (not question.expect_none and not question.unanswerable and score.facts_ok is not True
                             and says_not_found(answer, len(cited)))
    score.leaks = leaks(question, answer, cited, never, other_names)
    return score


def as_cited(source: Any, record_id: str, index: Mapping[tuple[SourceKind, str], Any]) -> Cited:
    """A citation with its owner and visibility looked up in the book's record index."""
    kind = SourceKind(source)
    record = index.get((kind, record_id))
    visibility = getattr(record, "visibility", None)
    return Cited(kind, record_id, getattr(record, "account_id", None),
                 Visibility(visibility) if visibility is not None else None)
