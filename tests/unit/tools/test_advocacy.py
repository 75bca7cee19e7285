"""Advocacy timing: not_yet / not_now / ready, the loyalty bank, cooldowns, the suggested ask."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.errors import BadRequest, UnknownAccount
from accounts.models import AskKind
from tests.unit.tools.factory import AS_OF, CONFIG, Builder, ago, book, healthy
from tools.advocacy import AdvocacyCheck, check_advocacy, loyalty_balance
from tools.config import judgement_config_with
from tools.evidence import ReasonCode, Verdict


def check(b: Builder, config=CONFIG, **kw) -> AdvocacyCheck:  # type: ignore[no-untyped-def]
    result = check_advocacy(book(b), b.aid, as_of=AS_OF, config=config, **kw)
    if result.verdict is not Verdict.READY:
        assert result.reasons, "a verdict other than ready always has a reason"
    return result


def reasons(result: AdvocacyCheck) -> set[ReasonCode]:
    return {r.code for r in result.reasons}


def test_a_healthy_account_that_reached_value_is_ready_with_the_champion() -> None:
    result = check(healthy())
    assert result.verdict is Verdict.READY and result.reasons == []
    assert result.suggested is not None and result.suggested.contact_id == "c-champ"
    data = result.model_dump(mode="json")
    assert {"account_id", "as_of", "verdict", "reasons", "balance", "suggested", "before_asking"} <= set(data)
    assert data["balance"] == {"given": 0, "asked": 0, "net": 0, "affords": 2, "evidence": []}


def test_not_yet_until_real_value() -> None:
    b = healthy(first_value_date=None)
    b.plan = None
    result = check(b)
    assert result.verdict is Verdict.NOT_YET and ReasonCode.NO_VALUE_YET in reasons(result)
    assert result.suggested is None
    later = healthy(first_value_date=AS_OF + timedelta(days=1))
    later.plan = None
    assert check(later).verdict is Verdict.NOT_YET


def test_first_value_date_on_as_of_counts_as_value() -> None:
    b = healthy(first_value_date=AS_OF)
    b.plan = None
    assert check(b).verdict is Verdict.READY


def test_an_achieved_objective_counts_as_value() -> None:
    assert check(healthy(first_value_date=None)).verdict is Verdict.READY  # obj-1 is achieved


def test_not_now_during_a_crisis_with_what_to_do_first() -> None:
    result = check(healthy().ticket("t-crit", 3, severity=1, hours=None))
    assert result.verdict is Verdict.NOT_NOW
    assert reasons(result) == {ReasonCode.OPEN_CRISIS, ReasonCode.LOW_HEALTH}  # an open crisis makes it red
    assert result.reasons[0].evidence[0].id == "t-crit"
    assert result.before_asking[0].text.startswith("Resolve the open crisis")


def test_decline_cooldown_boundary() -> None:
    give = healthy().give("g", 30).give("g2", 30)
    inside = check(give.ask("d", 119, "case_study", outcome="declined"))
    assert inside.verdict is Verdict.NOT_NOW and ReasonCode.RECENTLY_DECLINED in reasons(inside)
    outside = check(healthy().give("g", 30).give("g2", 30).ask("d", 120, "case_study", outcome="declined"))
    assert ReasonCode.RECENTLY_DECLINED not in reasons(outside)


def test_a_declined_ask_still_counts_as_asked() -> None:
    b = healthy().ask("d", 200, "case_study", outcome="declined")
    assert loyalty_balance(book(b), "acme", as_of=AS_OF, config=CONFIG).asked == 0  # outside the window
    b = healthy().ask("d", 100, "case_study", outcome="declined")
    assert loyalty_balance(book(b), "acme", as_of=AS_OF, config=CONFIG).asked == 12
    half = judgement_config_with({"advocacy": {"declined_ask_factor": 0.5}})
    assert loyalty_balance(book(b), "acme", as_of=AS_OF, config=half).asked == 6


def test_overdrawn_bank_is_over_asked_and_asks_to_reciprocate() -> None:
    result = check(healthy().give("g", 100, "training").ask("a", 150, "case_study", outcome="completed"))
    assert result.balance.model_dump(exclude={"evidence"}) == {"given": 3, "asked": 12, "net": -9, "affords": -7}
    assert result.verdict is Verdict.NOT_NOW and reasons(result) == {ReasonCode.OVER_ASKED}
    assert any("Reciprocate" in a.text and "7 points" in a.text for a in result.before_asking)


def test_the_goodwill_reserve_absorbs_a_small_debt() -> None:
    at_limit = check(healthy().ask("a", 150, "review"))  # net -2 + base credit 2 = 0: not overdrawn
    assert ReasonCode.OVER_ASKED in reasons(at_limit)  # ...but 0 points afford no ask
    assert "affords no ask" in at_limit.reasons[0].text
    overdrawn = check(healthy().ask("a", 150, "quote"))  # net -3 + 2 = -1
    assert "overdrawn" in overdrawn.reasons[0].text


def test_the_balance_only_counts_its_window() -> None:
    b = healthy().ask("a", 180, "case_study").ask("b", 179, "review")  # window: the last 180 days
    assert loyalty_balance(book(b), "acme", as_of=AS_OF, config=CONFIG).asked == 2


def test_the_balance_names_the_gives_and_asks_it_counted_newest_first() -> None:
    b = healthy().give("g-old", 300, "training").give("g", 20, "training").ask("a", 90, "review")
    balance = loyalty_balance(book(b), "acme", as_of=AS_OF, config=CONFIG)
    assert [(e.source.value, e.id) for e in balance.evidence] == [("advocacy", "g"), ("advocacy", "a")]


def test_per_account_frequency_boundary() -> None:
    base = healthy().give("g1", 20).give("g2", 20)
    too_often = check(base.ask("a1", 10, "social_share").ask("a2", 89, "social_share"))
    assert ReasonCode.OVER_ASKED in reasons(too_often) and too_often.verdict is Verdict.NOT_NOW
    spaced = check(healthy().give("g1", 20).give("g2", 20).ask("a1", 10, "social_share")
                   .ask("a2", 90, "social_share"))
    assert spaced.verdict is Verdict.READY


def test_per_contact_cooldown_boundary_moves_to_the_next_contact() -> None:
    asked = check(healthy().give("g", 20).ask("a", 89, "review", contact_id="c-champ"))
    assert asked.verdict is Verdict.READY and asked.suggested and asked.suggested.contact_id == "c-spon"
    cooled = check(healthy().give("g", 20).ask("a", 90, "review", contact_id="c-champ"))
    assert cooled.suggested and cooled.suggested.contact_id == "c-champ"
    specific = check(healthy().give("g", 20).ask("a", 89, "review", contact_id="c-champ"), contact_id="c-champ")
    assert specific.verdict is Verdict.NOT_NOW and ReasonCode.OVER_ASKED in reasons(specific)


def test_every_contact_recently_asked_is_over_asked() -> None:
    b = healthy().give("g", 20).give("g2", 20).give("g3", 20)
    for cid in ("c-champ", "c-spon", "c-admin"):
        b.ask(f"a-{cid}", 100 - 5 * len(b.advocacy), "social_share", contact_id=cid)
    b.advocacy[:] = [e.model_copy(update={"date": ago(80 - i)}) if e.direction == "ask" else e
                     for i, e in enumerate(b.advocacy)]
    result = check(b, judgement_config_with({"advocacy": {"max_asks_per_account": 9}}))
    assert result.verdict is Verdict.NOT_NOW and ReasonCode.OVER_ASKED in reasons(result)


@pytest.mark.parametrize(("gives", "expected"), [
    (0, AskKind.REVIEW),  # net 0 + base credit 2
    (1, AskKind.REFERENCE_CALL),  # 3 + 2 = 5
    (3, AskKind.WEBINAR),  # 9 + 2 = 11
    (4, AskKind.CASE_STUDY),  # 12 + 2 = 14
    (5, AskKind.SPEAKING),  # 15 + 2 = 17
])
def test_the_suggested_ask_is_sized_to_the_balance(gives: int, expected: AskKind) -> None:
    b = healthy()
    for i in range(gives):
        b.give(f"g{i}", 30 + i, "training")
    result = check(b)
    assert result.suggested is not None and result.suggested.kind is expected


def test_a_specific_heavy_ask_the_balance_cannot_afford() -> None:
    result = check(healthy(), kind="case_study")
    assert result.verdict is Verdict.NOT_NOW and reasons(result) == {ReasonCode.OVER_ASKED}
    assert "case study costs 12" in result.reasons[0].text and "review" in result.before_asking[0].text
    ok = check(healthy(), kind=AskKind.REVIEW)
    assert ok.verdict is Verdict.READY and ok.suggested and ok.suggested.kind is AskKind.REVIEW


def test_champion_left_and_low_health_are_not_now() -> None:
    b = healthy()
    b.contacts[0] = b.contacts[0].model_copy(update={"active": False, "left_at": ago(20)})
    result = check(b)
    assert result.verdict is Verdict.NOT_NOW and ReasonCode.CHAMPION_LEFT in reasons(result)
    assert result.suggested is None
    strict = judgement_config_with({"health": {"bands": {"green_min": 100, "yellow_min": 100}}})
    low = check(healthy(), strict)
    assert low.verdict is Verdict.NOT_NOW and ReasonCode.LOW_HEALTH in reasons(low)


def test_a_specific_contact_who_left_or_does_not_exist() -> None:
    b = healthy().contact("c-gone", "user", active=False, left_at=ago(5))
    result = check(b, contact_id="c-gone")
    assert result.verdict is Verdict.NOT_NOW and ReasonCode.CONTACT_UNAVAILABLE in reasons(result)
    with pytest.raises(BadRequest, match="c-nobody"):
        check(healthy(), contact_id="c-nobody")
    with pytest.raises(BadRequest, match="unknown ask kind"):
        check(healthy(), kind="billboard")
    with pytest.raises(UnknownAccount):
        check_advocacy(book(healthy()), "acmee", as_of=AS_OF, config=CONFIG)


def test_sponsor_when_no_champion_is_on_record() -> None:
    b = healthy()
    b.contacts[:] = [c for c in b.contacts if c.role != "champion"]
    result = check(b)
    assert result.verdict is Verdict.READY and result.suggested and result.suggested.contact_id == "c-spon"
