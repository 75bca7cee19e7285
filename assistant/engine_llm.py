"""The model engine: a LangChain tool-calling agent that phrases a grounded, cited answer.

One question runs `create_agent` on a chat model (ChatOpenAI against any OpenAI-compatible server,
or a scripted model in tests) with the principal's scoped tools and a context packed to a token
budget. Any failure (timeout, HTTP error after the client's retries, the step limit, a malformed
reply, a tool the model was not given) raises `LLMFailure`, so the caller can answer offline
instead, marked degraded. This module is the model adapter: the only place ChatOpenAI is built.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, AgentState, ModelCallLimitMiddleware, hook_config
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import SecretStr

from assistant.context import CitationMarkers, PackedContext, RecordLedger, pack_context
from assistant.toolset import JudgementToolFactory, build_toolset
from assistant.types import Answer, ToolUse, Turn
from retrieval.tokens import TokenCounter

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langgraph.runtime import Runtime

    from assistant.planner import Plan
    from assistant.ports import PassageSearch
    from assistant.principal import Principal
    from retrieval.passages import Passage

log = logging.getLogger(__name__)
PLACEHOLDER_API_KEY = "unused-local-server"  # an OpenAI-compatible server reached by base URL may need no key
MAX_CLIENT_RETRIES = 2
GRAPH_STEPS_PER_MODEL_CALL = 6  # limit check, model, 2 after-model hooks, tools, margin: the step limit ends first

# Failure reasons, by the exception's class name anywhere in its MRO, so every LangChain provider maps alike.
_REASONS = (
    ("ModelCallLimitExceededError", "step_limit"), ("GraphRecursionError", "step_limit"),
    ("APITimeoutError", "timeout"), ("TimeoutException", "timeout"), ("TimeoutError", "timeout"),
    ("RateLimitError", "rate_limited"), ("APIStatusError", "http_error"), ("APIConnectionError", "connection"),
)


class LLMFailure(Exception):
    """The model could not produce an answer; the caller answers offline (degraded) instead."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


def failure_from(error: BaseException) -> LLMFailure:
    """The LLMFailure describing an exception raised while the agent ran."""
    if isinstance(error, LLMFailure):
        return error
    names = {cls.__name__ for cls in type(error).__mro__}
    reason = next((reason for name, reason in _REASONS if name in names), "error")
    return LLMFailure(reason, f"{type(error).__name__}: {error}"[:500])


class ToolCallGuard(AgentMiddleware[AgentState[Any], Any, Any]):
    """Fails the run on a tool the model was not given (a confused model, or one steered by injected text);
    sends unparseable arguments back to the model."""

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__()
        self.allowed = allowed

    @hook_config(can_jump_to=["model"])
    def after_model(self, state: AgentState[Any], runtime: Runtime[Any]) -> dict[str, Any] | None:
        last = state["messages"][-1]
        if not isinstance(last, AIMessage):
            return None
        calls = [*last.tool_calls, *last.invalid_tool_calls]
        unknown = sorted({str(call["name"]) for call in calls if call.get("name") and call["name"] not in self.allowed})
        if unknown:
            allowed = ", ".join(sorted(self.allowed))
            raise LLMFailure("unknown_tool", f"model called {', '.join(unknown)}; it may call {allowed}")
        if last.invalid_tool_calls and not last.tool_calls:
            return {"jump_to": "model"}  # the agent patches in an error ToolMessage per invalid call
        return None


@dataclass(frozen=True)
class EngineReport:
    """What one answer cost: prompt tokens as packed (tiktoken) and as the server counted them."""

    prompt_tokens: int
    budget: int
    tool_tokens: int
    passages_used: int
    passages_dropped: int
    turns_used: int
    turns_dropped: int
    model_calls: int
    server_input_tokens: int | None
    server_output_tokens: int | None


@dataclass(frozen=True)
class LLMResult:
    answer: Answer
    report: EngineReport


