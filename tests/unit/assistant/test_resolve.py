"""Finding the accounts a question is about."""

from __future__ import annotations

import pytest

from accounts.access import Audience
from assistant.principal import Principal
from assistant.resolve import ResolvedVia, mentioned_accounts, resolve_accounts

DIRECTORY = {
    "globex": "Globex Logistics", "initech": "Initech", "hooli": "Hooli", "umbrella": "Umbrella Health",
    "stark": "Stark Industries", "piedpiper": "Pied Piper", "wayne": "Wayne Enterprises", "acme": "Acme Corp",
    "contoso": "Contoso", "gringotts": "Gringotts Bank",
}
CSM = Principal(Audience.CSM)


@pytest.mark.parametrize(("question", "expected"), [
    ("how is globex doing?", ["globex"]),
    ("How is GLOBEX LOGISTICS doing?", ["globex"]),
    ("give me talking points for Contoso's business review", ["contoso"]),
    ("what did Hooli’s CEO say?", ["hooli"]),
    ("is Stark ready for a case study?", ["stark"]),
    ("how is Pied Piper onboarding going?", ["piedpiper"]),
    ("how is piper going?", ["piedpiper"]),
    ("status of piedpiper", ["piedpiper"]),
    ("how is Globx doing?", ["globex"]),
    ("Initec status please", ["initech"]),
    ("compare Wayne and Stark", ["wayne", "stark"]),
])
def test_mentions(question: str, expected: list[str]) -> None:
    assert mentioned_accounts(question, DIRECTORY) == expected


@pytest.mark.parametrize("question", [
    "what is their health score?", "which renewals this quarter are at risk?", "any stack traces in the logs?",
    "how do I set up the bank integration?", "who is ready for advocacy?",
])
def test_generic_words_are_not_accounts(question: str) -> None:
    assert mentioned_accounts(question, DIRECTORY) == []


def test_pronoun_uses_conversation_account() -> None:
    found = resolve_accounts("what about their renewal?", CSM, DIRECTORY, last_account="globex")
    assert found.account_ids == ("globex",)
    assert found.via is ResolvedVia.CONVERSATION


def test_follow_up_without_pronoun_uses_conversation_account() -> None:
    found = resolve_accounts("and what should I do first?", CSM, DIRECTORY, last_account="hooli")
    assert found.account_ids == ("hooli",)


def test_portfolio_question_does_not_inherit_account() -> None:
    found = resolve_accounts("which renewals are at risk?", CSM, DIRECTORY, last_account="hooli", wants_account=False)
    assert found.account_ids == ()


def test_named_account_beats_conversation() -> None:
    found = resolve_accounts("and Initech?", CSM, DIRECTORY, last_account="hooli")
    assert found.account_ids == ("initech",)


def test_customer_is_always_itself() -> None:
    customer = Principal(Audience.CUSTOMER, "hooli")
    found = resolve_accounts("how is Globex doing compared to us?", customer, DIRECTORY, last_account="globex")
    assert found.account_ids == ("hooli",)
    assert found.via is ResolvedVia.PRINCIPAL


def test_vendor_focus_account_is_the_default() -> None:
    found = resolve_accounts("what should I do next?", Principal(Audience.CSM, "acme"), DIRECTORY)
    assert found.account_ids == ("acme",)


BIG_DIRECTORY = {
    **DIRECTORY,
    **{f"acct-{i}": f"{word} {kind}" for i, (word, kind) in enumerate(
        (w, k) for w in ("Anchor", "Bright", "Summit", "Harbor", "Granite") for k in ("Alarm", "HVAC", "Plumbing",
                                                                                     "Electric", "Roofing"))},
}


def test_a_full_name_is_not_also_every_account_sharing_a_word() -> None:
    assert mentioned_accounts("How is Anchor Alarm doing?", BIG_DIRECTORY) == ["acct-0"]
    assert mentioned_accounts("How is Anchor Alarm doing next to Stark?", BIG_DIRECTORY) == ["acct-0", "stark"]


def test_a_word_shared_by_many_accounts_names_none() -> None:
    assert mentioned_accounts("any alarm tickets this week?", BIG_DIRECTORY) == []


NOISY = {"kestrel": "Kestrel Home Services LLP", "fcp": "First Choice Plumbing", "nordwind": "Nordwind Energie AG"}


@pytest.mark.parametrize(("question", "expected"), [
    ("how is Kestrel doing?", ["kestrel"]), ("kestrel home services?", ["kestrel"]),
    ("First Choice Plumbing status", ["fcp"]), ("how is first choice doing?", ["fcp"]),
    ("nordwind energie ag", ["nordwind"]),
    ("how do I set a home address?", []), ("what should I do first?", []), ("plumbing tickets", []),
])
def test_ordinary_words_in_names_name_no_account_alone(question: str, expected: list[str]) -> None:
    assert mentioned_accounts(question, NOISY) == expected
