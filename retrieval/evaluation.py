"""Retrieval quality on labelled questions: recall@k per search mode.

Shared by the eval test (which asserts the ordering of the modes) and the benchmark (which reports
the numbers), so both measure exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from accounts.access import Scope
from retrieval.hybrid import HybridRetriever, SearchMode


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    audience: str
    expected: frozenset[str]
    account: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope.for_audience(self.audience, self.account)


def load_questions(path: Path) -> list[LabelledQuestion]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledQuestion(q["question"], q["audience"], frozenset(q["expected"]), q.get("account"))
        for q in raw
    ]


def hits_at_k(retriever: HybridRetriever, question: LabelledQuestion, mode: SearchMode, k: int,
              rerank: bool = True) -> bool:
    """Whether any expected record is among the first k results."""
    found = retriever.search(question.question, question.scope, k, mode=mode, rerank=rerank)
    return any(p.chunk.record_id in question.expected for p in found)


def recall_at_k(
    retriever: HybridRetriever, questions: Sequence[LabelledQuestion], mode: SearchMode, k: int = 5,
    rerank: bool = True,
) -> tuple[float, list[LabelledQuestion]]:
    """(share of questions with a hit in the top k, the questions missed)."""
    missed = [q for q in questions if not hits_at_k(retriever, q, mode, k, rerank)]
    return 1 - len(missed) / len(questions), missed
