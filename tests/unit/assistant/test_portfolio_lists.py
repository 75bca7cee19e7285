"""Managers' lists beyond risk and renewals (commitments due soon, no value yet, declined asks, the largest
accounts) and the loyalty bank's own entries, on the demo workspace: asked in words, answered with evidence."""

from __future__ import annotations

import pytest

from accounts.access import Audience
from accounts.models import SourceKind

from .conftest import FakePorts
from .test_understanding import _conversation, ask, demo, plan

__all__ = ["demo"]  # the module fixture, shared


@pytest.mark.parametrize(("question", "section"), [
    ("who is still onboarding and hasn't reached value?", "no_value_yet"),
    ("did anyone turn down an advocacy ask lately?", "recently_declined"),
    ("who are our largest customers?", "largest"),
])
def test_a_list_the_question_names_leads(question: str, section: str) -> None:
    found = plan(question, Audience.MANAGER)
    assert found.portfolio_sections[0] == section, found.portfolio_sections


def test_a_promises_question_lists_the_overdue_and_those_due_soon() -> None:
    found = plan("which promises to customers fall due in the next couple of weeks?", Audience.MANAGER)
    assert found.portfolio_sections[:2] == ("overdue_commitments", "commitments_due_soon")


@pytest.mark.parametrize("question", ["risky accounts, biggest first", "at risk accounts by ARR"])
def test_size_orders_a_named_list_rather_than_adding_one(question: str) -> None:
    found = plan(question, Audience.MANAGER)
    assert "at_risk" in found.portfolio_sections and "largest" not in found.portfolio_sections


def test_commitments_due_soon_are_the_open_ones_not_yet_overdue(demo: FakePorts) -> None:
    result = ask(demo, "what commitments come due soon across the book?", Audience.MANAGER)
    cited = {c.id for c in result.citations if c.source is SourceKind.ACTIVITIES}
    assert {"a-167", "a-138"} <= cited, result.answer
    assert "due 2026-11-20 (in 4 days)" in result.answer
    assert "a-53" not in cited  # done: never due


def test_declined_asks_name_the_ask_and_when_to_look_again(demo: FakePorts) -> None:
    result = ask(demo, "who said no to an advocacy ask recently?", Audience.MANAGER)
    assert result.answer.index("Declined an advocacy ask recently") < result.answer.index("Ready for an advocacy ask")
    assert "declined a reference call on 2026-10-30" in result.answer
    assert {"adv-46", "adv-47"} <= {c.id for c in result.citations if c.source is SourceKind.ADVOCACY}


def test_no_value_yet_and_the_largest_accounts(demo: FakePorts) -> None:
    assert "**Pied Piper**" in ask(demo, "which accounts haven't gotten value yet?", Audience.MANAGER).answer
    largest = ask(demo, "which customer pays us the most?", Audience.MANAGER).answer
    assert "**Largest accounts by ARR**" in largest and "**Stark Industries** — ARR $610,000" in largest


@pytest.mark.parametrize("question", ["hooli loyalty bank?", "what have we done for Hooli beyond the contract?",
                                      "how much goodwill do we have with Hooli"])
def test_the_loyalty_bank_shows_the_gives_and_asks_behind_its_figures(demo: FakePorts, question: str) -> None:
    result = ask(demo, question)
    assert "**Loyalty bank:** given 15, asked 11, net +4" in result.answer, result.answer
    assert "we gave: free service — Half-day Phoenix region setup" in result.answer
    assert "adv-49" in {c.id for c in result.citations if c.source is SourceKind.ADVOCACY}


def test_a_customer_never_sees_the_loyalty_bank(demo: FakePorts) -> None:
    result = ask(demo, "what's in our loyalty bank? what have you given us beyond the contract?",
                 Audience.CUSTOMER, "hooli")
    assert "we gave:" not in result.answer and "Loyalty bank" not in result.answer
    assert all(c.source is not SourceKind.ADVOCACY for c in result.citations)


