"""The lexical index: BM25 (bm25s) over every chunk, with the chunk table kept beside it.

Scope is applied as a weight mask over the whole corpus before the top-k is taken, so a customer's
query ranks only the chunks that customer may read (no post-filter over a short list).
Each ingest generation writes its index once, into a folder of its own, before it is committed;
nothing rewrites or renames a committed index, so a reader can never find it half there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from accounts.access import Scope
from accounts.models import SourceKind, Visibility
from retrieval.passages import Chunk
from retrieval.spelling import with_variants

VISIBILITY_CODES = {Visibility.PUBLIC: 0, Visibility.CUSTOMER: 1, Visibility.INTERNAL: 2}
CHUNKS_FILE = "chunks.jsonl"


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed word lists (the same for the corpus and for queries)."""
    import bm25s

    if not texts:
        return []
    tokens = bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)
    return [list(t) for t in tokens]  # type: ignore[union-attr]


class KeywordIndex:
    """BM25 over chunks plus per-chunk scope codes for masking."""

    def __init__(self, chunks: Sequence[Chunk], retriever: Any) -> None:
        self.chunks = list(chunks)
        self.by_id = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.retriever = retriever
        accounts = sorted({c.account_id for c in self.chunks if c.account_id})
        self.account_codes = {a: i for i, a in enumerate(accounts)}
        self.chunk_accounts = np.array([self.account_codes.get(c.account_id or "", -1) for c in self.chunks], np.int32)
        self.chunk_visibility = np.array([VISIBILITY_CODES[c.visibility] for c in self.chunks], np.int8)
        self.source_codes = {s: i for i, s in enumerate(SourceKind)}
        self.chunk_sources = np.array([self.source_codes[c.source] for c in self.chunks], np.int8)
        self.by_record: dict[str, list[Chunk]] = {}
        for c in self.chunks:
            self.by_record.setdefault(c.record_key, []).append(c)
        for record in self.by_record.values():
            record.sort(key=lambda c: c.index)

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25()
        if chunks:
            retriever.index(tokenize([c.text for c in chunks]), show_progress=False)
        return cls(chunks, retriever if chunks else None)

    def __len__(self) -> int:
        return len(self.chunks)

    def chunk(self, chunk_id: str) -> Chunk | None:
        position = self.by_id.get(chunk_id)
        return None if position is None else self.chunks[position]

    def record_chunks(self, record_key: str) -> list[Chunk]:
        """Every chunk of one record, in the record's own order."""
        return self.by_record.get(record_key, [])

    def scope_mask(self, scope: Scope, sources: frozenset[SourceKind] | None = None) -> np.ndarray | None:
        """1.0 where the scope may read the chunk (and it is of a wanted source), else 0.0; None: all."""
        wanted = None if sources is None else np.isin(self.chunk_sources, [self.source_codes[s] for s in sources])
        if scope.unrestricted:
            return None if wanted is None else wanted.astype(np.float32)
        allowed_vis = np.isin(self.chunk_visibility, [VISIBILITY_CODES[v] for v in scope.visibilities])
        if scope.account_ids is not None:
            codes = [self.account_codes[a] for a in scope.account_ids if a in self.account_codes]
            allowed_vis &= np.isin(self.chunk_accounts, codes)
        allowed = allowed_vis | (self.chunk_visibility == VISIBILITY_CODES[Visibility.PUBLIC])
        return (allowed if wanted is None else allowed & wanted).astype(np.float32)

    def query(
        self, text: str, scope: Scope, n: int, sources: frozenset[SourceKind] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the `n` best-scoring chunks the scope allows; zero scores dropped."""
        if self.retriever is None or n <= 0:
            return []
        tokens = tokenize([with_variants(text)])[0]  # "licences" also finds "licenses"
        if not tokens:
            return []
        ids = self.retriever.get_tokens_ids(tokens)
        if not ids:
            return []
        scores = self.retriever.get_scores_from_ids(ids, weight_mask=self.scope_mask(scope, sources))
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunks[i].chunk_id, float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        """Write into a new folder (it must not exist yet) and flush it to disk before anyone commits it."""
        folder.mkdir(parents=True, exist_ok=False)
        with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as out:
            for chunk in self.chunks:
                out.write(chunk.model_dump_json() + "\n")
        if self.retriever is not None:
            self.retriever.save(str(folder / "bm25"), show_progress=False)
        for path in [folder / CHUNKS_FILE, *sorted((folder / "bm25").glob("*"))]:
            with path.open("rb") as written:
                os.fsync(written.fileno())

    @staticmethod
    def load_chunks(folder: Path) -> list[Chunk]:
        """The chunk table alone (no BM25 matrices): what an ingest compares its new chunks with."""
        with (folder / CHUNKS_FILE).open(encoding="utf-8") as lines:
            return [Chunk.model_validate(json.loads(line)) for line in lines]

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        if not (folder / CHUNKS_FILE).exists():
            return cls([], None)
        chunks = cls.load_chunks(folder)
        retriever = bm25s.BM25.load(str(folder / "bm25")) if (folder / "bm25").exists() else None
        return cls(chunks, retriever)
