"""Crash safety: `kill -9` an ingest (first ingest or re-ingest) at a random moment, then ingest again.

The next ingest must complete (exit 0, no traceback) and the data dir must then answer exactly
as a clean ingest of the same workspace does (see fingerprint.py). Re-ingest runs start from a
copy of a finished ingest of version A and ingest version B (records edited, removed and added).
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench.security.fingerprint import Fingerprint, fingerprint_copy
from bench.security.report import FamilyReport
from bench.security.subproc import Outcome, cli_command, run_limited
from bench.security.workspace import PlantedWorkspace, append_jsonl, build_planted

INGEST_TIMEOUT_S = 600.0


def make_version_b(a: PlantedWorkspace, dest: Path) -> Path:
    """Version B of a workspace: two activities edited, one ticket removed, one activity and one doc added."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(a.path, dest)
    lines = (dest / "activities.jsonl").read_text(encoding="utf-8").splitlines()
    for i in (0, len(lines) // 2):
        row = json.loads(lines[i])
        row["body"] = row.get("body", "") + " Edited after the follow-up call: the renewal discount is withdrawn."
        lines[i] = json.dumps(row)
    (dest / "activities.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tickets = (dest / "tickets.csv").read_text(encoding="utf-8").splitlines()
    (dest / "tickets.csv").write_text("\n".join(tickets[:1] + tickets[2:]) + "\n", encoding="utf-8")
    account = sorted(a.accounts)[0]
    append_jsonl(dest / "activities.jsonl", {"id": "a-crash-new", "account_id": account, "date": "2026-11-12",
                                             "type": "call", "title": "Crash probe call",
                                             "body": "We walked through the dispatch board filter together.",
                                             "visibility": "customer"})
    (dest / "docs" / "crash-probe.md").write_text("# Crash probe\n\nHow to reset a dispatch board filter.\n",
                                                  encoding="utf-8")
    return dest


def ingest(workspace: Path, data_dir: Path, kill_after_s: float | None = None) -> Outcome:
    return run_limited(cli_command("ingest", str(workspace), "--data-dir", str(data_dir), "--replace"),
                       timeout_s=INGEST_TIMEOUT_S, kill_after_s=kill_after_s)


def clean(workspace: Path, data_dir: Path, report: FamilyReport, what: str) -> Outcome:
    """A complete ingest into a fresh data dir; records a failure if even that does not work."""
    shutil.rmtree(data_dir, ignore_errors=True)
    outcome = ingest(workspace, data_dir)
    if outcome.code != 0:
        report.notes.append(f"clean ingest of {what} failed (exit {outcome.code}): {outcome.err.strip()[-300:]}")
    return outcome


def _count(report: FamilyReport, key: str) -> None:
    report.metrics[key] = report.metrics.get(key, 0) + 1


def tree_state(data_dir: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under the data dir but SQLite's transient journals."""
    if not data_dir.exists():
        return {}
    return {str(p.relative_to(data_dir)): (p.stat().st_size, p.stat().st_mtime_ns) for p in data_dir.rglob("*")
            if p.is_file() and not p.name.endswith(("-journal", "-wal", "-shm"))}


def once_writing(data_dir: Path, marker: str, delay_s: float = 0.0) -> Callable[[], bool]:
    """A kill trigger: true `delay_s` after a file whose path contains `marker` first changes.

    With marker "keyword" it fires once the vectors are written and the keyword index is being
    saved, before the store commits: the moment two stores disagree unless ingests are atomic.
    """
    before = tree_state(data_dir)
    first_change: list[float] = []

    def due() -> bool:
        if not first_change:
            now = tree_state(data_dir)
            if any(marker in path for path in set(now) ^ set(before) | {p for p in now if now[p] != before.get(p)}):
                first_change.append(time.perf_counter())
        return bool(first_change) and time.perf_counter() - first_change[0] >= delay_s

    return due


def serving_problems(got: Fingerprint | str, previous: Fingerprint | None, complete: Fingerprint) -> list[str]:
    """What is wrong with what a data dir answers right after a kill: it must be the previous state (nothing,
    after a killed first ingest), or the complete new one when the kill came after the commit; never a mix."""
    if isinstance(got, Fingerprint) and not got.differences(complete):
        return []
    if previous is None:  # a killed first ingest: no half-ingested workspace may be served
        if isinstance(got, str) or not any(got.results.values()):
            return []
        return ["a killed first ingest serves partial results"]
    if isinstance(got, str):
        return [f"the previous ingest no longer answers: {got}"]
    return got.differences(previous)


KINDS = ("first", "re", "re-write")


def run_crash(base: Path, kills: int, seed: int, report: FamilyReport, *, accounts: list[str],
              docs: int, kinds: tuple[str, ...] = KINDS, check_incremental: bool = True) -> FamilyReport:
    """`kills` kill-and-recover rounds, rotating a first ingest, a re-ingest, and a re-ingest killed mid-write."""
    rng = random.Random(seed)
    ws_a = build_planted(base / "ws-a", accounts=accounts, docs=docs, injections=False)
    ws_b = make_version_b(ws_a, base / "ws-b")
    seed_a = base / "seed-a"
    first = clean(ws_a.path, seed_a, report, "version A")
    shutil.copytree(seed_a, base / "seed-b")  # re-ingest B onto A, uninterrupted: the incremental reference
    again = ingest(ws_b, base / "seed-b") if check_incremental else clean(ws_b, base / "clean-b", report, "version B")
    if check_incremental:
        clean(ws_b, base / "clean-b", report, "version B")
    if first.code != 0 or again.code != 0:
        report.failed("setup", "the uninterrupted ingests failed; nothing to compare")
        return report
    extra = tuple(w for words in ws_a.canaries.values() for w in words.values())
    names = sorted(ws_a.accounts)
    shutil.copytree(seed_a, base / "clean-a")
    refs = ("clean-a", "clean-b", "seed-b") if check_incremental else ("clean-a", "clean-b")
    reference = {name: fingerprint_copy(base / name, names, extra) for name in refs}
    if any(isinstance(r, str) for r in reference.values()):
        report.failed("setup", f"a reference data dir does not answer: {reference}")
        return report
    ref_a, ref_b = reference["clean-a"], reference["clean-b"]
    assert isinstance(ref_a, Fingerprint) and isinstance(ref_b, Fingerprint)
    if isinstance(incremental := reference.get("seed-b"), Fingerprint):
        report.check(not (diff := incremental.differences(ref_b)),
                     "incremental ingest A->B answers like a clean ingest of B", "; ".join(diff))
    durations = {"first": first.seconds, "re": again.seconds}
    report.metrics["clean_ingest_s"] = {k: round(v, 1) for k, v in durations.items()}
    killed_in_time = 0
    for i in range(kills):
        kind = kinds[i % len(kinds)]
        data = base / f"run-{i}"
        shutil.rmtree(data, ignore_errors=True)
        if kind != "first":
            shutil.copytree(seed_a, data)
        target = ws_a.path if kind == "first" else ws_b
        if kind == "re-write":
            killed = run_limited(cli_command("ingest", str(target), "--data-dir", str(data), "--replace"),
                                 timeout_s=INGEST_TIMEOUT_S, kill_when=once_writing(data, "keyword"))
            label = f"kill -9 as the keyword index is saved, vectors written, store not yet committed (run {i})"
        else:
            at = round(rng.uniform(0.15, 1.0) * durations[kind], 2)
            killed = ingest(target, data, kill_after_s=at)
            label = f"kill -9 at {at:.2f} s of a {kind} ingest (run {i})"
        killed_in_time += killed.code is None
        between = fingerprint_copy(data, names, extra)
        previous, complete = (None, ref_a) if kind == "first" else (ref_a, ref_b)
        if not report.check(not (p := serving_problems(between, previous, complete)),
                            f"{label}: until the next ingest commits, the previous state serves", "; ".join(p)):
            _count(report, f"failed.serving_after_kill.{kind}")
        recovered = ingest(target, data)
        if recovered.code != 0 or recovered.traceback:
            report.failed(f"{label}: recovery ingest", f"exit {recovered.code}: {recovered.err.strip()[-300:]}")
            _count(report, f"failed.recovery_ingest.{kind}")
            continue
        got = fingerprint_copy(data, names, extra)
        problems = [got] if isinstance(got, str) else got.differences(ref_a if kind == "first" else ref_b)
        if isinstance(got, Fingerprint) and got.duplicates:
            problems.append(f"duplicate chunks {sorted(set(got.duplicates))[:3]}")
        if not report.check(not problems, f"{label}: after recovery, answers equal a clean ingest",
                            "; ".join(problems)):
            _count(report, f"failed.after_recovery.{kind}")
        shutil.rmtree(data, ignore_errors=True)
    report.metrics["kills_before_the_ingest_finished"] = f"{killed_in_time}/{kills}"
    return report