@pytest.mark.parametrize(("question", "intent"), [
    ("what's the best CRM on the market?", "open"),
    ("write a haiku about Q4", "open"),
    ("how big is the book?", "portfolio"),
    ("what's our total ARR?", "portfolio"),
    ("which contracts expire in the next three months?", "portfolio"),
])
def test_an_account_free_question_is_a_portfolio_one_only_when_it_is_about_the_book(question: str,
                                                                                    intent: str) -> None:
    assert plan(question, Audience.MANAGER).intent.value == intent


@pytest.mark.parametrize(("question", "flag"), [
    ("has any customer's champion left recently?", "champion_left"),
    ("which clients seem frustrated with us?", "negative_sentiment"),
    ("is adoption dropping anywhere?", "usage_decline"),
    ("whose success plan goals are slipping?", "objective_at_risk"),
    ("did anyone lose their champion lately?", "champion_left"),
    ("who are our detractors", "negative_sentiment"),
    ("which customers gave us bad nps lately?", "negative_sentiment"),
])
def test_a_named_risk_signal_narrows_the_at_risk_list(question: str, flag: str) -> None:
    found = plan(question, Audience.MANAGER)
    assert found.risk_flag == flag and found.portfolio_sections[0] == "at_risk", found


@pytest.mark.parametrize("question", ["anyone we haven't heard from in over a month",
                                      "which accounts have gone quiet on us?", "who has gone silent?"])
def test_silence_named_gets_its_own_list_not_the_at_risk_one(question: str) -> None:
    """The silent list says more (days silent, the usual gap) than the at-risk list narrowed to the flag."""
    found = plan(question, Audience.MANAGER)
    assert found.risk_flag == "silence" and found.portfolio_sections == ("silent",), found


def test_the_flagged_list_holds_only_the_accounts_with_that_flag(demo: FakePorts) -> None:
    result = ask(demo, "has any customer's champion left recently?", Audience.MANAGER)
    assert "**At risk: champion left (largest ARR first)** (1)" in result.answer
    assert "**Umbrella Health**" in result.answer and "**Globex Logistics**" not in result.answer
    assert "Ready for an advocacy ask" not in result.answer  # not asked: Hooli's name would mislead


def test_a_list_of_accounts_says_its_arr_together(demo: FakePorts) -> None:
    answer = ask(demo, "how much ARR is at risk?", Audience.MANAGER).answer
    assert "**At risk (largest ARR first)** (7; ARR $1,413,000)" in answer
    tickets = ask(demo, "which accounts have open tickets?", Audience.MANAGER).answer
    assert "**Tickets: open** (" in tickets and "; ARR $" not in tickets.split("**Tickets: open**")[1].split("\n")[0]


def test_a_customer_story_is_a_case_study() -> None:
    found = plan("which customer could we feature in a success story?", Audience.MANAGER)
    assert found.portfolio_sections[0] == "advocacy_ready"


def test_accounts_that_got_worse_are_those_whose_score_fell_biggest_drop_first(demo: FakePorts) -> None:
    result = ask(demo, "which accounts got worse this month?", Audience.MANAGER)
    assert "**Got worse in the last 30 days** (2; ARR $516,000)" in result.answer
    worse = result.answer.split("**Got worse")[1].split("\n\n")[0]
    assert worse.index("Globex Logistics") < worse.index("Initech") and "down 29 points in 30 days" in worse
    assert "Hooli" not in worse  # up 10 points: no decline


def test_accounts_that_improved_are_those_whose_score_rose(demo: FakePorts) -> None:
    result = ask(demo, "whose health improved lately?", Audience.MANAGER)
    improved = result.answer.split("**Improved in the last 30 days**")[1].split("\n\n")[0]
    assert "Pied Piper" in improved and "up 17 points in 30 days" in improved and "Globex" not in improved


