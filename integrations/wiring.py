"""The composition root: builds every service from one Settings, lazily, so the CLI starts fast.

Front ends (CLI, HTTP, Slack) ask this object for what they need; nothing else constructs stores,
indexes or models. Everything read from an ingest comes from `snapshot()`: one `Snapshot` per
committed generation, swapped whole when an ingest commits (integrations/snapshot.py). The older
attributes (`book()`, `retriever`, ...) delegate to the current snapshot.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from accounts.errors import AdvocateError
from integrations.settings import Settings

if TYPE_CHECKING:
    from accounts.book import AccountBook
    from accounts.store import AccountStore
    from assistant.engine_llm import LLMEngine
    from integrations.snapshot import Snapshot
    from retrieval.embeddings import Embedder
    from retrieval.hybrid import HybridRetriever
    from retrieval.ingest import Ingestor
    from retrieval.keyword_index import KeywordIndex
    from retrieval.rerank import SentenceReranker
    from retrieval.typos import TypoFixer
    from retrieval.vector_index import VectorIndex
    from tools.config import JudgementConfig


class NothingIngested(AdvocateError):
    """The data dir holds no workspace yet."""


class Services:
    """Lazily built services of one data dir.

    `preload=True` (long-running servers): a new generation's snapshot is warmed (whole book, name
    directory, indexes) before it is swapped in; meanwhile requests keep the previous snapshot.
    """

    def __init__(self, settings: Settings | None = None, *, preload: bool = False) -> None:
        self.settings = settings or Settings()
        self.preload = preload
        self._snapshot: Snapshot | None = None
        self._swap = threading.Lock()
        self._llm_lock = threading.Lock()
        self._llm: tuple[Snapshot, LLMEngine] | None = None  # the model engine of the latest snapshot asked for

    @cached_property
    def store(self) -> AccountStore:
        from accounts.store import AccountStore

        if self.settings.database_url is None:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return AccountStore(self.settings.sqlalchemy_url)

    @cached_property
    def embedder(self) -> Embedder:
        from retrieval.embeddings import MiniLMEmbedder

        return MiniLMEmbedder(batch_size=self.settings.embed_batch_size, threads=self.settings.embed_threads)

    @cached_property
    def chroma(self) -> Any:
        from retrieval.vector_index import connect_chroma

        return connect_chroma(path=self.settings.chroma_path, url=self.settings.chroma_url)

    @cached_property
    def reranker(self) -> SentenceReranker | None:
        """Sentence-level reranking with the bundled model (shared by snapshots: its cache is by text)."""
        from retrieval.rerank import SentenceReranker

        n = self.settings.rerank_candidates
        return SentenceReranker(self.embedder, candidates=n) if n else None

    @cached_property
    def judgement_config(self) -> JudgementConfig:
        from tools.config import load_judgement_config

        return load_judgement_config(self.settings.judgement_config)

    def snapshot(self) -> Snapshot:
        """The snapshot of the committed generation (two SELECTs to check; a new object only after a change).

        A change is an ingest's commit, or a record Advocate wrote itself (a widget's "talk to my
        CSM", accounts/live_records.py): then the book is read again and the indexes are kept.
        """
        from accounts.live_records import LIVE_STAMP_KEY

        generation = self.store.generation()
        if generation is None:
            raise NothingIngested(
                f"no workspace ingested in {self.settings.data_dir}: run `advocate ingest PATH` first"
            )
        key = (generation, self.store.meta(LIVE_STAMP_KEY))
        current = self._snapshot
        if current is not None and current.key == key:
            return current
        if not self._swap.acquire(blocking=current is None):
            return current  # type: ignore[return-value]  # another request is warming the new one
        try:
            if self._snapshot is None or self._snapshot.key != key:
                fresh = self._new_snapshot(generation)
                fresh.live_stamp = key[1]
                if self._snapshot is not None:
                    fresh.adopt_indexes(self._snapshot)
                self._snapshot = fresh.warm() if self.preload else fresh
            return self._snapshot
        finally:
            self._swap.release()

    def _new_snapshot(self, generation: str) -> Snapshot:
        from integrations.snapshot import Snapshot
        from retrieval.hybrid import FusionConfig

        s = self.settings
        return Snapshot(
            generation, self.store.index_of(generation) or "",
            store=self.store, chroma=lambda: self.chroma, collection=s.chroma_collection,
            keyword_root=s.keyword_index_path, embedder=lambda: self.embedder,
            fusion=FusionConfig(s.candidates, s.rrf_k, s.recency_weight, s.recency_half_life_days,
                                s.chunks_per_record),
            reranker=lambda: self.reranker,
            judgement_config=lambda: self.judgement_config,
        )

    @property
    def vectors(self) -> VectorIndex:
        return self.snapshot().vectors

    @property
    def keywords(self) -> KeywordIndex:
        return self.snapshot().keywords

    @property
    def retriever(self) -> HybridRetriever:
        return self.snapshot().retriever

    @property
    def typo_fixer(self) -> TypoFixer:
        return self.snapshot().typo_fixer

    def ingestor(self) -> Ingestor:
        from retrieval.ingest import ChunkingConfig, Ingestor

        s = self.settings
        return Ingestor(
            self.store, self.chroma, s.chroma_collection, s.keyword_index_path, self.embedder,
            lock_dir=s.data_dir, chunking=ChunkingConfig(s.chunk_tokens, s.chunk_overlap),
            max_doc_bytes=s.max_doc_bytes, lock_wait_s=s.ingest_lock_wait_s,
        )

    def llm_engine(self, snapshot: Snapshot | None = None) -> LLMEngine | None:
        """The model engine when a model is configured (key or base URL), else None: answer offline.

        Bound to one snapshot (the current one unless given), so its tools read the same generation;
        built once per snapshot, so a long-running front end does not rebuild it for every question.
        """
        if not self.settings.llm_configured:
            return None
        from assistant.engine_llm import build_llm_engine
        from assistant.toolset import judgement_tool_factory

        snap = snapshot or self.snapshot()
        with self._llm_lock:
            if self._llm is None or self._llm[0] is not snap:
                engine = build_llm_engine(
                    self.settings, search=snap.retriever,
                    judgement_tools=judgement_tool_factory(snap.book, self.judgement_config),
                )
                self._llm = (snap, engine)
            return self._llm[1]

    def csm_book(self, csm: str) -> AccountBook:
        """One CSM's accounts with their records (a few dozen, not the whole book)."""
        return self.snapshot().csm_book(csm)

    def require_ingested(self) -> None:
        self.snapshot()

    def book(self, account_ids: list[str] | None = None, *, include_docs: bool = False) -> AccountBook:
        """The account book (or the named accounts' part of it) of the current snapshot."""
        return self.snapshot().book(account_ids, include_docs=include_docs)
