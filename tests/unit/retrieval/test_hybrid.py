"""Fusion, recency and scoping of the hybrid retriever, on real Chroma (in memory) and real BM25."""

from __future__ import annotations

import datetime as dt
import uuid

import chromadb
import pytest

from accounts.access import Scope
from accounts.models import SourceKind, Visibility
from retrieval.embeddings import HashingEmbedder
from retrieval.hybrid import (
    FusionConfig,
    HybridRetriever,
    SearchMode,
    recency_factor,
    reciprocal_rank_fusion,
    widen_doc,
)
from retrieval.keyword_index import KeywordIndex
from retrieval.passages import Chunk, Passage
from retrieval.vector_index import VectorIndex

TODAY = dt.date(2026, 11, 16)


def chunk(rid: str, account: str | None, vis: Visibility, text: str, day: dt.date | None = None, i: int = 0) -> Chunk:
    source = SourceKind.DOCS if account is None else SourceKind.ACTIVITIES
    return Chunk(chunk_id=f"{source.value}:{rid}#{i}", record_id=rid, source=source, account_id=account,
                 visibility=vis, date=day, path="x", title=rid, text=text, index=i)


CHUNKS = [
    chunk("old", "acme", Visibility.CUSTOMER, "quarterly review of invoicing with acme", dt.date(2025, 1, 10)),
    chunk("new", "acme", Visibility.CUSTOMER, "quarterly review of invoicing with acme team", dt.date(2026, 11, 10)),
    chunk("secret", "acme", Visibility.INTERNAL, "quarterly review invoicing discount authority", TODAY),
    chunk("other", "bolt", Visibility.CUSTOMER, "quarterly review of invoicing with bolt", TODAY),
    chunk("docs/inv.md", None, Visibility.PUBLIC, "invoicing guide: create an invoice", None, 0),
    chunk("docs/inv.md", None, Visibility.PUBLIC, "invoicing guide: taxes on an invoice", None, 1),
]


def retriever(config: FusionConfig | None = None) -> HybridRetriever:
    embed = HashingEmbedder()
    vectors = VectorIndex(chromadb.EphemeralClient(), f"h{uuid.uuid4().hex[:8]}")
    vectors.upsert(CHUNKS, embed.embed_documents([c.text for c in CHUNKS]))
    return HybridRetriever(vectors, KeywordIndex.build(CHUNKS), embed, config)


def test_rrf_normalises_to_one_for_a_chunk_first_everywhere() -> None:
    fused = reciprocal_rank_fusion([["a", "b"], ["a", "c"]], rrf_k=60)
    assert fused["a"] == pytest.approx(1.0)
    assert fused["b"] == fused["c"] == pytest.approx((1 / 62) / (2 / 61))


def test_recency_factor() -> None:
    cfg = FusionConfig(recency_weight=0.5, recency_half_life_days=100)
    assert recency_factor(None, TODAY, cfg) == 1.0
    assert recency_factor(TODAY, TODAY, cfg) == 1.0
    assert recency_factor(TODAY - dt.timedelta(days=100), TODAY, cfg) == pytest.approx(0.75)
    assert recency_factor(TODAY - dt.timedelta(days=100), TODAY, FusionConfig()) == 1.0


def test_customer_scope_inside_both_retrievers() -> None:
    hits = retriever().search("quarterly review invoicing discount", Scope.for_audience("customer", "acme"), 10)
    assert {h.chunk.record_id for h in hits} == {"old", "new", "docs/inv.md"}
    for mode in (SearchMode.DENSE, SearchMode.LEXICAL):
        found = retriever().search("discount authority bolt", Scope.for_audience("customer", "acme"), 10, mode=mode)
        assert {h.chunk.record_id for h in found} <= {"old", "new", "docs/inv.md"}


def test_one_result_per_record_and_k() -> None:
    hits = retriever().search("invoicing guide invoice", Scope.for_audience("csm"), 10)
    assert [h.chunk.record_id for h in hits].count("docs/inv.md") == 1
    assert len(retriever().search("invoicing", Scope.for_audience("csm"), 2)) == 2
    assert retriever().search("   ", Scope.for_audience("csm"), 5) == []


def test_recency_prefers_fresh_history_only_when_asked() -> None:
    scope = Scope.for_audience("csm", "acme")
    weighted = retriever(FusionConfig(recency_weight=0.9, recency_half_life_days=30))
    ranked = [h.chunk.record_id for h in weighted.search("quarterly review of invoicing with acme", scope, 5,
                                                           as_of=TODAY, sources=frozenset({SourceKind.ACTIVITIES}))]
    assert ranked.index("new") < ranked.index("old")
    plain = [h.chunk.record_id for h in weighted.search("quarterly review of invoicing with acme", scope, 5,
                                                        sources=frozenset({SourceKind.ACTIVITIES}))]
    assert "old" in plain[:2]


def _long_doc(n: int) -> list[Chunk]:
    words = ["setup", "billing", "offline", "limits", "storage", "alerts", "roles", "export", "backup", "sync"]
    return [chunk("docs/long.md", None, Visibility.PUBLIC, f"{words[i % 10]} section {i}", None, i) for i in range(n)]


def test_a_doc_passage_brings_the_rest_of_its_page() -> None:
    """The section holding the answer shares no word with the query; the page's best chunk brings it along."""
    doc = _long_doc(6)
    embed = HashingEmbedder()
    vectors = VectorIndex(chromadb.EphemeralClient(), f"h{uuid.uuid4().hex[:8]}")
    vectors.upsert(doc, embed.embed_documents([c.text for c in doc]))
    found = HybridRetriever(vectors, KeywordIndex.build(doc), embed).search("billing", Scope.for_audience("customer",
                                                                                                          "acme"), 3)
    assert len(found) == 1 and [c.index for c in found[0].chunks] == list(range(6))
    narrow = HybridRetriever(vectors, KeywordIndex.build(doc), embed, FusionConfig(doc_chunks=1, chunks_per_record=1))
    assert [c.index for c in narrow.search("billing", Scope.for_audience("csm"), 3)[0].chunks] == [1]


def test_a_long_doc_brings_the_chunks_nearest_the_ones_that_scored() -> None:
    doc = _long_doc(30)
    best = Passage(chunk=doc[12], score=1.0)
    widened = widen_doc(best, doc, limit=5)
    assert [c.index for c in widened.chunks] == [10, 11, 12, 13, 14]
    assert widen_doc(best, doc[12:13], limit=5) == best
