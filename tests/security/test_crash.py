"""Crash safety: a re-ingest killed with SIGKILL mid-write, then ingested again.

One round of the crash family (the full run does 20+): the next ingest must complete and answer
exactly like a clean ingest; and until it does, the previous ingest must still be what serves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.security.crash import run_crash
from bench.security.report import FamilyReport

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def crash_report(tmp_path_factory: pytest.TempPathFactory) -> FamilyReport:
    report = FamilyReport(family="crash")
    run_crash(Path(tmp_path_factory.mktemp("crash")), 1, 1, report, accounts=["acme"], docs=1, kinds=("re-write",),
              check_incremental=False)
    return report


def failures(report: FamilyReport, phrase: str) -> list[str]:
    return [f"{e.probe}: {e.detail}" for e in report.examples if phrase in e.probe]


def test_the_kill_landed_before_the_ingest_finished(crash_report: FamilyReport) -> None:
    assert crash_report.metrics["kills_before_the_ingest_finished"] == "1/1"
    assert not failures(crash_report, "setup")


def test_the_next_ingest_completes_and_equals_a_clean_ingest(crash_report: FamilyReport) -> None:
    assert crash_report.probes == 2  # what served after the kill, and what serves after recovery
    assert not failures(crash_report, "recovery")


def test_the_previous_ingest_serves_until_the_next_one_commits(crash_report: FamilyReport) -> None:
    assert not failures(crash_report, "previous state serves")
