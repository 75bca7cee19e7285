"""Notes that rule out a kind of ask (customer_declined_kind), no ask during a crisis, revisit dates, the bank."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accounts.models import AskKind
from tests.unit.tools.factory import AS_OF, CONFIG, Builder, book, healthy
from tools.advocacy import AdvocacyCheck, check_advocacy
from tools.as_of import view_as_of
from tools.evidence import ReasonCode, Verdict
from tools.refusals import find_hold, refused_kinds


def check(b: Builder, **kw) -> AdvocacyCheck:  # type: ignore[no-untyped-def]
    return check_advocacy(book(b), b.aid, as_of=AS_OF, config=CONFIG, **kw)


def rich(note: str = "") -> Builder:
    """Healthy, with enough gives for the heaviest asks, and optionally a note of the customer's rules."""
    b = healthy().give("g1", 20, "feature_delivered").give("g2", 25, "exec_access").give("g3", 30, "intro")
    if note:
        b.activity("a-rules", 40, "note", body=note, visibility="internal")
    return b


ALL_BUT_REFERENCES = {k for k in AskKind if k not in (AskKind.REFERENCE_CALL, AskKind.OTHER)}


@pytest.mark.parametrize(("sentence", "kinds"), [
    ("Never suggest a case study.", {AskKind.CASE_STUDY}),
    ("Legal won't allow logo use.", {AskKind.CASE_STUDY, AskKind.QUOTE, AskKind.REVIEW, AskKind.SOCIAL_SHARE,
                                     AskKind.WEBINAR, AskKind.SPEAKING}),  # a published review names them too
    ("Do not ask them for any reference, quote or case study.", {AskKind.REFERENCE_CALL, AskKind.QUOTE,
                                                                 AskKind.CASE_STUDY}),
    ("No logo in marketing, references by phone only.", ALL_BUT_REFERENCES),
    ("We only do reference calls.", ALL_BUT_REFERENCES),  # the one kind they allow rules out every other
    ("Phone references only, at most two a year.", ALL_BUT_REFERENCES),
    ("I'm going to say no to the case study.", set()),  # one ask answered: the loyalty bank records it
    ("Stark is ready for a case study.", set()),
    ("They had no trouble with the webinar tool; references went well.", set()),
])
def test_refusal_sentences(sentence: str, kinds: set[AskKind]) -> None:
    assert refused_kinds(sentence) == kinds


def test_a_note_ruling_out_the_kind_asked_blocks_it_with_the_note_cited() -> None:
    result = check(rich("Their rules: phone references only. Never suggest a case study."), kind="case_study")
    assert result.verdict is Verdict.NOT_NOW
    reason = next(r for r in result.reasons if r.code is ReasonCode.CUSTOMER_DECLINED_KIND)
    assert [e.id for e in reason.evidence] == ["a-rules"] and "Never suggest a case study" in reason.text
    assert result.revisit_on == AS_OF + timedelta(days=CONFIG.advocacy.revisit_days)


def test_a_balance_that_affords_only_kinds_their_notes_rule_out_says_so_and_names_the_one_they_allow() -> None:
    """Coastal's case: enough goodwill for a review, but "phone references only", and a reference call costs
    more than the balance affords. Not now, citing the note, and not "affords no ask" as if they were over-asked."""
    plain = check(healthy())
    assert plain.verdict is Verdict.READY and plain.suggested is not None
    assert plain.suggested.kind is not AskKind.REFERENCE_CALL  # the balance affords something lighter
    b = healthy()
    b.activity("a-rules", 40, "note", body="Phone references only, three weeks' notice.", visibility="internal")
    ruled = check(b)
    assert ruled.verdict is Verdict.NOT_NOW and ruled.suggested is None
    codes = {r.code for r in ruled.reasons}
    assert codes == {ReasonCode.CUSTOMER_DECLINED_KIND, ReasonCode.OVER_ASKED}
    declined = next(r for r in ruled.reasons if r.code is ReasonCode.CUSTOMER_DECLINED_KIND)
    assert [e.id for e in declined.evidence] == ["a-rules"]
    balance = next(r for r in ruled.reasons if r.code is ReasonCode.OVER_ASKED)
    assert "affords no ask their notes allow; a reference call costs" in balance.text


