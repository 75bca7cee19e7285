"""Crash safety: `kill -9` an `advocate ingest` at random moments, then check the next ingest recovers.

    python bench/bench_crash.py [--kills 20] [--workspace examples/demo-workspace] [--out bench/out/crash]

Half the kills hit a first ingest into an empty data dir, half a re-ingest after a change (two
workspace versions, alternating). After each kill the next ingest must complete, and what every
reader sees must equal a clean ingest of the same workspace: the same chunks (ids, texts, scope
metadata), the same vectors, the same results for a grid of queries × scopes × modes, the same
records, no duplicates, and at most two index generations on disk. Kill moments are uniform over
the ingest's work: from the moment it holds the ingest lock (the lock file names its holder) to
the end of an uninterrupted run; each kill is classified by what it hit: before the commit (the old
generation must still serve), after it, or after the exit.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from accounts.access import Scope
from integrations.settings import Settings
from integrations.wiring import Services
from retrieval.embeddings import HashingEmbedder
from retrieval.generations import chroma_generations, keyword_generations
from retrieval.hybrid import SearchMode

REPO = Path(__file__).resolve().parent.parent
QUERIES = ("sync conflict after offline work", "renewal risk discount", "single sign-on setup", "invoice export",
           "route optimisation", "mobile app crashes", "quarterly business review", "case study reference")


def hashing_services(data_dir: Path) -> Services:
    svc = Services(Settings(data_dir=data_dir))
    svc.embedder = HashingEmbedder()  # type: ignore[misc]  # the same embedder the killed process used
    return svc


def index_view(data_dir: Path) -> dict[str, Any]:
    """Everything a reader sees of the committed generation (chunks, vectors, results, records)."""
    svc = hashing_services(data_dir)
    snap = svc.snapshot()
    accounts = sorted(svc.store.account_ids())[:3]
    scopes = [Scope.for_audience("csm"), *(Scope.for_audience("customer", a) for a in accounts)]
    ids = [c.chunk_id for c in snap.keywords.chunks]
    found = snap.vectors.vectors_of(ids)
    return {
        "chunks": snap.keywords.chunks, "metadata": snap.vectors.all_metadata(), "ids": ids,
        "vectors": np.stack([found[i] for i in ids]) if ids else np.zeros((0, 0)),
        "searches": [[(p.chunk.chunk_id, round(p.score, 6)) for p in snap.retriever.search(q, s, 5, mode=m)]
                     for q in QUERIES for s in scopes for m in SearchMode],
        "hashes": svc.store.hashes(),
    }


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """What differs from a clean ingest's view (empty when recovered exactly)."""
    found = [k for k in ("chunks", "metadata", "hashes") if got[k] != want[k]]
    modes = list(SearchMode)
    differing = [i for i, (a, b) in enumerate(zip(got["searches"], want["searches"], strict=True)) if a != b]
    if differing:
        first = differing[0]
        found.append(f"searches ({len(differing)} of {len(want['searches'])} differ, modes "
                     f"{sorted({modes[i % len(modes)].value for i in differing})}; first: {got['searches'][first][:3]} "
                     f"instead of {want['searches'][first][:3]})")
    if got["vectors"].shape != want["vectors"].shape or not np.allclose(got["vectors"], want["vectors"], atol=1e-6):
        found.append("vectors")
    if len(set(got["ids"])) != len(got["ids"]):
        found.append("duplicate chunk ids")
    return found


def generation_count(data_dir: Path) -> int:
    svc = hashing_services(data_dir)
    return len(chroma_generations(svc.chroma, "advocate") | keyword_generations(data_dir / "keyword_index"))


def ingest_command(workspace: Path, data_dir: Path) -> list[str]:
    return [sys.executable, str(REPO / "bench" / "crash_ingest.py"), "ingest", str(workspace), "--data-dir",
            str(data_dir)]


def run_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "ADVOCATE_EMBED_THREADS": "1"}


def holding_lock(data_dir: Path) -> bool:
    """Whether an ingest holds the data dir's lock (past start-up and validation: the work has begun)."""
    try:
        return "pid" in (data_dir / "ingest.lock").read_text(encoding="utf-8")
    except OSError:
        return False


def start(workspace: Path, data_dir: Path) -> tuple[subprocess.Popen[bytes], float]:
    """An `advocate ingest` process, returned once it holds the lock (or has exited); and when that was."""
    process = subprocess.Popen(ingest_command(workspace, data_dir), env=run_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while process.poll() is None and not holding_lock(data_dir):
        time.sleep(0.01)
    return process, time.perf_counter()


def ingest(workspace: Path, data_dir: Path) -> float:
    """An uninterrupted `advocate ingest` in a subprocess; the wall time of its work (lock to exit)."""
    process, working = start(workspace, data_dir)
    _, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"ingest failed ({process.returncode}): {err.decode()[-500:]}")
    return time.perf_counter() - working


