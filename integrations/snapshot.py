"""One committed generation, read whole: the object every request of a long-running front end uses.

Why: a process that lives across ingests must never mix generations (the book of one ingest with
the keyword index of another). A `Snapshot` is bound to one committed generation: its book cache,
name directory, keyword index, dense index and retriever all come from that generation, built
lazily and then kept. SQL reads are checked against the committed generation before and after
(the data of an older generation is no longer in the tables), so a snapshot that was replaced
mid-request raises `StaleSnapshot` instead of answering from a mix; `warm()` loads everything up
front so a warmed snapshot never needs the tables again. `Services.snapshot()` hands out the
current one and swaps it whole when an ingest commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from retrieval.generations import StaleSnapshot, keyword_folder

if TYPE_CHECKING:
    import sqlalchemy as sa

    from accounts.book import AccountBook
    from accounts.store import AccountStore
    from retrieval.embeddings import Embedder
    from retrieval.hybrid import FusionConfig, HybridRetriever
    from retrieval.keyword_index import KeywordIndex
    from retrieval.rerank import SentenceReranker
    from retrieval.typos import TypoFixer
    from retrieval.vector_index import VectorIndex
    from tools.config import JudgementConfig

T = TypeVar("T")


class SnapshotStore:
    """The store as a snapshot's reader sees it: its engine (conversation memory) and its directory."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    @property
    def engine(self) -> sa.Engine:
        return self._snapshot.account_store.engine

    def account_directory(self) -> dict[str, str]:
        return self._snapshot.account_directory()


class Snapshot:
    """Everything read from one committed generation; satisfies assistant.ports.AssistantPorts."""

    def __init__(
        self,
        generation: str,
        index_id: str,
        *,
        store: AccountStore,
        chroma: Callable[[], Any],
        collection: str,
        keyword_root: Path,
        embedder: Callable[[], Embedder],
        fusion: FusionConfig,
        judgement_config: Callable[[], JudgementConfig],
        reranker: Callable[[], SentenceReranker | None] = lambda: None,
    ) -> None:
        self.generation = generation
        self.index_id = index_id
        self.account_store = store
        self._chroma, self._collection, self._keyword_root = chroma, collection, keyword_root
        self._embedder, self._fusion, self._judgement_config = embedder, fusion, judgement_config
        self._reranker = reranker
        self._lock = threading.RLock()
        self._whole: tuple[AccountBook, AccountBook] | None = None  # with docs, without docs
        self._directory: dict[str, str] | None = None
        self.store = SnapshotStore(self)
        self.live_stamp: str | None = None  # when Advocate's own records last changed (live_records.py)

    @property
    def key(self) -> tuple[str, str | None]:
        """What this snapshot was read at: the committed generation and the live records' stamp."""
        return self.generation, self.live_stamp

    def adopt_indexes(self, other: Snapshot) -> None:
        """Reuse another snapshot's loaded indexes when they are the same index (only live records changed)."""
        if other.index_id == self.index_id:
            for name in ("keywords", "vectors", "retriever", "typo_fixer"):
                if name in other.__dict__:
                    self.__dict__[name] = other.__dict__[name]

    # -- indexes (immutable once committed: loaded once) -------------------------------------

    @cached_property
    def keywords(self) -> KeywordIndex:
        from accounts.store import LEGACY_GENERATION
        from retrieval.keyword_index import CHUNKS_FILE, KeywordIndex

        folder = keyword_folder(self._keyword_root, self.index_id)
        if self.index_id != LEGACY_GENERATION and not (folder / CHUNKS_FILE).exists():
            raise StaleSnapshot(self.generation)  # dropped under us: two ingests committed since
        return KeywordIndex.load(folder)

    @cached_property
    def vectors(self) -> VectorIndex:
        from retrieval.vector_index import VectorIndex

        return VectorIndex(self._chroma(), self._collection, generation=self.index_id, create=False)

    @cached_property
    def retriever(self) -> HybridRetriever:
        from retrieval.hybrid import HybridRetriever

        return HybridRetriever(self.vectors, self.keywords, self._embedder(), self._fusion, self._reranker())

    @cached_property
    def typo_fixer(self) -> TypoFixer:
        """Misspelt question words fixed against the docs' words (public: nothing of any account)."""
        from accounts.models import SourceKind
        from retrieval.typos import TypoFixer

        return TypoFixer.from_texts(c.text for c in self.keywords.chunks if c.source is SourceKind.DOCS)

    @property
    def judgement_config(self) -> JudgementConfig:
        return self._judgement_config()

    # -- SQL reads, checked against the committed generation ---------------------------------

    def _read(self, load: Callable[[], T]) -> T:
        """`load()` from the tables, guaranteed to be this generation's data (else StaleSnapshot)."""
        if self.account_store.generation() != self.generation:
            raise StaleSnapshot(self.generation)
        value = load()
        if self.account_store.generation() != self.generation:  # a commit landed during the read
            raise StaleSnapshot(self.generation)
        return value

    def account_directory(self) -> dict[str, str]:
        """account_id → name of every account; one dict per snapshot (the name index is built once)."""
        with self._lock:
            if self._directory is None:
                if self._whole is not None:
                    self._directory = {a: acc.name for a, acc in self._whole[0].accounts.items()}
                else:
                    self._directory = dict(self._read(self.account_store.account_directory))
            return self._directory

    def book(self, account_ids: list[str] | None = None, *, include_docs: bool = False) -> AccountBook:
        """The book (or the named accounts' part); unknown ids raise UnknownAccount.

        The whole book, once loaded, is kept for the snapshot's life (with its judgement memos);
        a one-shot command that names accounts loads only those.
        """
        from accounts.book import closest_ids
        from accounts.errors import UnknownAccount

        whole = self._whole
        if account_ids is not None:
            known = whole[0].account_ids() if whole else self._read(self.account_store.account_ids)
            for account_id in account_ids:
                if account_id not in known:
                    raise UnknownAccount(account_id, closest_ids(account_id, known))
            if whole:
                return whole[0].subset(account_ids, include_docs=include_docs)
            return self._read(lambda: self.account_store.load_book(account_ids, include_docs=include_docs))
        with self._lock:
            if self._whole is None:
                book = self._read(lambda: self.account_store.load_book(include_docs=True))
                self._whole = (book, book.subset(book.account_ids(), include_docs=False))
            return self._whole[0] if include_docs else self._whole[1]

    def csm_book(self, csm: str) -> AccountBook:
        """One CSM's accounts with their records; a book of every account without records when none match."""
        from accounts.book import AccountBook
        from tools.portfolio import csm_matches

        accounts = list(self._whole[0].accounts.values()) if self._whole else \
            self._read(self.account_store.load_accounts)
        owned = [a.account_id for a in accounts if csm_matches(a, csm)]
        return self.book(owned) if owned else AccountBook.build(accounts)

    def warm(self) -> Snapshot:
        """Load the whole book, the directory and both indexes now (a server does this before swapping)."""
        self.book(include_docs=True)
        self.account_directory()
        from retrieval.typos import english_words

        self.typo_fixer  # noqa: B018 - built now, not on the first question
        english_words()  # the fixer's list of real words, read once per process
        retriever = self.retriever
        if retriever.reranker is not None:  # the docs' sentences embedded now, not on their first question
            from retrieval.hybrid import doc_pages

            retriever.reranker.warm(doc_pages(retriever.keywords, retriever.config.doc_chunks))
        return self