def test_the_suggestion_never_is_a_ruled_out_kind() -> None:
    plain = check(rich())
    assert plain.verdict is Verdict.READY and plain.suggested is not None
    ruled = check(rich(f"Never suggest a {plain.suggested.kind.value.replace('_', ' ')}."))
    assert ruled.verdict is Verdict.READY and ruled.suggested is not None
    assert ruled.suggested.kind is not plain.suggested.kind and ruled.revisit_on is None


def test_a_note_after_as_of_does_not_count() -> None:
    b = rich()
    b.activity("a-later", -3, "note", body="Never suggest a case study.", visibility="internal")
    assert ReasonCode.CUSTOMER_DECLINED_KIND not in {r.code for r in check(b, kind="case_study").reasons}


def test_no_ask_of_any_kind_during_a_crisis() -> None:
    b = healthy().ticket("t-crit", 3, severity=1, hours=None)
    result = check(b, kind="speaking")  # too heavy for the balance as well
    texts = " ".join(a.text for a in result.before_asking).lower()
    assert ReasonCode.OPEN_CRISIS in {r.code for r in result.reasons}
    assert "lighter" not in texts and "ask someone else" not in texts
    calm = check(healthy(), kind="speaking")
    assert "lighter" in " ".join(a.text for a in calm.before_asking)  # the same ask without a crisis


def test_balance_affords_is_net_plus_the_reserve_and_the_reasons_use_it() -> None:
    b = healthy().ask("x", 30, "review")
    result = check(b, kind="case_study")
    assert result.balance.affords == result.balance.net + CONFIG.advocacy.base_credit
    too_heavy = next(r for r in result.reasons if "costs" in r.text)
    assert f"affords {result.balance.affords:g}" in too_heavy.text


def test_revisit_on_is_the_latest_dated_wait() -> None:
    b = rich().ask("d", 10, "case_study", outcome="declined")
    result = check(b)
    assert result.revisit_on == AS_OF - timedelta(days=10) + timedelta(days=CONFIG.advocacy.decline_cooldown_days)


@pytest.mark.parametrize(("sentence", "until"), [
    ("Cooldown: no asks before Q2 2027.", date(2027, 4, 1)),
    ("Don't ask them for anything until March 2027.", date(2027, 3, 1)),
    ("Hold all asks until 2027-04-01 while they reorganise.", date(2027, 4, 1)),
    ("No more asks until sept 2027.", date(2027, 9, 1)),
    ("Renewal 2027-03-31.", None),  # a date alone holds nothing
    ("We asked before Q2 2026 and they said yes.", None),
    ("No asks before 2027-13-40.", None),  # not a real date: no hold rather than a wrong one
])
def test_a_note_pausing_every_ask_until_a_date(sentence: str, until: date | None) -> None:
    hold = find_hold(view_as_of(book(rich(sentence)).records("acme"), AS_OF))
    assert (hold.until if hold else None) == until


def test_a_pause_a_note_sets_blocks_every_ask_until_its_date_with_the_note_cited() -> None:
    result = check(rich("Cooldown: no asks before Q2 2027."))
    assert result.verdict is Verdict.NOT_NOW and result.suggested is None
    reason = next(r for r in result.reasons if r.code is ReasonCode.RECENTLY_DECLINED)
    assert [e.id for e in reason.evidence] == ["a-rules"] and "before 2027-04-01" in reason.text
    assert result.revisit_on == date(2027, 4, 1)
    over = check_advocacy(book(rich("Cooldown: no asks before Q2 2026.")), "acme", as_of=AS_OF, config=CONFIG)
    assert over.verdict is Verdict.READY  # the pause is over on as_of
