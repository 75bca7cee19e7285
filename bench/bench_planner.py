"""Planning latency: how long `make_plan` takes to understand a question (intents, accounts, asker, window).

    python bench/bench_planner.py [--rounds 5] [--write-docs]

Plans the questions of tests/evals/answer_questions.yaml plus the issue's examples, for their audiences,
on the demo workspace's directory and roster (read from examples/demo-workspace; no index needed), and
again on a directory of 10,000 generated account names. Reported: the first plan of a process (intent
table, shipped example vectors, ONNX session), the cost of embedding the examples when the shipped
vectors are stale, and warm p50/p95 per plan. Planning embeds one question with MiniLM (the retriever
then embeds it again for search: ~5 ms).
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
from accounts.workspace import read_workspace
from assistant.answer import make_plan
from assistant.asker import build_roster
from assistant.intent_model import read_phrasings
from assistant.intents import default_embedder, load_table, train_learned
from assistant.principal import Principal
from bench.bench_answer import AS_OF, QUESTIONS, WORKSPACE, percentile, write_docs

SECTION = "## Planning"
ISSUE_EXAMPLES = [
    ("csm", None, "Hooli has opened 30 tickets. Are they about to churn?"), ("csm", None, "Why is Initech red?"),
    ("manager", None, "Who has open severity-1 tickets?"),
    ("customer", "acme", "Are there limits on how many API requests we can make?"),
    ("customer", "globex", "What's the timeline for the offline sync fix?"),
    ("customer", "globex", "Our technicians keep hitting sync conflicts, what do we do?"),
    ("csm", None, "tell me about Acme Corp"), ("csm", None, "what's up with initech"), ("csm", None, "Globex"),
    ("csm", None, "and how about Acme?"), ("csm", None, "how is Umbrela doing?"),
    ("csm", None, "I'm dana@fieldloop.example — which of my accounts need attention?"),
    ("manager", None, "Which CSM has the most red accounts?"), ("csm", None, "What did Globex raise last month?"),
]
WORDS = ["Anchor", "Bright", "Summit", "Harbor", "Granite", "Cedar", "Maple", "Falcon", "Orion", "Delta",
         "Apex", "Nova", "Pioneer", "Beacon", "Crest", "Vertex", "Atlas", "Sierra", "Lumen", "Quarry"]
KINDS = ["Alarm", "HVAC", "Plumbing", "Electric", "Roofing", "Logistics", "Foods", "Health", "Robotics", "Labs"]


def timed_plans(cases: list[tuple[str, str | None, str]], directory: dict[str, str], roster: object,
                rounds: int) -> list[float]:
    timings = []
    for round_ in range(rounds):
        for audience, account, question in cases:
            principal = Principal(Audience(audience), account, user="dana@fieldloop.example")
            asked = question + " " * (round_ + 1)  # a new text each round: the embedder's memo must not answer
            t0 = time.perf_counter()
            make_plan(asked, principal, directory, None, as_of=AS_OF, roster=roster)  # type: ignore[arg-type]
            timings.append((time.perf_counter() - t0) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    book = read_workspace(WORKSPACE)
    directory = {a: acc.name for a, acc in book.accounts.items()}
    roster = build_roster(list(book.accounts.values()))
    cases = [(c["audience"], c.get("account"), c["question"])
             for c in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["cases"]] + ISSUE_EXAMPLES

    t0 = time.perf_counter()
    default_embedder().embed_query("warm up")  # the ONNX session: the retriever loads it anyway
    session_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    make_plan(cases[0][2], Principal(Audience(cases[0][0]), cases[0][1]), directory, None, as_of=AS_OF, roster=roster)
    first_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    vectors = default_embedder().embed_documents([e for _, e in load_table().examples])
    stale_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    train_learned(load_table(), default_embedder(), vectors)  # embeds the phrasings, then fits
    train_ms = (time.perf_counter() - t0) * 1000

    demo = timed_plans(cases, directory, roster, args.rounds)
    embed = []
    for round_ in range(args.rounds):
        for _, _, question in cases:
            t0 = time.perf_counter()
            default_embedder().embed_query(question + "\t" * (round_ + 1))
            embed.append((time.perf_counter() - t0) * 1000)
    big = {f"acct-{i}": f"{WORDS[i % 20]} {KINDS[(i // 20) % 10]} {i // 200}" for i in range(10_000)}
    big.update(directory)
    timed_plans(cases[:1], big, roster, 1)  # builds the name index once, as the first question after an ingest
    large = timed_plans(cases, big, roster, max(1, args.rounds // 2))

    table = ["| directory | plans | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|"]
    for label, values in (("demo (16 accounts)", demo), ("10,016 accounts", large),
                          ("(embedding the question alone)", embed)):
        table.append(f"| {label} | {len(values)} | {statistics.median(values):.1f} | "
                     f"{percentile(values, 0.95):.1f} | {max(values):.1f} |")
    section = "\n".join([
        SECTION, "",
        f"`python bench/bench_planner.py --write-docs` ({platform.machine()}, {dt.date.today()}, "
        "ADVOCATE_EMBED_THREADS=1). `make_plan` on",
        f"the {len(cases)} questions of `tests/evals/answer_questions.yaml` and the issue's examples, "
        f"{args.rounds} warm rounds: find the accounts named,",
        "mask them, embed the question with MiniLM, score every row of `assistant/intents.yaml`, resolve, "
        "decide whose book, parse the time window.", "",
        *table, "",
        f"First plan of a process: {first_ms:.0f} ms (reading the intent table and the shipped example vectors "
        f"`assistant/intents.npz`), after the ONNX session the retriever needs anyway ({session_ms:.0f} ms).",
        f"Embedding the {len(load_table().examples)} examples when the shipped vectors are stale "
        f"(someone edited the table without `python -m assistant.intents --write-cache`): {stale_ms:.0f} ms once "
        f"per process, and training the learned scorer on its {len(read_phrasings())} phrasings "
        f"{train_ms:.0f} ms more.",
        "Embedding the question is nearly all of a plan; the rest (names, cues, roster, window) is about 2 ms;",
        "a compound question (\"… and what did we promise them?\") embeds its clauses in one more batch.",
        "The machine was shared (2 cores, 9 engineers): unloaded, one MiniLM query embedding takes about 5 ms.",
        "The planner and the retriever share one embedding per question when no account is named (the model",
        "remembers its last 64 queries); with a name, the planner embeds the masked question as well.", "",
    ])
    print(section)
    if args.write_docs:
        write_docs(section, SECTION)


if __name__ == "__main__":
    main()
