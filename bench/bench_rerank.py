"""What the reranking stage costs an answer: the same questions with and without it, interleaved.

    python bench/bench_rerank.py [--out bench/out/answer-scale] [--rounds 3]

Runs on the data dir `bench_answer_scale.py` builds (~100k chunks; it ingests one if missing). Each
question is answered twice per round, with the reranker and without, in alternating order, so both
see the same machine load (a shared machine's load swings by several times within minutes). Wall and
CPU time are both reported: CPU time is what the stage costs, wall time what a user waits. The cold
cost (the reranker's vector cache empty, as for a question about records nobody asked about yet) is
measured once per question before the warm rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer import answer
from assistant.principal import Principal
from bench.bench_answer import percentile
from bench.bench_answer_scale import AS_OF, questions, scale_services
from integrations.wiring import Services
from retrieval.rerank import SentenceReranker


def timed(svc: Services, principal: Principal, question: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one answer."""
    wall, cpu = time.perf_counter(), time.process_time()
    answer(question, principal, ports=svc, as_of=AS_OF)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def row(label: str, values: list[float]) -> str:
    return f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/answer-scale"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=2300)
    args = parser.parse_args()
    workspace, svc = scale_services(args.out, args.accounts)
    asked = questions(workspace, 20)
    retriever = svc.retriever
    reranker = retriever.reranker or SentenceReranker(svc.embedder)
    for principal, question in asked:  # warm the model, indexes and book without the reranker
        retriever.reranker = None
        answer(question, principal, ports=svc, as_of=AS_OF)
    cold: list[float] = []
    for principal, question in asked:
        retriever.reranker = SentenceReranker(svc.embedder, candidates=reranker.candidates,
                                              units_per_passage=reranker.units_per_passage)
        cold.append(timed(svc, principal, question)[1])
    retriever.reranker = warm_reranker = SentenceReranker(svc.embedder, candidates=reranker.candidates,
                                                          units_per_passage=reranker.units_per_passage)
    for principal, question in asked:
        answer(question, principal, ports=svc, as_of=AS_OF)  # fills the warm reranker's cache
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for round_ in range(args.rounds):
        for i, (principal, question) in enumerate(asked):
            for on in ((True, False) if (i + round_) % 2 else (False, True)):
                retriever.reranker = warm_reranker if on else None
                w, c = timed(svc, principal, question)
                wall[on].append(w)
                cpu[on].append(c)
    print(f"{svc.vectors.count()} chunks; {len(asked)} questions x {args.rounds} rounds, interleaved")
    print("| answers | n | p50 ms | p95 ms |\n|---|---|---|---|")
    for on in (False, True):
        label = "with reranker" if on else "without reranker"
        print(row(f"{label}, wall", wall[on]))
        print(row(f"{label}, CPU", cpu[on]))
    print(row("with reranker, cold cache, CPU", cold))


if __name__ == "__main__":
    main()
