"""Crash safety: `kill -9` of a real `advocate ingest` process at random moments of its work, during a
first ingest and a re-ingest; the next ingest completes and every reader sees exactly what a clean
ingest gives (bench/bench_crash.py does the same 20+ times on the demo workspace and reports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_crash import report, run
from tests.fixtures.tiny_workspace import write_tiny_workspace


@pytest.mark.slow
def test_kill_9_during_ingest_and_reingest_recovers_to_a_clean_ingest(tmp_path: Path) -> None:
    workspace = write_tiny_workspace(tmp_path / "tiny")
    results = run(5, workspace, tmp_path / "crash", seed=11)
    assert len(results) == 5 and {k.phase for k in results} == {"first", "re-ingest"}
    assert [k.problems for k in results] == [[]] * 5, report(results)
