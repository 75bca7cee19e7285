"""Extractive answers: the sentences of the top passages that best answer the question.

A sentence scores by the share of the question's content words it contains, plus a bonus for the
rank of its passage (the retriever already weighed meaning, not just words). When no top passage
shares a content word with the question, the workspace does not hold the answer and we say so
rather than paraphrase something unrelated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.words import content_words, sentences, stem
from retrieval.passages import Passage

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t].*$", re.MULTILINE)
_STEP = re.compile(r"^ {0,3}\d{1,2}[.)][ \t]+(.+)$", re.MULTILINE)
RANK_WEIGHT = 0.3
MIN_SCORE = 0.2
TOP_PASSAGES = 5
MAX_NEEDED = 3


@dataclass(frozen=True)
class Extract:
    sentence: str
    passage: Passage
    score: float
    overlap: int


def question_terms(question: str, ignore: Iterable[str] = ()) -> set[str]:
    """Content words of a question, less the words that only name the account (they match everything)."""
    ignored = {stem(w) for w in ignore}
    return content_words(question) - ignored


def passage_body(passage: Passage) -> str:
    """The passage text without the context line the indexer prefixes to every chunk, and without headings."""
    text = passage.chunk.text
    if "\n" in text:
        text = text.split("\n", 1)[1]
    return _HEADING.sub("", text)


def steps(passage: Passage, limit: int = 8) -> list[str]:
    """The numbered steps of a passage (a procedure in the docs), without their numbers."""
    return [m.group(1).strip() for m in _STEP.finditer(passage_body(passage))][:limit]


def best_sentences(question_words: set[str], passages: list[Passage], *, limit: int = 4,
                   skip: frozenset[str] = frozenset()) -> list[Extract]:
    """Up to `limit` sentences from the top passages, best first by score, then in passage order."""
    if not question_words:
        return []
    found: list[Extract] = []
    for rank, passage in enumerate(passages[:TOP_PASSAGES]):
        title_words = content_words(passage.chunk.title)
        seen: set[str] = set()
        for sentence in sentences(passage_body(passage)) or [passage.chunk.title]:
            key = sentence.lower()
            if key in seen or sentence in skip:
                continue
            seen.add(key)
            words = content_words(sentence)
            overlap = len(question_words & words)
            title_overlap = len(question_words & title_words)
            if overlap == 0 and title_overlap == 0:
                continue
            score = (overlap + 0.5 * title_overlap) / len(question_words) + RANK_WEIGHT / (1 + rank)
            found.append(Extract(sentence, passage, score, overlap))
    found = [e for e in found if e.score >= MIN_SCORE and e.overlap > 0]
    found.sort(key=lambda e: -e.score)
    picked = _one_or_two_per_passage(found, limit)
    order = {id(p): i for i, p in enumerate(passages)}
    return sorted(picked, key=lambda e: (order.get(id(e.passage), 99), -e.score))


def _one_or_two_per_passage(found: list[Extract], limit: int) -> list[Extract]:
    """Prefer breadth: at most two sentences from any one passage."""
    picked: list[Extract] = []
    per_passage: dict[int, int] = {}
    for extract in found:
        n = per_passage.get(id(extract.passage), 0)
        if n >= 2:
            continue
        per_passage[id(extract.passage)] = n + 1
        picked.append(extract)
        if len(picked) >= limit:
            break
    return picked


def answers_question(question_words: set[str], passages: list[Passage]) -> bool:
    """Whether a top passage holds enough of the question's content words (half, up to three).

    One shared word is not enough for a longer question: "the weather in Paris tomorrow" must not
    be answered by a doc that mentions "tomorrow's jobs".
    """
    needed = min(MAX_NEEDED, max(1, math.ceil(len(question_words) / 2)))
    for passage in passages[:TOP_PASSAGES]:
        words = content_words(passage.chunk.text) | content_words(passage.chunk.title)
        if len(question_words & words) >= needed:
            return True
    return False
