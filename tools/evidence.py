"""The vocabulary every judgement speaks: evidence, flags, actions, reasons and their closed code sets.

Every point a judgement makes carries evidence: the kind of record (`SourceKind`) and the record's id,
so a reader can open the very activity, ticket, usage row or survey response behind it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from accounts.models import SourceKind


class FlagCode(StrEnum):
    OPEN_CRISIS = "open_crisis"
    SILENCE = "silence"
    USAGE_DECLINE = "usage_decline"
    CHAMPION_LEFT = "champion_left"
    RENEWAL_SOON = "renewal_soon"
    OVERDUE_COMMITMENT = "overdue_commitment"
    NEGATIVE_SENTIMENT = "negative_sentiment"
    OBJECTIVE_AT_RISK = "objective_at_risk"
    EXPANSION_SIGNAL = "expansion_signal"
    NO_VALUE_YET = "no_value_yet"


# Flags that make a yellow account "at risk" in the portfolio (a red one is at risk anyway).
SERIOUS_FLAGS: frozenset[FlagCode] = frozenset(
    {
        FlagCode.OPEN_CRISIS,
        FlagCode.SILENCE,
        FlagCode.USAGE_DECLINE,
        FlagCode.CHAMPION_LEFT,
        FlagCode.OVERDUE_COMMITMENT,
        FlagCode.NEGATIVE_SENTIMENT,
        FlagCode.OBJECTIVE_AT_RISK,
    }
)


class Band(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNKNOWN = "unknown"  # too little data on or before as_of to judge (score is null)


class ComponentName(StrEnum):
    ADOPTION = "adoption"
    ENGAGEMENT = "engagement"
    SUPPORT = "support"
    SENTIMENT = "sentiment"
    OUTCOMES = "outcomes"
    RELATIONSHIP = "relationship"
    COMMERCIAL = "commercial"


class Verdict(StrEnum):
    READY = "ready"
    NOT_YET = "not_yet"  # the customer has not reached real value
    NOT_NOW = "not_now"  # value reached, but this is the wrong moment


class ReasonCode(StrEnum):
    NO_VALUE_YET = "no_value_yet"
    OPEN_CRISIS = "open_crisis"
    OVER_ASKED = "over_asked"  # bank overdrawn, ask too heavy, or asks too frequent
    RECENTLY_DECLINED = "recently_declined"
    CHAMPION_LEFT = "champion_left"
    LOW_HEALTH = "low_health"
    CONTACT_UNAVAILABLE = "contact_unavailable"  # extension: the contact asked about has left
    CUSTOMER_DECLINED_KIND = "customer_declined_kind"  # extension: a note rules out this kind of ask


class Evidence(BaseModel):
    """One record behind a point: its kind and its id (usage rows: `account:date`)."""

    model_config = ConfigDict(frozen=True)

    source: SourceKind
    id: str


class Flag(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: FlagCode
    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class Action(BaseModel):
    """A concrete next step: what to do, why, and the records that call for it."""

    model_config = ConfigDict(frozen=True)

    text: str
    why: str
    evidence: list[Evidence] = Field(default_factory=list)


class Reason(BaseModel):
    """Why an advocacy ask is not ready (or is limited)."""

    model_config = ConfigDict(frozen=True)

    code: ReasonCode
    text: str
    evidence: list[Evidence] = Field(default_factory=list)


def ev(source: SourceKind, record_id: str) -> Evidence:
    return Evidence(source=source, id=record_id)


class ComponentScore(BaseModel):
    """One health component: its 0–100 score, or null and `scored: false` when it has no data."""

    model_config = ConfigDict(frozen=True)

    name: ComponentName
    score: int | None
    weight: float  # effective weight in the total (0 when not scored; the rest renormalised)
    base_weight: float  # configured weight
    scored: bool
    detail: str
    evidence: list[Evidence] = Field(default_factory=list)


class ComponentPart(NamedTuple):
    """What a component scorer finds; `tools.health` weighs it into a `ComponentScore`."""

    name: ComponentName
    score: float | None  # None: not scored (no data), and `detail` says why
    detail: str
    evidence: list[Evidence]


def component(
    name: ComponentName, score: float | None, detail: str, evidence: list[Evidence] | None = None
) -> ComponentPart:
    value = None if score is None else (0.0 if score < 0 else 100.0 if score > 100 else score)
    return ComponentPart(name, value, detail, evidence or [])
