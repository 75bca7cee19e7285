"""The dense index: chunk vectors in Chroma (an embedded persistent client, or a `chroma run` server).

We always pass our own embeddings: Chroma's default embedding function downloads a model, which
must never happen. Scope is applied inside the query with Chroma's `where`, so filtering can never
starve the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from accounts.access import Scope
from accounts.models import SourceKind
from retrieval.passages import Chunk

BATCH = 2000


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


class VectorIndex:
    """Chunk vectors keyed by chunk id, with the scope fields as metadata."""

    def __init__(self, client: Any, collection: str) -> None:
        self.client = client
        self.name = collection
        self.collection = self._open()

    def _open(self) -> Any:
        return self.client.get_or_create_collection(
            self.name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def clear(self) -> None:
        """Drop every vector (a full re-index after the embedding model or chunking changed)."""
        if self.count():
            self.client.delete_collection(self.name)
            self.collection = self._open()

    def count(self) -> int:
        return int(self.collection.count())

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for start in range(0, len(chunks), BATCH):
            part = chunks[start : start + BATCH]
            self.collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[start : start + BATCH],
                metadatas=[c.chroma_metadata() for c in part],
            )

    def delete_records(self, record_keys: Iterable[str]) -> None:
        """Remove every chunk of the given records."""
        keys = sorted(set(record_keys))
        for start in range(0, len(keys), 500):
            self.collection.delete(where={"record_key": {"$in": keys[start : start + 500]}})

    def query(
        self, vector: np.ndarray, scope: Scope, n: int, sources: frozenset[SourceKind] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the `n` nearest chunks the scope allows (of the wanted sources)."""
        if n <= 0:
            return []
        clauses = [c for c in (scope.chroma_where(), source_filter(sources)) if c]
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        result = self.collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        ids = result["ids"][0]
        distances = result["distances"][0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]

    def all_metadata(self) -> dict[str, dict[str, Any]]:
        """Every chunk's metadata (for audits and tests)."""
        found = self.collection.get(include=["metadatas"])
        return dict(zip(found["ids"], found["metadatas"], strict=True))
