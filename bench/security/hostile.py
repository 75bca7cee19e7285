"""Hostile input: every case runs in child processes with a time limit and a memory reading.

A case passes when each step exits with an acceptable code (2 for bad input, with one line on
stderr), prints no traceback, stays within its time and memory bounds, and never prints data from
outside the workspace.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from bench.security.hostile_cases import CASES, Case, Step
from bench.security.report import FamilyReport
from bench.security.subproc import Outcome, cli_command, run_limited


def step_problems(step: Step, outcome: Outcome, case: Case) -> list[str]:
    """What is wrong with one step's outcome (empty: fine)."""
    if outcome.timed_out:
        return [f"no answer within {case.time_s:.0f} s (killed; peak {outcome.peak_mb:.0f} MB)"]
    problems = []
    if outcome.code not in step.codes:
        problems.append(f"exit {outcome.code}, expected {' or '.join(map(str, step.codes))}: "
                        f"{outcome.err.strip()[-200:]!r}")
    if outcome.traceback:
        problems.append("printed a traceback")
    if outcome.code == 2 and len(outcome.err.strip().splitlines()) != 1:
        problems.append(f"exit 2 with {len(outcome.err.strip().splitlines())} lines on stderr, not one")
    if outcome.peak_mb > case.memory_mb:
        problems.append(f"peak memory {outcome.peak_mb:.0f} MB over {case.memory_mb:.0f} MB")
    printed = outcome.out + outcome.err
    problems += [f"printed forbidden data {word!r}" for word in step.forbidden if word in printed]
    return problems


def run_case(case: Case, base: Path, report: FamilyReport) -> None:
    """Prepare the case's files, run its steps in order, count it as one probe."""
    root = base / case.name
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    steps = case.prepare(root)
    data = root / "data"
    previous: Outcome | None = None
    problems: list[str] = []
    worst = {"seconds": 0.0, "peak_mb": 0.0}
    for step in steps:
        if step.only_if_ok and (previous is None or previous.code != 0):
            continue
        outcome = run_limited(cli_command(*step.args, "--data-dir", str(data)), timeout_s=case.time_s,
                              stdin=step.stdin)
        worst = {"seconds": max(worst["seconds"], outcome.seconds), "peak_mb": max(worst["peak_mb"], outcome.peak_mb)}
        problems += [f"`{' '.join(a[:40] for a in step.args[:3])}`: {p}" for p in step_problems(step, outcome, case)]
        previous = outcome
    report.metrics[f"{case.name}"] = f"{worst['seconds']:.1f} s, {worst['peak_mb']:.0f} MB peak"
    report.check(not problems, case.name, "; ".join(problems))
    shutil.rmtree(root, ignore_errors=True)


def run_hostile(base: Path, report: FamilyReport, *, quick: bool = False,
                only: Sequence[str] | None = None) -> FamilyReport:
    """Every case (the quick ones with `quick`); each failing case is kept as an example."""
    report.max_examples = max(report.max_examples, len(CASES))
    for case in CASES:
        if (only and case.name not in only) or (quick and not case.quick):
            continue
        run_case(case, base, report)
    return report
