"""Crash safety: `kill -9` of a real `advocate ingest` process during a first ingest and a re-ingest;
the next ingest completes and every reader sees exactly what a clean ingest gives (bench/bench_crash.py
does the same 20+ times and reports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_crash import report, run
from tests.conftest import DEMO_WORKSPACE


@pytest.mark.slow
def test_kill_9_during_ingest_and_reingest_recovers_to_a_clean_ingest(tmp_path: Path) -> None:
    # kills from just after start-up to the end of an uninterrupted run (imports take the first ~third)
    results = run(6, DEMO_WORKSPACE, tmp_path / "crash", seed=11, window=(0.35, 1.0))
    assert len(results) == 6 and {k.phase for k in results} == {"first", "re-ingest"}
    assert any(k.hit == "before commit" for k in results)  # at least one kill really interrupted an ingest
    assert [k.problems for k in results] == [[]] * 6, report(results)
