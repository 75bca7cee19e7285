"""Health components about what the customer does: adoption, engagement, support.

Each scorer returns a `ComponentPart` with a 0–100 score (or not scored, saying why) and the records
behind it. Weights are applied by `tools.health_score`.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import timedelta

from accounts.models import SourceKind
from tools.as_of import AccountView
from tools.config import JudgementConfig
from tools.evidence import ComponentName, ComponentPart, component, ev
from tools.touches import touches
from tools.usage_stats import licensed_features, usage_stats

MAX_EVIDENCE = 5


def _weighted(parts: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """The weighted mean of the sub-scores that exist (weights renormalised over them)."""
    total = weighted = 0.0
    for key, value in parts.items():
        w = weights.get(key, 0.0)
        if value is not None and w > 0:
            total += w
            weighted += w * value
    return weighted / total if total else None


def score_adoption(view: AccountView, config: JudgementConfig) -> ComponentPart:
    cfg = config.adoption
    stats = usage_stats(view, config)
    if stats.latest is None:
        return component(ComponentName.ADOPTION, None, "not scored: no usage data on or before as_of")
    seats = view.account.licensed_seats
    ratio = stats.recent_users / seats if seats else None
    utilisation = None if ratio is None else min(1.0, ratio / cfg.utilisation_target) * 100
    features_now = {f for r in stats.recent for f in r.features}
    known = features_now.union(*(r.features for r in stats.baseline), licensed_features(view))
    breadth = 100 * len(features_now) / len(known) if known else None
    change = stats.change
    trend = None
    if stats.stopped and stats.baseline_users is None:
        trend = 0.0
    elif change is not None:
        trend = 100.0 if change >= 0 else max(0.0, 100.0 * (1 - change / cfg.trend_zero_at))
    score = _weighted({"utilisation": utilisation, "breadth": breadth, "trend": trend}, cfg.sub_weights)
    if view.lean:
        return component(ComponentName.ADOPTION, score, "")
    evidence = [ev(SourceKind.USAGE, stats.latest.record_id)]
    details = [f"no usage since {stats.latest.date}"] if stats.stopped else []
    if ratio is not None:
        details.append(f"{stats.recent_users:.0f} of {seats} seats active ({ratio:.0%})")
    if known:
        details.append(f"{len(features_now)} of {len(known)} features in use")
    if change is not None:
        moved = "flat" if abs(change) < 0.005 else f"{change:+.0%}"
        details.append(f"active users {moved} vs the prior {cfg.baseline_days} days")
        evidence.append(ev(SourceKind.USAGE, stats.baseline[0].record_id))
    if score is None:
        return component(ComponentName.ADOPTION, None, "not scored: usage rows without seats or features",
                         evidence)
    return component(ComponentName.ADOPTION, score, "; ".join(details), evidence)


def score_engagement(view: AccountView, config: JudgementConfig) -> ComponentPart:
    cfg = config.engagement
    found = touches(view, config)
    if not found:
        return component(ComponentName.ENGAGEMENT, None,
                         "not scored: no meeting, call, e-mail, community post or request on record")
    start = view.as_of - timedelta(days=cfg.window_days)
    in_window = found[bisect_right(found, start, key=lambda a: a.date):]
    points = sum(cfg.touch_points[a.type] for a in in_window)
    volume = min(1.0, points / cfg.target_points) * 100
    last = found[-1]
    age = view.days_since(last.date)
    if age <= cfg.recency_full_days:
        recency = 100.0
    elif age >= cfg.recency_zero_days:
        recency = 0.0
    else:
        recency = 100.0 * (cfg.recency_zero_days - age) / (cfg.recency_zero_days - cfg.recency_full_days)
    score = volume * recency / 100  # both needed: many touches long ago, or one touch yesterday, score low
    if view.lean:
        return component(ComponentName.ENGAGEMENT, score, "")
    detail = (f"{len(in_window)} touches in {cfg.window_days} days ({points:g} points, "
              f"{cfg.target_points:g} for full marks); last {age} days ago ({last.type.value} {last.date})")
    evidence = [ev(SourceKind.ACTIVITIES, last.id)]
    evidence += [ev(SourceKind.ACTIVITIES, a.id) for a in reversed(in_window[-MAX_EVIDENCE:]) if a is not last]
    return component(ComponentName.ENGAGEMENT, score, detail, evidence)


def score_support(view: AccountView, config: JudgementConfig) -> ComponentPart:
    """100 minus penalties; a stream of quickly solved sev-3/4 tickets costs (almost) nothing."""
    cfg = config.support
    start = view.as_of - timedelta(days=cfg.lookback_days)
    relevant = [s for s in view.tickets if s.open or s.opened_on > start]
    if not relevant:
        return component(ComponentName.SUPPORT, None,
                         f"not scored: no open ticket and none opened in {cfg.lookback_days} days")
    severe: list[str] = []  # ids of the tickets that cost the most
    open_low = slow_low = 0.0
    penalty = 0.0
    n_open = n_slow = n_escalated = 0
    csats: list[int] = []
    for state in relevant:
        t = state.ticket
        if state.open:
            n_open += 1
            cost = cfg.open_penalty.get(t.severity, 0.0)
            if t.severity >= 3:
                open_low += cost
            else:
                penalty += cost
            if t.escalated:
                penalty += cfg.escalated_open_penalty
            if t.severity <= 2 or t.escalated:
                severe.append(t.ticket_id)
            continue
        if t.escalated:
            n_escalated += 1
            penalty += cfg.escalated_recent_penalty
            severe.append(t.ticket_id)
        target = cfg.resolution_target_hours.get(t.severity)
        if state.resolution_hours is not None and target is not None and state.resolution_hours > target:
            n_slow += 1
            cost = cfg.slow_penalty.get(t.severity, 0.0)
            if t.severity >= 3:
                slow_low += cost
            else:
                penalty += cost
                severe.append(t.ticket_id)
        if t.csat is not None:
            csats.append(t.csat)
    penalty += min(open_low, cfg.low_severity_open_cap) + min(slow_low, cfg.slow_low_severity_cap)
    if csats:
        penalty += max(0.0, cfg.csat_floor - sum(csats) / len(csats)) * cfg.csat_penalty_per_point
    if view.lean:
        return component(ComponentName.SUPPORT, 100.0 - penalty, "")
    details = [f"{n_open} open", f"{len(relevant) - n_open} closed in {cfg.lookback_days} days",
               f"{n_slow} slow", f"{n_escalated} escalated"]
    if csats:
        details.append(f"ticket CSAT {sum(csats) / len(csats):.1f} ({len(csats)})")
    ids = severe[:MAX_EVIDENCE] or [relevant[-1].ticket.ticket_id]
    evidence = [ev(SourceKind.TICKETS, i) for i in ids]
    return component(ComponentName.SUPPORT, 100.0 - penalty, ", ".join(details), evidence)
