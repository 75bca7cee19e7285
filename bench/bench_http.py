"""HTTP throughput and latency on loopback: health look-ups/s, offline chat answers/s, first streamed token.

    python bench/bench_http.py [--data-dir bench/out/http] [--seconds 10] [--concurrency 8]

Starts `advocate serve` as its own process (uvicorn, one worker, the real app) on 127.0.0.1 over the
ingested demo workspace (ingested first if the data dir is empty), and drives it from this process
with httpx (asyncio, keep-alive connections):
- GET /v1/accounts/{id}/health for the 16 demo accounts in turn (csm key), as of 2026-11-16;
- POST /v1/chat (JSON) with the questions of tests/evals/answer_questions.yaml in turn, each with
  its audience's credential (a csm/manager key or the customer's widget token);
- POST /v1/chat with `Accept: text/event-stream`, one at a time: the time to the first `delta` event.
Targets (issue 8): >= 200 health look-ups/s, >= 20 chat answers/s on 2 cores, first token < 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_answer import percentile
from integrations.http.keystore import KeyStore
from integrations.http.tokens import issue_widget_token
from integrations.settings import Settings
from integrations.wiring import Services

REPO = Path(__file__).resolve().parent.parent
WORKSPACE = REPO / "examples" / "demo-workspace"
QUESTIONS = REPO / "tests" / "evals" / "answer_questions.yaml"
AS_OF = "2026-11-16"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ADVOCATE_HTTP_RATE_PER_MINUTE": "100000000", "ADVOCATE_HTTP_RATE_BURST": "100000",
           "ADVOCATE_HTTP_MAX_CONCURRENT_ANSWERS": "8", "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "integrations.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    server = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not become ready")


async def load(seconds: float, concurrency: int, call: Callable[[int], Awaitable[None]]) -> list[float]:
    """Run `call(i)` from `concurrency` workers for `seconds`; latencies in ms."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def worker() -> None:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            await call(next(counter))
            latencies.append((time.perf_counter() - t0) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measured(label: str, pid: int, seconds: float, concurrency: int,
                   call: Callable[[int], Awaitable[None]]) -> str:
    """One table row: requests, rate, p50/p95, and the server's own CPU per request (contention-free cost)."""
    cpu0 = cpu_seconds(pid)
    latencies = await load(seconds, concurrency, call)
    cpu_ms = (cpu_seconds(pid) - cpu0) * 1000 / len(latencies)
    return (f"| {label} | {len(latencies)} | {len(latencies) / seconds:.0f} | {statistics.median(latencies):.0f} | "
            f"{percentile(latencies, 0.95):.0f} | {cpu_ms:.1f} |")


async def run(base: str, pid: int, args: argparse.Namespace, headers: dict[str, dict[str, str]],
              cases: list[Any], accounts: list[str]) -> list[str]:
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        async def health(i: int) -> None:
            r = await client.get(f"/v1/accounts/{accounts[i % len(accounts)]}/health?as_of={AS_OF}",
                                 headers=headers["csm"])
            assert r.status_code == 200, r.text

        async def chat(i: int) -> None:
            case = cases[i % len(cases)]
            who = case.get("account") if case["audience"] == "customer" else case["audience"]
            r = await client.post("/v1/chat", headers=headers[who], json={"message": case["question"],
                                                                         "as_of": AS_OF})
            assert r.status_code == 200, r.text

        async def healthz(_: int) -> None:
            assert (await client.get("/healthz")).status_code == 200

        await load(2, args.concurrency, health)  # warm-up: judgement config, book cache, model session
        await load(2, 4, chat)
        results = [await measured("GET /healthz", pid, args.seconds, args.concurrency, healthz),
                   await measured("GET /v1/accounts/{id}/health", pid, args.seconds, args.concurrency, health),
                   await measured("POST /v1/chat (JSON, offline)", pid, args.seconds, 4, chat)]
        first: list[float] = []
        total: list[float] = []
        for i in range(args.stream_samples):
            case = cases[i % len(cases)]
            who = case.get("account") if case["audience"] == "customer" else case["audience"]
            t0 = time.perf_counter()
            async with client.stream("POST", "/v1/chat", json={"message": case["question"], "as_of": AS_OF},
                                     headers={**headers[who], "Accept": "text/event-stream"}) as r:
                seen = False
                async for line in r.aiter_lines():
                    if line == "event: delta" and not seen:
                        first.append((time.perf_counter() - t0) * 1000)
                        seen = True
            total.append((time.perf_counter() - t0) * 1000)
        results.append(f"| SSE first `delta` (one at a time) | {len(first)} | – | {statistics.median(first):.0f} | "
                       f"{percentile(first, 0.95):.0f} | – |")
        results.append(f"| SSE whole answer (one at a time) | {len(total)} | – | {statistics.median(total):.0f} | "
                       f"{percentile(total, 0.95):.0f} | – |")
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=REPO / "bench" / "out" / "http")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--stream-samples", type=int, default=60)
    args = parser.parse_args()

    settings = Settings(data_dir=args.data_dir)
    svc = Services(settings)
    if svc.store.meta("ingested_at") is None:
        print(svc.ingestor().ingest(WORKSPACE).line())
    keys = KeyStore(svc.store.engine)
    cases = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["cases"]
    headers = {role: {"Authorization": f"Bearer {keys.create(role, 'bench@fieldloop.example')[1]}"}
               for role in ("csm", "manager")}
    for case in cases:
        if case["audience"] == "customer":
            token = issue_widget_token(settings, case["account"], 3600)
            headers[case["account"]] = {"Authorization": f"Bearer {token}"}
    port = free_port()
    server = start_server(args.data_dir, port)
    try:
        base = f"http://127.0.0.1:{port}"
        results = asyncio.run(run(base, server.pid, args, headers, cases, svc.store.account_ids()))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{os.cpu_count()} cores; {args.seconds:.0f} s per load; concurrency {args.concurrency} (chat: 4)")
    load_avg = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average after the run (1/5/15 min): {load_avg}")
    print("| what | requests | per s | p50 ms | p95 ms | server CPU ms/request |\n|---|---|---|---|---|---|")
    print("\n".join(results))


if __name__ == "__main__":
    main()
