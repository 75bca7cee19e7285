"""The composition root: builds every service from one Settings, lazily, so the CLI starts fast.

Front ends (CLI, HTTP, Slack) ask this object for what they need; nothing else constructs stores,
indexes or models.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from accounts.errors import AdvocateError
from integrations.settings import Settings

if TYPE_CHECKING:
    from accounts.book import AccountBook
    from accounts.store import AccountStore
    from assistant.engine_llm import LLMEngine
    from retrieval.embeddings import Embedder
    from retrieval.hybrid import HybridRetriever
    from retrieval.ingest import Ingestor
    from retrieval.keyword_index import KeywordIndex
    from retrieval.vector_index import VectorIndex
    from tools.config import JudgementConfig


class NothingIngested(AdvocateError):
    """The data dir holds no workspace yet."""


class Services:
    """Lazily built services of one data dir."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        # (ingest stamp, whole book, whole book without docs), filled by the first whole-book request
        self._cached_books: tuple[str | None, AccountBook, AccountBook] | None = None

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
    def vectors(self) -> VectorIndex:
        from retrieval.vector_index import VectorIndex, connect_chroma

        client = connect_chroma(path=self.settings.chroma_path, url=self.settings.chroma_url)
        return VectorIndex(client, self.settings.chroma_collection)

    @cached_property
    def keywords(self) -> KeywordIndex:
        from retrieval.keyword_index import KeywordIndex

        return KeywordIndex.load(self.settings.keyword_index_path)

    @cached_property
    def retriever(self) -> HybridRetriever:
        from retrieval.hybrid import FusionConfig, HybridRetriever

        s = self.settings
        self.require_ingested()
        config = FusionConfig(s.candidates, s.rrf_k, s.recency_weight, s.recency_half_life_days, s.chunks_per_record)
        from retrieval.rerank import SentenceReranker

        reranker = SentenceReranker(self.embedder, candidates=s.rerank_candidates) if s.rerank_candidates else None
        return HybridRetriever(self.vectors, self.keywords, self.embedder, config, reranker)

    @cached_property
    def judgement_config(self) -> JudgementConfig:
        from tools.config import load_judgement_config

        return load_judgement_config(self.settings.judgement_config)

    def ingestor(self) -> Ingestor:
        from retrieval.ingest import ChunkingConfig, Ingestor

        s = self.settings
        return Ingestor(
            self.store, self.vectors, s.keyword_index_path, self.embedder,
            chunking=ChunkingConfig(s.chunk_tokens, s.chunk_overlap), max_doc_bytes=s.max_doc_bytes,
        )

    def llm_engine(self) -> LLMEngine | None:
        """The model engine when a model is configured (key or base URL), else None: answer offline."""
        if not self.settings.llm_configured:
            return None
        from assistant.engine_llm import build_llm_engine
        from assistant.toolset import judgement_tool_factory

        return build_llm_engine(
            self.settings, search=self.retriever,
            judgement_tools=judgement_tool_factory(self.book, self.judgement_config),
        )

    def csm_book(self, csm: str) -> AccountBook:
        """One CSM's accounts with their records (a few dozen, not the whole book).

        When no account matches, a book of every account without records: enough for the portfolio
        to say so and suggest the closest CSM handles.
        """
        from accounts.book import AccountBook
        from tools.portfolio import csm_matches

        self.require_ingested()
        accounts = self.store.load_accounts()
        owned = [a.account_id for a in accounts if csm_matches(a, csm)]
        return self.book(owned) if owned else AccountBook.build(accounts)

    def require_ingested(self) -> None:
        if self.store.meta("ingested_at") is None:
            raise NothingIngested(
                f"no workspace ingested in {self.settings.data_dir}: run `advocate ingest PATH` first"
            )

    def book(self, account_ids: list[str] | None = None, *, include_docs: bool = False) -> AccountBook:
        """The account book (or the named accounts' part of it); unknown ids raise UnknownAccount.

        The whole book is cached until the next ingest, so a long-running front end answers portfolio
        questions without reloading it (and judgements memoised on it stay warm); a one-shot CLI
        command loads only the accounts it names.
        """
        from accounts.book import closest_ids
        from accounts.errors import UnknownAccount

        self.require_ingested()
        stamp = self.store.meta("ingested_at")
        cached = self._cached_books if self._cached_books and self._cached_books[0] == stamp else None
        if account_ids is not None:
            known = cached[1].account_ids() if cached else self.store.account_ids()
            for account_id in account_ids:
                if account_id not in known:
                    raise UnknownAccount(account_id, closest_ids(account_id, known))
            if cached:
                return cached[1].subset(account_ids, include_docs=include_docs)
            return self.store.load_book(account_ids, include_docs=include_docs)
        if cached is None:
            whole = self.store.load_book(include_docs=True)
            cached = self._cached_books = (stamp, whole, whole.subset(whole.account_ids(), include_docs=False))
        return cached[1] if include_docs else cached[2]
