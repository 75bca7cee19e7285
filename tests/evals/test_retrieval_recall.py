"""Retrieval evals on the demo workspace: hybrid is at least as good as either retriever alone."""

from __future__ import annotations

from typing import Any

from accounts.access import Scope
from retrieval.evaluation import load_questions, recall_at_k
from retrieval.hybrid import SearchMode
from tests.conftest import REPO

QUESTIONS = load_questions(REPO / "tests" / "evals" / "retrieval_questions.yaml")


def test_labelled_set_is_big_enough() -> None:
    assert len(QUESTIONS) >= 40


def test_hybrid_recall_beats_each_retriever_alone(demo_services: Any) -> None:
    recall = {mode: recall_at_k(demo_services.retriever, QUESTIONS, mode, 5) for mode in SearchMode}
    hybrid, missed = recall[SearchMode.HYBRID]
    report = ", ".join(f"{m.value} {r:.3f}" for m, (r, _) in recall.items())
    assert hybrid >= recall[SearchMode.DENSE][0], report
    assert hybrid >= recall[SearchMode.LEXICAL][0], report
    assert hybrid >= 0.85, f"{report}; missed: {[q.question for q in missed]}"


def test_sync_conflict_doc_is_first(demo_services: Any) -> None:
    hits = demo_services.retriever.search("technicians' phones show a sync conflict", Scope.for_audience("csm"), 5)
    assert hits[0].chunk.path == "docs/mobile/sync-conflicts.md"
