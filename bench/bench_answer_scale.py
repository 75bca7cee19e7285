"""Offline answer latency at scale: p50/p95 of warm `assistant.answer` calls over ~100k chunks.

    python bench/bench_answer_scale.py [--accounts 2300] [--rounds 3] [--out bench/out/answer-scale]

A generated workspace is ingested for real (SQL store, Chroma, BM25, the whole pipeline) except that
chunk vectors come from the cheap HashingEmbedder: embedding ~100k chunks with MiniLM takes half an
hour and says nothing about answer latency. Questions are then answered through the same path as the
CLI, with MiniLM embedding every query. Target (issue 4): p95 <= 500 ms at 100k chunks.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounts.access import Audience
from assistant.answer import answer
from assistant.principal import Principal
from bench.bench_answer import percentile
from bench.generate_workspace import Options, generate, prepare_out
from integrations.settings import Settings
from integrations.wiring import Services
from retrieval.embeddings import HashingEmbedder
from retrieval.ingest import ChunkingConfig, Ingestor

AS_OF = dt.date(2026, 11, 16)
CSM_QUESTIONS = ("How is {name} doing and what should I do next?", "Did we promise {name} anything?",
                 "What happened in {name}'s last meeting?", "Is {name} ready for a case study?")
CUSTOMER_QUESTIONS = ("How do I fix a sync conflict?", "Where are we on our success plan?",
                      "How do we set up single sign-on with Okta?")
MANAGER_QUESTIONS = ("Which renewals this quarter are at risk?", "Who is ready for an advocacy ask?")


def ingest_with_synthetic_vectors(workspace: Path, settings: Settings) -> str:
    svc = Services(settings)
    ingestor = Ingestor(svc.store, svc.chroma, settings.chroma_collection, settings.keyword_index_path,
                        HashingEmbedder(), lock_dir=settings.data_dir,
                        chunking=ChunkingConfig(settings.chunk_tokens, settings.chunk_overlap))
    return ingestor.ingest(workspace).line()


def questions(workspace: Path, n_accounts: int) -> list[tuple[Principal, str]]:
    with (workspace / "accounts.csv").open(encoding="utf-8") as rows:
        accounts = [(r["account_id"], r["name"]) for r in csv.DictReader(rows)][:n_accounts]
    asked: list[tuple[Principal, str]] = []
    for i, (account_id, name) in enumerate(accounts):
        csm_question = CSM_QUESTIONS[i % len(CSM_QUESTIONS)].format(name=name)
        asked.append((Principal(Audience.CSM, user="bench"), csm_question))
        customer_question = CUSTOMER_QUESTIONS[i % len(CUSTOMER_QUESTIONS)]
        asked.append((Principal(Audience.CUSTOMER, account_id, "bench"), customer_question))
    asked += [(Principal(Audience.MANAGER, user="bench"), q) for q in MANAGER_QUESTIONS]
    return asked


def scale_services(out: Path, accounts: int) -> tuple[Path, Services]:
    """The generated workspace under `out` and services over it, generated and ingested on first use."""
    workspace, settings = out / "workspace", Settings(data_dir=out / "data")
    if Services(settings).store.meta("ingested_at") is None:
        prepare_out(workspace, overwrite=True)
        generate(Options(accounts=accounts, out=workspace, seed=5))
        print(ingest_with_synthetic_vectors(workspace, settings))
    return workspace, Services(settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/out/answer-scale"))
    args = parser.parse_args()
    workspace, svc = scale_services(args.out, args.accounts)
    asked = questions(workspace, 20)
    started = time.perf_counter()
    svc.snapshot().warm()  # what `serve` does before it takes requests: book, indexes, every doc's sentences
    print(f"serve start-up (snapshot warm-up): {time.perf_counter() - started:.1f} s")
    timings: dict[str, list[float]] = {a.value: [] for a in Audience}
    first_round: list[float] = []
    for round_ in range(args.rounds + 1):
        for principal, question in asked:
            started = time.perf_counter()
            answer(question, principal, ports=svc, as_of=AS_OF)
            elapsed = (time.perf_counter() - started) * 1000
            if round_:  # round 0 warms the model session, the indexes, the book and the reranker's caches
                timings[principal.audience.value].append(elapsed)
            else:
                first_round.append(elapsed)
    print(f"untimed warm-up round (cold caches): p50 {statistics.median(first_round):.0f} ms, "
          f"p95 {percentile(first_round, 0.95):.0f} ms, max {max(first_round):.0f} ms")
    print(f"{svc.vectors.count()} chunks, {len(svc.store.account_ids())} accounts")
    print("| questions | answers | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    every = [t for ts in timings.values() for t in ts]
    for label, values in [("all", every), *timings.items()]:
        print(f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | "
              f"{max(values):.0f} |")


if __name__ == "__main__":
    main()