def committed(data_dir: Path) -> str | None:
    return hashing_services(data_dir).store.generation() if (data_dir / "advocate.sqlite3").exists() else None


@dataclass
class Kill:
    phase: str  # "first" or "re-ingest"
    at_s: float
    hit: str  # "before commit", "after commit", "after exit"
    recovery_s: float
    problems: list[str]


def kill_once(workspace: Path, data_dir: Path, at_s: float, phase: str, want: dict[str, Any],
              before: dict[str, Any] | None) -> Kill:
    """Start an ingest, SIGKILL it after `at_s`, check the committed state, recover, compare."""
    old_generation = committed(data_dir)
    process, _ = start(workspace, data_dir)
    time.sleep(at_s)
    exited = process.poll() is not None
    if not exited:
        process.send_signal(signal.SIGKILL)
    process.communicate()
    now = committed(data_dir)
    hit = "after exit" if exited else ("before commit" if now == old_generation else "after commit")
    problems: list[str] = []
    if hit == "before commit" and before is not None:  # the old generation must still serve, intact
        problems += [f"old generation: {p}" for p in differences(index_view(data_dir), before)]
    recovery = ingest(workspace, data_dir)
    problems += differences(index_view(data_dir), want)
    if generation_count(data_dir) > 2:
        problems.append(f"{generation_count(data_dir)} generations on disk")
    return Kill(phase, at_s, hit, recovery, problems)


def change(workspace: Path) -> None:
    """Version B of a workspace: every 7th activity line edited, one doc removed."""
    path = workspace / "activities.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line.replace('"body": "', '"body": "Edited. ', 1) if i % 7 == 0 else line for i, line in enumerate(lines)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = sorted((workspace / "docs").rglob("*.md"))
    if docs:
        docs[0].unlink()


def run(kills: int, source: Path, out: Path, seed: int = 7, window: tuple[float, float] = (0.0, 1.0)) -> list[Kill]:
    """`kills` kills at moments uniform over `window` (fractions of an uninterrupted ingest's wall time)."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    version_a, version_b = out / "workspace-a", out / "workspace-b"
    shutil.copytree(source, version_a)
    shutil.copytree(source, version_b)
    change(version_b)
    workspace = out / "workspace"  # one path (the data dir records it); its content switches A <-> B
    views: dict[str, dict[str, Any]] = {}
    timing: dict[str, float] = {}
    for name, version in (("a", version_a), ("b", version_b)):
        shutil.rmtree(workspace, ignore_errors=True)
        shutil.copytree(version, workspace)
        timing[name] = ingest(workspace, out / f"clean-{name}")
        views[name] = index_view(out / f"clean-{name}")
    print(f"uninterrupted ingest, lock to exit: first {timing['a']:.1f} s, of version B {timing['b']:.1f} s",
          flush=True)
    results: list[Kill] = []
    first = kills // 2
    for i in range(first):
        shutil.rmtree(workspace, ignore_errors=True)
        shutil.copytree(version_a, workspace)
        data_dir = out / f"first-{i}"
        at = rng.uniform(window[0] * timing["a"], window[1] * timing["a"])
        results.append(kill_once(workspace, data_dir, at, "first", views["a"], None))
        shutil.rmtree(data_dir, ignore_errors=True)
    data_dir, current = out / "reingest", "a"
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.copytree(version_a, workspace)
    ingest(workspace, data_dir)
    for _ in range(kills - first):
        target = "b" if current == "a" else "a"
        shutil.rmtree(workspace, ignore_errors=True)
        shutil.copytree(version_a if target == "a" else version_b, workspace)
        at = rng.uniform(window[0] * timing[target], window[1] * timing[target])
        results.append(kill_once(workspace, data_dir, at, "re-ingest", views[target], views[current]))
        current = target
    return results


def report(results: list[Kill]) -> str:
    hits = Counter((k.phase, k.hit) for k in results)
    failed = [k for k in results if k.problems]
    lines = [f"{len(results)} kills: " + ", ".join(f"{phase} {hit}: {n}" for (phase, hit), n in sorted(hits.items())),
             f"recovered exactly (equal to a clean ingest): {len(results) - len(failed)} of {len(results)}",
             f"recovery ingest: median {np.median([k.recovery_s for k in results]):.1f} s, "
             f"max {max(k.recovery_s for k in results):.1f} s"]
    lines += [f"FAILED {k.phase} kill at {k.at_s:.2f} s ({k.hit}): {', '.join(k.problems)}" for k in failed]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--workspace", type=Path, default=REPO / "examples" / "demo-workspace")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "crash")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = run(args.kills, args.workspace, args.out, args.seed)
    print(report(results))
    sys.exit(1 if any(k.problems for k in results) else 0)


if __name__ == "__main__":
    main()