@pytest.mark.parametrize(("question", "band", "listed", "absent"), [
    ("which accounts are yellow?", "yellow", ["Tyrell Robotics", "Acme Corp", "Soylent Foods"], ["Hooli", "Globex"]),
    ("show me the red ones", "red", ["Globex Logistics", "Initech"], ["Tyrell", "Hooli", "Tickets"]),
    ("show me everyone in the green", "green", ["Stark Industries", "Hooli"], ["Globex", "Initech"]),
    ("who are our happiest customers?", "green", ["Stark Industries", "Hooli"], ["Globex", "Initech"]),
])
def test_a_band_named_lists_every_account_of_that_band(demo: FakePorts, question: str, band: str,
                                                       listed: list[str], absent: list[str]) -> None:
    found = plan(question, Audience.MANAGER)
    assert found.band == band and found.portfolio_sections == ("in_band",)
    result = ask(demo, question, Audience.MANAGER)
    section = result.answer.split(f"**{band.capitalize()} accounts (largest ARR first)**")[1].split("\n\n")[0]
    assert all(name in section for name in listed) and not any(name in section for name in absent), section
    assert "Tickets" not in result.answer


def test_a_band_in_one_csm_s_book_lists_only_theirs(demo: FakePorts) -> None:
    result = ask(demo, "does lee have anything in the red?", Audience.MANAGER)
    section = result.answer.split("**Red accounts (largest ARR first)**")[1]
    assert "Initech" in section and "Globex" not in section


def test_one_csm_s_book_asked_about_whole_lists_every_account_in_it(demo: FakePorts) -> None:
    """"What does lee's book look like?": the usual sections, then every account of the book, of any band; the
    team-wide overview lists no such section."""
    result = ask(demo, "what does lee's book look like?", Audience.MANAGER)
    section = result.answer.split("**Every account in the book (largest ARR first)**")[1]
    assert all(name in section for name in ("Initech", "Acme Corp", "Contoso")) and "Globex" not in section
    assert "Every account in the book" not in ask(demo, "how does the portfolio look?", Audience.MANAGER).answer


def test_a_follow_up_about_there_follows_the_one_account_a_list_turned_out_to_hold(demo: FakePorts) -> None:
    """"Did anyone lose their champion?" lists one account (Umbrella): "who's the new contact there?" is about it."""
    first, second = _conversation(demo, Audience.MANAGER, ("has any customer's champion left recently?",
                                                           "who's the new contact there?"))
    assert "**At risk: champion left (largest ARR first)** (1)" in first and "Umbrella" in first
    assert second.startswith("**Umbrella Health: people on"), second


def test_at_risk_in_a_quarter_lists_the_at_risk_renewals_of_that_quarter(demo: FakePorts) -> None:
    result = ask(demo, "what's at risk in Q1?", Audience.MANAGER)
    section = result.answer.split("**Renewals in Q1 2027 that are at risk**")[1].split("\n\n")[0]
    assert "Globex Logistics" in section and "Initech" in section, section  # Globex renews on 2027-02-28
    assert "Umbrella" not in section  # at risk, but renews in April


@pytest.mark.parametrize("question", ["which accounts aren't healthy?", "which customers are not happy?"])
def test_not_healthy_is_no_green_list(question: str) -> None:
    assert plan(question, Audience.MANAGER).band != "green"


def test_accounts_outgrowing_their_seats(demo: FakePorts) -> None:
    result = ask(demo, "anyone about to outgrow their licence?", Audience.MANAGER)
    assert result.intent == "portfolio", result.answer
    assert "**Expansion signals" in result.answer and "**Wayne Enterprises**" in result.answer
    assert plan("how do I add more seats for a customer?", Audience.MANAGER).intent.value == "how_to"


def test_accounts_we_leaned_on_too_hard_come_before_those_ready(demo: FakePorts) -> None:
    result = ask(demo, "who have we leaned on too hard for references?", Audience.MANAGER)
    assert result.answer.index("**Asked too much lately") < result.answer.index("Ready for an advocacy ask")
    assert "**Vandelay Industries**" in result.answer.split("Ready for an advocacy ask")[0]
    assert any(c.source is SourceKind.ADVOCACY for c in result.citations)


@pytest.mark.parametrize("question", ["any customer in a full-blown crisis?", "which accounts are on fire right now?"])
def test_a_crisis_across_the_book(demo: FakePorts, question: str) -> None:
    result = ask(demo, question, Audience.MANAGER)
    assert "At risk: open crisis" in result.answer and "**Globex Logistics**" in result.answer
    assert "**Initech**" not in result.answer  # red, but no crisis
