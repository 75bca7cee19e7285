"""Offline answer latency on the demo workspace: p50/p95 of warm `assistant.answer` calls.

    python bench/bench_answer.py [--data-dir bench/out/answer] [--rounds 5] [--write-docs]

Ingests examples/demo-workspace once (real MiniLM embedder, SQLite, embedded Chroma), then asks every
question of tests/evals/answer_questions.yaml `--rounds` times, as of 2026-11-16, through the same
path the CLI takes (Services as ports, conversation memory in the store). The first round warms the
model session, the indexes and the judgement config and is not timed. Target: p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounts.access import Audience
from assistant.answer import answer
from assistant.principal import Principal
from integrations.settings import Settings
from integrations.wiring import Services

REPO = Path(__file__).resolve().parent.parent
WORKSPACE = REPO / "examples" / "demo-workspace"
QUESTIONS = REPO / "tests" / "evals" / "answer_questions.yaml"
DOCS = REPO / "docs" / "benchmarks.md"
AS_OF = dt.date(2026, 11, 16)
TARGET_P95_MS = 300.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def write_docs(section: str, heading: str = "## Answers") -> None:
    """Replace (or append) the `heading` section of docs/benchmarks.md, leaving the others alone."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    start = text.find("\n" + heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + section + (text[end:] if end != -1 else "")
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=REPO / "bench" / "out" / "answer")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    svc = Services(Settings(data_dir=args.data_dir))
    if svc.store.meta("ingested_at") is None:
        print(svc.ingestor().ingest(WORKSPACE).line())
    cases = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["cases"]
    timings: dict[str, list[float]] = {a.value: [] for a in Audience}
    for round_ in range(args.rounds + 1):
        for case in cases:
            principal = Principal(Audience(case["audience"]), case.get("account"), user="bench")
            t0 = time.perf_counter()
            answer(case["question"], principal, ports=svc, as_of=AS_OF)
            if round_:  # round 0 warms up
                timings[case["audience"]].append((time.perf_counter() - t0) * 1000)
    every = [t for ts in timings.values() for t in ts]
    rows = [("all", every), *timings.items()]
    table = ["| questions | answers | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|"]
    for label, values in rows:
        table.append(f"| {label} | {len(values)} | {statistics.median(values):.0f} | "
                     f"{percentile(values, 0.95):.0f} | {max(values):.0f} |")
    p95 = percentile(every, 0.95)
    verdict = "meets" if p95 <= TARGET_P95_MS else "misses"
    section = "\n".join([
        "## Answers",
        "",
        f"`python bench/bench_answer.py --write-docs` ({platform.machine()}, {dt.date.today()}). Offline engine,",
        f"demo workspace, as of {AS_OF}: the {len(cases)} questions of `tests/evals/answer_questions.yaml`, "
        f"{args.rounds} warm rounds",
        "(after one untimed warm-up round), through `assistant.answer` with the real Services: MiniLM query",
        "embedding, Chroma + BM25 hybrid search, judgements, SQLite conversation memory.",
        "",
        *table,
        "",
        f"p95 {p95:.0f} ms {verdict} the {TARGET_P95_MS:.0f} ms target.",
        "",
    ])
    print(section)
    if args.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