@dataclass
class _Run:
    """One prepared question: the agent, its input and the ledger its citations come from."""

    agent: Any
    inputs: dict[str, list[BaseMessage]]
    config: dict[str, Any]
    ledger: RecordLedger
    packed: PackedContext
    budget: int

    def finish(self, messages: Sequence[BaseMessage]) -> LLMResult:
        """The Answer from the agent's final messages; an empty or unfinished reply is malformed."""
        final = messages[-1] if messages else None
        if not isinstance(final, AIMessage) or final.tool_calls or not final.text.strip():
            raise LLMFailure("malformed_output", "the model's last message is not a text answer")
        markers = CitationMarkers(self.ledger)
        text = (markers.feed(final.text) + markers.flush()).strip()
        ai = [m for m in messages[len(self.inputs["messages"]):] if isinstance(m, AIMessage)]
        usage = [m.usage_metadata for m in ai if m.usage_metadata]
        report = EngineReport(
            prompt_tokens=self.packed.prompt_tokens, budget=self.budget, tool_tokens=self.packed.tool_tokens,
            passages_used=self.packed.passages_used, passages_dropped=self.packed.passages_dropped,
            turns_used=self.packed.turns_used, turns_dropped=self.packed.turns_dropped, model_calls=len(ai),
            server_input_tokens=sum(u["input_tokens"] for u in usage) if usage else None,
            server_output_tokens=sum(u["output_tokens"] for u in usage) if usage else None,
        )
        log.info("llm answer: %s", report)
        answer = Answer(answer=text, citations=[s.citation() for s in markers.cited], tools=tool_uses(messages),
                        mode="llm", degraded=False)
        return LLMResult(answer, report)


def tool_uses(messages: Sequence[BaseMessage]) -> list[ToolUse]:
    """The tool calls that ran without error, in order, as the answer's `tools`."""
    failed = {m.tool_call_id for m in messages if isinstance(m, ToolMessage) and m.status == "error"}
    return [ToolUse(name=call["name"], args=dict(call["args"]))
            for m in messages if isinstance(m, AIMessage) for call in m.tool_calls if call["id"] not in failed]


class AnswerStream:
    """Text tokens of the answer as the model writes them; `.result` holds the full answer once exhausted.

    Tokens are already citation-rewritten ([n] numbered like the final answer's citations). A failure
    raises `LLMFailure` from the iteration; `.started` says whether any text was sent before it.
    """

    def __init__(self, run: _Run) -> None:
        self._run = run
        self.started = False
        self.result: LLMResult | None = None

    def __iter__(self) -> Iterator[str]:
        run, markers, step, final = self._run, CitationMarkers(self._run.ledger), None, None
        try:
            for mode, payload in run.agent.stream(run.inputs, run.config, stream_mode=["messages", "values"]):
                if mode == "values":
                    final = payload
                    continue
                chunk, meta = payload
                if meta.get("langgraph_node") != "model" or not isinstance(chunk, AIMessageChunk):
                    continue
                if meta.get("langgraph_step") != step:  # a new model call: number its markers afresh
                    if tail := markers.flush():
                        yield tail
                    step, markers = meta.get("langgraph_step"), CitationMarkers(run.ledger)
                if text := markers.feed(chunk.text):
                    self.started = True
                    yield text
            if tail := markers.flush():
                yield tail
        except Exception as error:
            raise failure_from(error) from error
        self.result = run.finish(final["messages"] if final else [])

    @property
    def answer(self) -> Answer | None:
        return self.result.answer if self.result else None


