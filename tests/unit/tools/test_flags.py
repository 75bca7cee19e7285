"""Flags: every rule at its boundary, with evidence."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import Milestone, SourceKind
from tests.unit.tools.factory import AS_OF, CONFIG, Builder, ago, bare, book, healthy
from tools.as_of import view_as_of
from tools.evidence import Flag, FlagCode
from tools.flags import FINDERS, detect_flags


def flag(b: Builder, code: FlagCode, as_of: date = AS_OF) -> Flag | None:
    view = view_as_of(book(b).records(b.aid), as_of)
    return FINDERS[code](view, CONFIG)


def codes(b: Builder, as_of: date = AS_OF) -> set[FlagCode]:
    return {f.code for f in detect_flags(view_as_of(book(b).records(b.aid), as_of), CONFIG)}


# silence: against the account's own rhythm (weekly here: median gap 7, threshold max(3 x 7, 21) = 21)
def test_silence_exactly_at_the_threshold_is_not_silence() -> None:
    assert flag(bare().touches_every(7, last=21, count=10), FlagCode.SILENCE) is None


def test_silence_one_day_past_the_threshold() -> None:
    found = flag(bare().touches_every(7, last=22, count=10), FlagCode.SILENCE)
    assert found is not None and "22 days" in found.text
    assert found.evidence[0].source is SourceKind.ACTIVITIES and found.evidence[0].id == "t0"


def test_silence_is_judged_against_the_accounts_own_baseline() -> None:
    monthly = bare().touches_every(30, last=60, count=6)  # 60 days is normal-ish for a monthly rhythm
    weekly = bare().touches_every(7, last=30, count=20)  # 30 days is a long silence for a weekly one
    assert flag(monthly, FlagCode.SILENCE) is None
    assert flag(weekly, FlagCode.SILENCE) is not None
    assert flag(bare().touches_every(30, last=91, count=6), FlagCode.SILENCE) is not None


def test_silence_needs_a_regular_pattern_first() -> None:
    assert flag(bare().touches_every(7, last=100, count=3), FlagCode.SILENCE) is None


def test_silence_threshold_never_exceeds_max_days() -> None:
    quarterly = bare().touches_every(60, last=121, count=5)  # 3 x 60 = 180, capped at 120
    assert flag(quarterly, FlagCode.SILENCE) is not None


def test_internal_notes_are_not_customer_touches() -> None:
    b = bare().touches_every(7, last=40, count=10)
    for i in range(5):
        b.activity(f"n{i}", i * 3, "note")
    assert flag(b, FlagCode.SILENCE) is not None


# renewal window: 90 days inclusive
def test_renewal_in_90_days_is_soon_and_in_91_is_not() -> None:
    assert flag(bare(renewal_date=AS_OF + timedelta(days=90)), FlagCode.RENEWAL_SOON) is not None
    assert flag(bare(renewal_date=AS_OF + timedelta(days=91)), FlagCode.RENEWAL_SOON) is None
    assert flag(bare(renewal_date=AS_OF), FlagCode.RENEWAL_SOON) is not None
    assert flag(bare(renewal_date=AS_OF - timedelta(days=1)), FlagCode.RENEWAL_SOON) is None


# open crisis: an open sev-1 or an open escalated ticket
def test_open_crisis_on_severity_1_or_escalation_only() -> None:
    assert flag(bare().ticket("t", 3, severity=1, hours=None), FlagCode.OPEN_CRISIS) is not None
    assert flag(bare().ticket("t", 3, severity=3, hours=None, escalated=True), FlagCode.OPEN_CRISIS) is not None
    assert flag(bare().ticket("t", 3, severity=2, hours=None), FlagCode.OPEN_CRISIS) is None
    assert flag(bare().ticket("t", 3, severity=1, hours=5), FlagCode.OPEN_CRISIS) is None
    pending = bare().ticket("t", 3, severity=1, hours=None, status="pending")
    found = flag(pending, FlagCode.OPEN_CRISIS)
    assert found is not None and found.evidence[0].id == "t"


# overdue commitments
def test_a_commitment_due_today_is_not_overdue_one_due_yesterday_is() -> None:
    today = bare().activity("p", 30, "commitment", status="open", due=AS_OF)
    yesterday = bare().activity("p", 30, "commitment", status="open", due=ago(1))
    assert flag(today, FlagCode.OVERDUE_COMMITMENT) is None
    found = flag(yesterday, FlagCode.OVERDUE_COMMITMENT)
    assert found is not None and found.evidence[0].id == "p"


def test_done_commitments_are_not_overdue_unless_done_after_as_of() -> None:
    done = bare().activity("p", 30, "commitment", status="done", due=ago(5))
    done_later = bare().activity("p", 30, "commitment", status="done", due=ago(5),
                                 extra={"done_at": str(AS_OF + timedelta(days=3))})
    assert flag(done, FlagCode.OVERDUE_COMMITMENT) is None
    assert flag(done_later, FlagCode.OVERDUE_COMMITMENT) is not None


def test_customer_requests_are_not_our_commitments() -> None:
    assert flag(bare().activity("r", 30, "request", status="open", due=ago(5)), FlagCode.OVERDUE_COMMITMENT) is None


# usage decline: recent 28 days vs the 56 before, at least 25% down
def test_usage_decline_at_exactly_25_percent_and_not_below() -> None:
    assert flag(bare().weekly_usage([40] * 8 + [30] * 4), FlagCode.USAGE_DECLINE) is not None
    assert flag(bare().weekly_usage([40] * 8 + [31] * 4), FlagCode.USAGE_DECLINE) is None


def test_usage_that_stopped_is_a_decline() -> None:
    found = flag(bare().weekly_usage([40] * 8, last=60), FlagCode.USAGE_DECLINE)
    assert found is not None and "No product usage" in found.text


def test_tiny_accounts_do_not_flag_usage_noise() -> None:
    assert flag(bare().weekly_usage([2] * 8 + [1] * 4), FlagCode.USAGE_DECLINE) is None


# champion left
def test_champion_left_without_replacement() -> None:
    b = bare().contact("c-1", "champion", active=False, left_at=ago(10)).contact("c-2", "sponsor")
    found = flag(b, FlagCode.CHAMPION_LEFT)
    assert found is not None and found.evidence[0].id == "c-1"
    assert flag(b.contact("c-3", "champion"), FlagCode.CHAMPION_LEFT) is None


def test_a_champion_who_leaves_after_as_of_was_still_there() -> None:
    b = bare().contact("c-1", "champion", active=False, left_at=AS_OF + timedelta(days=1))
    assert flag(b, FlagCode.CHAMPION_LEFT) is None
    assert flag(b, FlagCode.CHAMPION_LEFT, as_of=AS_OF + timedelta(days=1)) is not None


def test_a_champion_who_left_long_ago_is_not_news() -> None:
    assert flag(bare().contact("c-1", "champion", active=False, left_at=ago(400)), FlagCode.CHAMPION_LEFT) is None


# negative sentiment: negative share of recent ratings
def test_negative_sentiment_from_detractors_and_low_ticket_csat() -> None:
    b = bare().survey("s1", 10, 3, contact_id="a").survey("s2", 10, 9, contact_id="b")
    found = flag(b, FlagCode.NEGATIVE_SENTIMENT)
    assert found is not None and found.evidence[0].id == "s1"
    many_happy = bare().survey("s1", 20, 3, contact_id="a")
    for i in range(5):
        many_happy.survey(f"p{i}", 10, 10, contact_id=f"p{i}")
    assert flag(many_happy, FlagCode.NEGATIVE_SENTIMENT) is None
    assert flag(bare().ticket("t", 10, csat=1), FlagCode.NEGATIVE_SENTIMENT) is not None


def test_the_latest_nps_answer_being_a_detractor_is_enough() -> None:
    b = bare()
    for i in range(5):
        b.survey(f"p{i}", 30, 10, contact_id=f"p{i}")
    found = flag(b.survey("s-last", 2, 4, contact_id="x"), FlagCode.NEGATIVE_SENTIMENT)
    assert found is not None and "Latest NPS answer is a detractor: 4" in found.text


def test_a_negative_comment_from_a_passive_counts_but_not_from_a_promoter() -> None:
    passive = bare().survey("s1", 10, 8, comment="Frustrating week with the outage")
    promoter = bare().survey("s1", 10, 10, comment="Frustrating week but support was great")
    assert flag(passive, FlagCode.NEGATIVE_SENTIMENT) is not None
    assert flag(promoter, FlagCode.NEGATIVE_SENTIMENT) is None


def test_only_the_latest_response_of_a_contact_counts() -> None:
    b = bare().survey("old", 60, 2, contact_id="a").survey("new", 10, 9, contact_id="a")
    assert flag(b, FlagCode.NEGATIVE_SENTIMENT) is None


# objectives
def test_objective_at_risk_from_status_due_date_or_overdue_milestone() -> None:
    assert flag(bare().objective("o", "at_risk"), FlagCode.OBJECTIVE_AT_RISK) is not None
    assert flag(bare().objective("o", "on_track", due_in=-1), FlagCode.OBJECTIVE_AT_RISK) is not None
    assert flag(bare().objective("o", "on_track", due_in=0), FlagCode.OBJECTIVE_AT_RISK) is None
    late = Milestone(title="pilot", due=ago(15))  # 14 days of grace
    found = flag(bare().objective("o", milestones=(late,)), FlagCode.OBJECTIVE_AT_RISK)
    assert found is not None and "pilot" in found.text and found.evidence[0].source is SourceKind.SUCCESS_PLANS
    in_grace = Milestone(title="pilot", due=ago(14))
    assert flag(bare().objective("o", milestones=(in_grace,)), FlagCode.OBJECTIVE_AT_RISK) is None
    done_later = Milestone(title="pilot", due=ago(30), done=AS_OF + timedelta(days=1))
    assert flag(bare().objective("o", milestones=(done_later,)), FlagCode.OBJECTIVE_AT_RISK) is not None
    done = Milestone(title="pilot", due=ago(30), done=ago(4))
    assert flag(bare().objective("o", milestones=(done,)), FlagCode.OBJECTIVE_AT_RISK) is None


def test_a_plan_updated_after_as_of_is_not_known_yet() -> None:
    b = bare().objective("o", "at_risk", updated_ago=-5)
    assert flag(b, FlagCode.OBJECTIVE_AT_RISK) is None


# expansion
def test_expansion_when_seats_run_out_or_the_customer_asks_for_more() -> None:
    assert flag(bare(licensed_seats=50).weekly_usage([44] * 4), FlagCode.EXPANSION_SIGNAL) is None
    assert flag(bare(licensed_seats=50).weekly_usage([45] * 4), FlagCode.EXPANSION_SIGNAL) is not None
    asks = bare().activity("r", 5, "request", title="Add 20 seats for the Lyon team", status="open")
    found = flag(asks, FlagCode.EXPANSION_SIGNAL)
    assert found is not None and found.evidence[0].id == "r"
    done = bare().activity("r", 5, "request", title="Add 20 seats for the Lyon team", status="done")
    assert flag(done, FlagCode.EXPANSION_SIGNAL) is None
    unrelated = bare().activity("r", 5, "request", title="Please address the seating-plan bug", status="open")
    assert flag(unrelated, FlagCode.EXPANSION_SIGNAL) is None


# value
def test_first_value_on_as_of_counts_one_day_later_does_not() -> None:
    assert flag(bare(first_value_date=AS_OF), FlagCode.NO_VALUE_YET) is None
    later = flag(bare(first_value_date=AS_OF + timedelta(days=1)), FlagCode.NO_VALUE_YET)
    assert later is not None and "past the 90-day" in later.text
    assert flag(bare(first_value_date=None).objective("o", "achieved"), FlagCode.NO_VALUE_YET) is None


def test_a_healthy_account_raises_no_flag_and_flags_are_ordered_by_urgency() -> None:
    assert codes(healthy()) == set()
    b = healthy(renewal_date=AS_OF + timedelta(days=30)).ticket("t", 1, severity=1, hours=None)
    found = [f.code for f in detect_flags(view_as_of(book(b).records("acme"), AS_OF), CONFIG)]
    assert found == [FlagCode.OPEN_CRISIS, FlagCode.RENEWAL_SOON]
