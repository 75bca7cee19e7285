"""Judgement configuration: weights, thresholds, windows and cooldowns, with defaults in ONE file.

The defaults live in `tools/judgement_config.yaml` (each knob commented there and in
docs/judgements.md). A user file is merged over them key by key; unknown keys and bad values raise
`ConfigError` with one line naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accounts.errors import AdvocateError
from accounts.models import AskKind, ContactRole, ObjectiveStatus
from tools.evidence import Band, ComponentName, FlagCode

DEFAULTS_PATH = Path(__file__).with_name("judgement_config.yaml")


class ConfigError(AdvocateError):
    """A judgement config file that cannot be used: names the file and the offending key."""


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Days = Field(ge=0)


class BandThresholds(_Section):
    green_min: float = Field(ge=0, le=100)
    yellow_min: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> BandThresholds:
        if self.yellow_min > self.green_min:
            raise ValueError("yellow_min must not exceed green_min")
        return self


class HealthConfig(_Section):
    weights: dict[ComponentName, float]
    bands: BandThresholds
    band_caps: dict[FlagCode, Band] = {}
    red_with_caps: int = Field(ge=1)
    min_scored_weight: float = Field(ge=0, le=1)
    trend_days: int = Field(ge=1)

    @model_validator(mode="after")
    def _weights(self) -> HealthConfig:
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights must be >= 0 and not all 0")
        return self

    def normalised_weights(self) -> dict[ComponentName, float]:
        """Weights summing to 1, per component."""
        return self._normalised

    @cached_property
    def _normalised(self) -> dict[ComponentName, float]:  # computed once: the config is immutable
        total = sum(self.weights.values())
        return {name: self.weights.get(name, 0.0) / total for name in ComponentName}


class AdoptionConfig(_Section):
    recent_days: int = Field(ge=1)
    baseline_days: int = Field(ge=1)
    stale_days: int = Field(ge=1)
    utilisation_target: float = Field(gt=0)
    sub_weights: dict[str, float]
    trend_zero_at: float = Field(lt=0)


class EngagementConfig(_Section):
    window_days: int = Field(ge=1)
    touch_points: dict[str, float]
    target_points: float = Field(gt=0)
    recency_full_days: int = Days
    recency_zero_days: int = Field(ge=1)


class SupportConfig(_Section):
    lookback_days: int = Field(ge=1)
    open_penalty: dict[int, float]
    low_severity_open_cap: float = Field(ge=0)
    escalated_open_penalty: float = Field(ge=0)
    escalated_recent_penalty: float = Field(ge=0)
    resolution_target_hours: dict[int, float]
    slow_penalty: dict[int, float]
    slow_low_severity_cap: float = Field(ge=0)
    csat_floor: float = Field(ge=1, le=5)
    csat_penalty_per_point: float = Field(ge=0)


class SentimentConfig(_Section):
    window_days: int = Field(ge=1)
    recent_days: int = Field(ge=1)
    detractor_max: int = Field(ge=0, le=10)
    promoter_min: int = Field(ge=0, le=10)
    csat_low_max: int = Field(ge=1, le=5)
    csat_points: dict[int, float]
    negative_share: float = Field(gt=0, le=1)
    comment_penalty: float = Field(ge=0)
    comment_penalty_cap: float = Field(ge=0)
    negative_terms: tuple[str, ...]


class OutcomesConfig(_Section):
    status_points: dict[ObjectiveStatus, float]
    overdue_milestone_penalty: float = Field(ge=0)
    milestone_grace_days: int = Days


class RelationshipConfig(_Section):
    champion_points: float = Field(ge=0)
    sponsor_points: float = Field(ge=0)
    breadth_points: float = Field(ge=0)
    breadth_target: int = Field(ge=1)
    seen_days: int = Field(ge=1)
    champion_left_lookback_days: int = Field(ge=1)


class RenewalPoints(_Section):
    within_days: int = Days
    points: float = Field(ge=0, le=100)


class CommercialConfig(_Section):
    renewal_points: tuple[RenewalPoints, ...]
    beyond_points: float = Field(ge=0, le=100)
    lapsed_points: float = Field(ge=0, le=100)
    renewal_window_days: int = Days


class SilenceConfig(_Section):
    baseline_days: int = Field(ge=1)
    min_touches: int = Field(ge=2)
    k: float = Field(gt=0)
    min_days: int = Days
    max_days: int = Field(ge=1)


class UsageDeclineConfig(_Section):
    min_drop: float = Field(gt=0, lt=1)
    min_baseline_users: float = Field(ge=0)


class FeatureLagConfig(_Section):
    min_baseline_share: float = Field(gt=0, le=1)
    max_recent_ratio: float = Field(ge=0, le=1)


class ExpansionConfig(_Section):
    seat_utilisation: float = Field(gt=0)
    window_days: int = Field(ge=1)
    capacity_prefixes: tuple[str, ...]
    growth_words: frozenset[str]


class CommitmentsConfig(_Section):
    grace_days: int = Days
    upcoming_days: int = Field(default=30, ge=0)


class ValueConfig(_Section):
    time_to_value_days: int = Days


class ActionsConfig(_Section):
    max_actions: int = Field(ge=1)


class AdvocacyConfig(_Section):
    ask_weights: dict[AskKind, float]
    give_weights: dict[str, float]
    declined_ask_factor: float = Field(ge=0)
    balance_window_days: int = Field(ge=1)
    base_credit: float = Field(ge=0)
    decline_cooldown_days: int = Days
    contact_cooldown_days: int = Days
    account_window_days: int = Field(ge=1)
    max_asks_per_account: int = Field(ge=1)
    low_health_bands: tuple[Band, ...]
    contact_role_order: tuple[ContactRole, ...]
    revisit_days: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _all_kinds(self) -> AdvocacyConfig:
        missing = [k.value for k in AskKind if k not in self.ask_weights]
        if missing:
            raise ValueError(f"ask_weights lacks {', '.join(missing)}")
        return self

    def ask_weight(self, kind: str) -> float:
        try:
            return self.ask_weights[AskKind(kind)]
        except ValueError:
            return self.ask_weights[AskKind.OTHER]

    def give_weight(self, kind: str) -> float:
        return self.give_weights.get(kind, self.give_weights.get("other", 0.0))


class JudgementConfig(_Section):
    """Every knob of every judgement; build with `load_judgement_config()`."""

    health: HealthConfig
    adoption: AdoptionConfig
    engagement: EngagementConfig
    support: SupportConfig
    sentiment: SentimentConfig
    outcomes: OutcomesConfig
    relationship: RelationshipConfig
    commercial: CommercialConfig
    silence: SilenceConfig
    usage_decline: UsageDeclineConfig
    feature_lag: FeatureLagConfig
    expansion: ExpansionConfig
    commitments: CommitmentsConfig
    value: ValueConfig
    actions: ActionsConfig
    advocacy: AdvocacyConfig


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: not valid YAML") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    return data


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(data: Mapping[str, Any], where: str) -> JudgementConfig:
    try:
        return JudgementConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise ConfigError(f"{where}: {key}: {first['msg']}{more}") from None


@lru_cache(maxsize=1)
def _defaults_data() -> dict[str, Any]:
    return _read_yaml(DEFAULTS_PATH)


@lru_cache(maxsize=1)
def default_judgement_config() -> JudgementConfig:
    return _validate(_defaults_data(), str(DEFAULTS_PATH))


def load_judgement_config(path: Path | None = None) -> JudgementConfig:
    """The defaults, or the defaults overridden by the YAML file at `path`."""
    if path is None:
        return default_judgement_config()
    return _validate(_merge(_defaults_data(), _read_yaml(Path(path))), str(path))


def judgement_config_with(overrides: Mapping[str, Any]) -> JudgementConfig:
    """The defaults overridden by a nested mapping (tests and callers that tweak one knob)."""
    return _validate(_merge(_defaults_data(), overrides), "overrides")
