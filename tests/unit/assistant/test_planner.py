"""Intent routing and the audience rules of a plan."""

from __future__ import annotations

import pytest

from accounts.access import Audience
from accounts.errors import BadRequest
from accounts.models import SourceKind
from assistant.answer import make_plan
from assistant.planner import Intent, Plan, detect_intents, is_follow_up, plan_question
from assistant.principal import Principal
from assistant.resolve import Resolution, ResolvedVia

GLOBEX = Resolution(("globex",), ResolvedVia.MENTION)
NOBODY = Resolution((), ResolvedVia.NONE)
JUDGEMENTS = {"health", "advocacy_check", "portfolio"}
DIRECTORY = {"globex": "Globex Logistics", "hooli": "Hooli"}


def plan(question: str, audience: Audience = Audience.CSM, account: str | None = None) -> Plan:
    """Planned the way `answer` plans: account names found and masked before the intents are scored."""
    return make_plan(question, Principal(audience, account), DIRECTORY, None)


@pytest.mark.parametrize(("question", "intent"), [
    ("how is Globex doing?", Intent.STATUS),
    ("how is Globex doing and what next?", Intent.NEXT_ACTIONS),
    ("what should I do first?", Intent.NEXT_ACTIONS),
    ("did I promise Globex anything?", Intent.PROMISES),
    ("give me talking points for Globex's business review", Intent.TALKING_POINTS),
    ("prep me for the Globex QBR", Intent.TALKING_POINTS),
    ("is Globex ready for a case study?", Intent.ADVOCACY),
    ("where are we on the success plan?", Intent.SUCCESS_PLAN),
    ("any open tickets at Globex?", Intent.TICKETS),
    ("when did we last meet Globex?", Intent.HISTORY),
    ("what does Globex think about pricing?", Intent.HISTORY),  # was OPEN: a named account is never "not found"
])
def test_account_intents(question: str, intent: Intent) -> None:
    assert plan(question, Audience.CSM, "globex").intent is intent


@pytest.mark.parametrize(("question", "sections"), [
    ("which renewals this quarter are at risk?", ("at_risk", "renewals_next_90d")),
    ("who is ready for advocacy?", ("advocacy_ready",)),
    ("who has gone silent?", ("silent",)),
    ("which accounts have overdue commitments?", ("overdue_commitments",)),
])
def test_portfolio_questions(question: str, sections: tuple[str, ...]) -> None:
    found = plan_question(question, Audience.MANAGER, NOBODY)
    assert found.intent is Intent.PORTFOLIO
    assert found.portfolio_sections == sections
    assert [t.name for t in found.tools] == ["portfolio"]


def test_how_to_needs_no_account_and_reads_docs() -> None:
    found = plan_question("how do I fix a sync conflict?", Audience.CSM, NOBODY)
    assert found.intent is Intent.HOW_TO
    assert found.sources is not None and SourceKind.DOCS in found.sources


@pytest.mark.parametrize("question", [
    "how is our health score?", "which renewals are at risk?", "are we ready for a case study?",
    "what did you promise us?", "what should we do next?", "give me talking points for our QBR", "anything new?",
])
def test_customers_never_get_judgements_or_internal_sources(question: str) -> None:
    found = plan_question(question, Audience.CUSTOMER, GLOBEX)
    assert not {t.name for t in found.tools} & JUDGEMENTS
    assert found.sources is not None
    assert not found.sources & {SourceKind.SURVEYS, SourceKind.ADVOCACY, SourceKind.ACCOUNTS, SourceKind.CONTACTS}


def test_advocacy_kind_is_parsed() -> None:
    found = plan("can I ask Globex for a reference call?")
    assert found.tools[0].name == "advocacy_check"
    assert found.tools[0].args == {"account_id": "globex", "kind": "reference_call"}


def test_history_turns_recency_on() -> None:
    assert plan("when did we last meet Globex?").recency


def test_open_is_the_fallback() -> None:
    assert detect_intents("xyzzy") == (Intent.OPEN,)


def test_customer_principal_needs_an_account() -> None:
    with pytest.raises(BadRequest):
        Principal(Audience.CUSTOMER)
    with pytest.raises(BadRequest):
        Principal("boss")  # type: ignore[arg-type]


