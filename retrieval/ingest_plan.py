"""What a new index generation holds: every chunk of the workspace, and which need a fresh vector.

A pure function of the workspace and of the committed index it may reuse from: a record's chunks
are reused when the text they were made from (context line included) is unchanged, a chunk's
vector when its text is unchanged. So the result never depends on the history of ingests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from accounts.book import AccountBook
from retrieval.chunking import chunk_text
from retrieval.passages import Chunk, record_key
from retrieval.record_text import IndexableText, describe_record
from retrieval.tokens import TokenCounter

MIN_BODY_TOKENS = 64
CHUNKER_VERSION = 1  # bump when chunking changes its output: every text is then re-chunked and re-embedded
STEP = 256  # chunks per write step, by position in id order (never by history: see steps)


@dataclass(frozen=True)
class ChunkingConfig:
    max_tokens: int = 180
    overlap_tokens: int = 30


@dataclass
class Plan:
    """The new generation's content: every chunk in id order, and which of them need a fresh vector."""

    chunks: list[Chunk]
    texts: dict[str, str]  # record key -> digest of the text its chunks were made from
    to_embed: set[str]
    committed_ids: list[str]  # the chunk ids of the committed index, in its order


def text_digest(text: IndexableText) -> str:
    """What a record's chunks are a function of (with the index settings): equal digests, equal chunks."""
    return hashlib.sha256(repr(text).encode()).hexdigest()


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


def plan_chunks(
    book: AccountBook, old_chunks: Sequence[Chunk], old_texts: dict[str, str], config: ChunkingConfig,
    counter: TokenCounter,
) -> Plan:
    """Every chunk of the workspace in id order, reusing the committed index's where the text is the same."""
    by_record: dict[str, list[Chunk]] = {}
    for chunk in old_chunks:
        by_record.setdefault(chunk.record_key, []).append(chunk)
    chunks: list[Chunk] = []
    texts: dict[str, str] = {}
    for kind, record in book.iter_records():
        text = describe_record(kind, record, book)
        if text is None:
            continue
        key = record_key(text.source, text.record_id)
        texts[key] = text_digest(text)
        reused = by_record.get(key) if old_texts.get(key) == texts[key] else None
        chunks.extend(reused or chunk_record(text, config, counter))
    chunks.sort(key=lambda c: c.chunk_id)
    old_text_of = {c.chunk_id: c.text for c in old_chunks}
    to_embed = {c.chunk_id for c in chunks if old_text_of.get(c.chunk_id) != c.text}
    return Plan(chunks, texts, to_embed, [c.chunk_id for c in old_chunks])


def steps(plan: Plan) -> Iterator[list[Chunk]]:
    """Fixed windows of the id-ordered chunks. Chroma's HNSW graph depends on the order and batching of
    writes, so both depend only on the chunks, never on which of them happened to be embedded afresh."""
    for start in range(0, len(plan.chunks), STEP):
        yield plan.chunks[start : start + STEP]
