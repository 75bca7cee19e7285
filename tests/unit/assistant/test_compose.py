"""The offline composer's parts: sentence extraction, citations and what a customer may be shown."""

from __future__ import annotations

import datetime as dt

from accounts.access import Audience, Scope
from accounts.book import AccountBook
from accounts.models import SourceKind, Visibility
from assistant.citations import CitationBook, marks, may_cite, record_index
from assistant.extract import answers_question, best_sentences, question_terms
from assistant.guidance import suggest
from retrieval.passages import Chunk, Passage

from .conftest import AS_OF


def _passage(text: str, title: str = "Doc", rank_score: float = 1.0, record_id: str = "docs/x.md") -> Passage:
    chunk = Chunk(chunk_id=f"{record_id}#0", record_id=record_id, source=SourceKind.DOCS, account_id=None,
                  visibility=Visibility.PUBLIC, date=None, path=record_id, title=title, text=f"{title}\n{text}")
    return Passage(chunk=chunk, score=rank_score)


def test_best_sentences_pick_the_relevant_ones() -> None:
    passages = [
        _passage("Our offices are in Lisbon. Sync conflicts happen when two people edit one job offline. "
                 "The newest edit wins and both versions stay in the history.", "Offline sync"),
        _passage("Invoices are sent nightly. Sync logs can be sent from the app menu.", "Invoicing", 0.5, "docs/y.md"),
    ]
    words = question_terms("why do sync conflicts happen offline?")
    picked = [e.sentence for e in best_sentences(words, passages)]
    assert picked[0].startswith("Sync conflicts happen")
    assert "Our offices are in Lisbon." not in picked
    assert "Invoices are sent nightly." not in picked


def test_no_shared_words_means_not_found() -> None:
    passages = [_passage("Invoices are sent nightly to the accounting system.")]
    assert not answers_question(question_terms("what is the capital of France?"), passages)
    assert best_sentences(question_terms("what is the capital of France?"), passages) == []


def test_account_name_words_do_not_count() -> None:
    assert question_terms("what did Globex say about pricing?", ignore=["globex"]) == {"pric"}


def test_citations_are_numbered_once_in_order(book: AccountBook) -> None:
    cites = CitationBook(Scope(Audience.CSM), record_index(book))
    assert cites.cite("tickets", "T-1") == 1
    assert cites.cite("activities", "a-2") == 2
    assert cites.cite("tickets", "T-1") == 1
    assert cites.cite("activities", "nope") is None
    assert [c.id for c in cites.citations] == ["T-1", "a-2"]
    assert marks([1, None, 2]) == " [1][2]"
    assert cites.cite("success_plans", "obj-1") == 3  # judgements name objectives by id


def test_customer_never_cites_internal_or_other_accounts(book: AccountBook) -> None:
    scope = Scope.for_audience("customer", "globex")
    index = record_index(book)
    assert may_cite(scope, SourceKind.TICKETS, index[(SourceKind.TICKETS, "T-1")])
    assert may_cite(scope, SourceKind.ACTIVITIES, index[(SourceKind.ACTIVITIES, "a-1")])
    assert not may_cite(scope, SourceKind.ACTIVITIES, index[(SourceKind.ACTIVITIES, "a-2")])  # internal note
    assert not may_cite(scope, SourceKind.SURVEYS, index[(SourceKind.SURVEYS, "s-1")])
    assert not may_cite(scope, SourceKind.ACTIVITIES, index[(SourceKind.ACTIVITIES, "a-5")])  # Hooli's
    assert not may_cite(scope, SourceKind.ADVOCACY, index[(SourceKind.ADVOCACY, "adv-1")])
    cites = CitationBook(scope, index)
    assert cites.cite("activities", "a-2") is None and cites.citations == []


def test_guidance_suggests_an_unadopted_feature_that_fits_a_goal(book: AccountBook) -> None:
    tip = suggest(book.records("globex"), book.docs, AS_OF)
    assert tip is not None
    assert tip.doc.path == "docs/routing/route-optimization.md"
    assert tip.objective.id == "obj-1"


def test_no_guidance_without_usage(book: AccountBook) -> None:
    assert suggest(book.records("globex"), book.docs, AS_OF - dt.timedelta(days=400)) is None