@pytest.mark.parametrize(("question", "audience"), [
    ("can I pay my parking ticket here", Audience.CUSTOMER),  # "ticket" is no support ticket
    ("what's the stock price of Apple today", Audience.MANAGER),  # nor "stock" our parts stock
    ("how do I appeal a traffic fine?", Audience.CSM),
    ("will it snow in Denver on Saturday?", Audience.CSM),
])
def test_a_question_for_no_assistant_of_ours_searches_nothing(question: str, audience: Audience) -> None:
    found = plan(question, audience, "globex" if audience is Audience.CUSTOMER else None)
    assert found.rows == ("off_topic",) and found.intent is Intent.OPEN and found.k == 0 and not found.tools


@pytest.mark.parametrize(("question", "audience"), [
    ("what's the price of extra seats?", Audience.CUSTOMER),
    ("how do I pay my invoice?", Audience.CUSTOMER),
    ("can I pay by credit card?", Audience.CUSTOMER),
    ("do we need to buy new phones? ours are still on android 9", Audience.CUSTOMER),
    ("how do I open a ticket?", Audience.CUSTOMER),
    ("book me a meeting with Globex's champion", Audience.CSM),
    ("what's the weather been like for Globex lately?", Audience.CSM),  # a named account is asked about
])
def test_product_and_account_questions_are_not_off_topic(question: str, audience: Audience) -> None:
    found = plan(question, audience, "globex" if audience is Audience.CUSTOMER else None)
    assert "off_topic" not in found.rows and (found.k > 0 or bool(found.tools))


@pytest.mark.parametrize(("question", "intent"), [
    # the product misbehaving sounds like a record of theirs ("still say", "days later"): the docs explain it
    ("parts we sent from the warehouse to a van still say in transit days later", Intent.HOW_TO),
    # a question whose words name their own records keeps them, problem or not
    ("you didn't deliver the export you promised", Intent.PROMISES),
    ("our ticket about the sync still isn't fixed", Intent.TICKETS),
])
def test_a_customer_reporting_the_product_misbehaving_gets_the_docs_first(question: str, intent: Intent) -> None:
    assert plan(question, Audience.CUSTOMER, "globex").intent is intent


@pytest.mark.parametrize(("question", "intent"), [
    ("when can we ask Globex for something again?", Intent.ADVOCACY),
    ("Globex cooldown - until when?", Intent.ADVOCACY),
    ("what reason did Globex give for saying no", Intent.ADVOCACY),
    ("what's next on Globex's onboarding plan?", Intent.SUCCESS_PLAN),
    ("Globex hotfix deadline?", Intent.PROMISES),
    ("Globex goals status?", Intent.SUCCESS_PLAN),  # a topic's status is that topic
    ("what's Globex waiting on from support right now?", Intent.TICKETS),
])
def test_the_words_that_name_what_is_asked_about_an_account(question: str, intent: Intent) -> None:
    assert plan(question, Audience.CSM).intent is intent


@pytest.mark.parametrize(("question", "intent"), [
    ("is Globex looking at other vendors?", Intent.STATUS),  # the churn judgement, with what the notes say
    ("any competitive threat on the Globex renewal?", Intent.STATUS),
    ("what did sales promise Globex?", Intent.PROMISES),
    ("anything in the Globex handoff I need to deliver on", Intent.PROMISES),
])
def test_what_only_the_notes_hold_is_searched_for_in_their_words(question: str, intent: Intent) -> None:
    found = plan(question)
    assert found.intent is intent and found.asks_notes
    assert found.looks_for in found.search_text and found.looks_for not in found.asked_text


@pytest.mark.parametrize(("question", "audience", "account"), [
    ("are you worried we'd move to another vendor?", Audience.CUSTOMER, "globex"),  # a customer: never the notes
    ("how is Globex doing?", Audience.CSM, None),
    ("which accounts are looking at competitors?", Audience.MANAGER, None),  # no one account's notes
])
def test_other_questions_search_their_own_words_only(question: str, audience: Audience, account: str | None) -> None:
    found = plan(question, audience, account)
    assert not found.asks_notes and found.search_text == found.asked_text


@pytest.mark.parametrize("question", ["what's the give and take with Globex looking like?",
                                      "Globex's balance of favours, where are we?"])
def test_the_loyalty_bank_in_other_words_is_advocacy(question: str) -> None:
    assert plan(question).intent is Intent.ADVOCACY


@pytest.mark.parametrize(("question", "leans"), [
    ("anything we can do in the meantime?", True),  # the meantime of what the last answer said
    ("what should we do until then?", True),
    ("and after that?", True),
    ("how do we set up single sign-on with Okta for our dispatchers?", False),
])
def test_a_question_pointing_back_in_time_is_a_follow_up(question: str, leans: bool) -> None:
    assert is_follow_up(question) is leans
