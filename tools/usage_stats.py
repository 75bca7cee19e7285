"""Product-usage statistics of one account as of a date: recent vs baseline users, features, seats.

Computed once per account view and shared by the adoption component, the usage_decline and
expansion_signal flags and the training action.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from accounts.models import UsageRecord
from tools.as_of import AccountView
from tools.config import JudgementConfig


@dataclass(frozen=True, slots=True)
class UsageStats:
    recent: tuple[UsageRecord, ...]  # rows in the recent window (or the latest row if not stale)
    baseline: tuple[UsageRecord, ...]  # rows in the window before it
    latest: UsageRecord | None
    stopped: bool  # there were rows, but none for `stale_days`
    recent_users: float  # mean active users now (0 when stopped)
    baseline_users: float | None  # mean active users before (None: no baseline rows)
    peak_recent_users: int

    @property
    def has_data(self) -> bool:
        return self.latest is not None

    @property
    def change(self) -> float | None:
        """Relative change of mean active users, recent vs baseline (-0.3 = 30% fewer)."""
        if not self.baseline_users:
            return None
        return self.recent_users / self.baseline_users - 1.0


def _mean_users(rows: tuple[UsageRecord, ...]) -> float:
    return sum(r.active_users for r in rows) / len(rows) if rows else 0.0


def usage_stats(view: AccountView, config: JudgementConfig) -> UsageStats:
    cached: UsageStats | None = view.memo.get("usage")
    if cached is not None:
        return cached
    cfg = config.adoption
    rows = view.usage
    recent_start = view.as_of - timedelta(days=cfg.recent_days)
    baseline_start = recent_start - timedelta(days=cfg.baseline_days)
    cut = bisect_right(rows, recent_start, key=lambda r: r.date)
    recent = rows[cut:]
    latest = rows[-1] if rows else None
    stopped = False
    if not recent and latest is not None:
        if view.days_since(latest.date) <= cfg.stale_days:
            recent = (latest,)  # sparse (e.g. monthly) rows: the latest one stands for "now"
        else:
            stopped = True
    baseline = rows[bisect_right(rows, baseline_start, key=lambda r: r.date):cut]
    if recent and recent[0] is latest and cut == len(rows):  # the latest row stands for "now": not baseline
        baseline = tuple(r for r in baseline if r is not latest)
    stats = UsageStats(
        recent=recent,
        baseline=baseline,
        latest=latest,
        stopped=stopped,
        recent_users=_mean_users(recent),
        baseline_users=_mean_users(baseline) if baseline else None,
        peak_recent_users=max((r.active_users for r in recent), default=0),
    )
    view.memo["usage"] = stats
    return stats


def licensed_features(view: AccountView) -> set[str]:
    """Features the account bought, when accounts.csv carries a `features`/`licensed_features` column."""
    for key in ("licensed_features", "features"):
        value = view.account.extra.get(key)
        if isinstance(value, str) and value.strip():
            return {f.strip() for f in value.split(";") if f.strip()}
    return set()


@dataclass(frozen=True, slots=True)
class LaggingFeature:
    feature: str
    baseline_share: float  # share of baseline periods using it (1.0 for bought-but-unused)
    recent_share: float
    last_used: UsageRecord | None


def lagging_features(view: AccountView, config: JudgementConfig) -> list[LaggingFeature]:
    """Features used regularly before (or bought) but now rarely used while others still are."""
    stats = usage_stats(view, config)
    if not stats.recent or stats.stopped:
        return []
    recent_counts = Counter(f for r in stats.recent for f in r.features)
    if not recent_counts:
        return []  # nothing used at all is a usage problem, not a training one
    cfg = config.feature_lag
    lagging: list[LaggingFeature] = []
    n_recent = len(stats.recent)
    if stats.baseline:
        base_counts = Counter(f for r in stats.baseline for f in r.features)
        n_base = len(stats.baseline)
        for feature, count in base_counts.items():
            base_share = count / n_base
            recent_share = recent_counts.get(feature, 0) / n_recent
            if base_share >= cfg.min_baseline_share and recent_share <= base_share * cfg.max_recent_ratio:
                last = next((r for r in reversed(view.usage) if feature in r.features), None)
                lagging.append(LaggingFeature(feature, base_share, recent_share, last))
    ever_used = {f for r in view.usage for f in r.features}
    for feature in sorted(licensed_features(view) - ever_used):
        lagging.append(LaggingFeature(feature, 1.0, 0.0, None))
    lagging.sort(key=lambda lf: (lf.recent_share - lf.baseline_share, lf.feature))
    return lagging
