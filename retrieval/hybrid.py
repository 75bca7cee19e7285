"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank fusion.

Both retrievers get the scope inside their query. RRF needs no score calibration between the two,
and an optional recency factor favours fresh account history (docs are timeless and unaffected).
One result per record, but a record keeps up to `chunks_per_record` of its chunks that scored (the
answer may sit deep in a long doc); then an optional reranker (`retrieval.rerank`) re-orders the
first candidates by meaning at sentence level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from accounts.access import Scope
from accounts.models import SourceKind
from retrieval.embeddings import Embedder
from retrieval.keyword_index import KeywordIndex
from retrieval.passages import Chunk, Passage
from retrieval.vector_index import VectorIndex

if TYPE_CHECKING:
    from retrieval.rerank import SentenceReranker


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    LEXICAL = "lexical"


@dataclass(frozen=True)
class FusionConfig:
    candidates: int = 50  # per retriever, before fusion
    rrf_k: int = 60
    recency_weight: float = 0.0  # 0 = off; 1 = score fully scaled by freshness
    recency_half_life_days: float = 180.0
    chunks_per_record: int = 4  # chunks of one record kept together in its passage
    # A doc among the first candidates brings up to this many of its chunks (its scoring ones and their
    # neighbours): the answer sits in a section of the page the query shares no word with.
    doc_chunks: int = 16
    doc_candidates: int = 6


def recency_factor(chunk_date: dt.date | None, as_of: dt.date, config: FusionConfig) -> float:
    """1.0 for undated chunks and for fresh ones, sinking towards 1 - weight as the record ages."""
    if config.recency_weight <= 0 or chunk_date is None:
        return 1.0
    age = max((as_of - chunk_date).days, 0)
    freshness = 0.5 ** (age / config.recency_half_life_days)
    return 1.0 - config.recency_weight + config.recency_weight * freshness


def reciprocal_rank_fusion(rankings: list[list[str]], rrf_k: int) -> dict[str, float]:
    """Σ 1/(k + rank) over the rankings a chunk appears in, normalised so the best possible is 1."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (rrf_k + rank)
    best = len(rankings) / (rrf_k + 1) if rankings else 1.0
    return {chunk_id: score / best for chunk_id, score in fused.items()}


class HybridRetriever:
    """Finds the passages a scope may read that best answer a query."""

    def __init__(
        self, vectors: VectorIndex, keywords: KeywordIndex, embedder: Embedder, config: FusionConfig | None = None,
        reranker: SentenceReranker | None = None,
    ) -> None:
        self.vectors = vectors
        self.keywords = keywords
        self.embedder = embedder
        self.config = config or FusionConfig()
        self.reranker = reranker

    def search(
        self,
        query: str,
        scope: Scope,
        k: int = 10,
        *,
        mode: SearchMode = SearchMode.HYBRID,
        sources: frozenset[SourceKind] | None = None,
        as_of: dt.date | None = None,
        rerank: bool = True,
    ) -> list[Passage]:
        """The `k` best passages, best first; recency applies only when `as_of` is given.

        `rerank=False` skips the reranking stage (to measure what it adds); without a reranker it is a no-op.
        """
        if not query.strip() or k <= 0:
            return []
        n = max(self.config.candidates, k)
        dense: list[str] = []
        lexical: list[str] = []
        query_vector = None
        if mode in (SearchMode.HYBRID, SearchMode.DENSE):
            query_vector = self.embedder.embed_query(query)
            dense = [cid for cid, _ in self.vectors.query(query_vector, scope, n, sources)]
        if mode in (SearchMode.HYBRID, SearchMode.LEXICAL):
            lexical = [cid for cid, _ in self.keywords.query(query, scope, n, sources)]
        rankings = [r for r, used in ((dense, mode != SearchMode.LEXICAL), (lexical, mode != SearchMode.DENSE)) if used]
        fused = reciprocal_rank_fusion(rankings, self.config.rrf_k)
        dense_rank = {cid: i for i, cid in enumerate(dense, start=1)}
        lexical_rank = {cid: i for i, cid in enumerate(lexical, start=1)}
        passages = []
        for chunk_id, score in fused.items():
            chunk = self.keywords.chunk(chunk_id)
            if chunk is None or not scope.allows(chunk.visibility, chunk.account_id):
                continue  # an index out of step with the chunk table (an interrupted ingest): never show it
            if as_of is not None:
                score *= recency_factor(chunk.date, as_of, self.config)
            passages.append(Passage(chunk=chunk, score=score, dense_rank=dense_rank.get(chunk_id),
                                    lexical_rank=lexical_rank.get(chunk_id)))
        passages.sort(key=lambda p: (-p.score, p.chunk.chunk_id))
        grouped = group_records(passages, self.config.chunks_per_record)
        grouped = [widen_doc(p, self.keywords.record_chunks(p.chunk.record_key), self.config.doc_chunks)
                   if i < self.config.doc_candidates and p.chunk.source is SourceKind.DOCS else p
                   for i, p in enumerate(grouped)]
        if rerank and self.reranker is not None and grouped:
            if query_vector is None:
                query_vector = self.embedder.embed_query(query)
            grouped = self.reranker.rerank(query, query_vector, grouped)
        return grouped[:k]


def group_records(passages: list[Passage], per_record: int = 1) -> list[Passage]:
    """One passage per record, at its best chunk's rank, carrying up to `per_record - 1` more of its
    chunks that scored: a result list of one long doc's chunks helps nobody, but the chunk holding
    the answer must still arrive when it is not the doc's best-scoring one."""
    kept: dict[str, Passage] = {}
    for passage in passages:
        key = passage.chunk.record_key
        first = kept.get(key)
        if first is None:
            kept[key] = passage
        elif len(first.siblings) + 1 < per_record:
            kept[key] = first.model_copy(update={"siblings": (*first.siblings, passage.chunk)})
    return list(kept.values())


def doc_pages(keywords: KeywordIndex, limit: int) -> list[Passage]:
    """Every doc in the index as one passage of its first `limit` chunks (what a search brings of it)."""
    pages = []
    for chunks in keywords.by_record.values():
        if chunks and chunks[0].source is SourceKind.DOCS:
            pages.append(Passage(chunk=chunks[0], score=1.0, siblings=tuple(chunks[1:limit])))
    return pages


def widen_doc(passage: Passage, chunks: list[Chunk], limit: int) -> Passage:
    """A doc passage carrying more of its page: all of it when it has at most `limit` chunks, else the
    chunks nearest (in reading order) to the ones that scored, up to `limit`."""
    have = {c.chunk_id for c in passage.chunks}
    if len(chunks) <= len(have) or len(have) >= limit:
        return passage
    scored = [c.index for c in passage.chunks]
    by_distance = sorted((c for c in chunks if c.chunk_id not in have),
                         key=lambda c: (min(abs(c.index - i) for i in scored), c.index))
    extra = tuple(by_distance[: limit - len(have)])
    return passage.model_copy(update={"siblings": (*passage.siblings, *extra)})


def dedupe_records(passages: list[Passage]) -> list[Passage]:
    """Keep the best chunk of each record only."""
    return group_records(passages, 1)
