"""`advocate ingest`: read a workspace, work out what changed, and bring store and indexes up to date.

Order matters for safety: the whole workspace is validated first (bad input changes nothing);
only records whose content hash changed are chunked and embedded; the SQL store is written in one
transaction after the vectors, so an interrupted run leaves hashes that make the next run redo it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from accounts.book import AccountBook
from accounts.live_records import carried_records
from accounts.models import Record, SourceKind
from accounts.store import AccountStore, BookChanges, RecordKey, content_hash
from accounts.workspace import read_workspace
from retrieval.chunking import chunk_text
from retrieval.embeddings import Embedder
from retrieval.keyword_index import KeywordIndex
from retrieval.passages import Chunk, record_key
from retrieval.record_text import IndexableText, describe_record
from retrieval.tokens import TokenCounter
from retrieval.vector_index import VectorIndex

ProgressCallback = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed)
EMBED_STEP = 256
MIN_BODY_TOKENS = 64


@dataclass(frozen=True)
class ChunkingConfig:
    max_tokens: int = 180
    overlap_tokens: int = 30


@dataclass
class IngestSummary:
    """Record counts of one ingest (a record is a row, a JSONL object, a plan or a doc)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    by_source: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"ingested: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged; {self.chunks_embedded} chunks embedded, "
            f"{self.chunks_total} in the index ({self.seconds:.1f} s)"
        )


def key_of(kind: SourceKind, record: Record) -> RecordKey:
    return kind, str(record.record_id)  # type: ignore[attr-defined]


def chunk_record(text: IndexableText, config: ChunkingConfig, counter: TokenCounter) -> list[Chunk]:
    """The record's chunks, each prefixed with its context line so both retrievers see whose it is."""
    context_tokens = counter.count(text.context) + 1  # the context line rides on every chunk: budget for it
    body_tokens = max(MIN_BODY_TOKENS, config.max_tokens - context_tokens)
    overlap = min(config.overlap_tokens, body_tokens // 3)
    pieces = chunk_text(text.body, max_tokens=body_tokens, overlap_tokens=overlap, counter=counter) \
        if text.body.strip() else []
    bodies = [p.text for p in pieces] or [""]
    key = record_key(text.source, text.record_id)
    return [
        Chunk(
            chunk_id=f"{key}#{i}", record_id=text.record_id, source=text.source, account_id=text.account_id,
            visibility=text.visibility, date=text.date, path=text.path, title=text.title,
            text=f"{text.context}\n{body}".strip(), index=i,
        )
        for i, body in enumerate(bodies)
    ]


class Ingestor:
    """Brings the SQL store, Chroma and the keyword index in line with a workspace folder."""

    def __init__(
        self,
        store: AccountStore,
        vectors: VectorIndex,
        keyword_path: Path,
        embedder: Embedder,
        *,
        chunking: ChunkingConfig | None = None,
        max_doc_bytes: int = 5 * 1024 * 1024,
    ) -> None:
        self.store = store
        self.vectors = vectors
        self.keyword_path = keyword_path
        self.embedder = embedder
        self.chunking = chunking or ChunkingConfig()
        self.max_doc_bytes = max_doc_bytes
        self.counter = TokenCounter()

    def index_settings(self) -> str:
        """What the stored chunks were made with; a change means every text is re-chunked and re-embedded."""
        return f"{self.embedder.model_name}|{self.chunking.max_tokens}|{self.chunking.overlap_tokens}"

    def needs_rebuild(self) -> bool:
        """Whether every text must be re-indexed: new model or chunking, or indexes out of step with the store."""
        if self.store.meta("index_settings") != self.index_settings():
            return True
        expected = int(self.store.meta("chunk_count") or 0)
        keyword_file_missing = expected > 0 and not (self.keyword_path / "chunks.jsonl").exists()
        return self.vectors.count() != expected or keyword_file_missing

    def ingest(self, workspace: str | Path, progress: ProgressCallback | None = None) -> IngestSummary:
        started = datetime.now(UTC)
        book = read_workspace(workspace, max_doc_bytes=self.max_doc_bytes)  # raises before any write
        current = {key_of(kind, record): record for kind, record in book.iter_records()}
        current.update(carried_records(self.store.engine, book))  # Advocate's own records survive an ingest
        stored = self.store.hashes()
        rebuild = self.needs_rebuild()
        summary = IngestSummary()
        changes = BookChanges()
        for key, record in current.items():
            digest = stored.get(key)
            if digest is None:
                summary.added += 1
            elif digest != content_hash(record):
                summary.updated += 1
            else:
                summary.unchanged += 1
                continue
            changes.upserts[key] = record
        changes.deletes = set(stored) - set(current)
        summary.removed = len(changes.deletes)
        to_index = current if rebuild else changes.upserts
        stale = {record_key(*key) for key in (set(changes.upserts) | changes.deletes)}
        chunk_count = int(self.store.meta("chunk_count") or 0)
        if rebuild or stale:
            new_chunks = self._chunks_of(book, to_index)
            self._embed_and_store(new_chunks, stale, rebuild, progress)
            previous = [] if rebuild else KeywordIndex.load(self.keyword_path).chunks
            kept = [c for c in previous if c.record_key not in stale]
            keywords = KeywordIndex.build(kept + new_chunks)
            keywords.save(self.keyword_path)
            summary.chunks_embedded = len(new_chunks)
            chunk_count = len(keywords)
        self.store.apply(changes, {
            "index_settings": self.index_settings(), "chunk_count": str(chunk_count),
            "workspace": str(Path(workspace).resolve()), "ingested_at": started.isoformat(),
        })
        summary.chunks_total = chunk_count
        summary.seconds = (datetime.now(UTC) - started).total_seconds()
        return summary

    def _chunks_of(self, book: AccountBook, records: dict[RecordKey, Record]) -> list[Chunk]:
        chunks: list[Chunk] = []
        for (kind, _), record in sorted(records.items(), key=lambda item: item[0]):
            text = describe_record(kind, record, book)
            if text is not None:
                chunks.extend(chunk_record(text, self.chunking, self.counter))
        return chunks

    def _embed_and_store(
        self, chunks: list[Chunk], stale: set[str], rebuild: bool, progress: ProgressCallback | None
    ) -> None:
        """Embed in steps (so progress can be shown) and write vectors; drop the old chunks first.

        Chunks are sorted by length first, so each step's batches pad as little as one big call would.
        Chroma writes (~0.6 ms a vector) run in a background thread while the next step is embedded,
        so ingest costs little more than the embedding itself; at most one write is in flight.
        """
        chunks = sorted(chunks, key=lambda c: len(c.text))
        if rebuild:
            self.vectors.clear()
        else:
            self.vectors.delete_records(stale)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-write") as writer:
            pending: Future[None] | None = None
            for start in range(0, len(chunks), EMBED_STEP):
                part = chunks[start : start + EMBED_STEP]
                vectors = self.embedder.embed_documents([c.text for c in part])
                if pending is not None:
                    pending.result()  # re-raises a failed write here, before anything is committed
                pending = writer.submit(self.vectors.upsert, part, vectors)
                if progress:
                    progress(start + len(part), len(chunks))
            if pending is not None:
                pending.result()
