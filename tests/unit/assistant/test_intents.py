"""The intent table is data: valid rows, a fresh shipped cache, and a new row routes with no code change."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from accounts.access import Audience
from accounts.book import AccountBook
from accounts.models import Account
from assistant.answer import answer
from assistant.intents import CACHE_PATH, TABLE_PATH, load_table, parse_table, score_intents
from assistant.memory import ConversationMemory
from assistant.planner import Intent, choose_rows
from assistant.principal import Principal
from retrieval.embeddings import MiniLMEmbedder

from .conftest import AS_OF, FakePorts

KNOWN_TOOLS = {"health", "advocacy_check", "portfolio", "commitments", "success_plan", "tickets", "guidance"}


def test_every_row_is_well_formed() -> None:
    table = load_table()
    assert len({r.name for r in table.rows}) == len(table.rows)
    for row in table.rows:
        Intent(row.answer_as)
        if row.customer_as:
            Intent(row.customer_as)
        assert set(row.tools) | set(row.customer_tools) <= KNOWN_TOOLS, row.name
        assert not {"health", "advocacy_check", "portfolio"} & set(row.customer_tools), row.name
        assert len(row.examples) >= 5, row.name
        assert set(row.covers) <= {r.name for r in table.rows}


def test_the_shipped_vectors_match_the_table() -> None:
    """Edit intents.yaml examples → run `python -m assistant.intents --write-cache` (else the CLI embeds them)."""
    with np.load(CACHE_PATH) as cached:
        assert str(cached["digest"]) == load_table().digest
        assert str(cached["model"]) == MiniLMEmbedder.model_name
        assert cached["vectors"].shape == (len(load_table().examples), 384)


def test_a_new_row_is_all_it_takes() -> None:
    text = TABLE_PATH.read_text(encoding="utf-8").replace("intents:\n", """intents:
  - name: billing
    answer_as: tickets
    examples:
      - why were we charged twice?
      - our invoice total is wrong
      - can you refund the duplicate charge?
      - who do I talk to about billing?
      - the credit note was not applied
    tools: [tickets]
    customer_tools: [tickets]
    customer_as: tickets
    sources: [tickets, docs]
""", 1)
    table = parse_table(text)
    question = "why is there a double charge on our invoice?"
    before = choose_rows(score_intents(question, question), load_table())
    after = choose_rows(score_intents(question, question, table=table), table)
    assert after[0].name == "billing" and (not before or before[0].name != "billing")


def test_two_accounts_fitting_one_name_ask_which_one() -> None:
    book = AccountBook.build([Account(account_id="anchor-alarm", name="Anchor Alarm"),
                              Account(account_id="anchor-hvac", name="Anchor HVAC"),
                              Account(account_id="globex", name="Globex Logistics")])
    ports = FakePorts(book)
    memory = ConversationMemory(sa.create_engine("sqlite://"))
    result = answer("how is anchor doing?", Principal(Audience.CSM), ports=ports, as_of=AS_OF, memory=memory)
    assert "Which one do you mean" in result.answer
    assert "Anchor Alarm" in result.answer and "Anchor HVAC" in result.answer
    assert ports.book_calls == []  # nothing was read for a guess
    named = answer("how is anchor alarm doing?", Principal(Audience.CSM), ports=ports, as_of=AS_OF, memory=memory)
    assert "Which one" not in named.answer and [t.args for t in named.tools] == [{"account_id": "anchor-alarm"}]


def test_the_planner_and_the_retriever_embed_a_question_once(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = MiniLMEmbedder(threads=1)
    calls: list[list[str]] = []
    real = embedder.embed_documents

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(embedder, "embed_documents", counting)
    question = "how do I fix a sync conflict?"
    score_intents(question, question, embedder=embedder)  # the planner (examples come from the shipped file)
    vector = embedder.embed_query(question)  # the retriever
    assert calls == [[question]]
    with pytest.raises(ValueError):
        vector[0] = 1.0


def test_customers_own_phrasings_count_for_customers_only() -> None:
    """"Where are we with what we reported?" is a customer asking about their tickets; a CSM's "we" is
    the vendor, so the customer-voice examples must not move a CSM's question."""
    text = TABLE_PATH.read_text(encoding="utf-8")
    table = parse_table(text)
    question = "any word back on the thing we flagged to your help desk?"
    customer = {s.name: s.meaning for s in score_intents(question, question, table=table, customer=True)}
    vendor = {s.name: s.meaning for s in score_intents(question, question, table=table)}
    assert customer["tickets"] > vendor["tickets"]
    assert all(customer[name] >= vendor[name] for name in vendor)  # more examples, never fewer
    assert table.vendor_examples < len(table.examples)
    without = parse_table(text.replace("customer_examples:", "unused_examples:"))
    assert without.digest != table.digest  # the shipped vectors are rewritten when customer phrasings change


@pytest.mark.parametrize(("question", "own"), [
    ("where are we with our tickets?", True),
    ("any news on the issue we reported?", True),
    ("what's happening with my open cases?", True),
    ("why couldn't we add a new buyer last month?", True),  # a past event of theirs: their ticket on it
    ("we needed 18 months of audit trail, what was the workaround?", True),
    ("why can't we add a new buyer?", False),  # the product now: the docs
    # "our reports" are dashboards in this product's words, not what the customer reported
    ("the person who built our reports left and now nobody can change them", False),
    ("can I share our reports with the regional managers?", False),
])
def test_what_points_at_a_customer_s_own_reports(question: str, own: bool) -> None:
    assert load_table().about_own_reports(question) is own
