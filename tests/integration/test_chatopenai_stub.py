"""The real ChatOpenAI client, through the LLM engine, against a local OpenAI-compatible server.

Covers the wire protocol (JSON and SSE, tool calls in both), the client's retries (429 then
success; 500 every time, at most 2 retries) and its timeout (a hanging server fails fast), and the
fallback: `assistant.answer.answer(..., llm=engine)` answers offline, degraded, when the model fails.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.access import Audience, Scope
from accounts.models import SourceKind, Visibility
from assistant.engine_llm import LLMEngine, LLMFailure, build_llm_engine
from assistant.principal import Principal
from integrations.settings import Settings
from retrieval.passages import Chunk, Passage
from tests.integration.openai_stub import OpenAIStub, Reply

AS_OF = dt.date(2026, 6, 30)
CUSTOMER = Principal(Audience.CUSTOMER, "acme", "ann")
DOC = Passage(score=1.0, chunk=Chunk(
    chunk_id="docs:docs/sync.md#0", record_id="docs/sync.md", source=SourceKind.DOCS, account_id=None,
    visibility=Visibility.PUBLIC, date=None, path="docs/sync.md", title="Resolving sync conflicts",
    text="Open the job, compare versions and pick the one to keep."))
TICKET = Passage(score=0.9, chunk=Chunk(
    chunk_id="tickets:t-1#0", record_id="t-1", source=SourceKind.TICKETS, account_id="acme",
    visibility=Visibility.CUSTOMER, date=dt.date(2026, 5, 1), path="tickets.csv", title="Sync conflict on phones",
    text="Technicians see a sync conflict banner after working offline."))


TEST_LIMIT_S = 90  # no test here may run longer, whatever the client or the server does


class TookTooLong(BaseException):
    """Not an Exception: the engine must not mistake the bound for a model failure."""


@pytest.fixture(autouse=True)
def bounded() -> Iterator[None]:
    def interrupt(signum: int, frame: object) -> None:
        raise TookTooLong(f"test exceeded {TEST_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, TEST_LIMIT_S)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


class OneTicketSearch:
    def __init__(self) -> None:
        self.scopes: list[Scope] = []

    def search(self, query: str, scope: Scope, k: int = 10, **kwargs: Any) -> list[Passage]:
        self.scopes.append(scope)
        return [TICKET]


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub() as server:
        yield server


def settings_for(stub: OpenAIStub, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"llm_base_url": stub.base_url, "openai_api_key": None, "llm_model": "gpt-4o-mini",
                              "llm_timeout_s": 5.0, "llm_max_retries": 2, "_env_file": None}
    return Settings(**{**values, **overrides})


def engine_for(stub: OpenAIStub, **overrides: Any) -> LLMEngine:
    return build_llm_engine(settings_for(stub, **overrides), search=OneTicketSearch())


def test_tool_call_then_text_over_json(stub: OpenAIStub) -> None:
    stub.enqueue(Reply.tool("search_workspace", query="sync banner"),
                 Reply(text="You hit a sync conflict [2]: compare versions and keep one [1]."))
    result = engine_for(stub).run("Why the banner?", CUSTOMER, as_of=AS_OF, passages=[DOC])
    assert result.answer.answer == "You hit a sync conflict [1]: compare versions and keep one [2]."
    assert [c.id for c in result.answer.citations] == ["t-1", "docs/sync.md"]
    assert [t.name for t in result.answer.tools] == ["search_workspace"]
    first, second = stub.requests
    assert first["model"] == "gpt-4o-mini" and not first.get("stream")
    assert [t["function"]["name"] for t in first["tools"]] == ["search_workspace"]
    assert "account_id" not in first["tools"][0]["function"]["parameters"]["properties"]
    assert first["messages"][0]["role"] == "system" and "<record ref=\"1\"" in first["messages"][-1]["content"]
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and json.loads(tool_message["content"])["records"][0]["id"] == "t-1"
    assert stub.script.headers[0]["authorization"] == "Bearer unused-local-server"
    assert result.report.model_calls == 2 and result.report.server_input_tokens
    assert result.report.prompt_tokens <= 3000


def test_streamed_tokens_over_sse(stub: OpenAIStub) -> None:
    stub.enqueue(Reply.tool("search_workspace", query="sync"),
                 Reply(text="Compare the versions and keep one [1]; your ticket says the same [2]."))
    stream = engine_for(stub).stream("How do I fix sync?", CUSTOMER, as_of=AS_OF, passages=[DOC])
    tokens = list(stream)
    assert all(r.get("stream") for r in stub.requests) and len(stub.requests) == 2
    assert len(tokens) > 5 and stream.answer is not None
    assert "".join(tokens) == stream.answer.answer == (
        "Compare the versions and keep one [1]; your ticket says the same [2].")
    assert [c.id for c in stream.answer.citations] == ["docs/sync.md", "t-1"]


def test_429_is_retried_then_answered(stub: OpenAIStub) -> None:
    stub.enqueue(Reply.error(429, Retry_After="0"), Reply(text="The workspace does not say."))
    answer = engine_for(stub).answer("Anything?", CUSTOMER, as_of=AS_OF)
    assert answer.answer == "The workspace does not say." and len(stub.requests) == 2


def test_500_every_time_fails_after_at_most_two_retries(stub: OpenAIStub) -> None:
    stub.answer_always(Reply.error(500))
    with pytest.raises(LLMFailure) as failure:
        engine_for(stub).answer("Anything?", CUSTOMER, as_of=AS_OF)
    assert failure.value.reason == "http_error" and len(stub.requests) == 3


def test_a_hang_longer_than_the_timeout_fails_fast(stub: OpenAIStub) -> None:
    stub.answer_always(Reply.hang(20))
    started = time.monotonic()
    with pytest.raises(LLMFailure) as failure:
        engine_for(stub, llm_timeout_s=1.0, llm_max_retries=1).answer("Anything?", CUSTOMER, as_of=AS_OF)
    elapsed = time.monotonic() - started
    assert failure.value.reason == "timeout" and len(stub.requests) == 2
    assert elapsed < 5, f"two 1 s attempts took {elapsed:.1f} s"


def test_settings_bound_the_client(stub: OpenAIStub) -> None:
    model: Any = engine_for(stub, llm_timeout_s=1.5, llm_max_retries=1, llm_model="local-model").model
    assert (model.request_timeout, model.max_retries, model.model_name) == (1.5, 1, "local-model")
    assert model.openai_api_base == stub.base_url


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from integrations.wiring import Services
    from tests.fixtures.tiny_workspace import write_tiny_workspace

    root = tmp_path_factory.mktemp("llm-fallback")
    workspace = write_tiny_workspace(root / "workspace")
    Services(Settings(data_dir=root / "data", _env_file=None)).ingestor().ingest(workspace)  # type: ignore[call-arg]
    return root / "data"


def test_answer_falls_back_offline_degraded_when_the_model_fails(stub: OpenAIStub, ingested: Path) -> None:
    from assistant.answer import answer
    from integrations.wiring import Services

    services = Services(Settings(data_dir=ingested, _env_file=None))  # type: ignore[call-arg]
    engine = build_llm_engine(settings_for(stub, llm_max_retries=0), search=services.retriever)
    stub.answer_always(Reply.error(500))
    question = "How do I resolve a sync conflict?"
    offline = answer(question, CUSTOMER, ports=services, as_of=AS_OF)
    degraded = answer(question, CUSTOMER, ports=services, as_of=AS_OF, llm=engine)
    assert len(stub.requests) == 1
    assert (degraded.mode, degraded.degraded) == ("offline", True)
    assert (degraded.answer, degraded.citations) == (offline.answer, offline.citations)

    stub.answer_always(Reply(text="Open the job and keep one version [1]."))
    good = answer(question, CUSTOMER, ports=services, as_of=AS_OF, llm=engine)
    assert (good.mode, good.degraded) == ("llm", False)
    assert good.answer == "Open the job and keep one version [1]." and len(good.citations) == 1
