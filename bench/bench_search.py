"""Search latency at scale: p50/p95 of warm hybrid searches over ~100k chunks.

    python bench/bench_search.py [--chunks 100000] [--queries 200] [--out bench/out/search]

Chunks are real texts (from a generated workspace, chunked as ingest does) but their vectors come
from the cheap HashingEmbedder: embedding 100k texts with MiniLM would take ~20 minutes per run and
says nothing about search latency. Queries are embedded with the real MiniLM model, as in production,
and that time is part of every measured search. Both a CSM (no filter) and a customer scope are timed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounts.access import Scope
from accounts.workspace import read_workspace
from bench.bench_answer import percentile
from bench.generate_workspace import Options, generate, prepare_out
from retrieval.embeddings import HashingEmbedder, MiniLMEmbedder
from retrieval.hybrid import HybridRetriever
from retrieval.ingest import ChunkingConfig, chunk_record
from retrieval.keyword_index import KeywordIndex
from retrieval.passages import Chunk
from retrieval.record_text import describe_record
from retrieval.tokens import TokenCounter
from retrieval.vector_index import VectorIndex, connect_chroma

QUERIES = [
    "technicians' phones show a sync conflict", "how do we set up Okta single sign-on",
    "invoice totals wrong after tax update", "route optimization ignores time windows",
    "did we promise a Power BI export", "executive escalation about lost work orders",
    "customer asked about adding seats", "QuickBooks sync failing", "renewal discussion budget",
    "dispatch board slow to load", "webhook retries", "training for new dispatchers",
]


def build_chunks(target: int, workspace: Path) -> list[Chunk]:
    """Real chunks of a generated workspace big enough to give `target` chunks."""
    accounts = max(50, target // 45)
    prepare_out(workspace, overwrite=True)
    generate(Options(accounts=accounts, out=workspace, seed=7))
    book = read_workspace(workspace)
    counter, config = TokenCounter(), ChunkingConfig()
    chunks: list[Chunk] = []
    for kind, record in book.iter_records():
        text = describe_record(kind, record, book)
        if text is not None:
            chunks.extend(chunk_record(text, config, counter))
    return chunks[:target]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("bench/out/search"))
    args = parser.parse_args()

    started = time.perf_counter()
    chunks = build_chunks(args.chunks, args.out / "workspace")
    print(f"{len(chunks)} chunks built in {time.perf_counter() - started:.0f} s")
    hashing = HashingEmbedder()
    vectors = VectorIndex(connect_chroma(path=args.out / "chroma"), "bench")
    vectors.clear()
    started = time.perf_counter()
    for start in range(0, len(chunks), 5000):
        part = chunks[start : start + 5000]
        vectors.upsert(part, hashing.embed_documents([c.text for c in part]))
    print(f"chroma: {vectors.count()} vectors added in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    keywords = KeywordIndex.build(chunks)
    print(f"bm25: built in {time.perf_counter() - started:.1f} s")

    retriever = HybridRetriever(vectors, keywords, MiniLMEmbedder())
    customer_ids = sorted({c.account_id for c in chunks if c.account_id})
    rng = random.Random(1)
    for q in QUERIES:  # warm-up: model session, Chroma segments, BM25 arrays
        retriever.search(q, Scope.for_audience("csm"), 10)
    for label in ("csm", "customer"):
        timings = []
        for i in range(args.queries):
            scope = Scope.for_audience("customer", rng.choice(customer_ids)) if label == "customer" else \
                Scope.for_audience("csm")
            t0 = time.perf_counter()
            retriever.search(QUERIES[i % len(QUERIES)], scope, 10)
            timings.append((time.perf_counter() - t0) * 1000)
        print(f"{label}: {len(chunks)} chunks, {args.queries} searches: p50 {statistics.median(timings):.1f} ms, "
              f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms")


if __name__ == "__main__":
    main()
