"""What the learned intent scorer adds where its training data does not reach: cross-vendor folds.

    python bench/bench_intent_model.py [--write-docs]

The bundled tune data comes from two vendors: FieldLoop (the demo: examples/evals/demo.yaml's tune split
and the demo paraphrases) and Ledgerly (the practice workspace: practice.yaml's tune split and its
paraphrases). Each fold trains the learned scorer on the intent table's examples and one vendor's
phrasings, then routes the other vendor's vendor-staff questions with and without it (the table's
`learned_weight`): the first intent `choose_rows` keeps must be one the question's labels accept. The
examples were tuned on both vendors' questions, so "without" is flattering; held-out sets are never read.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.intent_model import Phrasing
from assistant.intents import (
    ExampleVectors,
    IntentTable,
    default_embedder,
    example_vectors,
    load_table,
    row_scores,
    train_learned,
)
from assistant.planner import choose_rows
from bench.bench_answer import write_docs
from integrations.evaluation.phrasings import EVALS, from_paraphrases, from_question_sets

SECTION = "## Learned intent scorer (cross-vendor folds)"
VENDORS = {"FieldLoop (demo)": ("demo.yaml", "demo"), "Ledgerly (practice)": ("practice.yaml", "practice")}


def phrasings(vendor: str) -> list[Phrasing]:
    questions, paraphrases = VENDORS[vendor]
    return [*from_question_sets([EVALS / questions]), *from_paraphrases(workspace=paraphrases)]


def routed(table: IntentTable, vectors: ExampleVectors, tests: list[Phrasing], weight: float) -> int:
    """How many test phrasings lead with an intent their labels accept."""
    embedder, right = default_embedder(), 0
    weighted = replace(table, learned_weight=weight)
    for phrasing, vector in zip(tests, embedder.embed_documents([p.text for p in tests]), strict=True):
        rows = choose_rows(row_scores(phrasing.text, vector, vectors, weighted, False), weighted)
        right += (rows[0].answer_as if rows else "open") in phrasing.intents
    return right


def fold(train: str, test: str) -> tuple[int, int, int]:
    table, embedder = load_table(), default_embedder()
    shipped = example_vectors(table, embedder)
    model = train_learned(table, embedder, shipped.matrix, tuple(phrasings(train)))
    fold_vectors = ExampleVectors(shipped.digest, shipped.names, shipped.matrix, model)
    tests = phrasings(test)
    return len(tests), routed(table, fold_vectors, tests, 0.0), routed(table, fold_vectors, tests,
                                                                       table.learned_weight)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    weight = load_table().learned_weight
    lines = [SECTION, "", f"`python bench/bench_intent_model.py` (learned_weight {weight}). Trained on the intent "
             "table's examples and one vendor's labelled tune phrasings; routed: the other vendor's vendor-staff "
             "questions (the first intent kept must be a right one).", "",
             "| trained on | tested on | questions | examples and cues | with the learned scorer |",
             "|---|---|---|---|---|"]
    for train, test in (tuple(VENDORS), tuple(reversed(VENDORS))):
        n, without, with_ = fold(train, test)
        lines.append(f"| {train} | {test} | {n} | {without} ({without / n:.0%}) | {with_} ({with_ / n:.0%}) |")
        print(lines[-1])
    if args.write_docs:
        write_docs("\n".join(lines) + "\n", SECTION)


if __name__ == "__main__":
    main()
