"""A local OpenAI-compatible chat server for tests: the real wire protocol, a scripted conversation.

`POST /v1/chat/completions` answers from a queue of `Reply`s: a JSON completion, or Server-Sent
Events (`data: {...}` chunks ending `data: [DONE]`) when the request asks `stream: true`; tool calls
in both. A reply may also be an HTTP error (429 with `Retry-After`, 500) or a hang. Binds only
127.0.0.1 on a free port; every wait is bounded and `close()` releases hanging handlers.
Standard library only, so the real `ChatOpenAI` client is the only thing under test.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_HANG_S = 30.0  # a hang never outlives this, nor the server
TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Reply:
    """One scripted response: text, tool calls (name, arguments as JSON text), an HTTP error, or a hang."""

    text: str = ""
    tool_calls: tuple[tuple[str, str], ...] = ()
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    hang_s: float = 0.0

    @classmethod
    def tool(cls, name: str, **args: Any) -> Reply:
        return cls(tool_calls=((name, json.dumps(args)),))

    @classmethod
    def error(cls, status: int, **headers: str) -> Reply:
        return cls(status=status, headers=tuple((k.replace("_", "-"), v) for k, v in headers.items()))

    @classmethod
    def hang(cls, seconds: float) -> Reply:
        return cls(hang_s=min(seconds, MAX_HANG_S))


@dataclass
class Script:
    """The replies still to give, what was asked, and what to answer once the script runs out."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    repeat: Reply | None = None  # answers every request once `replies` is empty (else: 500)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self.replies:
                return self.replies.pop(0)
            return self.repeat or Reply(status=500, text="script exhausted")


def completion_id(n: int) -> str:
    return f"chatcmpl-stub-{n}"


def usage(body: dict[str, Any], reply: Reply) -> dict[str, int]:
    """Rough token counts (words), enough for clients that read `usage`."""
    prompt = sum(len(TOKENS.findall(str(m.get("content") or ""))) + 4 for m in body.get("messages", []))
    completion = len(TOKENS.findall(reply.text)) + sum(len(a) // 4 for _, a in reply.tool_calls)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(body: dict[str, Any], reply: Reply, n: int) -> dict[str, Any]:
    """A non-streaming `chat.completion` object."""
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    if reply.tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{n}_{i}", "type": "function", "function": {"name": name, "arguments": args}}
            for i, (name, args) in enumerate(reply.tool_calls)
        ]
    return {
        "id": completion_id(n), "object": "chat.completion", "created": int(time.time()), "model": body.get("model"),
        "choices": [{"index": 0, "message": message, "logprobs": None,
                     "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
        "usage": usage(body, reply),
    }


def stream_chunks(body: dict[str, Any], reply: Reply, n: int) -> list[dict[str, Any]]:
    """The `chat.completion.chunk` objects of a streamed reply: role, text tokens, tool call pieces, finish."""
    base = {"id": completion_id(n), "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model")}

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    chunks = [chunk({"role": "assistant", "content": ""})]
    chunks += [chunk({"content": token}) for token in TOKENS.findall(reply.text)]
    for i, (name, args) in enumerate(reply.tool_calls):
        chunks.append(chunk({"tool_calls": [{"index": i, "id": f"call_{n}_{i}", "type": "function",
                                             "function": {"name": name, "arguments": ""}}]}))
        pieces = [args[j:j + 7] for j in range(0, len(args), 7)]
        chunks += [chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]}) for piece in pieces]
    chunks.append(chunk({}, "tool_calls" if reply.tool_calls else "stop"))
    if (body.get("stream_options") or {}).get("include_usage"):
        chunks.append({**base, "choices": [], "usage": usage(body, reply)})
    return chunks


class _Handler(BaseHTTPRequestHandler):
    server: _StubServer
    timeout = 10  # socket reads never block a test for long

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        n = len(self.server.script.requests) + 1
        reply = self.server.script.next(body, {k.lower(): v for k, v in self.headers.items()})
        try:
            if reply.hang_s:
                self.server.stopping.wait(reply.hang_s)
                return  # close without answering: the client's timeout is what is under test
            if reply.status != 200:
                error = {"error": {"message": reply.text or f"stub error {reply.status}", "type": "server_error",
                                   "code": str(reply.status)}}
                self._json(reply.status, error, reply.headers)
            elif body.get("stream"):
                self._sse(stream_chunks(body, reply, n))
            else:
                self._json(200, completion(body, reply, n))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def _json(self, status: int, payload: dict[str, Any], headers: tuple[tuple[str, str], ...] = ()) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _sse(self, chunks: list[dict[str, Any]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        for item in chunks:
            self.wfile.write(f"data: {json.dumps(item)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.stopping = threading.Event()


class OpenAIStub:
    """The server, started in a thread: `with OpenAIStub() as stub: stub.enqueue(...); ... stub.base_url`."""

    def __init__(self) -> None:
        self.script = Script()
        self._server = _StubServer(self.script)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="openai-stub", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.script.requests

    def enqueue(self, *replies: Reply) -> OpenAIStub:
        with self.script.lock:
            self.script.replies.extend(replies)
        return self

    def answer_always(self, reply: Reply) -> OpenAIStub:
        self.script.repeat = reply
        return self

    def start(self) -> OpenAIStub:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
