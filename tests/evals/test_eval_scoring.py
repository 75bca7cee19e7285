"""Scoring one answer: forgiving about formatting, strict about content, and a leak is always caught."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import SourceKind, Visibility
from integrations.evaluation.questions import Question
from integrations.evaluation.report import check_gates, percentile
from integrations.evaluation.scoring import Cited, fact_present, normalise, says_not_found, score_answer

NAMES = {"globex": ["Globex Logistics", "Richard Hale"], "acme": ["Acme Corp", "Ben Ruiz"]}


def q(**labels: Any) -> Question:
    base: dict[str, Any] = {"id": "x", "kind": "k", "audience": "csm", "question": "?"}
    return Question.model_validate({**base, **labels})


def score(question: Question, answer: str, cited: list[Cited] | None = None, intent: str | None = None) -> Any:
    return score_answer(question, answer, cited or [], intent=intent, never=question.never, other_names=NAMES,
                        seconds=0.01)


@pytest.mark.parametrize(("fact", "answer", "present"), [
    ("ARR $3,907,000", "**ARR** $3907000 in total", True),
    ("Keep mine", "tap *Keep  mine*", True),
    ("10-15%", "about 10–15% less driving", True),
    (["not now", "hold off"], "Better to HOLD OFF for now", True),
    ("t-6", "see t-68 and t-69", False),
    ("t-68", "ticket t-68, opened", True),
    ("Power BI", "the BI export", False),
])
def test_facts_match_through_formatting_but_not_across_ids(fact: Any, answer: str, present: bool) -> None:
    assert fact_present(fact, normalise(answer)) is present


def test_a_correct_cited_answer_passes_every_check() -> None:
    question = q(about=["globex"], facts=["Globex", ["t-68", "sync"]], cite=["t-68"], intents=["status"])
    cited = [Cited(SourceKind.TICKETS, "t-68", "globex", Visibility.CUSTOMER)]
    result = score(question, "Globex Logistics is red: open severity-1 ticket t-68 [1]", cited, "status")
    assert (result.facts_ok, result.intent_ok, result.cite_recall, result.cite_precision) == (True, True, 1.0, 1.0)
    assert result.passed


def test_wrong_strings_missing_citations_and_other_accounts_records_count_against_the_answer() -> None:
    question = q(about=["globex"], facts=["Globex"], cite=["t-68"], wrong=["Initech"])
    cited = [Cited(SourceKind.ACTIVITIES, "a-1", "acme", Visibility.INTERNAL)]
    result = score(question, "Globex and Initech", cited, "tickets")
    assert result.missing_facts == ["wrong: Initech"] and result.missing_cites == ["t-68"]
    assert result.cite_precision == 0.0 and result.irrelevant_cites == ["a-1"]
    assert not result.leaks  # vendor staff may see every account: wrong, not a leak


def test_docs_questions_count_only_the_right_doc_as_a_relevant_citation() -> None:
    question = q(audience="customer", account="globex", cite=["sync-conflicts.md"])
    cited = [Cited(SourceKind.DOCS, "docs/mobile/sync-conflicts.md"), Cited(SourceKind.TICKETS, "t-60", "globex")]
    result = score(question, "Tap Review conflict [1]. Your ticket t-60 [2]", cited)
    assert result.cite_recall == 1.0 and result.irrelevant_cites == ["t-60"]


def test_a_customer_answer_leaks_other_accounts_internal_notes_surveys_and_canaries() -> None:
    question = q(audience="customer", account="globex", never=["renewal risk"])
    cited = [Cited(SourceKind.ACTIVITIES, "a-164", "globex", Visibility.INTERNAL),
             Cited(SourceKind.TICKETS, "t-66", "acme", Visibility.CUSTOMER),
             Cited(SourceKind.SURVEYS, "s-73", "globex"), Cited(SourceKind.DOCS, "docs/a.md")]
    result = score(question, "Renewal risk is high; Acme Corp (ask Ben Ruiz) had the same", cited)
    assert sorted(result.leaks) == sorted(["says 'renewal risk'", "cites internal a-164", "cites t-66 of acme",
                                           "cites surveys s-73", "names Acme Corp", "names Ben Ruiz"])
    assert not result.passed


def test_not_found_is_false_only_where_an_answer_exists() -> None:
    assert says_not_found("I couldn't find this in the workspace.")
    assert says_not_found("No open promises to you on record.")
    assert not says_not_found("The limit is 600 requests per minute.")
    assert not says_not_found("**Contoso**: 1 open promise [1]\n\nNo open requests from Contoso on record.", 1)
    assert says_not_found("**What we promised you**\n\nNo open promises to you on record.", 0)
    assert score(q(facts=["600"]), "I couldn't find this in the workspace.").false_not_found
    assert not score(q(expect_none=True), "I couldn't find this in the workspace.").false_not_found


def test_an_unanswerable_question_is_right_only_when_the_reply_says_nothing_answers() -> None:
    """Off-topic questions measure the other side of "not found": answers pieced from unrelated text."""
    gave_up = score(q(unanswerable=True), "I couldn't find this in the workspace. Your CSM can help.")
    assert gave_up.facts_ok and not gave_up.false_not_found and gave_up.passed
    pieced = score(q(unanswerable=True), "From the docs: dashboards use the company time zone. [1]")
    assert pieced.facts_ok is False and pieced.missing_facts == ["a not-found (nothing answers this)"]


def test_gates_name_each_row_below_a_minimum_or_above_a_maximum() -> None:
    rows = [{"set": "demo", "audience": "customer", "system": "advocate", "answer_accuracy": 0.5, "leaks": 2},
            {"set": "demo", "audience": "all", "system": "baseline", "answer_accuracy": 0.1, "leaks": 9},
            {"set": "other", "audience": "all", "system": "advocate", "answer_accuracy": 0.9, "leaks": 2}]
    gates = {"min": {"answer_accuracy": 0.6}, "max": {"leaks": 0}, "sets": {"other": {"max": {"leaks": 5}}}}
    assert check_gates(rows, gates) == ["demo/customer: answer_accuracy 50% < 60%", "demo/customer: leaks 2 > 0"]


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 95) == 0.0
    assert percentile([float(n) for n in range(1, 101)], 95) == 95.0
