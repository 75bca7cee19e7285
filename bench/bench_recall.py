"""Retrieval quality on the labelled demo questions: recall@1/3/5 for hybrid, dense-only and BM25-only.

    python bench/bench_recall.py [--data-dir bench/out/recall]   (ingests the demo workspace if needed)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from integrations.settings import Settings
from integrations.wiring import Services
from retrieval.evaluation import load_questions, recall_at_k
from retrieval.hybrid import SearchMode

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("bench/out/recall"))
    args = parser.parse_args()
    svc = Services(Settings(data_dir=args.data_dir))
    svc.ingestor().ingest(REPO / "examples" / "demo-workspace")
    questions = load_questions(REPO / "tests" / "evals" / "retrieval_questions.yaml")
    print(f"{len(questions)} labelled questions")
    print("| mode | rerank | recall@1 | recall@3 | recall@5 |\n|---|---|---|---|---|")
    for mode in SearchMode:
        for rerank in (False, True):
            cells = [f"{recall_at_k(svc.retriever, questions, mode, k, rerank)[0]:.3f}" for k in (1, 3, 5)]
            print(f"| {mode.value} | {'sentence MiniLM' if rerank else 'none'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
