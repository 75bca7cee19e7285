"""Account health: a 0–100 score and a band from weighted components, with flags and next actions.

`assess_health(book, account_id, *, as_of, config)` returns a `HealthReport` whose
`model_dump(mode="json")` is the `health --json` contract. The score is the weighted mean of the
scored components; a component without data is not scored and its weight is spread over the rest.
Below `health.min_scored_weight` of scored weight the score is null and the band `unknown`. Serious
flags cap the band (`health.band_caps`): an open crisis is red, an overdue promise at best yellow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from accounts.book import AccountBook, AccountRecords
from tools.actions import next_actions
from tools.as_of import AccountView, view_as_of
from tools.config import JudgementConfig
from tools.evidence import Action, Band, ComponentName, ComponentPart, ComponentScore, Flag, FlagCode
from tools.flags import detect_flags
from tools.health_components import score_adoption, score_engagement, score_support
from tools.health_components_people import (
    score_commercial,
    score_outcomes,
    score_relationship,
    score_sentiment,
)

SCORERS: dict[ComponentName, Callable[[AccountView, JudgementConfig], ComponentPart]] = {
    ComponentName.ADOPTION: score_adoption,
    ComponentName.ENGAGEMENT: score_engagement,
    ComponentName.SUPPORT: score_support,
    ComponentName.SENTIMENT: score_sentiment,
    ComponentName.OUTCOMES: score_outcomes,
    ComponentName.RELATIONSHIP: score_relationship,
    ComponentName.COMMERCIAL: score_commercial,
}

BAND_ORDER = {Band.RED: 0, Band.YELLOW: 1, Band.GREEN: 2}


class Trend(BaseModel):
    model_config = ConfigDict(frozen=True)

    delta_30d: int | None  # score now minus score `health.trend_days` earlier; null when either is null


class HealthReport(BaseModel):
    """The `health --json` contract, plus `name` and `data_quality` warnings."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    name: str
    as_of: date
    score: int | None
    band: Band
    trend: Trend
    raw_score: int | None  # the weighted component mean, before the band caps
    capped_by: list[FlagCode]  # flags that lowered the band (and the score to the top of that band)
    components: list[ComponentScore]
    flags: list[Flag]
    next_actions: list[Action]
    data_quality: list[str]


@dataclass(frozen=True, slots=True)
class HealthCore:
    """The parts of a health judgement that advocacy and the portfolio reuse."""

    view: AccountView
    components: list[ComponentScore]
    raw_score: int | None  # the weighted mean of the components
    score: int | None  # after the band caps
    band: Band
    flags: list[Flag]
    capped_by: list[FlagCode]

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.flags)


def score_components(view: AccountView, config: JudgementConfig) -> tuple[list[ComponentScore], int | None]:
    """All components with effective weights, and the total (None when too little is scored).

    The total is the weighted mean of the (rounded) component scores, so anyone can recompute it.
    """
    weights = config.health.normalised_weights()
    parts = [scorer(view, config) for scorer in SCORERS.values()]
    scored_weight = sum(weights[p.name] for p in parts if p.score is not None)
    components: list[ComponentScore] = []
    total = 0.0
    for p in parts:
        base = weights[p.name]
        value = None if p.score is None else round(p.score)
        effective = base / scored_weight if value is not None else 0.0
        if value is not None:
            total += effective * value
        if view.lean:
            continue
        components.append(ComponentScore(name=p.name, score=value, weight=round(effective, 4),
                                         base_weight=round(base, 4), scored=value is not None,
                                         detail=p.detail, evidence=p.evidence))
    if scored_weight == 0 or scored_weight < config.health.min_scored_weight:
        return components, None
    return components, round(total)


def band_of_score(score: int, config: JudgementConfig) -> Band:
    bands = config.health.bands
    return Band.GREEN if score >= bands.green_min else Band.YELLOW if score >= bands.yellow_min else Band.RED


def apply_caps(
    score: int | None, flags: list[Flag], config: JudgementConfig
) -> tuple[int | None, Band, list[FlagCode]]:
    """The band from the score, capped by serious flags; the score is lowered to the top of the capped band.

    Returns (score, band, the flags that lowered the band: empty when the score alone decided).
    """
    if score is None:
        return None, Band.UNKNOWN, []
    band = band_of_score(score, config)
    caps = config.health.band_caps
    capping = [f.code for f in flags if f.code in caps]
    if not capping:
        return score, band, []
    cap = min((caps[c] for c in capping), key=lambda b: BAND_ORDER.get(b, 2))
    if len(capping) >= config.health.red_with_caps:
        cap = Band.RED
    if BAND_ORDER.get(cap, 2) >= BAND_ORDER[band]:
        return score, band, []
    top = config.health.bands.green_min if cap is Band.YELLOW else config.health.bands.yellow_min
    return min(score, math.ceil(top) - 1), cap, capping


def judge_view(view: AccountView, config: JudgementConfig) -> HealthCore:
    components, raw = score_components(view, config)
    flags = detect_flags(view, config)
    score, band, capped_by = apply_caps(raw, flags, config)
    return HealthCore(view, components, raw, score, band, flags, capped_by)


def judge_account(records: AccountRecords, as_of: date, config: JudgementConfig) -> HealthCore:
    return judge_view(view_as_of(records, as_of), config)


def score_delta(records: AccountRecords, now: int | None, as_of: date, config: JudgementConfig) -> int | None:
    """The score change against `health.trend_days` earlier (recomputed as of then, caps included)."""
    if now is None:
        return None
    then = judge_view(view_as_of(records, as_of - timedelta(days=config.health.trend_days)), config).score
    return None if then is None else now - then


def assess_health(
    book: AccountBook, account_id: str, *, as_of: date, config: JudgementConfig
) -> HealthReport:
    """How is this customer doing? Raises UnknownAccount (with the closest ids) for an unknown id."""
    records = book.records(account_id)
    core = judge_account(records, as_of, config)
    view = core.view
    quality = list(view.data_quality)
    scored = sum(c.base_weight for c in core.components if c.scored)
    if core.score is None:
        quality.append(f"only {scored:.0%} of the health weight has data on or before {as_of}: "
                       "score not given")
    return HealthReport(
        account_id=account_id,
        name=view.account.name,
        as_of=as_of,
        score=core.score,
        band=core.band,
        trend=Trend(delta_30d=score_delta(records, core.score, as_of, config)),
        raw_score=core.raw_score,
        capped_by=core.capped_by,
        components=core.components,
        flags=core.flags,
        next_actions=next_actions(core, config),
        data_quality=quality,
    )
