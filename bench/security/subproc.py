"""Run one command in a child process with a time limit, and measure its wall time and peak memory.

Hostile-input and crash probes must never take the harness down with them: each runs in its own
process, is killed on time-out, and its peak resident memory comes from the kernel (`wait4`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    """What a child did: exit code (None when killed on time-out), output, time and peak memory."""

    code: int | None
    out: str
    err: str
    seconds: float
    peak_mb: float
    timed_out: bool

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.err


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This repository first on the path, one embedding thread, no model configured (offline)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVOCATE_") and k != "OPENAI_API_KEY"}
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["ADVOCATE_EMBED_THREADS"] = "1"
    env.update(extra or {})
    return env


def cli_command(*args: str) -> list[str]:
    """`advocate ARGS` through this interpreter and this checkout."""
    return [sys.executable, "-m", "integrations.cli", *args]


def run_limited(argv: Sequence[str], *, timeout_s: float, stdin: bytes | None = None,
                env: Mapping[str, str] | None = None, cwd: Path | None = None,
                kill_after_s: float | None = None, kill_when: Callable[[], bool] | None = None) -> Outcome:
    """Run `argv`; SIGKILL its process group at `kill_after_s` (a crash) or `timeout_s` (a hang).

    `kill_when`, polled every 20 ms, kills the child as soon as it returns True (a crash at a chosen
    moment, e.g. once the index files start changing). Never raises for the child's failures.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(env or child_env()),
                            cwd=cwd or REPO, start_new_session=True)
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}
    threads = [threading.Thread(target=_drain, args=(stream, chunks[name]), daemon=True)
               for name, stream in (("out", proc.stdout), ("err", proc.stderr))]
    if stdin is not None:
        threads.append(threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True))
    for thread in threads:
        thread.start()
    limit = min(timeout_s, kill_after_s) if kill_after_s is not None else timeout_s
    timed_out = killed = False
    peak_kb = 0
    while True:
        pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_kb = max(peak_kb, _high_water_kb(proc.pid))
        if time.perf_counter() - started >= limit or (kill_when is not None and kill_when()):
            killed = True
            timed_out = time.perf_counter() - started >= timeout_s
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            pid, status, _ = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    for thread in threads:
        thread.join(timeout=5)
    return Outcome(None if killed else proc.returncode, b"".join(chunks["out"]).decode("utf-8", "replace"),
                   b"".join(chunks["err"]).decode("utf-8", "replace"), seconds, peak_kb / 1024, timed_out)


def _high_water_kb(pid: int) -> int:
    """Peak resident memory of a running process (VmHWM), in KiB; 0 once it is gone.

    Polled rather than taken from `wait4`: a child's `ru_maxrss` counts the parent's memory it
    shared before `exec`, which would report the harness's size instead of the child's.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _drain(stream: IO[bytes] | None, into: list[bytes]) -> None:
    if stream is None:
        return
    while block := stream.read(65536):
        into.append(block)
    stream.close()


def _feed(stream: IO[bytes] | None, data: bytes) -> None:
    if stream is None:
        return
    with contextlib.suppress(BrokenPipeError, OSError):
        stream.write(data)
        stream.close()
