"""The dense index: chunk vectors in Chroma (an embedded persistent client, or a `chroma run` server).

We always pass our own embeddings: Chroma's default embedding function downloads a model, which
must never happen. Scope is applied inside the query with Chroma's `where`, so filtering can never
starve the results. Each ingest generation has its own pair of collections (retrieval/generations.py);
a reader opens the committed pair and never creates one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from accounts.access import Scope
from accounts.models import SourceKind
from accounts.store import LEGACY_GENERATION
from retrieval.generations import PARTS, StaleSnapshot, collection_base
from retrieval.passages import Chunk

BATCH = 2000
# One insertion thread: a multi-threaded HNSW build is not deterministic, and the same chunks must
# give the same index (and the same results) whatever the history of ingests.
HNSW = {"space": "cosine", "num_threads": 1}
# Collections up to this size are ranked exactly from an in-memory copy (≤ 8 MB, loaded in ~0.2 s):
# exact and deterministic, where HNSW's approximate search can order the tail of a ranking
# differently between two builds of the same data. Larger ones use Chroma's HNSW query.
EXACT_LIMIT = 5_000


@dataclass(frozen=True)
class ExactTable:
    """A collection held in memory: ids in id order, unit vectors, and the metadata scopes filter on."""

    ids: list[str]
    matrix: np.ndarray
    visibility: np.ndarray
    source: np.ndarray


def connect_chroma(*, path: Path | None = None, url: str | None = None) -> Any:
    """A Chroma client: HTTP when a server URL is given, else embedded and persistent at `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    options = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if url:
        parsed = urlparse(url)
        return chromadb.HttpClient(
            host=parsed.hostname or "localhost",
            port=parsed.port or 8000,
            ssl=parsed.scheme == "https",
            settings=options,
        )
    if path is None:
        raise ValueError("an embedded Chroma client needs a path")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=options)


def source_filter(sources: frozenset[SourceKind] | None) -> dict[str, Any] | None:
    return None if sources is None else {"source": {"$in": sorted(s.value for s in sources)}}


def nearest(ids: Sequence[str], similarities: np.ndarray, n: int) -> list[tuple[str, float]]:
    order = np.argsort(-similarities, kind="stable")[:n]
    return [(ids[i], float(similarities[i])) for i in order]


class VectorIndex:
    """Chunk vectors keyed by chunk id, in two collections: public docs and account records.

    Why two: Chroma's filtered nearest-neighbour search is slow at scale (~150 ms at 100k chunks for a
    customer's `where`), while an unfiltered query takes ~2 ms and fetching one account's chunks by an
    indexed metadata key takes ~15 ms. So the public docs are searched unfiltered; vendor staff without
    an account focus search the accounts collection unfiltered; a scope limited to accounts fetches
    exactly that scope's chunks (`where` on `owner_visibility`) and ranks all of them exactly. Nothing
    is post-filtered from a short list, so a scope can never starve its results.
    """

    def __init__(
        self, client: Any, collection: str, *, generation: str = LEGACY_GENERATION, create: bool = True
    ) -> None:
        """`create=False` for readers: a generation that is gone raises StaleSnapshot, never creates one."""
        self.client = client
        self.generation = generation
        self.name = collection_base(collection, generation)
        self.create = create
        self._tables: dict[str, ExactTable | None] = {}
        self.public, self.accounts = self._open()

    def _open(self) -> tuple[Any, Any]:
        if not self.create:
            try:
                return tuple(  # type: ignore[return-value]
                    self.client.get_collection(f"{self.name}-{part}", embedding_function=None) for part in PARTS
                )
            except Exception as err:  # NotFoundError (or ValueError in older Chroma): the generation was dropped
                raise StaleSnapshot(self.generation) from err
        return tuple(  # type: ignore[return-value]
            self.client.get_or_create_collection(
                f"{self.name}-{part}", embedding_function=None, configuration={"hnsw": HNSW}
            )
            for part in PARTS
        )

    def _collections(self) -> tuple[Any, Any]:
        return self.public, self.accounts

    def clear(self) -> None:
        """Drop every vector (a full re-index after the embedding model or chunking changed)."""
        self._tables = {}
        for collection in self._collections():
            if collection.count():
                self.client.delete_collection(collection.name)
        self.public, self.accounts = self._open()

    def count(self) -> int:
        return sum(int(c.count()) for c in self._collections())

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        self._tables = {}
        for start in range(0, len(chunks), BATCH):
            part, part_vectors = chunks[start : start + BATCH], vectors[start : start + BATCH]
            for collection, wanted in ((self.public, False), (self.accounts, True)):
                rows = [i for i, c in enumerate(part) if bool(c.account_id) is wanted]
                if rows:
                    collection.upsert(
                        ids=[part[i].chunk_id for i in rows],
                        embeddings=part_vectors[rows],
                        metadatas=[part[i].chroma_metadata() for i in rows],
                    )

    def vectors_of(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks (those found): copied into a new generation, not re-embedded."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(chunk_ids), BATCH):
            part = list(chunk_ids[start : start + BATCH])
            for collection in self._collections():
                got = collection.get(ids=part, include=["embeddings"])
                found.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
        return found

    def delete_records(self, record_keys: Iterable[str]) -> None:
        """Remove every chunk of the given records."""
        self._tables = {}
        keys = sorted(set(record_keys))
        for start in range(0, len(keys), 500):
            for collection in self._collections():
                collection.delete(where={"record_key": {"$in": keys[start : start + 500]}})

    def query(
        self, vector: np.ndarray, scope: Scope, n: int, sources: frozenset[SourceKind] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the `n` nearest chunks the scope allows (of the wanted sources).

        A generation dropped under a long-held snapshot raises StaleSnapshot (ask for a fresh one).
        """
        if n <= 0:
            return []
        try:
            return self._query_scoped(vector, scope, n, sources)
        except StaleSnapshot:
            raise
        except Exception as err:
            if type(err).__name__ == "NotFoundError" and not self.create:
                raise StaleSnapshot(self.generation) from err
            raise

    def _query_scoped(
        self, vector: np.ndarray, scope: Scope, n: int, sources: frozenset[SourceKind] | None
    ) -> list[tuple[str, float]]:
        hits: list[tuple[str, float]] = []
        if sources is None or SourceKind.DOCS in sources:
            public = self._exact(self.public)
            hits += self._query(self.public, vector, n, None) if public is None else \
                self._rank_table(public, vector, None, None, n)  # public docs: every scope reads them
        record_sources = None if sources is None else sources - {SourceKind.DOCS}
        if record_sources is None or record_sources:
            owners = scope.owner_keys()
            table = self._exact(self.accounts) if owners is None else None
            if table is not None:
                hits += self._rank_table(table, vector, scope, record_sources, n)
            elif owners is None:
                visibility = None if scope.unrestricted else {"visibility": {"$in": sorted(scope.visibilities)}}
                clauses = [c for c in (visibility, source_filter(record_sources)) if c]
                where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
                hits += self._query(self.accounts, vector, n, where)
            else:
                hits += self._rank_owned(vector, owners, record_sources, n)
        hits.sort(key=lambda hit: -hit[1])
        return hits[:n]

    def _exact(self, collection: Any) -> ExactTable | None:
        """The collection in memory when it is small enough (loaded once: a reader's index never changes)."""
        if collection.name not in self._tables:
            table = None
            if collection.count() <= EXACT_LIMIT:
                found = collection.get(include=["embeddings", "metadatas"])
                order = sorted(range(len(found["ids"])), key=lambda i: found["ids"][i])
                metadatas = [found["metadatas"][i] for i in order]
                table = ExactTable(
                    ids=[found["ids"][i] for i in order],
                    matrix=np.asarray(found["embeddings"], dtype=np.float32)[order] if order
                    else np.zeros((0, 1), dtype=np.float32),
                    visibility=np.array([m["visibility"] for m in metadatas]),
                    source=np.array([m["source"] for m in metadatas]),
                )
            self._tables[collection.name] = table
        return self._tables[collection.name]

    @staticmethod
    def _rank_table(
        table: ExactTable, vector: np.ndarray, scope: Scope | None, sources: frozenset[SourceKind] | None, n: int
    ) -> list[tuple[str, float]]:
        """Exact ranking over an in-memory collection, of the chunks the scope's visibilities allow
        (every chunk when `scope` is None)."""
        if not table.ids:
            return []
        similarities = table.matrix @ np.asarray(vector, dtype=np.float32)
        keep = np.ones(len(table.ids), dtype=bool)
        if scope is not None and not scope.unrestricted and table.visibility.size:
            keep &= np.isin(table.visibility, sorted(v.value for v in scope.visibilities))
        if sources is not None:
            keep &= np.isin(table.source, sorted(s.value for s in sources))
        similarities = np.where(keep, similarities, -np.inf)
        return [hit for hit in nearest(table.ids, similarities, n) if hit[1] != -np.inf]

    @staticmethod
    def _query(collection: Any, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        result = collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def _rank_owned(
        self, vector: np.ndarray, owners: list[str], sources: frozenset[SourceKind] | None, n: int
    ) -> list[tuple[str, float]]:
        """Exact cosine ranking over every chunk the scope owns (a few hundred for one account)."""
        include = ["embeddings"] if sources is None else ["embeddings", "metadatas"]
        found = self.accounts.get(where={"owner_visibility": {"$in": owners}}, include=include)
        ids = found["ids"]
        if not ids:
            return []
        matrix = np.asarray(found["embeddings"], dtype=np.float32)
        similarities = matrix @ np.asarray(vector, dtype=np.float32)
        if sources is not None:
            wanted = {s.value for s in sources}
            keep = np.array([m["source"] in wanted for m in found["metadatas"]])
            similarities = np.where(keep, similarities, -np.inf)
        return [hit for hit in nearest(ids, similarities, n) if hit[1] != -np.inf]

    def all_metadata(self) -> dict[str, dict[str, Any]]:
        """Every chunk's metadata (for audits and tests)."""
        merged: dict[str, dict[str, Any]] = {}
        for collection in self._collections():
            found = collection.get(include=["metadatas"])
            merged.update(zip(found["ids"], found["metadatas"], strict=True))
        return merged
