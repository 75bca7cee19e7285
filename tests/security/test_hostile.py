"""Hostile input, each case in child processes with a time limit: exit 2 with one line, or a bounded
time; never a traceback, never data from outside the workspace."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bench.security.hostile import run_case
from bench.security.hostile_cases import CASES
from bench.security.report import FamilyReport

BY_NAME = {case.name: case for case in CASES}


def run(name: str, tmp_path: Path, **limits: float) -> FamilyReport:
    report = FamilyReport(family="hostile")
    run_case(replace(BY_NAME[name], **limits), tmp_path, report)  # type: ignore[arg-type]
    return report


@pytest.mark.parametrize("name", ["10mb-doc"])
def test_hostile_input_is_refused_cleanly(name: str, tmp_path: Path) -> None:
    report = run(name, tmp_path)
    assert report.failures == 0, report.examples


@pytest.mark.parametrize("name", [
    "nested-json",
    "symlink-doc-outside",
    "visibility-public",
])
def test_workspace_reader_refuses_hostile_files(name: str, tmp_path: Path) -> None:
    report = run(name, tmp_path)
    assert report.failures == 0, report.examples


@pytest.mark.slow
def test_a_yaml_alias_bomb_is_refused_in_bounded_time(tmp_path: Path) -> None:
    report = run("yaml-alias-bomb", tmp_path, time_s=10, memory_mb=600)
    assert report.failures == 0, report.examples
