"""Who is asking and whose book a portfolio question covers; aliases from the accounts table."""

from __future__ import annotations

import pytest

from accounts.access import Audience
from accounts.models import Account, Contact
from assistant.answer import make_plan
from assistant.asker import asker_in_question, build_roster, choose_book, csm_name_words, named_csm
from assistant.principal import Principal
from assistant.resolve import find_mentions, people_mentions

ACCOUNTS = [
    Account(account_id="globex", name="Globex Logistics", csm="dana.reyes@vendor.example",
            extra={"aliases": "Big G; GLX"}),
    Account(account_id="hooli", name="Hooli", csm="priya@vendor.example"),
    Account(account_id="acme", name="Acme Corp", csm="priya@vendor.example"),
]
ROSTER = build_roster(ACCOUNTS)
DIRECTORY = {a.account_id: a.name for a in ACCOUNTS}


def test_csm_name_words() -> None:
    assert csm_name_words("dana.reyes@vendor.example") == {"dana.reyes", "dana", "reyes"}
    assert csm_name_words("Priya") == {"priya"}


def test_asker_introduces_themselves() -> None:
    assert asker_in_question("I'm Dana.Reyes@vendor.example — which of my accounts need attention?") == \
        "dana.reyes@vendor.example"
    assert asker_in_question("send it to dana@vendor.example") is None


@pytest.mark.parametrize(("question", "csm"), [
    ("show me Dana's accounts", "dana.reyes@vendor.example"),
    ("which accounts does priya own?", "priya@vendor.example"),
    ("how are reyes's customers?", "dana.reyes@vendor.example"), ("which accounts are at risk?", None),
    ("show me danas accounts", "dana.reyes@vendor.example"),  # a possessive typed without its apostrophe
    ("priyas renewals?", "priya@vendor.example"),
])
def test_named_csm(question: str, csm: str | None) -> None:
    assert named_csm(question, ROSTER) == csm


def test_a_csm_gets_their_own_book_and_a_manager_the_team() -> None:
    question = "which accounts are at risk?"
    assert choose_book(question, Principal(Audience.CSM, user="priya"), ROSTER).csm == "priya@vendor.example"
    assert choose_book(question, Principal(Audience.MANAGER, user="priya"), ROSTER).csm is None
    assert choose_book("how is the whole team doing?", Principal(Audience.CSM, user="priya"), ROSTER).csm is None
    assert choose_book("my renewals?", Principal(Audience.MANAGER, user="priya"), ROSTER).csm == "priya@vendor.example"


def test_no_user_and_my_accounts_says_so() -> None:
    choice = choose_book("which of my accounts need attention?", Principal(Audience.CSM), ROSTER)
    assert choice.csm is None and "--user" in choice.notes[0]


def test_customers_never_choose_a_book() -> None:
    assert choose_book("Dana's accounts", Principal(Audience.CUSTOMER, "hooli"), ROSTER).csm is None


@pytest.mark.parametrize("question", ["how is big g doing?", "GLX status", "what's up with Big G's renewal"])
def test_aliases_name_the_account(question: str) -> None:
    assert find_mentions(question, DIRECTORY, ROSTER.aliases).account_ids == ("globex",)


CONTACTS = [
    Contact(contact_id="c-1", account_id="globex", name="Marisol Vega"),
    Contact(contact_id="c-2", account_id="globex", name="Dana Whitfield"),  # shares the CSM Dana's first name
    Contact(contact_id="c-3", account_id="hooli", name="Sam Ortiz"),
    Contact(contact_id="c-4", account_id="acme", name="Sam Lee"),
    Contact(contact_id="c-5", account_id="acme", name="Will Carter"),  # "will" is an ordinary word
]
PEOPLE = build_roster(ACCOUNTS, CONTACTS).people


@pytest.mark.parametrize(("question", "accounts", "ambiguous"), [
    ("what did Marisol say lately?", ("globex",), ()),
    ("any news from marisol vega?", ("globex",), ()),
    ("did Sam Ortiz reply?", ("hooli",), ()),
    ("did Sam reply?", (), ("acme", "hooli")),  # two accounts' Sams: ask which, never guess
    ("what will dana's accounts look like?", (), ()),  # the CSM, not Globex's Dana Whitfield
    ("will the renewal happen?", (), ()),
    ("did Will Carter sign?", ("acme",), ()),
])
def test_an_account_is_named_by_its_people(question: str, accounts: tuple[str, ...],
                                           ambiguous: tuple[str, ...]) -> None:
    found = people_mentions(question, PEOPLE)
    assert (found.account_ids, found.ambiguous) == (accounts, ambiguous)


def test_an_account_name_wins_over_its_people_and_customers_name_nobody() -> None:
    roster = build_roster(ACCOUNTS, CONTACTS)
    principal = Principal(Audience.CSM)
    plan = make_plan("what did Marisol say about Hooli?", principal, DIRECTORY, None, roster=roster)
    assert plan.account_ids == ("hooli",)
    plan = make_plan("what did Marisol say lately?", principal, DIRECTORY, None, roster=roster)
    assert plan.account_ids == ("globex",)
    customer = make_plan("what did Marisol say lately?", Principal(Audience.CUSTOMER, "hooli"), DIRECTORY, None,
                         roster=roster)
    assert customer.account_ids == ("hooli",)  # a customer is always and only itself
