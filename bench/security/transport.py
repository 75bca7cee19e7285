"""How a probe reaches Advocate: a transport turns (principal, question) into what the caller receives.

Probes are written against `Transport`, so the same isolation and injection probes run in-process
today (the assistant's `answer()` and the retriever, exactly as the CLI calls them, or the real CLI
entry point) and over HTTP or Slack once those edges land: add a class with `ask` and `search`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from assistant.principal import Principal
    from integrations.wiring import Services


@dataclass(frozen=True)
class Received:
    """Everything a caller got back: text, citations (id, title, snippet), tools, and how it ended.

    `status` is "ok", "refused" (a clear error such as AccessDenied or exit 2) or "error" (anything
    else: a crash is a finding of its own, never a pass).
    """

    status: str
    text: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    tools: list[dict[str, Any]] = field(default_factory=list)
    conversation_id: str | None = None
    mode: str = ""
    degraded: bool = False
    error: str = ""

    def everything(self) -> str:
        """All text the caller can see, as one string to scan for canaries."""
        return "\n".join([self.text, json.dumps(self.citations, ensure_ascii=False),
                          json.dumps(self.tools, ensure_ascii=False), self.error])


class Transport(Protocol):
    """One way in: ask a question or search, as a principal."""

    name: str

    def ask(self, principal: Principal, question: str, conversation_id: str | None = None) -> Received: ...

    def search(self, principal: Principal, query: str, k: int = 10) -> Received: ...


def _refusal(err: Exception) -> Received:
    from accounts.errors import AdvocateError

    if isinstance(err, AdvocateError):
        return Received("refused", error=str(err))
    return Received("error", error=f"{type(err).__name__}: {err}")


class InProcessTransport:
    """`assistant.answer` and the retriever on one `Services`, as `advocate ask/search` call them."""

    name = "in-process"

    def __init__(self, services: Services, as_of: dt.date, llm: object | None = None) -> None:
        self.services = services
        self.as_of = as_of
        self.llm = llm

    def ask(self, principal: Principal, question: str, conversation_id: str | None = None) -> Received:
        from assistant.answer import answer

        try:
            result = answer(question, principal, ports=self.services, as_of=self.as_of,
                            conversation_id=conversation_id, llm=self.llm)
        except Exception as err:  # the probe records what happened; it never stops the run
            return _refusal(err)
        data = result.model_dump(mode="json")
        return Received("ok", data["answer"], data["citations"], data["tools"], data.get("conversation_id"),
                        data["mode"], data["degraded"])

    def search(self, principal: Principal, query: str, k: int = 10) -> Received:
        try:
            if principal.account_id:
                self.services.book([principal.account_id])
            passages = self.services.retriever.search(query, principal.scope(), k, as_of=self.as_of)
        except Exception as err:
            return _refusal(err)
        results = [p.to_contract() for p in passages]
        return Received("ok", citations=results)


class CliTransport:
    """The real `advocate` entry point (argument parsing, exit codes, JSON), run in this process."""

    name = "cli"

    def __init__(self, data_dir: Path, as_of: dt.date) -> None:
        self.data_dir = data_dir
        self.as_of = as_of

    def _run(self, *args: str) -> tuple[int, str, str]:
        from integrations.cli import main

        out, err = io.StringIO(), io.StringIO()
        argv = sys.argv
        sys.argv = ["advocate", *args, "--data-dir", str(self.data_dir)]
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            sys.argv = argv
        return code, out.getvalue(), err.getvalue()

    @staticmethod
    def _who(principal: Principal) -> list[str]:
        args = ["--as", principal.audience.value]
        return args + (["--account", principal.account_id] if principal.account_id else [])

    def _received(self, code: int, out: str, err: str) -> Received:
        if code == 2:
            return Received("refused", error=err.strip())
        if code != 0:
            return Received("error", error=err.strip()[-500:])
        data = json.loads(out)
        if "results" in data:
            return Received("ok", citations=data["results"])
        return Received("ok", data["answer"], data["citations"], data["tools"], data.get("conversation_id"),
                        data["mode"], data["degraded"])

    def ask(self, principal: Principal, question: str, conversation_id: str | None = None) -> Received:
        extra = ["--conversation", conversation_id] if conversation_id else []
        return self._received(*self._run("ask", question, *self._who(principal), "--as-of", self.as_of.isoformat(),
                                         "--json", *extra))

    def search(self, principal: Principal, query: str, k: int = 10) -> Received:
        return self._received(*self._run("search", query, *self._who(principal), "--k", str(k), "--json"))
