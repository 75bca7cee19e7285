"""A local stand-in for Slack's Web API (https://api.slack.com/web), for the real WebClient to talk to.

It speaks the wire protocol the SDK uses — `POST /api/<method>` with a form or JSON body, a JSON
answer with `ok` — and also takes `response_url` posts (`POST /response/<id>`). Every call is
recorded; `fail_next(method, 429, retry_after=1)` makes the next call of a method answer
`429 Too Many Requests` with `Retry-After`, as Slack does when a bot posts too fast.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass
class SlackApiStub:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    team_id: str = "T0VENDOR"
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def fail_next(self, method: str, status: int = 429, *, retry_after: int = 1) -> None:
        self.failures.setdefault(method, []).append((status, retry_after))

    def called(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]:
        """The calls of a method once there are `count` of them (lazy listeners run in threads)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.called(method)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} {method} call(s), got {len(self.called(method))}: "
                             f"{[c.method for c in self.calls]}")

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://vendor.slack.com/", "team": "Vendor", "user": "advocate",
                    "team_id": self.team_id, "user_id": "UBOT", "bot_id": "BBOT"}
        if method == "users.info":
            user = self.users.get(params.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.info":
            channel = self.channels.get(params.get("channel", ""))
            return {"ok": True, "channel": channel} if channel else {"ok": False, "error": "channel_not_found"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}",
                    "message": {"text": params.get("text", "")}}
        return {"ok": True}

    def start(self) -> SlackApiStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                parsed = urlparse(self.path)
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                params.update({k: v[0] for k, v in parse_qs(parsed.query).items()})
                for key in ("blocks", "view"):
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
                method = parsed.path.removeprefix("/api/").strip("/") if parsed.path.startswith("/api/") \
                    else "response_url"
                with stub._lock:
                    stub.calls.append(Call(method, params, dict(self.headers)))
                    queued = stub.failures.get(method)
                    failure = queued.pop(0) if queued else None
                if failure:
                    status, retry_after = failure
                    self._send(status, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
                    return
                self._send(200, stub.answer(method, params))

            do_GET = do_POST

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
