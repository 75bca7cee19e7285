"""`advocate ingest`: read a workspace and commit a new index generation with its records.

Order matters for safety: the whole workspace is validated first (bad input changes nothing); one
ingest runs at a time (retrieval/ingest_lock.py); the new generation's Chroma collections and
keyword folder are written beside the committed ones, and the SQL transaction that writes the
records also names the new generation, which is the commit. Until then readers use the previous
generation untouched; a failed or killed ingest leaves only uncommitted leftovers, dropped by the
next ingest. The index is a function of the workspace alone, never of earlier ingests: every
record's text is described afresh; only chunking (per record, when its text is unchanged) and
embedding (per chunk, when its text is unchanged) are reused from the committed generation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from accounts.book import AccountBook
from accounts.errors import AdvocateError
from accounts.live_records import with_live_records
from accounts.models import Record, SourceKind
from accounts.store import LEGACY_GENERATION, AccountStore, BookChanges, Generation, RecordKey, content_hash
from accounts.workspace import read_workspace
from retrieval.embeddings import Embedder
from retrieval.generations import drop_generations, keyword_folder, new_generation_id
from retrieval.ingest_lock import ingest_lock
from retrieval.ingest_plan import CHUNKER_VERSION, ChunkingConfig, Plan, chunk_record, plan_chunks, steps
from retrieval.keyword_index import CHUNKS_FILE, KeywordIndex
from retrieval.passages import Chunk
from retrieval.tokens import TokenCounter
from retrieval.vector_index import VectorIndex

ProgressCallback = Callable[[int, int], None]  # (chunks embedded so far, chunks to embed)
TEXTS_FILE = "record_texts.json"  # record key -> digest of the text its chunks were made from


__all__ = ["ChunkingConfig", "IngestSummary", "Ingestor", "WorkspaceMismatch", "chunk_record"]


class WorkspaceMismatch(AdvocateError):
    """The data dir holds another workspace; replacing it must be asked for."""


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
    generation: str | None = None
    replaced_workspace: str | None = None

    def line(self) -> str:
        return (
            f"ingested: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged; {self.chunks_embedded} chunks embedded, "
            f"{self.chunks_total} in the index ({self.seconds:.1f} s)"
        ) + (f"; replaced the data of workspace {self.replaced_workspace}" if self.replaced_workspace else "")


def key_of(kind: SourceKind, record: Record) -> RecordKey:
    return kind, str(record.record_id)  # type: ignore[attr-defined]


class Ingestor:
    """Brings the SQL store, Chroma and the keyword index in line with a workspace folder."""

    def __init__(
        self,
        store: AccountStore,
        client: Any,
        collection: str,
        keyword_root: Path,
        embedder: Embedder,
        *,
        lock_dir: Path,
        chunking: ChunkingConfig | None = None,
        max_doc_bytes: int = 5 * 1024 * 1024,
        lock_wait_s: float = 10.0,
    ) -> None:
        self.store = store
        self.client = client
        self.collection = collection
        self.keyword_root = keyword_root
        self.embedder = embedder
        self.lock_dir = lock_dir
        self.chunking = chunking or ChunkingConfig()
        self.max_doc_bytes = max_doc_bytes
        self.lock_wait_s = lock_wait_s
        self.counter = TokenCounter()

    def index_settings(self) -> str:
        """What the stored chunks were made with; a change means every text is re-chunked and re-embedded."""
        c = self.chunking
        return f"{self.embedder.model_name}|{c.max_tokens}|{c.overlap_tokens}|chunker-{CHUNKER_VERSION}"

    def vectors(self, generation: str, *, create: bool = False) -> VectorIndex:
        return VectorIndex(self.client, self.collection, generation=generation, create=create)

    def ingest(
        self, workspace: str | Path, progress: ProgressCallback | None = None, *, replace: bool = False
    ) -> IngestSummary:
        """Validate, then (holding the ingest lock) build and commit a new generation if anything changed.

        `replace` allows a different workspace than the one stored to replace its data.
        """
        started = datetime.now(UTC)
        book = read_workspace(workspace, max_doc_bytes=self.max_doc_bytes)  # raises before any write
        book = with_live_records(self.store.engine, book)  # Advocate's own records survive an ingest
        path = str(Path(workspace).resolve())
        with ingest_lock(self.lock_dir, self.store.engine, self.lock_wait_s):
            summary = self._ingest_locked(book, path, progress, replace)
        summary.seconds = (datetime.now(UTC) - started).total_seconds()
        return summary

    def _ingest_locked(
        self, book: AccountBook, path: str, progress: ProgressCallback | None, replace: bool
    ) -> IngestSummary:
        committed = self.store.generation()
        index = self.store.index_of(committed)
        previous_index = self.store.meta("previous_index")
        stored_path = self.store.meta("workspace")
        summary = IngestSummary()
        if stored_path is not None and stored_path != path:
            if not replace:
                raise WorkspaceMismatch(
                    f"this data dir holds workspace {stored_path}; ingesting {path} would replace all of its "
                    "data: pass --replace to do so, or use another --data-dir")
            summary.replaced_workspace = stored_path
        # what a crashed ingest left behind (never the committed index, nor the one before it)
        drop_generations(self.client, self.collection, self.keyword_root, keep=[index, previous_index])
        changes = self._diff(book, summary)
        plan = self._plan(book, index)
        summary.chunks_total = len(plan.chunks)
        meta = {"workspace": path, "ingested_at": datetime.now(UTC).isoformat()}
        if index not in (None, LEGACY_GENERATION) and not plan.to_embed and self._serves(index, plan):
            new_index = index  # the committed index already is this workspace's index: keep it
        else:
            new_index = new_generation_id()
            self._build_index(new_index, index, previous_index, plan, progress)
            summary.chunks_embedded = len(plan.to_embed)
        if new_index == index and not changes.upserts and not changes.deletes and summary.replaced_workspace is None:
            self.store.apply(changes, meta)  # nothing changed: no new generation
            summary.generation = committed
            return summary
        meta.update(previous_index=index or "", index_settings=self.index_settings(), chunk_count=str(len(plan.chunks)))
        generation = Generation(new_generation_id(), path, self.index_settings(), len(plan.chunks), new_index)
        self.store.apply(changes, meta, generation)  # the commit
        # the index before stays for readers still holding it; older ones go
        drop_generations(self.client, self.collection, self.keyword_root, keep=[new_index, index])
        summary.generation = generation.generation_id
        return summary

    def _build_index(
        self, new_index: str, index: str | None, previous_index: str | None, plan: Plan,
        progress: ProgressCallback | None,
    ) -> None:
        """Write the new index's vectors and keyword folder; on any failure drop it again."""
        try:
            self._write_vectors(new_index, index, plan, progress)
            folder = keyword_folder(self.keyword_root, new_index)
            KeywordIndex.build(plan.chunks).save(folder)
            _write_synced(folder / TEXTS_FILE, json.dumps(plan.texts, sort_keys=True))
        except BaseException:
            drop_generations(self.client, self.collection, self.keyword_root, keep=[index, previous_index])
            raise

    def _diff(self, book: AccountBook, summary: IngestSummary) -> BookChanges:
        """Record-level changes for the SQL store (and the summary's counts)."""
        current = {key_of(kind, record): record for kind, record in book.iter_records()}
        stored = self.store.hashes()
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
        return changes

    def _plan(self, book: AccountBook, index: str | None) -> Plan:
        old_chunks, old_texts = self._committed_chunks(index)
        return plan_chunks(book, old_chunks, old_texts, self.chunking, self.counter)

    def _committed_chunks(self, index: str | None) -> tuple[list[Chunk], dict[str, str]]:
        """The committed index's chunks and record digests, when made with today's settings."""
        settings = self.index_settings()
        legacy = settings.removesuffix("|chunker-1")  # before the chunker was versioned: the same chunks
        if index is None or self.store.meta("index_settings") not in (settings, legacy):
            return [], {}
        folder = keyword_folder(self.keyword_root, index)
        if not (folder / CHUNKS_FILE).exists():
            return [], {}
        chunks = KeywordIndex.load_chunks(folder)
        texts_file = folder / TEXTS_FILE
        texts = json.loads(texts_file.read_text(encoding="utf-8")) if texts_file.exists() else {}
        return chunks, texts

    def _serves(self, index: str, plan: Plan) -> bool:
        """Whether the committed index holds exactly the planned chunks, vectors included."""
        try:
            vectors = self.vectors(index).count()
        except AdvocateError:
            return False
        return plan.committed_ids == [c.chunk_id for c in plan.chunks] and vectors == len(plan.chunks)

    def _write_vectors(
        self, generation: str, committed: str | None, plan: Plan, progress: ProgressCallback | None
    ) -> None:
        """Fill the new generation's collections in chunk-id order (so the index never depends on history).

        Vectors of unchanged chunks are copied from the committed generation; the others are embedded.
        Chroma writes (~0.6 ms a vector) run in a background thread while the next step is embedded;
        at most one write is in flight, and a failed write re-raises here, before anything is committed.
        """
        target = self.vectors(generation, create=True)
        source = self._readable(committed)
        total, done = len(plan.to_embed), 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-write") as writer:
            pending: Future[None] | None = None
            for step in steps(plan):
                fresh = [c for c in step if c.chunk_id in plan.to_embed]
                copied = source.vectors_of([c.chunk_id for c in step if c.chunk_id not in plan.to_embed]) \
                    if source is not None else {}
                missing = [c for c in step if c.chunk_id not in plan.to_embed and c.chunk_id not in copied]
                fresh += missing  # a vector the committed generation lacks is embedded, never skipped
                embedded = dict(zip([c.chunk_id for c in fresh],
                                    self.embedder.embed_documents([c.text for c in fresh]), strict=True)) \
                    if fresh else {}
                matrix = np.stack([embedded[c.chunk_id] if c.chunk_id in embedded else copied[c.chunk_id]
                                   for c in step])
                if pending is not None:
                    pending.result()
                pending = writer.submit(target.upsert, step, matrix)
                done += len(fresh) - len(missing)
                if progress and total:
                    progress(done, total)
            if pending is not None:
                pending.result()

    def _readable(self, generation: str | None) -> VectorIndex | None:
        if generation is None:
            return None
        try:
            return self.vectors(generation)
        except AdvocateError:  # its collections are gone: everything is embedded afresh
            return None


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
