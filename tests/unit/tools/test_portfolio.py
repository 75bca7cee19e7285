"""Portfolio: counts, bands, at-risk by ARR, renewals, advocacy-ready, silent, overdue; CSM filter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.errors import BadRequest
from tests.unit.tools.factory import AS_OF, CONFIG, Builder, ago, bare, book, healthy
from tools.evidence import FlagCode
from tools.portfolio import PortfolioSummary, summarize_portfolio


def red(account_id: str, arr: float) -> Builder:
    b = bare(account_id, arr=arr, first_value_date=None)
    b.contact("c-old", "champion", active=False, left_at=ago(40)).contact("c-u", "user")
    b.touches_every(7, last=60, count=12).weekly_usage([40] * 8 + [10] * 4)
    b.survey("s-1", 20, 2, comment="Frustrating outages").objective("o-1", "at_risk")
    return b


def portfolio(*builders: Builder, csm: str | None = None) -> PortfolioSummary:
    return summarize_portfolio(book(*builders), as_of=AS_OF, config=CONFIG, csm=csm)


def test_counts_arr_and_bands() -> None:
    summary = portfolio(healthy("a", arr=100.0), healthy("b", arr=50.5), red("c", 10.0))
    assert summary.accounts == 3 and summary.arr_total == 160.5
    assert summary.by_band == {"green": 2, "yellow": 0, "red": 1}
    data = summary.model_dump(mode="json")
    for key in ("at_risk", "renewals_next_90d", "advocacy_ready", "silent", "overdue_commitments"):
        assert all("account_id" in item for item in data[key])


def test_at_risk_is_red_or_yellow_with_a_serious_flag_largest_arr_first() -> None:
    crisis = healthy("crisis", arr=500.0).ticket("t", 2, severity=1, hours=None)  # red by the cap
    promise = healthy("promise", arr=700.0).activity("p", 30, "commitment", status="open", due=ago(2))
    renewing = healthy("renewing", arr=900.0, renewal_date=AS_OF + timedelta(days=30))  # green, not at risk
    summary = portfolio(red("small", 10.0), red("big", 1000.0), crisis, renewing, promise)
    assert [a.account_id for a in summary.at_risk] == ["big", "promise", "crisis", "small"]
    assert summary.at_risk[1].band == "yellow" and summary.at_risk[1].flags == [FlagCode.OVERDUE_COMMITMENT]
    assert summary.at_risk[2].band == "red" and FlagCode.OPEN_CRISIS in summary.at_risk[2].flags
    assert summary.at_risk[0].renewal_date == bare().account.renewal_date


def test_renewals_in_the_next_90_days_with_their_band() -> None:
    summary = portfolio(healthy("in90", renewal_date=AS_OF + timedelta(days=90)),
                        healthy("in91", renewal_date=AS_OF + timedelta(days=91)),
                        healthy("in10", renewal_date=AS_OF + timedelta(days=10)))
    assert [(r.account_id, r.days) for r in summary.renewals_next_90d] == [("in10", 10), ("in90", 90)]
    assert summary.renewals_next_90d[0].band == "green"


def test_advocacy_ready_silent_and_overdue_lists() -> None:
    silent = healthy("quiet")
    silent.activities[:] = [a for a in silent.activities if a.date < ago(40)]
    late = healthy("late").activity("p-1", 30, "commitment", title="Send SSO fix", status="open", due=ago(4))
    summary = portfolio(healthy("fine"), silent, late, red("bad", 5.0))
    assert "fine" in [r.account_id for r in summary.advocacy_ready]
    assert "bad" not in [r.account_id for r in summary.advocacy_ready]
    assert [(s.account_id, s.days_silent) for s in summary.silent] == [("quiet", 45), ("bad", 60)]
    assert summary.silent[0].usual_gap_days == 7
    assert [(o.account_id, o.activity_id, o.days_overdue) for o in summary.overdue_commitments] == [
        ("late", "p-1", 4)]


def test_csm_filter_by_handle_or_email_and_unknown_csm() -> None:
    mine = healthy("mine", csm="dana@vendor.example")
    theirs = healthy("theirs", csm="lee@vendor.example")
    assert portfolio(mine, theirs, csm="dana").accounts == 1
    assert portfolio(mine, theirs, csm="DANA@vendor.example").accounts == 1
    assert portfolio(mine, theirs).accounts == 2
    with pytest.raises(BadRequest, match=r"dona.*closest: dana@vendor\.example"):
        portfolio(mine, theirs, csm="dona@vendor.example")


def test_unknown_band_is_counted_when_data_are_too_thin() -> None:
    summary = portfolio(healthy("a"), bare("empty", renewal_date=None))
    assert summary.by_band["unknown"] == 1


def test_commitments_due_within_the_upcoming_window_not_overdue_or_later_ones() -> None:
    soon = healthy("soon").activity("p-1", 5, "commitment", title="Ship fix", status="open",
                                    due=AS_OF + timedelta(days=4))
    edge = healthy("edge").activity("p-2", 5, "commitment", status="open", due=AS_OF + timedelta(days=30))
    later = healthy("later").activity("p-3", 5, "commitment", status="open", due=AS_OF + timedelta(days=31))
    late = healthy("late").activity("p-4", 30, "commitment", status="open", due=ago(1))
    done = healthy("done").activity("p-5", 5, "commitment", status="done", due=AS_OF + timedelta(days=3))
    summary = portfolio(soon, edge, later, late, done)
    assert [(c.account_id, c.activity_id, c.days_to_due) for c in summary.commitments_due_soon] == [
        ("soon", "p-1", 4), ("edge", "p-2", 30)]
    assert summary.commitments_due_soon[0].title == "Ship fix"
    assert [o.account_id for o in summary.overdue_commitments] == ["late"]


def test_no_value_yet_recently_declined_and_largest() -> None:
    onboarding = bare("new", arr=30.0, first_value_date=None)
    declined = healthy("no", arr=20.0).ask("d-1", 10, "case_study", outcome="declined")
    long_ago = healthy("old", arr=10.0).ask("d-2", 200, "review", outcome="declined")
    summary = portfolio(onboarding, declined, long_ago, healthy("big", arr=900.0))
    assert [a.account_id for a in summary.no_value_yet] == ["new"]
    assert [(d.account_id, d.advocacy_id, d.ask_kind) for d in summary.recently_declined] == [
        ("no", "d-1", "case_study")]
    cooldown = timedelta(days=CONFIG.advocacy.decline_cooldown_days)
    assert summary.recently_declined[0].ask_again_from == ago(10) + cooldown
    assert [a.account_id for a in summary.largest] == ["big", "new", "no", "old"]


def test_every_account_is_listed_under_its_band_largest_arr_first() -> None:
    greens = [healthy(f"g{i}", arr=float(i)) for i in range(1, 13)]  # more than the LARGEST list holds
    summary = portfolio(*greens, red("r", 5.0), bare("empty", renewal_date=None))
    bands = summary.accounts_by_band
    assert [a.account_id for a in bands["green"]] == [f"g{i}" for i in range(12, 0, -1)]
    assert [a.account_id for a in bands["red"]] == ["r"] and bands["yellow"] == []
    assert [a.account_id for a in bands["unknown"]] == ["empty"]
    assert len(summary.largest) < len(bands["green"])
    assert "accounts_by_band" in summary.model_dump(mode="json")


def test_expansion_lists_the_accounts_outgrowing_their_seats() -> None:
    full = healthy("full", arr=200.0, licensed_seats=42)  # 42 of 42 seats used in the last weeks
    summary = portfolio(full, healthy("room", arr=900.0, licensed_seats=100))
    assert [(a.account_id, a.flags.count(FlagCode.EXPANSION_SIGNAL)) for a in summary.expansion] == [("full", 1)]


def test_over_asked_lists_accounts_we_asked_too_much_of_lately() -> None:
    tapped = healthy("tapped", arr=50.0).ask("x-1", 10, "reference_call").ask("x-2", 20, "review")
    tapped.ask("x-3", 30, "webinar")
    fresh = healthy("fresh", arr=500.0).give("g-1", 50).give("g-2", 60).give("g-3", 70).ask("y-1", 100, "review")
    summary = portfolio(tapped, fresh)
    assert [a.account_id for a in summary.over_asked] == ["tapped"]
    item = summary.over_asked[0]
    assert item.advocacy_id in {"x-1", "x-2", "x-3"} and item.detail and item.net < 0
    assert [a.account_id for a in summary.advocacy_ready] == ["fresh"]
