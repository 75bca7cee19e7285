"""Rate limiter buckets, the answer gate's bound and time budget, SSE pieces, link checks, TTLs."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.errors import BadRequest
from integrations.http.errors import ApiError
from integrations.http.limits import AnswerGate, RateLimiter
from integrations.http.links import allowed_url
from integrations.http.sse import pieces, sse_event, wants_stream
from integrations.http.tokens import parse_ttl


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_refills_per_key_and_says_when() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=6, burst=2, clock=clock)  # one token every 10 s
    limiter.check("a")
    limiter.check("a")
    with pytest.raises(ApiError) as refused:
        limiter.check("a")
    assert refused.value.status == 429 and refused.value.headers["Retry-After"] == "10"
    limiter.check("b")  # another credential has its own bucket
    clock.now = 10.0
    limiter.check("a")
    with pytest.raises(ApiError):
        limiter.check("a")


def test_answer_gate_bounds_concurrency_and_time() -> None:
    release = threading.Event()

    async def scenario() -> list[str]:
        gate = AnswerGate(limit=1, budget_s=0.2, queue_wait_s=0.1)
        outcomes = []
        first = asyncio.ensure_future(gate.run(release.wait, 5))
        await asyncio.sleep(0.05)
        for _ in range(2):
            try:
                await gate.run(time.sleep, 0)
            except ApiError as err:
                outcomes.append(err.code)
        with pytest.raises(ApiError) as timed_out:
            await first
        outcomes.append(timed_out.value.code)
        release.set()
        await asyncio.sleep(0.1)  # the slow thread finishes and frees its slot
        outcomes.append(str(await gate.run(lambda: "ok")))
        return outcomes

    with ThreadPoolExecutor(1) as fresh_thread:  # a loop of its own, whatever else runs in this process
        assert fresh_thread.submit(asyncio.run, scenario()).result() == ["busy", "busy", "timeout", "ok"]


def test_pieces_rejoin_to_the_text() -> None:
    text = "  **Bold** start\n- one [1]\n- two  words here and more words to split\n"
    assert "".join(pieces(text, words=2)) == text
    assert pieces("") == [""]
    assert sse_event("delta", {"text": "é"}) == 'event: delta\ndata: {"text": "é"}\n\n'.encode()
    assert wants_stream("text/event-stream, application/json") and not wants_stream("application/json")
    assert not wants_stream(None)


def test_allowed_url() -> None:
    hosts = ["help.example"]
    assert allowed_url("https://help.example/a?b=1", hosts)
    for url in ("javascript:alert(1)", "https://evil.example/", "https://user@help.example/", "data:text/html,x",
                "//help.example/x", "https://help.example.evil.example/"):
        assert not allowed_url(url, hosts), url


def test_parse_ttl() -> None:
    assert parse_ttl("1h") == 3600 and parse_ttl("30m") == 1800 and parse_ttl("7d") == 7 * 86400
    for bad in ("1y", "0m", "31d", "", "h1"):
        with pytest.raises(BadRequest):
            parse_ttl(bad)
