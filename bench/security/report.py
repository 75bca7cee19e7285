"""The security report: per probe family, how many probes ran, how many failed, and examples.

One pydantic model so `--json` and the readable table come from the same numbers, and a future
`advocate eval --security` can return it unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

MAX_EXAMPLES = 8


class Failure(BaseModel):
    """One failed probe: what was tried and what went wrong (kept short: examples, not a log)."""

    probe: str
    detail: str


class FamilyReport(BaseModel):
    """The outcome of one probe family (isolation, injection, crash, hostile, scale)."""

    family: str
    probes: int = 0
    failures: int = 0
    examples: list[Failure] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    max_examples: int = Field(default=MAX_EXAMPLES, exclude=True)

    def passed(self, probe: str = "") -> None:
        """Count one probe that held."""
        self.probes += 1

    def failed(self, probe: str, detail: str) -> None:
        """Count one failed probe, keeping the first few as examples."""
        self.probes += 1
        self.failures += 1
        if len(self.examples) < self.max_examples:
            self.examples.append(Failure(probe=probe[:300], detail=detail[:500]))

    def check(self, ok: bool, probe: str, detail: str) -> bool:
        """Count a probe as passed or failed; returns `ok` so callers can branch on it."""
        if ok:
            self.passed(probe)
        else:
            self.failed(probe, detail)
        return ok


class SecurityReport(BaseModel):
    """Every family's report of one run, with when and how the run was made."""

    started_at: str = Field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    quick: bool = False
    families: list[FamilyReport] = Field(default_factory=list)

    @property
    def failures(self) -> int:
        return sum(f.failures for f in self.families)

    def family(self, name: str) -> FamilyReport | None:
        return next((f for f in self.families if f.family == name), None)

    def table(self) -> str:
        """A readable summary: one row per family, then the metrics and failure examples."""
        lines = [f"Security run {self.started_at} ({'quick' if self.quick else 'full'})", ""]
        lines.append(f"{'family':<12} {'probes':>7} {'failures':>9} {'seconds':>8}")
        for f in self.families:
            lines.append(f"{f.family:<12} {f.probes:>7} {f.failures:>9} {f.seconds:>8.1f}")
        for f in self.families:
            lines += ["", f"== {f.family}"]
            lines += [f"  {key}: {value}" for key, value in f.metrics.items()]
            lines += [f"  note: {note}" for note in f.notes]
            for example in f.examples:
                lines.append(f"  FAIL {example.probe}")
                lines.append(f"       -> {example.detail}")
        return "\n".join(lines)
