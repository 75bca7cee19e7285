"""Answer evals on the demo workspace (as of 2026-11-16): labelled questions for the three audiences.

Each case in answer_questions.yaml names facts the answer must state (regexes), records it must cite
and content it must not show; a failure names the case. A scope test then asks every demo account,
as that customer, a handful of questions and checks that no citation is another account's, internal,
a survey or a loyalty-bank entry.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from accounts.access import Audience
from accounts.models import SourceKind, Visibility
from assistant.answer import answer
from assistant.citations import record_index
from assistant.memory import ConversationMemory
from assistant.principal import Principal
from assistant.types import Answer

CASES_FILE = Path(__file__).with_name("answer_questions.yaml")
DATA = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
AS_OF = dt.date.fromisoformat(str(DATA["as_of"]))
CASES: list[dict[str, Any]] = DATA["cases"]
CUSTOMER_QUESTIONS = (
    "How are things going?", "What did you promise us?", "Where are we on our success plan?",
    "What tickets do we have open?", "How do I fix a sync conflict?", "Are we at risk of churning?",
    "What did you say about us internally?", "Which other customers use FieldLoop?",
)
FORBIDDEN_FOR_CUSTOMERS = {SourceKind.SURVEYS, SourceKind.ADVOCACY, SourceKind.ACCOUNTS, SourceKind.CONTACTS}


@pytest.fixture(scope="module")
def memory() -> ConversationMemory:
    """Conversations of the evals live in memory: the shared demo data dir stays read-only."""
    return ConversationMemory(sa.create_engine("sqlite://"))


def ask(services: Any, memory: ConversationMemory, case: dict[str, Any]) -> Answer:
    principal = Principal(Audience(case["audience"]), case.get("account"), user="eval")
    result = answer(case["question"], principal, ports=services, as_of=AS_OF, memory=memory)
    if case.get("follow_up"):
        result = answer(case["follow_up"], principal, ports=services, as_of=AS_OF, memory=memory,
                        conversation_id=result.conversation_id)
    return result


def test_the_set_covers_every_audience() -> None:
    assert len(CASES) >= 30
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {c["audience"] for c in CASES} == {"csm", "manager", "customer"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_answer(case: dict[str, Any], demo_services: Any, memory: ConversationMemory) -> None:
    result = ask(demo_services, memory, case)
    text, cited = result.answer, [c.id for c in result.citations]
    problems = [f"missing fact /{p}/" for p in case.get("expect", []) if not re.search(p, text, re.IGNORECASE)]
    problems += [f"missing citation {i}" for i in case.get("cite", []) if i not in cited]
    forbid = list(case.get("forbid", [])) + (DATA["customer_forbid"] if case["audience"] == "customer" else [])
    problems += [f"forbidden /{p}/" for p in forbid if re.search(p, text, re.IGNORECASE)]
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    if not markers <= set(range(1, len(cited) + 1)):
        problems.append(f"markers {sorted(markers)} point past {len(cited)} citations")
    assert not problems, f"case {case['id']} ({case['question']!r}): {problems}\n--- answer ---\n{text}\n{cited}"


def test_customers_only_ever_see_their_own_records(demo_services: Any, memory: ConversationMemory) -> None:
    book = demo_services.book(None, include_docs=True)
    index = record_index(book)
    names = {a: acc.name for a, acc in book.accounts.items()}
    problems = []
    for account_id in book.account_ids():
        for question in CUSTOMER_QUESTIONS:
            result = answer(question, Principal(Audience.CUSTOMER, account_id), ports=demo_services, as_of=AS_OF,
                            memory=memory)
            for c in result.citations:
                record = index.get((c.source, c.id))
                owner = getattr(record, "account_id", None)
                if c.source in FORBIDDEN_FOR_CUSTOMERS:
                    problems.append(f"{account_id}: {question!r} cites {c.source.value} {c.id}")
                elif c.source is not SourceKind.DOCS and owner != account_id:
                    problems.append(f"{account_id}: {question!r} cites {c.id} of {owner}")
                elif getattr(record, "visibility", Visibility.CUSTOMER) is Visibility.INTERNAL:
                    problems.append(f"{account_id}: {question!r} cites internal {c.id}")
            others = [n for a, n in names.items() if a != account_id and n.lower() in result.answer.lower()]
            if others:
                problems.append(f"{account_id}: {question!r} names {others}")
            if re.search(r"health|\d+/100|loyalty", result.answer.replace(names[account_id], ""), re.IGNORECASE):
                problems.append(f"{account_id}: {question!r} shows a judgement")
    assert not problems, "\n".join(problems)
