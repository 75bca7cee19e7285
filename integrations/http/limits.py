"""Limits of a public endpoint: body size, requests per credential, and answers at once and in time.

- `BodySizeLimit` (ASGI middleware): 413 before a handler reads a body over the limit, whether the
  client sent Content-Length or streamed it chunked.
- `RateLimiter`: a token bucket per credential (rate per minute, a burst); 429 with Retry-After.
- `AnswerGate`: a semaphore bounding concurrent answers (503 with Retry-After when all are busy
  for longer than a short wait) and a time budget per answer (503 `timeout`).
Blocking work runs in worker threads, so the event loop keeps serving health checks meanwhile.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from integrations.http.errors import ApiError, error_response

T = TypeVar("T")
QUEUE_WAIT_S = 2.0


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, counting the bytes actually received."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # an HTTPException passes FastAPI's body parsing unchanged
                    raise HTTPException(413, f"request body over {self.max_bytes} bytes")
            return message

        await self.app(scope, counting, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, "too_large", f"request body over {self.max_bytes} bytes")
        await response(scope, receive, send)


class RateLimiter:
    """Token buckets keyed by credential id; thread-safe, in memory (one process)."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Take one token for `key`, or raise 429 saying when the next one is due."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                raise ApiError(429, "rate_limited", f"too many requests: retry in {wait} s",
                               {"Retry-After": str(wait)})
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:  # forget idle callers rather than grow without bound
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 3600}


class AnswerGate:
    """At most `limit` answers at once, each within `budget_s` seconds."""

    def __init__(self, limit: int, budget_s: float, queue_wait_s: float = QUEUE_WAIT_S) -> None:
        self.limit, self.budget_s, self.queue_wait_s = limit, budget_s, queue_wait_s
        self._semaphore: asyncio.Semaphore | None = None

    @property
    def semaphore(self) -> asyncio.Semaphore:
        if self._semaphore is None:  # made in the running loop, not at import
            self._semaphore = asyncio.Semaphore(self.limit)
        return self._semaphore

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """Run blocking `work(*args)` in a worker thread under the concurrency bound and the time budget.

        A timed-out answer's thread finishes in the background (Python cannot stop it); its slot is
        only freed when it does, so a slow store cannot pile up unbounded work.
        """
        try:
            await asyncio.wait_for(self.semaphore.acquire(), self.queue_wait_s)
        except TimeoutError:
            raise ApiError(503, "busy", f"all {self.limit} answer slots are busy; retry shortly",
                           {"Retry-After": "2"}) from None
        task = asyncio.ensure_future(run_in_threadpool(work, *args))
        task.add_done_callback(lambda _: self.semaphore.release())
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.budget_s)
        except TimeoutError:
            raise ApiError(503, "timeout", f"no answer within {self.budget_s:g} s; try a narrower question",
                           {"Retry-After": "5"}) from None
