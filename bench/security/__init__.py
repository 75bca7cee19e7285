"""Measured safety: isolation, indirect injection, crash safety, hostile input and input scale.

    python -m bench.security [--quick] [--json] [--families isolation,injection,...]

`run_security(Options(...))` returns a `SecurityReport` (pydantic) for other front ends
(`advocate eval --security`). See docs/security.md for the threat model and the figures.
"""

from bench.security.report import FamilyReport, SecurityReport
from bench.security.runner import FAMILIES, Options, run_security

__all__ = ["FAMILIES", "FamilyReport", "Options", "SecurityReport", "run_security"]
