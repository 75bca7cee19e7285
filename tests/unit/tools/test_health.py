"""Health: components, weights, bands, trend, data quality, and the as-of cut."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.errors import UnknownAccount
from tests.unit.tools.factory import AS_OF, CONFIG, ago, bare, book, healthy
from tools.config import judgement_config_with
from tools.evidence import Band, ComponentName, FlagCode
from tools.health import assess_health

CONTRACT_KEYS = {"account_id", "as_of", "score", "band", "trend", "components", "flags", "next_actions"}


def health(*builders, account_id: str = "acme", as_of=AS_OF, config=CONFIG):  # type: ignore[no-untyped-def]
    return assess_health(book(*builders), account_id, as_of=as_of, config=config)


def comp(report, name: ComponentName):  # type: ignore[no-untyped-def]
    return next(c for c in report.components if c.name is name)


def test_a_healthy_account_is_green_with_every_component_scored_and_evidence() -> None:
    report = health(healthy())
    assert report.band is Band.GREEN and report.score is not None and report.score >= 90
    assert report.flags == [] and report.data_quality == []
    assert all(c.scored and c.evidence for c in report.components)


def test_the_json_is_the_contract() -> None:
    data = health(healthy()).model_dump(mode="json")
    assert set(data) >= CONTRACT_KEYS
    assert data["as_of"] == "2026-06-30" and set(data["trend"]) == {"delta_30d"}
    assert isinstance(data["score"], int) and data["band"] in {"green", "yellow", "red"}
    for c in data["components"]:
        assert {"name", "score", "weight", "scored", "evidence"} <= set(c)
        assert all(set(e) == {"source", "id"} for e in c["evidence"])


def test_a_component_without_data_is_not_scored_and_its_weight_is_spread() -> None:
    b = healthy()
    b.tickets.clear()
    report = health(b)
    support = comp(report, ComponentName.SUPPORT)
    assert not support.scored and support.score is None and support.weight == 0
    assert support.detail.startswith("not scored")
    assert sum(c.weight for c in report.components) == pytest.approx(1.0, abs=1e-3)
    adoption = comp(report, ComponentName.ADOPTION)
    assert adoption.weight == pytest.approx(0.25 / 0.85, abs=1e-3)
    expected = sum(c.weight * c.score for c in report.components if c.score is not None)
    assert report.score == round(expected)


def test_as_of_before_any_data_gives_no_colour_and_says_why() -> None:
    report = health(healthy(), as_of=ago(1000))
    assert report.score is None and report.band is Band.UNKNOWN
    assert report.trend.delta_30d is None
    assert any("health weight" in w for w in report.data_quality)
    assert not comp(report, ComponentName.ADOPTION).scored
    assert [f.code for f in report.flags] == [FlagCode.NO_VALUE_YET]


def test_records_after_as_of_are_ignored() -> None:
    """A workspace exported later answers the same for an earlier as-of."""
    later = healthy()
    later.ticket("t-late", -5, severity=1, hours=None, escalated=True)
    later.activity("a-late", -3, "meeting").survey("s-late", -2, 0, comment="cancel")
    later.weekly_usage([1, 1], last=-14).give("g-late", -1).ask("x-late", -1, "case_study", outcome="declined")
    later.activity("c-late", -1, "commitment", status="open", due=ago(20))
    assert health(later).model_dump() == health(healthy()).model_dump()


def test_a_ticket_closed_after_as_of_was_open_then() -> None:
    b = healthy().ticket("t-crit", 2, severity=1, hours=24 * 10)  # closed 8 days after as_of
    report = health(b)
    assert FlagCode.OPEN_CRISIS in [f.code for f in report.flags]
    assert report.band is Band.RED  # an open crisis caps the band
    assert report.capped_by == [FlagCode.OPEN_CRISIS]
    assert report.raw_score is not None and report.raw_score >= 70 and report.score == 44


def test_a_ticket_closed_before_it_opened_is_a_data_quality_warning_not_a_crash() -> None:
    report = health(healthy().ticket("t-bad", 20, severity=2, hours=-30))
    assert any("t-bad" in w and "before it opened" in w for w in report.data_quality)


def test_noise_is_not_churn_many_quick_low_severity_tickets_stay_green() -> None:
    b = healthy()
    for i in range(40):
        b.ticket(f"n-{i}", 2 + i * 4, severity=3 + i % 2, hours=2 + i % 20, csat=5 if i % 3 else 4)
    b.ticket("n-open-1", 1, severity=4, hours=None).ticket("n-open-2", 2, severity=3, hours=None)
    report = health(b)
    assert report.band is Band.GREEN
    assert comp(report, ComponentName.SUPPORT).score >= 85
    assert not {FlagCode.OPEN_CRISIS, FlagCode.NEGATIVE_SENTIMENT} & {f.code for f in report.flags}


def test_severe_support_trouble_costs_a_lot() -> None:
    b = healthy().ticket("s1", 5, severity=1, hours=None, escalated=True).ticket("s2", 30, severity=2, hours=200)
    assert comp(health(b), ComponentName.SUPPORT).score <= 40


def test_a_failing_account_is_red() -> None:
    b = bare(first_value_date=None)
    b.contact("c-old", "champion", active=False, left_at=ago(40)).contact("c-u", "user")
    b.touches_every(7, last=60, count=12)
    b.weekly_usage([40] * 8 + [10] * 4)
    b.survey("s-1", 20, 2, comment="Frustrating outages").survey("s-2", 25, 4, contact_id="c-u")
    b.ticket("t-1", 10, severity=2, hours=None).objective("o-1", "at_risk")
    report = health(b)
    assert report.band is Band.RED
    assert {FlagCode.SILENCE, FlagCode.USAGE_DECLINE, FlagCode.CHAMPION_LEFT, FlagCode.NEGATIVE_SENTIMENT,
            FlagCode.OBJECTIVE_AT_RISK, FlagCode.NO_VALUE_YET} <= {f.code for f in report.flags}


def test_trend_is_the_score_change_against_thirty_days_earlier() -> None:
    b = healthy().survey("s-bad", 5, 1, contact_id="c-champ", comment="unhappy, looking at a competitor")
    now = health(b)
    then = health(b, as_of=AS_OF - timedelta(days=30))
    assert now.trend.delta_30d == now.score - then.score
    assert now.trend.delta_30d < 0


def test_one_serious_flag_caps_at_yellow_two_at_red() -> None:
    one = health(healthy().activity("p", 30, "commitment", status="open", due=ago(3)))
    assert one.band is Band.YELLOW and one.capped_by == [FlagCode.OVERDUE_COMMITMENT]
    assert one.score == 69 and one.raw_score is not None and one.raw_score > 69
    two = health(healthy().activity("p", 30, "commitment", status="open", due=ago(3)).objective("o", "at_risk"))
    assert two.band is Band.RED and two.score == 44
    assert two.capped_by == [FlagCode.OVERDUE_COMMITMENT, FlagCode.OBJECTIVE_AT_RISK]
    renewal = health(healthy(renewal_date=AS_OF + timedelta(days=10)))
    assert renewal.band is Band.GREEN and renewal.capped_by == []  # not every flag is a risk


def test_band_thresholds_come_from_config() -> None:
    strict = judgement_config_with({"health": {"bands": {"green_min": 100, "yellow_min": 100}}})
    assert health(healthy(), config=strict).band is Band.RED


def test_unknown_account_raises_with_the_closest_ids() -> None:
    with pytest.raises(UnknownAccount) as err:
        health(healthy(), healthy("acme-east"), account_id="acme-eats")
    assert "acme-east" in err.value.closest
    assert "acme-eats" in str(err.value)


def test_relationship_counts_a_champion_not_seen_lately_as_half() -> None:
    b = healthy()
    b.activities[:] = [a for a in b.activities if a.id != "a-priya"]
    b.surveys.clear()
    seen = comp(health(healthy()), ComponentName.RELATIONSHIP).score
    unseen = comp(health(b), ComponentName.RELATIONSHIP).score
    assert seen == 100 and unseen == 100 - 25 - 15
