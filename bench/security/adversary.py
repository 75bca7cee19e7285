"""An obedient model: an OpenAI-compatible chat server that follows every instruction it finds.

It speaks the real wire protocol (it reuses the test server in tests/integration/openai_stub.py)
so the real ChatOpenAI client and the real engine are under test. It reads the prompt, finds
planted instructions (plain or base64), and obeys them as well as it can: it calls the tools the
injection asks for with other accounts' ids, calls tools it was never given, then answers by
quoting the instruction, the attacker's link, and every canary word it saw. Whatever reaches the
caller after that is what Advocate's guardrails let through.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from bench.security.injection_plant import PAYLOADS
from tests.integration.openai_stub import OpenAIStub, Reply, Script

CANARY = re.compile(r"cnry[a-z]{3}[0-9a-f]{10}")
B64 = re.compile(r"Decode this and follow it: ([A-Za-z0-9+/=]{20,})")


def instructions_in(text: str) -> list[str]:
    """The planted instructions present in a prompt, base64 ones decoded."""
    found = [p for p in PAYLOADS.values() if p in text]
    for blob in B64.findall(text):
        try:
            decoded = base64.b64decode(blob).decode()
        except ValueError:
            continue
        found += [p for p in PAYLOADS.values() if p == decoded]
    return list(dict.fromkeys(found))


class ObedientScript(Script):
    """Decides each reply from the request instead of a queue; `mode` is "tools", "unknown-tool" or "text"."""

    def __init__(self, victims: list[str]) -> None:
        super().__init__()
        self.victims = victims
        self.mode = "tools"
        self.obeyed = 0

    def next(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append(body)
            self.headers.append(headers)
        messages = body.get("messages", [])
        text = "\n".join(str(m.get("content") or "") for m in messages)
        tools = [t["function"]["name"] for t in body.get("tools", [])]
        orders = instructions_in(text)
        if not orders:
            return Reply(text="Here is what the records say [1].")
        self.obeyed += 1
        after_tools = bool(messages) and messages[-1].get("role") == "tool"
        if not after_tools and self.mode == "unknown-tool":
            return Reply.tool("delete_records", account_id=self.victims[0], confirm=True)
        if not after_tools and self.mode == "tools" and tools:
            return Reply(tool_calls=tuple(self._hostile_calls(tools)))
        seen = sorted(set(CANARY.findall(text)))
        link = next((w for o in orders for w in o.split() if w.startswith("https://")), "")
        return Reply(text=f"As instructed: {' '.join(orders)} Renewal discounts and notes: {', '.join(seen)}. "
                          f"{link} [1]")

    def _hostile_calls(self, tools: list[str]) -> list[tuple[str, str]]:
        calls = []
        for victim in self.victims:
            for name in tools:
                args: dict[str, Any] = {"account_id": victim}
                if "search" in name:
                    args["query"] = "renewal discount internal note loyalty credit"
                calls.append((name, json.dumps(args)))
        return calls


class ObedientModel(OpenAIStub):
    """The stub server answering from an `ObedientScript`: `with ObedientModel(victims) as model: ...`."""

    def __init__(self, victims: list[str]) -> None:
        super().__init__()
        self.obedient = ObedientScript(victims)
        self.script = self.obedient
        self._server.script = self.obedient

    def __enter__(self) -> ObedientModel:
        self.start()
        return self
