"""The dense index on a real (in-memory) Chroma: routing between the public and account collections,
scope inside the query, source filters, deletes."""

from __future__ import annotations

import uuid

import chromadb
import numpy as np
import pytest

from accounts.access import Scope
from accounts.models import SourceKind, Visibility
from retrieval.embeddings import HashingEmbedder
from retrieval.passages import Chunk
from retrieval.vector_index import VectorIndex

EMBED = HashingEmbedder()


def chunk(record_id: str, source: SourceKind, account: str | None, visibility: Visibility, text: str) -> Chunk:
    key = f"{source.value}:{record_id}"
    return Chunk(chunk_id=f"{key}#0", record_id=record_id, source=source, account_id=account, visibility=visibility,
                 date=None, path="x", title=record_id, text=text)


CHUNKS = [
    chunk("docs/sync.md", SourceKind.DOCS, None, Visibility.PUBLIC, "resolve a sync conflict on the phone"),
    chunk("a-1", SourceKind.ACTIVITIES, "acme", Visibility.CUSTOMER, "sync conflict call with acme"),
    chunk("a-2", SourceKind.ACTIVITIES, "acme", Visibility.INTERNAL, "sync conflict renewal risk acme"),
    chunk("t-1", SourceKind.TICKETS, "acme", Visibility.CUSTOMER, "ticket sync conflict acme phones"),
    chunk("a-3", SourceKind.ACTIVITIES, "bolt", Visibility.CUSTOMER, "sync conflict call with bolt"),
]


@pytest.fixture
def index() -> VectorIndex:
    vectors = VectorIndex(chromadb.EphemeralClient(), f"t{uuid.uuid4().hex[:8]}")
    vectors.upsert(CHUNKS, EMBED.embed_documents([c.text for c in CHUNKS]))
    return vectors


def ids(hits: list[tuple[str, float]]) -> set[str]:
    return {cid.split(":", 1)[1].rsplit("#", 1)[0] for cid, _ in hits}


def test_vendor_sees_everything_ranked(index: VectorIndex) -> None:
    hits = index.query(EMBED.embed_query("sync conflict"), Scope.for_audience("csm"), 10)
    assert ids(hits) == {"docs/sync.md", "a-1", "a-2", "t-1", "a-3"}
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.count() == 5


def test_customer_gets_own_customer_records_and_docs(index: VectorIndex) -> None:
    hits = index.query(EMBED.embed_query("sync conflict renewal risk"), Scope.for_audience("customer", "acme"), 10)
    assert ids(hits) == {"docs/sync.md", "a-1", "t-1"}


def test_vendor_focus_and_sources(index: VectorIndex) -> None:
    focus = Scope.for_audience("csm", "acme")
    assert ids(index.query(EMBED.embed_query("sync"), focus, 10)) == {"docs/sync.md", "a-1", "a-2", "t-1"}
    only_tickets = frozenset({SourceKind.TICKETS})
    assert ids(index.query(EMBED.embed_query("sync"), focus, 10, only_tickets)) == {"t-1"}
    only_docs = frozenset({SourceKind.DOCS})
    assert ids(index.query(EMBED.embed_query("sync"), Scope.for_audience("csm"), 10, only_docs)) == {"docs/sync.md"}
    assert len(index.query(EMBED.embed_query("sync"), Scope.for_audience("csm"), 2)) == 2


def test_delete_and_clear(index: VectorIndex) -> None:
    index.delete_records(["activities:a-2", "docs:docs/sync.md"])
    assert set(index.all_metadata()) == {"activities:a-1#0", "tickets:t-1#0", "activities:a-3#0"}
    index.clear()
    assert index.count() == 0
    assert index.query(np.ones(384, dtype=np.float32) / np.sqrt(384), Scope.for_audience("csm"), 5) == []
