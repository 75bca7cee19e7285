"""Next actions: concrete, ranked, each with why and evidence."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import SourceKind
from tests.unit.tools.factory import AS_OF, CONFIG, Builder, ago, book, healthy
from tools.config import judgement_config_with
from tools.evidence import Action
from tools.health import assess_health


def actions(b: Builder, config=CONFIG) -> list[Action]:  # type: ignore[no-untyped-def]
    return assess_health(book(b), b.aid, as_of=AS_OF, config=config).next_actions


def test_a_healthy_account_needs_no_action() -> None:
    assert actions(healthy()) == []


def test_crisis_first_then_overdue_promise_then_stakeholders_then_renewal() -> None:
    b = healthy(renewal_date=AS_OF + timedelta(days=40))
    b.ticket("t-crit", 2, severity=1, hours=None)
    b.activity("p-1", 30, "commitment", title="Send the SSO fix", status="open", due=ago(7))
    b.contacts[0] = b.contacts[0].model_copy(update={"active": False, "left_at": ago(20)})
    found = actions(b)
    texts = [a.text for a in found]
    assert texts[0].startswith("Run a rescue plan") and found[0].evidence[0].id == "t-crit"
    assert texts[1].startswith("Follow up our promise “Send the SSO fix”")
    assert found[1].why == "7 days overdue" and found[1].evidence[0].id == "p-1"
    assert texts[2].startswith("Re-map stakeholders") and "Sam Sponsor" in texts[2]
    assert texts[3].startswith("Prepare the renewal")
    assert all(a.why and a.evidence for a in found)


def test_silent_account_gets_a_re_engagement_to_a_named_person() -> None:
    b = healthy()
    b.activities[:] = [a for a in b.activities if a.date < ago(40)]
    found = actions(b)
    assert found[0].text.startswith("Re-engage: reach out to Priya Champion (champion)")
    assert found[0].evidence[0].source is SourceKind.ACTIVITIES


def test_training_where_a_feature_used_before_is_now_rarely_used() -> None:
    b = healthy()
    b.usage.clear()
    b.weekly_usage([40] * 8, features=("dispatch", "reports", "alerts"), last=28)
    b.weekly_usage([41] * 4, features=("dispatch", "alerts"))
    found = [a for a in actions(b) if "training" in a.text]
    assert len(found) == 1 and "“reports”" in found[0].text
    assert "100% of periods before, 0% lately" in found[0].why
    assert found[0].evidence[0].source is SourceKind.USAGE


def test_training_for_a_licensed_feature_never_used() -> None:
    b = healthy(extra={"licensed_features": "a;b;c;mobile"})
    found = [a for a in actions(b) if "onboarding session" in a.text]
    assert found and "“mobile”" in found[0].text and "never been used" in found[0].why
    assert "team that used it" not in found[0].text


def test_expansion_conversation_when_seats_run_out_but_not_during_a_crisis() -> None:
    b = healthy(licensed_seats=44)
    assert any(a.text.startswith("Open an expansion conversation") for a in actions(b))
    b.ticket("t-crit", 2, severity=1, hours=None)
    assert not any("expansion" in a.text for a in actions(b))


def test_action_list_is_capped() -> None:
    b = healthy(renewal_date=AS_OF + timedelta(days=40), licensed_seats=44)
    b.ticket("t-crit", 2, severity=1, hours=None)
    for i in range(4):
        b.activity(f"p-{i}", 30, "commitment", status="open", due=ago(7 + i))
    b.objective("o-3", "at_risk").survey("s-bad", 3, 2, contact_id="c-champ")
    assert len(actions(b)) == 6
    assert len(actions(b, judgement_config_with({"actions": {"max_actions": 2}}))) == 2


def test_the_new_champion_candidates_are_those_we_dealt_with_most_recently_first() -> None:
    b = healthy()
    b.contacts[0] = b.contacts[0].model_copy(update={"active": False, "left_at": ago(20)})
    b.contact("c-cfo", "sponsor", name="Pat Long").contact("c-new", "user", name="Sofia Grant")
    b.activity("m-1", 2, "meeting", title="Training for Sofia Grant and two managers", body="Went well.")
    b.activity("m-2", 60, "meeting", title="Kickoff", body="Pat Long opened the kickoff.")
    remap = next(a.text for a in actions(b) if a.text.startswith("Re-map stakeholders"))
    assert remap.index("Sofia Grant") < remap.index("Pat Long"), remap
    assert "(candidates: Sofia Grant," in remap
