"""Success plans for synthetic workspaces: objectives and milestones whose status fits the archetype."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from bench.workspace_accounts import HAPPY, TROUBLED, Archetype
from bench.workspace_context import AccountContext
from bench.workspace_phrases import MILESTONES, OBJECTIVES


@dataclass(frozen=True)
class Milestone:
    title: str
    due: date
    done: date | None


@dataclass(frozen=True)
class Objective:
    id: str
    title: str
    kpi: str
    baseline: float
    target: float
    current: float
    due: date
    status: str
    milestones: tuple[Milestone, ...]


def _progress(ctx: AccountContext) -> float:
    """How far along an objective is (0 = baseline, 1 = target reached)."""
    rng, arch = ctx.rng, ctx.archetype
    if arch is Archetype.ONBOARDING:
        return rng.uniform(0.0, 0.2)
    if arch in HAPPY:
        return rng.uniform(0.5, 1.15)
    if arch in TROUBLED:
        return rng.uniform(0.0, 0.5)
    return rng.uniform(0.3, 0.95)


def _number(value: float, low: float, high: float) -> float:
    return round(value, 1) if high - low < 5 else float(round(value))


def _milestones(ctx: AccountContext, start: date, due: date, updated: date) -> tuple[Milestone, ...]:
    rng = ctx.rng
    done_rate = 0.9 if ctx.archetype in HAPPY else 0.5
    span = max(1, (due - start).days)
    dues = sorted(start + timedelta(days=rng.randint(span // 6, span)) for _ in range(rng.randint(1, 3)))
    result = []
    for title, m_due in zip(rng.sample(MILESTONES, len(dues)), dues, strict=True):
        done = None
        if m_due <= updated and rng.random() < done_rate:
            done = min(updated, m_due + timedelta(days=rng.randint(-6, 6)))
        result.append(Milestone(ctx.prose().fill(title, m_due), m_due, done))
    return tuple(result)


def objectives(ctx: AccountContext, updated: date) -> list[Objective]:
    """1–4 objectives; a troubled account always has at least one at risk."""
    rng, as_of = ctx.rng, ctx.as_of
    start = max(ctx.profile.contract_start, ctx.history_start)
    result: list[Objective] = []
    for n, (title, kpi, (b_lo, b_hi), (t_lo, t_hi)) in enumerate(rng.sample(OBJECTIVES, rng.randint(1, 4)), 1):
        baseline = _number(rng.uniform(b_lo, b_hi), b_lo, b_hi)
        target = _number(rng.uniform(t_lo, t_hi), t_lo, t_hi)
        progress = _progress(ctx)
        current = _number(baseline + (target - baseline) * progress, min(b_lo, t_lo), max(b_hi, t_hi))
        low_due = 30 if ctx.archetype is Archetype.ONBOARDING else -90
        due = as_of + timedelta(days=rng.randint(low_due, 270))
        expected = (updated - start).days / max(1, (due - start).days)
        if progress >= 1:
            status = "achieved"
        elif due < as_of:
            status = "missed"
        elif progress < expected - 0.25 or (n == 1 and ctx.archetype in TROUBLED):
            status = "at_risk"
        else:
            status = "on_track"
        result.append(Objective(f"obj-{n}", title, kpi, baseline, target, current, due, status,
                                _milestones(ctx, start, due, updated)))
    return result


def plan_yaml(ctx: AccountContext) -> str | None:
    """The account's success plan as YAML, or None for the ~15% of established accounts without one."""
    rng = ctx.rng
    if ctx.archetype is not Archetype.ONBOARDING and rng.random() < 0.15:
        return None
    updated = ctx.engagement_end - timedelta(days=rng.randint(0, 45))
    updated = max(updated, ctx.profile.contract_start)
    lines = [f"account_id: {json.dumps(ctx.profile.account_id)}", f"updated: {updated.isoformat()}", "objectives:"]
    for obj in objectives(ctx, updated):
        lines += [f"  - id: {obj.id}", f"    title: {json.dumps(obj.title)}", f"    kpi: {obj.kpi}",
                  f"    baseline: {obj.baseline:g}", f"    target: {obj.target:g}", f"    current: {obj.current:g}",
                  f"    due: {obj.due.isoformat()}", f"    status: {obj.status}", "    milestones:"]
        for m in obj.milestones:
            done = m.done.isoformat() if m.done else ""
            lines += [f"      - title: {json.dumps(m.title)}", f"        due: {m.due.isoformat()}",
                      f"        done: {done}".rstrip()]
    return "\n".join(lines) + "\n"
