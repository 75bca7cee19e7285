"""Asking a set's questions: the assistant (offline engine) and the plain-RAG baseline, scored alike.

Each question is asked in a fresh conversation after replaying its earlier turns, so results do not
depend on order or on which subset runs. Conversations live in an in-memory database: the cached
eval data dir stays as ingest left it. Intents come from the plan the assistant makes for the last
turn (`assistant.answer.make_plan` with the conversation's last account), because the Answer object
does not expose its plan; when the planner's signature changes, intents are reported as n/a.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from accounts.access import Audience
from assistant.answer import answer
from assistant.citations import record_index
from assistant.memory import ConversationMemory
from assistant.principal import Principal
from integrations.evaluation.questions import Question, QuestionSet
from integrations.evaluation.scoring import Score, as_cited, expected_docs, id_matches, score_answer
from integrations.evaluation.workspaces import ingested_services

ADVOCATE, BASELINE = "advocate", "baseline"


@dataclass
class Result:
    """One question answered by one system."""

    set_name: str
    system: str
    question: Question
    answer: str
    cited: list[str]
    score: Score
    mode: str = "offline"  # offline, llm, degraded (the model failed) or plain-rag


@dataclass
class SetRun:
    results: list[Result]
    ingest_seconds: float
    run_seconds: float


def _other_names(book: Any) -> dict[str, list[str]]:
    """Each account's name and its contacts' names: a customer's answer must show none of another account's."""
    return {a: [acc.name, *(c.name for c in book.records(a).contacts)] for a, acc in book.accounts.items()}


def run_set(qset: QuestionSet, work_dir: Path, *, baseline: bool = True,
            keep: Callable[[Question], bool] = lambda q: True, services: Any = None, llm: bool = False) -> SetRun:
    """Ingest (or reuse) the set's workspace and answer its kept questions with each system.

    `services` over an already ingested copy of the workspace skips ingest (tests share one); the
    baseline's collection then lives under `work_dir`, never in that data dir. `llm`: answer with the
    configured model (degrading to offline like `ask`), not the offline engine.
    """
    ingest_seconds = 0.0
    if services is None:
        services, ingest_seconds = ingested_services(qset.workspace, work_dir)
        baseline_dir = services.settings.data_dir / "baseline"
    else:
        baseline_dir = work_dir / f"{qset.name}-baseline"
    started = time.perf_counter()
    book = services.book(None, include_docs=True)
    index, names = record_index(book), _other_names(book)
    memory = ConversationMemory(sa.create_engine("sqlite://"))
    questions = [q for q in qset.questions if keep(q)]
    model = _model(services) if llm else None
    _warm_up(services, qset, memory)
    results = [_ask_advocate(qset, q, services, memory, index, names, model) for q in questions]
    if baseline:
        from integrations.evaluation.baseline import PlainRag

        rag = PlainRag(services, baseline_dir)
        rag.answer("warm up", Principal(Audience.CSM).scope())
        results += [_ask_baseline(qset, q, rag, index, names) for q in questions]
    return SetRun(results, ingest_seconds, time.perf_counter() - started)


def _model(services: Any) -> Any:
    engine = services.llm_engine()
    if engine is None:
        from accounts.errors import BadRequest

        raise BadRequest("--llm: no model configured (set OPENAI_API_KEY or ADVOCATE_LLM_BASE_URL)")
    return engine


def _warm_up(services: Any, qset: QuestionSet, memory: ConversationMemory) -> None:
    """Load the model and the caches before timing anything (latency is reported warm, as `serve` is)."""
    services.snapshot().warm()
    answer("how do I get started?", Principal(Audience.CSM), ports=services, as_of=qset.as_of, memory=memory)


def _never(qset: QuestionSet, q: Question) -> list[str]:
    return [*qset.never, *q.never, *(qset.customer_never if q.audience == "customer" else ())]


def _ask_advocate(qset: QuestionSet, q: Question, services: Any, memory: ConversationMemory,
                  index: dict[Any, Any], names: dict[str, list[str]],
                  model: Any = None) -> Result:
    principal = Principal(Audience(q.audience), q.account, user=q.user)
    as_of: dt.date = q.as_of or qset.as_of
    conversation_id = None
    for turn in qset.turns_before(q):
        conversation_id = answer(turn, principal, ports=services, as_of=as_of, memory=memory,
                                 conversation_id=conversation_id, llm=model).conversation_id
    started = time.perf_counter()
    result = answer(q.question, principal, ports=services, as_of=as_of, memory=memory,
                    conversation_id=conversation_id, llm=model)
    seconds = time.perf_counter() - started
    cited = [as_cited(c.source, c.id, index) for c in result.citations]
    score = score_answer(q, result.answer, cited, intent=result.intent, never=_never(qset, q), other_names=names,
                         seconds=seconds)
    score.doc_in_top3 = _doc_in_top3(q, principal, services)
    mode = "degraded" if result.degraded else result.mode
    return Result(qset.name, ADVOCATE, q, result.answer, [c.id for c in cited], score, mode)


def _doc_in_top3(q: Question, principal: Principal, services: Any) -> bool | None:
    """Docs questions: is a right doc among the 3 best docs the retriever finds? Splits retrieval misses
    from composing misses (the doc was there, the answer was not picked)."""
    wanted = expected_docs(q)
    if not wanted:
        return None
    from accounts.models import SourceKind

    passages = services.retriever.search(q.question, principal.scope(), 12, sources=frozenset({SourceKind.DOCS}))
    top = list(dict.fromkeys(p.chunk.record_id for p in passages))[:3]
    return any(id_matches(doc, w) for doc in top for w in wanted)


def _ask_baseline(qset: QuestionSet, q: Question, rag: Any, index: dict[Any, Any],
                  names: dict[str, list[str]]) -> Result:
    principal = Principal(Audience(q.audience), q.account, user=q.user)
    started = time.perf_counter()
    result = rag.answer(q.question, principal.scope())
    seconds = time.perf_counter() - started
    cited = [as_cited(source, record_id, index) for source, record_id in result.citations]
    score = score_answer(q, result.answer, cited, intent=None, never=_never(qset, q), other_names=names,
                         seconds=seconds)
    wanted = expected_docs(q)
    if wanted:  # its answer is its top 3 passages of any kind
        score.doc_in_top3 = any(id_matches(c.id, w) for c in cited for w in wanted)
    return Result(qset.name, BASELINE, q, result.answer, [c.id for c in cited], score, "plain-rag")


def run_sets(sets: Iterable[QuestionSet], work_dir: Path, **options: Any) -> dict[str, SetRun]:
    return {qset.name: run_set(qset, work_dir, **options) for qset in sets}