class LLMEngine:
    """Answers with a chat model and scoped tools; raises LLMFailure whenever it cannot."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        counter: TokenCounter | None = None,
        max_steps: int = 6,
        prompt_token_budget: int = 3000,
        search: PassageSearch | None = None,
        judgement_tools: JudgementToolFactory | None = None,
    ) -> None:
        self.model = model
        self.counter = counter or TokenCounter()
        self.max_steps = max_steps
        self.prompt_token_budget = prompt_token_budget
        self.search = search
        self.judgement_tools = judgement_tools

    def prepare(
        self, question: str, principal: Principal, *, as_of: dt.date, history: Sequence[Turn] = (),
        passages: Sequence[Passage] = (), plan: Plan | None = None,
    ) -> _Run:
        """Build the tools, pack the context and assemble the agent for one question."""
        ledger = RecordLedger(principal.readable())
        tools = build_toolset(principal, ledger, as_of=as_of, search=self.search, judgement_tools=self.judgement_tools)
        tool_tokens = self.counter.count(json.dumps([convert_to_openai_tool(t) for t in tools])) if tools else 0
        packed = pack_context(
            question, principal, as_of=as_of, history=history, passages=passages, ledger=ledger,
            counter=self.counter, budget=self.prompt_token_budget, tool_tokens=tool_tokens, plan=plan,
            tool_names=frozenset(t.name for t in tools),
        )
        middleware: list[AgentMiddleware[Any, Any, Any]] = [
            ModelCallLimitMiddleware(run_limit=self.max_steps, exit_behavior="error"),
            ToolCallGuard(frozenset(t.name for t in tools)),
        ]
        agent = create_agent(self.model, tools, system_prompt=packed.system, middleware=middleware)
        earlier = [HumanMessage(t.text) if t.role == "user" else AIMessage(t.text) for t in packed.history]
        inputs: dict[str, list[BaseMessage]] = {"messages": [*earlier, HumanMessage(packed.user)]}
        config = {"recursion_limit": GRAPH_STEPS_PER_MODEL_CALL * self.max_steps + 10}  # a backstop only
        return _Run(agent, inputs, config, ledger, packed, self.prompt_token_budget)

    def run(self, question: str, principal: Principal, **kwargs: Any) -> LLMResult:
        """The answer and its cost report; see `answer`."""
        try:
            run = self.prepare(question, principal, **kwargs)
            state = run.agent.invoke(run.inputs, run.config)
        except Exception as error:
            raise failure_from(error) from error
        return run.finish(state["messages"])

    def answer(
        self, question: str, principal: Principal, *, as_of: dt.date, history: Sequence[Turn] = (),
        passages: Sequence[Passage] = (), plan: Plan | None = None,
    ) -> Answer:
        """A cited answer (mode "llm"), or LLMFailure."""
        return self.run(question, principal, as_of=as_of, history=history, passages=passages, plan=plan).answer

    def stream(
        self, question: str, principal: Principal, *, as_of: dt.date, history: Sequence[Turn] = (),
        passages: Sequence[Passage] = (), plan: Plan | None = None,
    ) -> AnswerStream:
        """The answer's text tokens as they come (iterate), then `.answer`; failures raise LLMFailure."""
        try:
            return AnswerStream(self.prepare(question, principal, as_of=as_of, history=history, passages=passages,
                                             plan=plan))
        except Exception as error:
            raise failure_from(error) from error


class LLMSettings(Protocol):
    """The settings the model engine reads (integrations.settings.Settings has them all)."""

    openai_api_key: SecretStr | None
    llm_base_url: str | None
    llm_model: str
    llm_timeout_s: float
    llm_max_retries: int
    llm_max_steps: int
    llm_prompt_token_budget: int


def build_llm_engine(
    settings: LLMSettings, *, search: PassageSearch | None = None, judgement_tools: JudgementToolFactory | None = None
) -> LLMEngine:
    """The engine on ChatOpenAI, for OpenAI or any OpenAI-compatible server (by `llm_base_url`)."""
    from langchain_openai import ChatOpenAI

    if settings.openai_api_key is None and settings.llm_base_url is None:
        raise ValueError("no model configured: set ADVOCATE_OPENAI_API_KEY or ADVOCATE_LLM_BASE_URL")
    model = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.openai_api_key or SecretStr(PLACEHOLDER_API_KEY),
        timeout=settings.llm_timeout_s,
        max_retries=min(settings.llm_max_retries, MAX_CLIENT_RETRIES),
        stream_usage=True,
    )
    return LLMEngine(
        model, counter=TokenCounter.for_model(settings.llm_model), max_steps=settings.llm_max_steps,
        prompt_token_budget=settings.llm_prompt_token_budget, search=search, judgement_tools=judgement_tools,
    )
