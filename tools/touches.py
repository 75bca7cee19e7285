"""Customer touches and silence, judged against the account's own rhythm.

A touch is a customer-touching activity (by default meeting, call, e-mail, community post, request:
the types in `engagement.touch_points`). Silence is a once-regular pattern that stopped: the median
gap between touch days in the `silence.baseline_days` before the last touch is the account's own
rhythm, and the account is silent when the days since the last touch exceed
`min(max(k x median gap, min_days), max_days)`. Fewer than `min_touches` touches in the baseline
window means there was no regular pattern, so the account is never called silent (low engagement
still shows in the engagement component).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from accounts.models import Activity
from tools.as_of import AccountView
from tools.config import JudgementConfig


def touches(view: AccountView, config: JudgementConfig) -> list[Activity]:
    cached: list[Activity] | None = view.memo.get("touches")
    if cached is None:
        kinds = config.engagement.touch_points
        cached = [a for a in view.activities if a.type in kinds]  # StrEnum members hash as their values
        view.memo["touches"] = cached
    return cached


@dataclass(frozen=True, slots=True)
class Rhythm:
    """The account's touch rhythm as of a date, and whether it has gone silent."""

    last_touch: Activity
    days_since: int
    median_gap: float
    baseline_touches: int
    threshold: float  # silent when days_since > threshold

    @property
    def silent(self) -> bool:
        return self.days_since > self.threshold


def touch_rhythm(view: AccountView, config: JudgementConfig) -> Rhythm | None:
    """The rhythm, or None when there was never a regular pattern to judge against."""
    if "rhythm" in view.memo:
        known: Rhythm | None = view.memo["rhythm"]
        return known
    rhythm = _rhythm(view, config)
    view.memo["rhythm"] = rhythm
    return rhythm


def _rhythm(view: AccountView, config: JudgementConfig) -> Rhythm | None:
    cfg = config.silence
    found = touches(view, config)
    if not found:
        return None
    last = found[-1]
    start = last.date - timedelta(days=cfg.baseline_days)
    window = found[bisect_left(found, start, key=lambda a: a.date):]
    if len(window) < cfg.min_touches:
        return None
    days = sorted({a.date for a in window})
    if len(days) < cfg.min_touches:
        return None
    gaps = sorted((b - a).days for a, b in pairwise(days))
    half = len(gaps) // 2
    gap = float(gaps[half]) if len(gaps) % 2 else (gaps[half - 1] + gaps[half]) / 2  # the median gap
    threshold = min(max(cfg.k * gap, float(cfg.min_days)), float(cfg.max_days))
    return Rhythm(
        last_touch=last,
        days_since=view.days_since(last.date),
        median_gap=gap,
        baseline_touches=len(days),
        threshold=threshold,
    )
