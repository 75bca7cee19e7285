"""The judgement config: one documented defaults file, user overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.errors import AdvocateError
from accounts.models import AskKind
from tools.config import DEFAULTS_PATH, ConfigError, judgement_config_with, load_judgement_config
from tools.evidence import Band, ComponentName, FlagCode


def test_defaults_come_from_the_documented_yaml_file() -> None:
    config = load_judgement_config()
    assert DEFAULTS_PATH.name == "judgement_config.yaml"
    assert config.commercial.renewal_window_days == 90
    assert config.health.band_caps[FlagCode.OPEN_CRISIS] is Band.RED
    weights = config.health.normalised_weights()
    assert set(weights) == set(ComponentName)
    assert sum(weights.values()) == pytest.approx(1.0)


def test_every_knob_in_the_yaml_has_a_comment_or_a_commented_section() -> None:
    text = DEFAULTS_PATH.read_text(encoding="utf-8")
    assert text.count("#") > 40


def test_default_ask_weights_order_the_asks_from_light_to_heavy() -> None:
    w = load_judgement_config().advocacy.ask_weights
    order = [AskKind.SOCIAL_SHARE, AskKind.REVIEW, AskKind.QUOTE, AskKind.REFERENCE_CALL, AskKind.WEBINAR,
             AskKind.CASE_STUDY, AskKind.SPEAKING]
    assert [w[k] for k in order] == sorted(w[k] for k in order)
    assert len({w[k] for k in order}) == len(order)


def test_a_user_file_overrides_only_the_keys_it_names(tmp_path: Path) -> None:
    path = tmp_path / "judgements.yaml"
    path.write_text("silence:\n  k: 4\nadvocacy:\n  ask_weights:\n    case_study: 12\n", encoding="utf-8")
    config = load_judgement_config(path)
    assert config.silence.k == 4
    assert config.silence.min_days == load_judgement_config().silence.min_days
    assert config.advocacy.ask_weights[AskKind.CASE_STUDY] == 12
    assert config.advocacy.ask_weights[AskKind.REVIEW] == 2


def test_an_unknown_key_is_an_error_naming_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("silence:\n  kk: 4\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: silence\.kk"):
        load_judgement_config(path)


def test_a_bad_value_is_an_error_and_an_advocate_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("health:\n  bands:\n    green_min: 40\n    yellow_min: 60\n", encoding="utf-8")
    with pytest.raises(AdvocateError, match="yellow_min must not exceed green_min"):
        load_judgement_config(path)


def test_invalid_yaml_and_missing_files_are_one_line_errors(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("health: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.yaml:.*not valid YAML"):
        load_judgement_config(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_judgement_config(tmp_path / "missing.yaml")


def test_overrides_mapping_for_callers_that_tweak_one_knob() -> None:
    config = judgement_config_with({"health": {"weights": {"commercial": 0}}})
    assert config.health.normalised_weights()[ComponentName.COMMERCIAL] == 0
    with pytest.raises(ConfigError, match="weights must be >= 0"):
        judgement_config_with({"health": {"weights": {"adoption": -1}}})
